import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { UserInputError } from '../errors.js';
import { SnapshotSchema, type Snapshot } from '../model/snapshot.js';
import { organizationGaps, isTrendable } from '../model/completeness.js';
import { countHeadline, type HeadlineCounts } from '../model/headline.js';
import { snapshotJsonChunks } from '../model/snapshot-json.js';
import { TOOL_VERSION } from '../version.js';
import { applyMigrations, type Migration } from './migrate.js';
import { packJson, unpackJson } from './packed-json.js';
import { assertDuckDbFile, claimStore, OFFLINE_DUCKDB_CONFIG } from './store-header.js';

/** One scan as `roleshift history` shows it: when, from where, and the headline counts. */
export interface ScanSummaryRow extends HeadlineCounts {
  scanId: string;
  savedAt: string;
  collectedAt: string;
  source: string;
  origin: string;
  toolVersion: string;
  kpis: Record<string, number>;
  /** Gaps with `scope: 'organization'`: the accounts were not (all) listed, so every count is a floor. */
  organizationGaps: number;
  /** False when `organizationGaps` > 0: kept and shown, never a trend point or a KPI (`isTrendable`). */
  trendable: boolean;
}

export interface StoredScan {
  scanId: string;
  snapshot: Snapshot;
}

export interface Store {
  /** The file this store lives in (absolute), or `:memory:`. */
  readonly path: string;
  /** Other modules create and migrate their own tables through it (see `applyMigrations`). */
  readonly connection: DuckDBConnection;
  saveScan(snapshot: Snapshot, extras?: { kpis?: Record<string, number> }): Promise<string>;
  latestScan(): Promise<StoredScan | null>;
  getScan(scanId: string): Promise<StoredScan | null>;
  /** Oldest first, so a trend reads left to right. */
  listScans(): Promise<ScanSummaryRow[]>;
  close(): void;
}

const STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      'CREATE SEQUENCE scan_seq START 1',
      `CREATE TABLE scans (
         scan_id VARCHAR PRIMARY KEY,
         seq INTEGER NOT NULL DEFAULT nextval('scan_seq'),
         saved_at VARCHAR NOT NULL,
         collected_at VARCHAR NOT NULL,
         source VARCHAR NOT NULL,
         origin VARCHAR NOT NULL,
         tool_version VARCHAR NOT NULL,
         schema_version INTEGER NOT NULL,
         accounts INTEGER NOT NULL,
         users INTEGER NOT NULL,
         long_lived_users INTEGER NOT NULL,
         users_with_password INTEGER NOT NULL,
         users_with_active_keys INTEGER NOT NULL,
         active_keys INTEGER NOT NULL,
         root_keys INTEGER NOT NULL,
         gaps INTEGER NOT NULL,
         snapshot VARCHAR NOT NULL
       )`,
      `CREATE TABLE scan_kpis (
         scan_id VARCHAR NOT NULL,
         name VARCHAR NOT NULL,
         value DOUBLE NOT NULL,
         PRIMARY KEY (scan_id, name)
       )`,
    ],
  },
  {
    // A table of its own, not a column: DuckDB fails to replay an ALTER TABLE ... ADD COLUMN from
    // its write-ahead log after a crash. Scans saved before this version get their row from their
    // snapshot on open (`backfillOrganizationGaps`).
    version: 2,
    statements: [
      `CREATE TABLE scan_completeness (
         scan_id VARCHAR PRIMARY KEY,
         organization_gaps INTEGER NOT NULL
       )`,
    ],
  },
];

/**
 * DuckDB lets one process open the same file twice as two databases, which would then overwrite
 * each other. Commands that compose others (demo → scan → report) may open the store more than
 * once, so instances are shared per file and closed when the last user closes.
 */
const instances = new Map<string, { instance: DuckDBInstance; users: number }>();

/**
 * DuckDB would otherwise take up to 80% of the machine's memory; with a limit it spills to
 * `<store>.tmp` instead, which keeps a CloudTrail ingestion of any size under 1 GB of RSS
 * (bench/README.md).
 */
const STORE_MEMORY_LIMIT = '512MB';

