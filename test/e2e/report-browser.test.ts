import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEVER, whenAt } from '../../src/model/when.js';
import { renderReport } from '../../src/report/html.js';
import { buildAccount, buildGap, buildKey, buildSnapshot, buildUser } from '../fixtures/build-snapshot.js';
import { CHROMIUM, HAVE_CHROMIUM, openWatchedPage, type WatchedPage } from './browser.js';
import { REPO_ROOT, runCli } from './run-cli.js';

if (!HAVE_CHROMIUM)
  process.stderr.write(`\n!!! ${CHROMIUM} not found: the browser tests of the HTML report are SKIPPED !!!\n\n`);

const NOW = new Date('2026-11-23T12:00:00Z');
const PAYLOADS = [
  '</script><img src=x onerror=alert(1)>',
  '"><svg onload=alert(2)>',
  "'-alert(3)-'",
  '<!--',
  '\u2028x',
];

function estate() {
  const withPassword = {
    enabled: true,
    lastUsed: whenAt('2026-11-22T00:00:00Z'),
    lastChanged: NEVER,
    nextRotation: NEVER,
  };
  return buildSnapshot(
    [
      buildAccount('111111111111', {
        alias: PAYLOADS[1] ?? null,
        users: [
          buildUser(PAYLOADS[0] ?? 'x', { password: withPassword, tags: { owner: PAYLOADS[2] ?? '' } }),
          buildUser('deploy-bot', {
            path: '/machines/',
            accessKeys: [buildKey({ lastRotated: whenAt('2024-11-23T12:00:00Z'), lastUsed: NEVER })],
          }),
          buildUser('alice', { password: withPassword, groups: [PAYLOADS[3] ?? ''] }),
          buildUser('idle'),
        ],
      }),
      buildAccount('222222222222', { users: [buildUser(`zed${PAYLOADS[4] ?? ''}`, {}, '222222222222')] }),
    ],
    { gaps: [buildGap({ message: PAYLOADS[0] ?? '' })] },
  );
}

describe.skipIf(!HAVE_CHROMIUM)('the HTML report in Chromium', () => {
  let watched: WatchedPage;
  let page: Page;
  let dir: string;
  let problems: string[] = [];
  let requests: string[] = [];
  let reportUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport({ snapshot: estate(), now: NOW, toolVersion: '0.0.0-test' }));
    reportUrl = pathToFileURL(file).href;
    watched = await openWatchedPage((url) => url === reportUrl);
    ({ page, problems } = watched);
    requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(reportUrl);
    await page.locator('#users-table tbody tr').first().waitFor();
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'report-first-page.png'), fullPage: true });
    }
    await watched?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Given hostile names, tags, aliases and gap messages, When the page renders, Then they show as text and nothing runs', async () => {
    const body = await page.locator('body').innerText();
    expect(body).toContain(PAYLOADS[0]);
    expect(body).toContain(PAYLOADS[1]);
    expect(await page.locator('img, svg').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('Given the page, When it loads, Then it requests nothing but itself', () => {
    expect(requests).toEqual([reportUrl]);
    expect(watched.blocked).toEqual([]);
  });

  it('Given the estate, When the page renders, Then the headline and the per-account table show its numbers', async () => {
    expect(await page.locator('#headline-count').innerText()).toBe('3');
    const accountRows = page.locator('#accounts tbody tr');
    expect(await accountRows.count()).toBe(2);
    expect(await accountRows.first().innerText()).toMatch(/111111111111/);
    expect(await page.locator('#problems').innerText()).toContain('iam:GetAccountAuthorizationDetails');
  });

  it('Given the users table, When searching, filtering and sorting, Then the visible rows follow', async () => {
    const visible = page.locator('#users-table tbody tr:not([hidden])');
    expect(await visible.count()).toBe(5);

    await page.locator('#users-search').fill('machines');
    await expect.poll(() => visible.count()).toBe(1);
    expect(await visible.first().innerText()).toContain('deploy-bot');
    expect(await page.locator('#users-count').innerText()).toBe('1 of 5 users');

    await page.locator('#users-search').fill('');
    await expect.poll(() => visible.count()).toBe(5);
    await page.locator('#users-long-lived').check();
    expect(await visible.count()).toBe(3);
    await page.locator('#users-long-lived').uncheck();

    await page.locator('#users-table th', { hasText: 'User' }).click();
    expect(await visible.first().locator('td').first().innerText()).toMatch(/^<\/script>/);
    await page.locator('#users-table th', { hasText: 'User' }).click();
    expect(await visible.first().locator('td').first().innerText()).toMatch(/^zed/);
    expect(problems).toEqual([]);
  });
});

/** A register in the demo's working folder: one live exception and one overdue for review. */
const DEMO_EXCEPTIONS = `version: 1
exceptions:
  - account: "222222222222"
    user: signing-service-partner
    reason: The partner signs releases from their own HSM and cannot federate yet
    owner: platform-team@example.com
    expires: 2027-06-30
    reviewEveryDays: 90
    lastReviewed: 2026-05-01
    controls:
      rotationDays: 90
`;

