import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AccountCollection } from '../collect/account.js';
import type { OrgCheckpoint } from '../collect/org-scan.js';
import { applyMigrations, type Migration } from './migrate.js';
import { packJson, unpackJson } from './packed-json.js';
import type { Store } from './store.js';

const ORG_SCAN_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE org_scan_runs (
         run_id VARCHAR PRIMARY KEY,
         started_at VARCHAR NOT NULL,
         scope VARCHAR NOT NULL,
         finished BOOLEAN NOT NULL DEFAULT false
       )`,
      `CREATE TABLE org_scan_accounts (
         run_id VARCHAR NOT NULL,
         account_id VARCHAR NOT NULL,
         result VARCHAR NOT NULL,
         PRIMARY KEY (run_id, account_id)
       )`,
    ],
  },
];

export interface OrgScanRun extends OrgCheckpoint {
  runId: string;
  resumed: boolean;
  /** Accounts already finished when this run (re)started. */
  alreadyFinished: number;
  /** Marks the run complete and drops its per-account rows: they only serve a resume. */
  markFinished(): Promise<void>;
}

interface PendingSave {
  accountId: string;
  json: string;
  settle: (error?: unknown) => void;
}

/**
 * Saves that arrive while a commit runs wait for it and are then committed together: one
 * transaction per batch instead of one per account (each DuckDB commit syncs its log, and with
 * dozens of accounts finishing at once the lanes would queue behind one another). Each save still
 * resolves only once its row is committed, so an account reported done is never collected again.
 */
function groupCommitter(
  connection: DuckDBConnection,
  runId: string,
): (accountId: string, json: string) => Promise<void> {
  let pending: PendingSave[] = [];
  let writing = false;
  const writeBatch = async (batch: readonly PendingSave[]): Promise<void> => {
    const rows = batch.map((_, row) => `($1, $${row * 2 + 2}, $${row * 2 + 3})`).join(', ');
    const values = [runId, ...batch.flatMap((save) => [save.accountId, save.json])];
    await connection.run('BEGIN TRANSACTION');
    try {
      await connection.run(
        `INSERT OR REPLACE INTO org_scan_accounts (run_id, account_id, result) VALUES ${rows}`,
        values,
      );
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  };
  const drain = async (): Promise<void> => {
    while (pending.length > 0) {
      // The same account twice in one statement would conflict with itself: the later one wins.
      const batch = [...new Map(pending.map((save) => [save.accountId, save])).values()];
      const waiting = pending;
      pending = [];
      try {
        await writeBatch(batch);
        for (const save of waiting) save.settle();
      } catch (error) {
        for (const save of waiting) save.settle(error);
      }
    }
    writing = false;
  };
  return (accountId, json) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ accountId, json, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!writing) {
        writing = true;
        void drain();
      }
    });
}

/**
 * Per-account results of an org scan, committed as each account finishes, so a scan killed at
 * any point (Ctrl-C, SIGKILL, a crash) resumes without collecting finished accounts again.
 * `scope` identifies what was asked (role, filters, regions): a resume only continues a run of
 * the same scope.
 */
export async function openOrgScanRun(
  store: Store,
  options: { scope: string; resume: boolean; now: Date },
): Promise<OrgScanRun> {
  const connection = store.connection;
  await applyMigrations(connection, 'org-scan', ORG_SCAN_MIGRATIONS);
  let runId: string | undefined;
  if (options.resume) {
    const reader = await connection.runAndReadAll(
      'SELECT run_id FROM org_scan_runs WHERE scope = $1 AND NOT finished ORDER BY started_at DESC LIMIT 1',
      [options.scope],
    );
    runId = reader.getRowObjectsJS()[0]?.run_id as string | undefined;
  }
  const resumed = runId !== undefined;
  if (!runId) {
    runId = `${options.now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
    await connection.run('INSERT INTO org_scan_runs (run_id, started_at, scope) VALUES ($1, $2, $3)', [
      runId,
      options.now.toISOString(),
      options.scope,
    ]);
  }
  const counted = await connection.runAndReadAll('SELECT count(*) AS n FROM org_scan_accounts WHERE run_id = $1', [
    runId,
  ]);
  const alreadyFinished = Number(counted.getRowObjectsJS()[0]?.n ?? 0);
  const id = runId;
  const commit = groupCommitter(connection, id);
  return {
    runId: id,
    resumed,
    alreadyFinished,
    async finished(accountId) {
      const reader = await connection.runAndReadAll(
        'SELECT result FROM org_scan_accounts WHERE run_id = $1 AND account_id = $2',
        [id, accountId],
      );
      const row = reader.getRowObjectsJS()[0];
      return row ? (JSON.parse(unpackJson(String(row.result))) as AccountCollection) : undefined;
    },
    // Packed (packed-json.ts): 1,000 accounts of JSON would cost DuckDB several times their size in memory.
    save: async (accountId, result) => commit(accountId, await packJson([JSON.stringify(result)])),
    async markFinished() {
      await connection.run('UPDATE org_scan_runs SET finished = true WHERE run_id = $1', [id]);
      await connection.run('DELETE FROM org_scan_accounts WHERE run_id = $1', [id]);
    },
  };
}
