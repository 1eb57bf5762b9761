import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { DEFAULT_CONFIG } from '../config.js';
import { type PagePack, unpackReport } from '../report/page-pack.js';
import type { RunningServer } from '../report/serve.js';
import { openStore } from '../store/store.js';
import { startDashboard } from './report.js';

const ACCOUNT = '111111111111';

let dir: string;
let storePath: string;
let server: RunningServer | undefined;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roleshift-dashboard-'));
  storePath = join(dir, 'roleshift.duckdb');
  await saveScan('first-user');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function saveScan(userName: string): Promise<void> {
  const store = await openStore(storePath);
  await store.saveScan(
    buildSnapshot([buildAccount(ACCOUNT, { users: [buildUser(userName, { accessKeys: [buildKey()] })] })]),
  );
  store.close();
}

/** A clock that hands out the given instants in turn, then keeps the last. */
function clockOf(...instants: string[]): () => Date {
  let next = 0;
  return () => new Date(instants[Math.min(next++, instants.length - 1)] ?? '');
}

async function start(clock: () => Date): Promise<RunningServer> {
  server = await startDashboard(
    { storePath, config: { ...DEFAULT_CONFIG, exceptionsFile: join(dir, 'absent.yaml') } },
    { port: 0, notes: { log: () => {}, warn: () => {} }, clock },
  );
  return server;
}

/** The page's generation time and users, unpacked as the page's script does. */
async function page(running: RunningServer): Promise<{ generatedAt: string; users: string[] }> {
  const html = await (await fetch(running.url)).text();
  const json = /<script type="application\/json" id="roleshift-data">([^<]*)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('no data block in the page');
  const data = unpackReport(JSON.parse(json) as PagePack);
  return { generatedAt: data.generatedAt, users: data.users.map((user) => user.name) };
}

describe('the dashboard', () => {
  it('Given nothing changed, When the page is reloaded within five minutes, Then the page built at startup is served', async () => {
    const running = await start(clockOf('2026-11-23T10:15:07Z', '2026-11-23T10:16:30Z', '2026-11-23T10:20:06Z'));
    expect((await page(running)).generatedAt).toBe('2026-11-23T10:15:07.000Z');
    expect((await page(running)).generatedAt).toBe('2026-11-23T10:15:07.000Z');
  });

  it('Given the page is five minutes old, When it is reloaded, Then it is built again at the new time', async () => {
    const running = await start(clockOf('2026-11-23T10:15:07Z', '2026-11-23T10:20:07Z'));
    expect((await page(running)).generatedAt).toBe('2026-11-23T10:20:07.000Z');
  });

  it('Given a clock set back, When the page is reloaded, Then it is built again at the new time', async () => {
    const running = await start(clockOf('2026-11-23T10:15:07Z', '2026-11-23T10:15:06Z'));
    expect((await page(running)).generatedAt).toBe('2026-11-23T10:15:06.000Z');
  });

  it('Given a new scan a moment later, When the page is reloaded, Then it shows the new scan', async () => {
    const running = await start(clockOf('2026-11-23T10:15:07Z', '2026-11-23T10:15:30Z'));
    expect((await page(running)).users).toEqual(['first-user']);
    await saveScan('second-user');
    const reloaded = await page(running);
    expect(reloaded.users).toEqual(['second-user']);
    expect(reloaded.generatedAt).toBe('2026-11-23T10:15:30.000Z');
  });
});