describe.skipIf(!HAVE_CHROMIUM)('the demo report in Chromium (built CLI)', () => {
  let work: string;
  let watched: WatchedPage;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'roleshift-demo-report-'));
    writeFileSync(join(work, 'roleshift.exceptions.yaml'), DEMO_EXCEPTIONS);
    // Two scans, so the trend has a line.
    for (let i = 0; i < 2; i += 1) {
      const demo = await runCli(['demo', '--store', 'rs.duckdb', '--out-dir', 'demo'], { cwd: work });
      expect(demo.stderr).not.toMatch(/internal error/);
      expect(demo.status).toBe(0);
    }
    const report = await runCli(['report', '--store', 'rs.duckdb', '-o', 'report.html'], { cwd: work });
    expect(report.status).toBe(0);
    const url = pathToFileURL(join(work, 'report.html')).href;
    watched = await openWatchedPage((requested) => requested === url);
    await watched.page.goto(url);
    await watched.page.locator('#users-table tbody tr').first().waitFor();
  }, 120_000);

  afterAll(async () => {
    if (watched) {
      mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
      await watched.page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'report.png'), fullPage: true });
      await watched.close();
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('Given the demo estate, When its report renders, Then every section shows its real data', async () => {
    const { page } = watched;
    expect(await page.locator('#headline-count').innerText()).toBe('16');
    expect(await page.locator('#headline-split').innerText()).toMatch(
      /\d+\s+people[\s\S]*\d+\s+machines[\s\S]*1\s+accepted exceptions/,
    );
    expect(await page.locator('#trend-chart svg circle').count()).toBe(2);
    const kpis = await page.locator('#kpis').innerText();
    expect(kpis).toMatch(/16\s+IAM users with long-lived credentials/);
    expect(kpis).toMatch(/\d+%\s+human access through the identity provider\s+\d+ of \d+ human events/);
    expect(await page.locator('#accounts tbody tr').count()).toBe(3);
    expect(await page.locator('#users-count').innerText()).toBe('17 of 17 users');
    expect(await page.locator('#key-age-histogram .hrow').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#roles-table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#exceptions-table').innerText()).toContain('signing-service-partner');
    expect(await page.locator('#remediation-stages').innerText()).toMatch(/17\s+not started/);
    expect(await page.locator('nav a').allInnerTexts()).toEqual([
      'Overview',
      'Trend',
      'Accounts',
      'Users',
      'Key ages',
      'Roles',
      'Exceptions',
      'Remediation',
    ]);
    expect(watched.problems).toEqual([]);
    expect(watched.blocked).toEqual([]);
  });

  it('Given a user row, When its name is clicked, Then the detail shows evidence, findings with CIS and Security Hub ids, plan steps and copyable artifacts', async () => {
    const { page } = watched;
    await page.locator('#users-search').fill('github-actions-deploy');
    await expect.poll(() => page.locator('#users-table tr.user-row').count()).toBe(1);
    await page.locator('#users-table button.link', { hasText: 'github-actions-deploy' }).click();
    const detail = page.locator('#users-table tr.detail-row');
    const text = await detail.innerText();
    expect(text).toMatch(/Why ci-cd \(\d+% confidence\)/);
    expect(text).toMatch(/CIS 1\.\d+/);
    expect(text).toMatch(/Security Hub IAM\.\d+/);
    expect(text).toMatch(/Plan: /);
    expect(await detail.locator('ol li').count()).toBeGreaterThan(0);
    expect(await detail.locator('.artifact button.copy').count()).toBeGreaterThan(0);
    await page.locator('#users-search').fill('');
  });

  it('Given the filters, When class, account, credential kind and severity are chosen, Then only matching users remain', async () => {
    const { page } = watched;
    const rows = page.locator('#users-table tr.user-row');
    await expect.poll(() => rows.count()).toBe(17);
    await page.locator('#filter-account').selectOption('111111111111');
    expect(await rows.count()).toBe(4);
    await page.locator('#filter-account').selectOption('');
    await page.locator('#filter-class').selectOption('human');
    const humans = await rows.count();
    expect(humans).toBeGreaterThan(0);
    expect(humans).toBeLessThan(17);
    for (const cell of await rows.locator('td:nth-child(2) .badge').allInnerTexts()) expect(cell).toBe('human');
    await page.locator('#filter-class').selectOption('');
    await page.locator('#filter-kind').selectOption('password');
    for (const cell of await rows.locator('td:nth-child(3)').allInnerTexts()) {
      expect(cell).toContain('password');
      expect(cell).not.toContain('key ');
    }
    await page.locator('#filter-kind').selectOption('');
    await page.locator('#filter-severity').selectOption('high');
    for (const cell of await rows.locator('td:nth-child(6) .badge').allInnerTexts())
      expect(['high', 'critical']).toContain(cell);
    expect(await page.locator('#users-count').innerText()).toMatch(/^\d+ of 17 users$/);
    await page.locator('#filter-severity').selectOption('');
    expect(await rows.count()).toBe(17);
    expect(watched.problems).toEqual([]);
  });
});
