import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whenAt } from '../../src/model/when.js';
import { renderReport } from '../../src/report/html.js';
import { assessEstate } from '../../src/app/assess.js';
import { reportExtras } from '../../src/report/report-data.js';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../fixtures/build-snapshot.js';
import { HAVE_CHROMIUM, openWatchedPage, type WatchedPage } from './browser.js';
import { buildEstate } from '../fixtures/build-estate.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const USERS_PER_ACCOUNT = 1000;
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];

/** 3,000 machine users, named so that their order by name is their order in the data. */
function estate() {
  return buildSnapshot(
    ACCOUNTS.map((accountId, a) =>
      buildAccount(accountId, {
        users: Array.from({ length: USERS_PER_ACCOUNT }, (_, i) =>
          buildUser(
            `svc-${String(a * USERS_PER_ACCOUNT + i).padStart(4, '0')}`,
            { path: '/svc/', accessKeys: [buildKey({ lastRotated: whenAt('2025-01-01T00:00:00Z') })] },
            accountId,
          ),
        ),
      }),
    ),
  );
}

const rows = (page: Page) => page.locator('#users-table tr.user-row');
const firstName = (page: Page) => rows(page).first().locator('button.link').innerText();

describe.skipIf(!HAVE_CHROMIUM)('the users table of a large report in Chromium', () => {
  let dir: string;
  let watched: WatchedPage;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-window-'));
    const snapshot = estate();
    const assessment = await assessEstate(buildEstate(snapshot, NOW));
    const extras = reportExtras({ snapshot, now: NOW, ...assessment, exceptions: null, operations: null });
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReport({ snapshot, now: NOW, extras }));
    const url = pathToFileURL(file).href;
    watched = await openWatchedPage((requested) => requested === url);
    page = watched.page;
    await page.goto(url);
    await rows(page).first().waitFor();
  }, 120_000);

  afterAll(async () => {
    await watched?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Given 3,000 users, When the page loads, Then it counts them all but puts only a window of rows in the DOM', async () => {
    expect(await page.locator('#users-count').innerText()).toBe('3000 of 3000 users');
    const drawn = await rows(page).count();
    expect(drawn).toBeGreaterThanOrEqual(50);
    expect(drawn).toBeLessThan(200);
    expect(await firstName(page)).toBe('svc-0000');
  });

  it('Given the window, When the table is scrolled to the end, Then the last users are drawn and the first are gone', async () => {
    await page.locator('#users-viewport').evaluate((viewport) => {
      viewport.scrollTop = viewport.scrollHeight;
    });
    await expect.poll(() => page.locator('#users-table button.link', { hasText: 'svc-2999' }).count()).toBe(1);
    expect(await page.locator('#users-table button.link', { hasText: 'svc-0000' }).count()).toBe(0);
    expect(await rows(page).count()).toBeLessThan(200);
  });

  it('Given a user far down, When found by search and opened, Then its detail shows its plan', async () => {
    await page.locator('#users-search').fill('svc-2718');
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.locator('#users-table button.link', { hasText: 'svc-2718' }).click();
    const detail = page.locator('#users-table tr.detail-row');
    await detail.waitFor();
    expect(await detail.innerText()).toMatch(/arn:aws:iam::333333333333:user\/svc-2718[\s\S]*Plan: /);
    await page.locator('#users-search').fill('');
    await expect.poll(() => page.locator('#users-count').innerText()).toBe('3000 of 3000 users');
  });

  it('Given the whole list, When sorted by name twice, Then the first row is the last user, from a window at the top', async () => {
    const header = page.locator('#users-table th', { hasText: 'User' });
    await header.click();
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await firstName(page)).toBe('svc-2999');
    expect(await page.locator('#users-viewport').evaluate((viewport) => viewport.scrollTop)).toBe(0);
    expect(watched.problems).toEqual([]);
    expect(watched.blocked).toEqual([]);
  });
});