async function acquireInstance(path: string): Promise<DuckDBInstance> {
  const held = instances.get(path);
  if (held) {
    held.users += 1;
    return held.instance;
  }
  if (path !== ':memory:') {
    assertDuckDbFile(path);
    mkdirSync(dirname(path), { recursive: true });
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, { memory_limit: STORE_MEMORY_LIMIT, ...OFFLINE_DUCKDB_CONFIG });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /lock/i.test(reason)
      ? 'another roleshift (or DuckDB) has it open: wait for it or use another --store'
      : /read-only file system|no space left|permission denied/i.test(reason)
        ? 'its folder cannot be written: free space, fix the permissions or use another --store'
        : 'use another --store';
    throw new UserInputError(`cannot open store ${path}: ${reason.replace(/^IO Error: /, '')} (${hint})`);
  }
  instances.set(path, { instance, users: 1 });
  return instance;
}

function releaseInstance(path: string): void {
  const held = instances.get(path);
  if (!held) return;
  held.users -= 1;
  if (held.users > 0) return;
  instances.delete(path);
  held.instance.closeSync();
}

function newScanId(collectedAt: string): string {
  const stamp = collectedAt.replace(/\.\d+/, '').replace(/[-:]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function parseStoredSnapshot(path: string, scanId: string, text: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(unpackJson(text));
  } catch {
    throw new UserInputError(`scan ${scanId} in store ${path} is not valid JSON: the store is damaged; scan again`);
  }
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UserInputError(
      `scan ${scanId} in store ${path} does not match this roleshift's snapshot format: scan again or use the roleshift that wrote it`,
    );
  }
  return parsed.data;
}

async function readScan(
  connection: DuckDBConnection,
  location: string,
  where: string,
  values: string[],
): Promise<StoredScan | null> {
  const reader = await connection.runAndReadAll(`SELECT scan_id, snapshot FROM scans ${where}`, values);
  const row = reader.getRowObjectsJS()[0];
  if (!row) return null;
  const scanId = String(row.scan_id);
  return { scanId, snapshot: parseStoredSnapshot(location, scanId, String(row.snapshot)) };
}

