import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEVER, whenAt } from '../../src/model/when.js';
import { renderReport } from '../../src/report/html.js';
import { buildAccount, buildGap, buildKey, buildSnapshot, buildUser } from '../fixtures/build-snapshot.js';
import { REPO_ROOT } from './run-cli.js';

/** Debian's chromium, never a downloaded browser. `.ci/run` installs it. */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI needs it (apt-get install -y chromium)`);
if (!HAVE_CHROMIUM) process.stderr.write(`\n!!! ${CHROMIUM} not found: the browser tests of the HTML report are SKIPPED !!!\n\n`);

const NOW = new Date('2026-11-23T12:00:00Z');
const PAYLOADS = ['</script><img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', "'-alert(3)-'", '<!--', '\u2028x'];

function estate() {
  const withPassword = { enabled: true, lastUsed: whenAt('2026-11-22T00:00:00Z'), lastChanged: NEVER, nextRotation: NEVER };
  return buildSnapshot(
    [
      buildAccount('111111111111', {
        alias: PAYLOADS[1] ?? null,
        users: [
          buildUser(PAYLOADS[0] ?? 'x', { password: withPassword, tags: { owner: PAYLOADS[2] ?? '' } }),
          buildUser('deploy-bot', { path: '/machines/', accessKeys: [buildKey({ lastRotated: whenAt('2024-11-23T12:00:00Z'), lastUsed: NEVER })] }),
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
  let browser: Browser;
  let page: Page;
  let dir: string;
  const problems: string[] = [];
  const requests: string[] = [];
  let reportUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport({ snapshot: estate(), now: NOW, toolVersion: '0.0.0-test' }));
    reportUrl = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(reportUrl);
    await page.locator('#users-table tbody tr').first().waitFor();
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'report-first-page.png'), fullPage: true });
    }
    await browser?.close();
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
    expect(await visible.count()).toBe(1);
    expect(await visible.first().innerText()).toContain('deploy-bot');
    expect(await page.locator('#users-count').innerText()).toBe('1 of 5 users');

    await page.locator('#users-search').fill('');
    await page.locator('#users-long-lived').check();
    expect(await visible.count()).toBe(3);
    await page.locator('#users-long-lived').uncheck();

    await page.locator('#users-table th', { hasText: 'User' }).click();
    expect(await visible.first().locator('td').nth(1).innerText()).toMatch(/^<\/script>/);
    await page.locator('#users-table th', { hasText: 'User' }).click();
    expect(await visible.first().locator('td').nth(1).innerText()).toMatch(/^zed/);
    expect(problems).toEqual([]);
  });
});
