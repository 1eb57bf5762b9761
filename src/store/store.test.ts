import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserInputError } from '../errors.js';
import { buildAccount, buildGap, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { applyMigrations } from './migrate.js';
import { openStore, type Store } from './store.js';

const SAVED_AT = new Date('2026-11-23T10:00:00Z');
const SQLITE_FIXTURE = fileURLToPath(new URL('../../test/fixtures/store/address-book.sqlite', import.meta.url));

function snapshotWith(users: number, finishedAt = '2026-11-23T09:00:01Z') {
  return buildSnapshot(
    [
      buildAccount('111111111111', {
        users: Array.from({ length: users }, (_, index) =>
          buildUser(`user-${index}`, { accessKeys: index % 2 === 0 ? [buildKey()] : [] }),
        ),
      }),
    ],
    { collection: { ...buildSnapshot([]).collection, finishedAt }, gaps: [buildGap()] },
  );
}

describe('openStore', () => {
  let dir: string;
  let store: Store | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-store-'));
  });
  afterEach(() => {
    store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('Given no folder yet, When the store opens, Then it creates the folder and file and has no scan', async () => {
    const path = join(dir, 'nested', 'deeper', 'roleshift.duckdb');
    store = await openStore(path);
    expect(existsSync(path)).toBe(true);
    expect(await store.latestScan()).toBeNull();
    expect(await store.listScans()).toEqual([]);
  });

  it('Given two saved scans, When reopened, Then the snapshot round-trips and history lists both with counts, oldest first', async () => {
    const path = join(dir, 'roleshift.duckdb');
    store = await openStore(path, { now: () => SAVED_AT });
    const first = await store.saveScan(snapshotWith(3, '2026-11-20T09:00:00Z'), { kpis: { 'long-lived-users': 2 } });
    const secondSnapshot = snapshotWith(1);
    const second = await store.saveScan(secondSnapshot);
    store.close();

    store = await openStore(path);
    expect(await store.latestScan()).toEqual({ scanId: second, snapshot: secondSnapshot });
    expect((await store.getScan(first))?.snapshot.accounts[0]?.users).toHaveLength(3);
    expect(await store.getScan('no-such-scan')).toBeNull();
    const rows = await store.listScans();
    expect(rows.map((row) => row.scanId)).toEqual([first, second]);
    expect(first).toMatch(/^20261120T090000Z-[0-9a-f]{6}$/);
    expect(rows[0]).toEqual({
      scanId: first,
      savedAt: SAVED_AT.toISOString(),
      collectedAt: '2026-11-20T09:00:00Z',
      source: 'files',
      origin: 'test',
      toolVersion: '0.0.0-test',
      accounts: 1,
      users: 3,
      usersWithLongLivedCredentials: 2,
      usersWithPassword: 0,
      usersWithActiveKeys: 2,
      activeKeys: 2,
      rootKeys: 0,
      gaps: 1,
      kpis: { 'long-lived-users': 2 },
      organizationGaps: 0,
      trendable: true,
    });
  });

  it('Given a scan whose Organization listing failed, When saved with KPIs, Then it is kept, marked as no trend point and stores no KPI', async () => {
    store = await openStore(join(dir, 'roleshift.duckdb'));
    const failed = {
      ...snapshotWith(0),
      gaps: [buildGap({ api: 'organizations:ListAccounts', scope: 'organization' })],
    };
    await store.saveScan(failed, { kpis: { users_long_lived_humans: 0 } });
    const [row] = await store.listScans();
    expect(row).toMatchObject({ organizationGaps: 1, trendable: false, kpis: {} });
  });

  it('Given a store saved before scan completeness was kept, When opened, Then each scan gets it from its snapshot', async () => {
    const path = join(dir, 'roleshift.duckdb');
    store = await openStore(path);
    await store.saveScan({ ...snapshotWith(1), gaps: [buildGap({ scope: 'organization' })] });
    await store.saveScan(snapshotWith(2, '2026-11-24T09:00:00Z'));
    await store.connection.run('DROP TABLE scan_completeness');
    await store.connection.run("DELETE FROM schema_versions WHERE component = 'store' AND version = 2");
    store.close();

    store = await openStore(path);
    expect((await store.listScans()).map((row) => [row.organizationGaps, row.trendable])).toEqual([
      [1, false],
      [0, true],
    ]);
  });

  it('Given a save that fails half way, When it is retried, Then the failed one left no row behind', async () => {
    store = await openStore(join(dir, 'roleshift.duckdb'));
    await expect(store.saveScan(snapshotWith(1), { kpis: { good: 1, bad: Number.NaN } })).rejects.toThrow(
      /not a finite number/,
    );
    expect(await store.listScans()).toEqual([]);
    expect(
      (await store.connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM scan_kpis')).getRowObjectsJS()[0]?.n,
    ).toBe(0);
    await store.saveScan(snapshotWith(1));
    expect(await store.listScans()).toHaveLength(1);
  });

  it('Given a user name with quotes and SQL, When saved and read back, Then it is stored as data', async () => {
    store = await openStore(join(dir, 'roleshift.duckdb'));
    const snapshot = buildSnapshot([buildAccount('111111111111', { users: [buildUser("x'); DROP TABLE scans; --")] })]);
    await store.saveScan(snapshot);
    expect((await store.latestScan())?.snapshot.accounts[0]?.users[0]?.name).toBe("x'); DROP TABLE scans; --");
  });

  it('Given the same file opened twice in one process, When both write, Then both rows are there after closing', async () => {
    const path = join(dir, 'roleshift.duckdb');
    const a = await openStore(path);
    const b = await openStore(path);
    await a.saveScan(snapshotWith(1));
    await b.saveScan(snapshotWith(2));
    a.close();
    expect(await b.listScans()).toHaveLength(2);
    b.close();
    store = await openStore(path);
    expect(await store.listScans()).toHaveLength(2);
  });

  it('Given a file that is not a DuckDB store, When opened, Then a one-line user error names it', async () => {
    const path = join(dir, 'not-a-store.duckdb');
    writeFileSync(path, 'hello\n');
    const error = await openStore(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain('\n');
  });

  it('Given a SQLite file as the store, When opened, Then it is refused as such and left unchanged (issue 15 point 8)', async () => {
    const path = join(dir, 'address-book.sqlite');
    copyFileSync(SQLITE_FIXTURE, path);
    const before = readFileSync(path);
    const error = (await openStore(path).catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.message).toBe(
      `${path} is a SQLite database, not a roleshift store: give another --store (nothing was changed)`,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it.each([
    ['its own scans table', ['CREATE TABLE scans (id INTEGER)'], 'scans'],
    [
      'unrelated tables',
      ['CREATE TABLE customers (id INTEGER)', 'CREATE TABLE orders (id INTEGER)'],
      'customers, orders',
    ],
  ])(
    'Given a DuckDB file of another program with %s, When opened, Then it is refused and gets no roleshift table',
    async (_label, statements, tables) => {
      const path = join(dir, 'other.duckdb');
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      for (const statement of statements) await connection.run(statement);
      connection.closeSync();
      instance.closeSync();
      const error = (await openStore(path).catch((caught: unknown) => caught)) as Error;
      expect(error).toBeInstanceOf(UserInputError);
      expect(error.message).toBe(
        `${path} is a DuckDB database of another program (tables ${tables}), not a roleshift store: give another --store (nothing was changed)`,
      );
      const check = await DuckDBInstance.create(path);
      const reader = await check.connect();
      const names = (
        await reader.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
      ).getRowObjectsJS();
      reader.closeSync();
      check.closeSync();
      expect(names.map((row) => row.table_name).sort()).toEqual(tables.split(', '));
    },
  );

  it('Given a store of an earlier roleshift (no header table), When opened, Then it is migrated and its scans read', async () => {
    const path = join(dir, 'roleshift.duckdb');
    store = await openStore(path);
    const saved = await store.saveScan(snapshotWith(2));
    await store.connection.run('DROP TABLE roleshift_store');
    store.close();
    store = await openStore(path);
    expect((await store.latestScan())?.scanId).toBe(saved);
    const header = (
      await store.connection.runAndReadAll('SELECT format, format_version FROM roleshift_store')
    ).getRowObjectsJS();
    expect(header).toEqual([{ format: 'roleshift', format_version: 1 }]);
  });

  it('Given a store, When opened, Then DuckDB may neither install nor load an extension (roleshift works offline)', async () => {
    store = await openStore(join(dir, 'roleshift.duckdb'));
    const settings = (
      await store.connection.runAndReadAll(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions', 'allow_community_extensions') ORDER BY name",
      )
    ).getRowObjectsJS();
    expect(settings).toEqual([
      { name: 'allow_community_extensions', value: 'false' },
      { name: 'autoinstall_known_extensions', value: 'false' },
      { name: 'autoload_known_extensions', value: 'false' },
    ]);
  });

  it('Given a store of a newer store format, When opened, Then it refuses instead of misreading it', async () => {
    const path = join(dir, 'roleshift.duckdb');
    store = await openStore(path);
    await store.connection.run('UPDATE roleshift_store SET format_version = 7');
    store.close();
    store = undefined;
    await expect(openStore(path)).rejects.toThrow(
      `${path} is a roleshift store of format 7, this roleshift knows only 1: upgrade roleshift or use another --store`,
    );
  });

  it('Given a store written by a newer roleshift, When opened, Then it refuses instead of misreading it', async () => {
    const path = join(dir, 'roleshift.duckdb');
    store = await openStore(path);
    await store.connection.run("INSERT INTO schema_versions (component, version) VALUES ('store', 99)");
    store.close();
    store = undefined;
    await expect(openStore(path)).rejects.toThrow(/version 99 .* knows only 2/);
  });

  it('Given another module with its own tables, When it migrates through the connection, Then each step runs once', async () => {
    store = await openStore(join(dir, 'roleshift.duckdb'));
    const migrations = [
      { version: 1, statements: ['CREATE TABLE journal (id INTEGER)'] },
      { version: 2, statements: ['ALTER TABLE journal ADD COLUMN note VARCHAR'] },
    ];
    expect(await applyMigrations(store.connection, 'journal', migrations)).toBe(2);
    expect(await applyMigrations(store.connection, 'journal', migrations)).toBe(2);
    await store.connection.run("INSERT INTO journal VALUES (1, 'ok')");
    await expect(
      applyMigrations(store.connection, 'broken', [
        { version: 1, statements: ['CREATE TABLE half (id INTEGER)', 'NOT SQL'] },
      ]),
    ).rejects.toThrow();
    const tables = (
      await store.connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_name = 'half'")
    ).getRowObjectsJS();
    expect(tables).toEqual([]);
  });
});