/** One scan with its headline counts and KPIs, in one transaction. */
async function insertScan(
  connection: DuckDBConnection,
  snapshot: Snapshot,
  kpis: Record<string, number>,
  savedAt: Date,
): Promise<string> {
  const scanId = newScanId(snapshot.collection.finishedAt);
  const counts = countHeadline(snapshot);
  const packed = await packJson(snapshotJsonChunks(snapshot, 0));
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(
      `INSERT INTO scans (scan_id, saved_at, collected_at, source, origin, tool_version, schema_version,
         accounts, users, long_lived_users, users_with_password, users_with_active_keys, active_keys, root_keys, gaps, snapshot)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        scanId,
        savedAt.toISOString(),
        snapshot.collection.finishedAt,
        snapshot.collection.source,
        snapshot.collection.origin,
        snapshot.collection.toolVersion,
        snapshot.schemaVersion,
        counts.accounts,
        counts.users,
        counts.usersWithLongLivedCredentials,
        counts.usersWithPassword,
        counts.usersWithActiveKeys,
        counts.activeKeys,
        counts.rootKeys,
        counts.gaps,
        // Packed account by account (packed-json.ts): never one string of the whole snapshot.
        packed,
      ],
    );
    await connection.run('INSERT INTO scan_completeness (scan_id, organization_gaps) VALUES ($1, $2)', [
      scanId,
      organizationGaps(snapshot).length,
    ]);
    // A scan that could not list the Organization's accounts is never a KPI: its counts are floors.
    const kept = isTrendable(snapshot) ? kpis : {};
    for (const [name, value] of Object.entries(kept).sort(([a], [b]) => a.localeCompare(b))) {
      if (!Number.isFinite(value)) throw new RangeError(`KPI ${name} is not a finite number: ${value}`);
      await connection.run('INSERT INTO scan_kpis (scan_id, name, value) VALUES ($1, $2, $3)', [scanId, name, value]);
    }
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
  return scanId;
}

/** Every scan's summary and KPIs, oldest first. */
async function listScanSummaries(connection: DuckDBConnection): Promise<ScanSummaryRow[]> {
  const scans = (
    await connection.runAndReadAll(
      `SELECT scans.scan_id, saved_at, collected_at, source, origin, tool_version, accounts, users, long_lived_users,
         users_with_password, users_with_active_keys, active_keys, root_keys, gaps, organization_gaps
       FROM scans LEFT JOIN scan_completeness USING (scan_id) ORDER BY seq`,
    )
  ).getRowObjectsJS();
  const kpis = (
    await connection.runAndReadAll('SELECT scan_id, name, value FROM scan_kpis ORDER BY scan_id, name')
  ).getRowObjectsJS();
  const kpisByScan = new Map<string, Record<string, number>>();
  for (const row of kpis) {
    const scanId = String(row.scan_id);
    const map = kpisByScan.get(scanId) ?? {};
    map[String(row.name)] = Number(row.value);
    kpisByScan.set(scanId, map);
  }
  return scans.map((row) => ({
    scanId: String(row.scan_id),
    savedAt: String(row.saved_at),
    collectedAt: String(row.collected_at),
    source: String(row.source),
    origin: String(row.origin),
    toolVersion: String(row.tool_version),
    accounts: Number(row.accounts),
    users: Number(row.users),
    usersWithLongLivedCredentials: Number(row.long_lived_users),
    usersWithPassword: Number(row.users_with_password),
    usersWithActiveKeys: Number(row.users_with_active_keys),
    activeKeys: Number(row.active_keys),
    rootKeys: Number(row.root_keys),
    gaps: Number(row.gaps),
    kpis: kpisByScan.get(String(row.scan_id)) ?? {},
    organizationGaps: Number(row.organization_gaps ?? 0),
    trendable: Number(row.organization_gaps ?? 0) === 0,
  }));
}

/** Scans saved before `scan_completeness` existed: counted once from their snapshot. */
async function backfillOrganizationGaps(connection: DuckDBConnection, location: string): Promise<void> {
  const reader = await connection.runAndReadAll(
    'SELECT scan_id, snapshot FROM scans WHERE scan_id NOT IN (SELECT scan_id FROM scan_completeness)',
  );
  for (const row of reader.getRowObjectsJS()) {
    const scanId = String(row.scan_id);
    const count = organizationGaps(parseStoredSnapshot(location, scanId, String(row.snapshot))).length;
    await connection.run('INSERT INTO scan_completeness (scan_id, organization_gaps) VALUES ($1, $2)', [scanId, count]);
  }
}

/** A connection to a database that is (now) a roleshift store with its tables up to date. */
async function connectToStore(instance: DuckDBInstance, location: string): Promise<DuckDBConnection> {
  const connection = await instance.connect();
  try {
    await claimStore(connection, location, TOOL_VERSION);
    await applyMigrations(connection, 'store', STORE_MIGRATIONS);
    await backfillOrganizationGaps(connection, location);
    return connection;
  } catch (error) {
    connection.closeSync();
    throw error;
  }
}

/**
 * Opens (creating it and its folder when needed) the embedded store and brings its tables up to
 * date. `now` stamps when a scan was saved; the scan's own time comes from its snapshot.
 */
export async function openStore(path: string, options: { now?: () => Date } = {}): Promise<Store> {
  const location = path === ':memory:' ? path : resolve(path);
  const now = options.now ?? (() => new Date());
  const instance = await acquireInstance(location);
  let connection: DuckDBConnection;
  try {
    connection = await connectToStore(instance, location);
  } catch (error) {
    releaseInstance(location);
    throw error;
  }
  return {
    path: location,
    connection,
    saveScan: (snapshot, extras = {}) => insertScan(connection, snapshot, extras.kpis ?? {}, now()),
    latestScan: () => readScan(connection, location, 'ORDER BY seq DESC LIMIT 1', []),
    getScan: (scanId) => readScan(connection, location, 'WHERE scan_id = $1', [scanId]),
    listScans: () => listScanSummaries(connection),
    close() {
      connection.closeSync();
      releaseInstance(location);
    },
  };
}
