import type { DuckDBConnection } from '@duckdb/node-api';
import type { Usage, UsageSource } from '../model/usage.js';
import { mapCallsToActions } from './actions.js';
import { UsageAssembly, type UsageResultSet } from './assemble.js';
import { QUERY_NAMES, renderQuery, type Dialect, type QueryName, type QueryWindow, type UsageRows } from './queries.js';

/** Normalised rows (`normaliseRow`), handed over a part at a time. */
export type RowSink = (rows: Array<Record<string, string | number | null>>) => void;

/**
 * Runs one rendered query; rows as plain objects keyed by the query's column names. A runner that
 * can hand its rows over in parts has `readInParts`, which the usage assembly then uses.
 */
export type QueryRunner = ((name: QueryName, sql: string) => Promise<Array<Record<string, unknown>>>) & {
  readInParts?: (sql: string, take: RowSink) => Promise<void>;
};

const NUMERIC_COLUMNS = new Set([
  'events',
  'errors',
  'total',
  'with_mfa',
  'without_mfa',
  'failed',
  'distinct_resources',
  'distinct_patterns',
]);

/**
 * One row as the typed shape: DuckDB gives BIGINT counts, Athena gives every value as text, so
 * counts become numbers and the rest stays text or null.
 */
export function normaliseRow(row: Record<string, unknown>): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const [column, value] of Object.entries(row)) out[column] = normaliseValue(NUMERIC_COLUMNS.has(column), value);
  return out;
}

function normaliseValue(numeric: boolean, value: unknown): string | number | null {
  if (numeric) return value === null || value === undefined || value === '' ? 0 : Number(value);
  return value === null || value === undefined ? null : String(value);
}

/**
 * Rows are built from the result's columns: converting column by column is about ten times faster
 * than DuckDB's row-object conversion, which dominated the query phase of an Organization's
 * hundreds of thousands of rows (bench/README.md).
 */
export function duckdbRunner(connection: DuckDBConnection): QueryRunner {
  const runner: QueryRunner = async (_name, sql) => {
    const reader = await connection.runAndReadAll(sql);
    const columns = Object.entries(reader.getColumnsObjectJS());
    const rows = new Array<Record<string, unknown>>(reader.currentRowCount);
    for (let index = 0; index < rows.length; index += 1) {
      const row: Record<string, unknown> = {};
      for (const [name, values] of columns) row[name] = values[index];
      rows[index] = row;
    }
    return rows;
  };
  runner.readInParts = (sql, take) => streamNormalisedRows(connection, sql, take);
  return runner;
}

/**
 * Streams a query's result chunk by chunk (2,048 rows), each normalised as it is converted and
 * handed to `take`, so that neither DuckDB's materialised result nor a whole result's JavaScript
 * rows sit beside the usage facts: at an organization trail's 190,000 action rows they did.
 * The usage queries return only text and counts, which `getColumnValues` gives as strings and
 * bigints.
 */
async function streamNormalisedRows(connection: DuckDBConnection, sql: string, take: RowSink): Promise<void> {
  const result = await connection.stream(sql);
  const names = result.columnNames();
  const numeric = names.map((name) => NUMERIC_COLUMNS.has(name));
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return;
    const columns = names.map((_, index) => chunk.getColumnValues(index));
    const rows = new Array<Record<string, string | number | null>>(chunk.rowCount);
    for (let index = 0; index < rows.length; index += 1) {
      const row: Record<string, string | number | null> = {};
      for (let column = 0; column < names.length; column += 1)
        row[names[column] as string] = normaliseValue(numeric[column] === true, columns[column]?.[index]);
      rows[index] = row;
    }
    take(rows);
  }
}

/**
 * Principals whose resource sample is aggregated at once on DuckDB. An organization trail of 1 GB
 * (16,000 principals) ran the `resources` query out of the store's 512 MB; a bucket at a time it
 * stays within it (bench/README.md). Athena has the memory and runs it whole.
 */
const PRINCIPALS_PER_BUCKET = 2_000;

/**
 * Runs one query and hands its normalised rows to `take`: the `resources` query a bucket of
 * principals at a time when there are many on DuckDB, so each bucket's rows can be let go
 * before the next is read.
 */
async function queryInParts(
  runner: QueryRunner,
  dialect: Dialect,
  window: QueryWindow,
  name: QueryName,
  principals: number,
  take: (rows: unknown[]) => void,
): Promise<void> {
  const count = name === 'resources' && dialect.engine === 'duckdb' ? Math.ceil(principals / PRINCIPALS_PER_BUCKET) : 1;
  for (let bucket = 0; bucket < count; bucket += 1) {
    const part = count <= 1 ? window : { ...window, principals: { bucket, count } };
    const sql = renderQuery(name, dialect, part);
    if (runner.readInParts !== undefined) {
      await runner.readInParts(sql, take);
      continue;
    }
    const rows: unknown[] = await runner(name, sql);
    // In place: a busy estate's resource sample is hundreds of thousands of rows, and a second
    // array beside the first doubled the peak memory (bench/README.md).
    for (let index = 0; index < rows.length; index += 1)
      rows[index] = normaliseRow(rows[index] as Record<string, unknown>);
    take(rows);
  }
}

function principalCount(summary: unknown[]): number {
  return new Set(summary.map((row) => (row as { principal?: unknown }).principal)).size;
}

/** Runs every usage query on one engine and keeps every row (the parity tests compare them). */
export async function runUsageQueries(
  runner: QueryRunner,
  dialect: Dialect,
  window: QueryWindow,
): Promise<UsageResultSet> {
  const results: Partial<Record<QueryName, unknown[]>> = {};
  for (const name of QUERY_NAMES)
    results[name] = await rowsOf(runner, dialect, window, name, principalCount(results.summary ?? []));
  return results as UsageResultSet;
}

/** Every row of one query; a streamed query with no rows hands over no part at all, so the list starts empty. */
async function rowsOf<N extends QueryName>(
  runner: QueryRunner,
  dialect: Dialect,
  window: QueryWindow,
  name: N,
  principals = 0,
): Promise<Array<UsageRows[N]>> {
  const rows: unknown[] = [];
  await queryInParts(runner, dialect, window, name, principals, (part) => {
    for (const row of part) rows.push(row);
  });
  return rows as Array<UsageRows[N]>;
}

/** The assembly of the principals and actions, which the action mapping (iam-data) needs first. */
async function startAssembly(
  runner: QueryRunner,
  dialect: Dialect,
  window: QueryWindow,
): Promise<{ assembly: UsageAssembly; principals: number }> {
  const summary = await rowsOf(runner, dialect, window, 'summary');
  const actions = await rowsOf(runner, dialect, window, 'actions');
  const calls = actions.map((row) => ({ eventSource: row.event_source, eventName: row.event_name }));
  const assembly = new UsageAssembly(await mapCallsToActions(calls));
  assembly.add('summary', summary);
  assembly.add('actions', actions);
  return { assembly, principals: principalCount(summary) };
}

/**
 * Queries, action mapping (iam-data) and assembly, for either engine. Each query's rows are
 * assembled and let go before the next query runs.
 */
export async function queryUsage(
  runner: QueryRunner,
  dialect: Dialect,
  window: QueryWindow,
  source: UsageSource,
): Promise<Usage> {
  const { assembly, principals } = await startAssembly(runner, dialect, window);
  for (const name of QUERY_NAMES) {
    if (name === 'summary' || name === 'actions') continue;
    await queryInParts(runner, dialect, window, name, principals, (rows) =>
      assembly.add(name, rows as Array<UsageRows[typeof name]>),
    );
  }
  return assembly.finish(source);
}
