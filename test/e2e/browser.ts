import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium, never a downloaded browser. `.ci/run` installs it. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing: CI needs it (apt-get install -y chromium)`);

/** No network of its own: no QUIC, no component updates, no sync, no first-run pings. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WatchedPage {
  page: Page;
  /** Page errors, console errors and dialogs: any entry means script ran that should not have. */
  problems: string[];
  /** Requests other than the allowed URL; each was aborted. */
  blocked: string[];
  close(): Promise<void>;
}

/**
 * A page in a fresh profile that aborts and records every request except `allowed` (the report
 * itself), so "no network request" is asserted rather than hoped for.
 */
export async function openWatchedPage(
  allowed: (url: string) => boolean,
  viewport = { width: 1400, height: 900 },
): Promise<WatchedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'roleshift-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const blocked: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  return {
    page,
    problems,
    blocked,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
