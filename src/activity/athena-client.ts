import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClientConfig,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import type { QueryRunner } from './usage.js';

export interface AthenaOptions {
  database: string;
  table: string;
  workgroup?: string;
  /** s3:// location for results; optional when the workgroup sets one. */
  outputLocation?: string;
  /** Give up (and stop the query) after this long. */
  timeoutMs?: number;
  pollMs?: number;
  client?: AthenaClientConfig;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic milliseconds; injected for tests. */
  clock?: () => number;
}

/** A query that Athena reported as FAILED or CANCELLED, or that ran past the timeout. */
export class AthenaQueryError extends Error {
  override readonly name = 'AthenaQueryError';
  constructor(
    readonly queryExecutionId: string | null,
    readonly state: string,
    reason: string,
  ) {
    super(`Athena query ${queryExecutionId ?? '(not started)'} ${state}: ${reason}`);
  }
}

function rowsFromPage(
  page: GetQueryResultsCommandOutput,
  header: string[] | null,
): { header: string[]; rows: Array<Record<string, string | null>> } {
  const resultRows = page.ResultSet?.Rows ?? [];
  const columns = header ?? (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? '');
  const rows: Array<Record<string, string | null>> = [];
  resultRows.forEach((row, index) => {
    const values = (row.Data ?? []).map((datum) => datum.VarCharValue ?? null);
    // Athena repeats the column names as the first row of the first page of a SELECT.
    if (
      header === null &&
      index === 0 &&
      values.length === columns.length &&
      values.every((value, i) => value === columns[i])
    )
      return;
    const record: Record<string, string | null> = {};
    columns.forEach((column, i) => {
      record[column] = values[i] ?? null;
    });
    rows.push(record);
  });
  return { header: columns, rows };
}

/**
 * Runs SQL on Athena: start, poll until done (with a timeout that also stops the query, so it
 * does not keep scanning and billing), then page through the results.
 */
export async function runAthenaQuery(
  client: AthenaClient,
  sql: string,
  options: AthenaOptions,
): Promise<Array<Record<string, string | null>>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 1_000;
  const started = await client.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      QueryExecutionContext: { Database: options.database },
      WorkGroup: options.workgroup,
      ResultConfiguration:
        options.outputLocation === undefined ? undefined : { OutputLocation: options.outputLocation },
    }),
  );
  const id = started.QueryExecutionId;
  if (id === undefined)
    throw new AthenaQueryError(null, 'NOT_STARTED', 'StartQueryExecution returned no QueryExecutionId');
  const deadline = clock() + timeoutMs;
  for (;;) {
    const execution = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const status = execution.QueryExecution?.Status;
    const state = status?.State ?? 'UNKNOWN';
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new AthenaQueryError(
        id,
        state,
        status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? 'no reason given',
      );
    }
    if (clock() >= deadline) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new AthenaQueryError(id, 'TIMEOUT', `still ${state} after ${Math.round(timeoutMs / 1000)} s; stopped`);
    }
    await sleep(pollMs);
  }
  const rows: Array<Record<string, string | null>> = [];
  let header: string[] | null = null;
  let token: string | undefined;
  do {
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
    const parsed = rowsFromPage(page, header);
    header = parsed.header;
    rows.push(...parsed.rows);
    token = page.NextToken;
  } while (token !== undefined);
  return rows;
}

export function athenaRunner(options: AthenaOptions): { runner: QueryRunner; client: AthenaClient } {
  const client = new AthenaClient(options.client ?? {});
  return { client, runner: async (_name, sql) => runAthenaQuery(client, sql, options) };
}
