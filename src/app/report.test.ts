import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { DEFAULT_CONFIG } from '../config.js';
import { type PagePack, unpackReport } from '../report/page-pack.js';
import type { RunningServer } from '../report/serve.js';
import { openStore } from '../store/store.js';
import type { ScanSummaryRow } from '../store/store.js';
import { startDashboard, trendPoints } from './report.js';

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

function storedScan(scanId: string, collectedAt: string, longLived: number): ScanSummaryRow {
  return {
    scanId,
    savedAt: collectedAt,
    collectedAt,
    source: 'aws',
    origin: 'test',
    toolVersion: 'test',
    kpis: { users_long_lived_total: longLived },
    organizationGaps: 0,
    trendable: true,
    accounts: 1,
    users: longLived,
    usersWithLongLivedCredentials: longLived,
    usersWithPassword: 0,
    usersWithActiveKeys: longLived,
    activeKeys: longLived,
    rootKeys: 0,
    gaps: 0,
  };
}

function snapshotAt(finishedAt: string, users: number) {
  const accounts = [
    buildAccount(ACCOUNT, {
      users: Array.from({ length: users }, (_, i) => buildUser(`user-${i}`, { accessKeys: [buildKey()] })),
    }),
  ];
  const snapshot = buildSnapshot(accounts);
  return { ...snapshot, collection: { ...snapshot.collection, finishedAt } };
}

describe('the trend the page reads', () => {
  const stored = [
    storedScan('scan-jan', '2026-01-01T00:00:00.000Z', 9),
    storedScan('scan-mar', '2026-03-01T00:00:00.000Z', 5),
    storedScan('scan-may', '2026-05-01T00:00:00.000Z', 2),
  ];

  it('Given the latest stored scan is shown, When the trend is made, Then it holds every complete scan and ends with the one shown', () => {
    const points = trendPoints(stored, {
      snapshot: snapshotAt('2026-05-01T00:00:00.000Z', 2),
      scanId: 'scan-may',
      kpis: {},
    });
    expect(points.map((point) => point.scanId)).toEqual(['scan-jan', 'scan-mar', 'scan-may']);
  });

  it('Given an older snapshot file is shown, When the trend is made, Then it ends with that snapshot, its own counts and KPIs, and leaves out later scans', () => {
    const points = trendPoints(stored, {
      snapshot: snapshotAt('2026-04-01T00:00:00.000Z', 3),
      scanId: null,
      kpis: { users_long_lived_total: 3 },
    });
    expect(points.map((point) => point.collectedAt)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
    ]);
    expect(points.at(-1)).toMatchObject({ usersWithLongLivedCredentials: 3, kpis: { users_long_lived_total: 3 } });
  });

  it('Given a stored scan that is not the newest is shown, When the trend is made, Then the scans after it are left out', () => {
    const points = trendPoints(stored, {
      snapshot: snapshotAt('2026-03-01T00:00:00.000Z', 5),
      scanId: 'scan-mar',
      kpis: {},
    });
    expect(points.map((point) => point.scanId)).toEqual(['scan-jan', 'scan-mar']);
  });

  it('Given an incomplete earlier scan, When the trend is made, Then it is not a point', () => {
    const incomplete = {
      ...storedScan('scan-feb', '2026-02-01T00:00:00.000Z', 1),
      organizationGaps: 1,
      trendable: false,
    };
    const points = trendPoints([stored[0] as ScanSummaryRow, incomplete, ...stored.slice(1)], {
      snapshot: snapshotAt('2026-05-01T00:00:00.000Z', 2),
      scanId: 'scan-may',
      kpis: {},
    });
    expect(points.map((point) => point.scanId)).toEqual(['scan-jan', 'scan-mar', 'scan-may']);
  });
});
