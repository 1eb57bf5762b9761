import type { DuckDBConnection } from '@duckdb/node-api';
import { UserInputError } from '../errors.js';

/**
 * One schema step. Versions count from 1 per component; a step is never edited once released,
 * only followed by a new one, so an older store upgrades in place.
 */
export interface Migration {
  version: number;
  statements: readonly string[];
}

/**
 * Brings one component's tables (the store's own, the journal's, the activity tables...) up to
 * date. Each component keeps its own version line in one table, so modules add tables without
 * coordinating a single global number. Every step runs in a transaction with its version row.
 */
export async function applyMigrations(
  connection: DuckDBConnection,
  component: string,
  migrations: readonly Migration[],
): Promise<number> {
  await connection.run(
    `CREATE TABLE IF NOT EXISTS schema_versions (
       component VARCHAR NOT NULL,
       version INTEGER NOT NULL,
       applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
       PRIMARY KEY (component, version)
     )`,
  );
  const current = await appliedVersion(connection, component);
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  if (current > known) {
    throw new UserInputError(
      `the store's ${component} tables are at version ${current} but this roleshift knows only ${known}: upgrade roleshift or use another --store`,
    );
  }
  const pending = migrations.filter((migration) => migration.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    await connection.run('BEGIN TRANSACTION');
    try {
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run('INSERT INTO schema_versions (component, version) VALUES ($1, $2)', [
        component,
        migration.version,
      ]);
      await connection.run('COMMIT');
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  }
  return known;
}

/**
 * The version a component's tables are at; 0 when they were never created. Lets a reading
 * command ask whether, say, a remediation journal exists without creating one.
 */
export async function appliedVersion(connection: DuckDBConnection, component: string): Promise<number> {
  const tables = await connection.runAndReadAll(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_versions'",
  );
  if (Number(tables.getRowObjectsJS()[0]?.n ?? 0) === 0) return 0;
  const reader = await connection.runAndReadAll(
    'SELECT coalesce(max(version), 0) AS version FROM schema_versions WHERE component = $1',
    [component],
  );
  return Number(reader.getRowObjectsJS()[0]?.version ?? 0);
}
