import type { FlatEvent } from './event.js';
import { EVENT_COLUMNS } from './tables.js';

type LineColumn = Exclude<(typeof EVENT_COLUMNS)[number], 'file_key'>;

/**
 * The key each `ct_events` column has in a line. Keys are short and null values are left out
 * (DuckDB reads a missing key as NULL): at an organization trail's gigabyte, the long names and
 * the nulls were half of the bytes written, stringified and parsed again (bench/README.md).
 */
const LINE_KEYS: Record<LineColumn, string> = {
  event_time: 't',
  event_source: 's',
  event_name: 'e',
  aws_region: 'g',
  source_ip: 'i',
  user_agent: 'a',
  error_code: 'x',
  identity_type: 'y',
  principal_arn: 'p',
  account_id: 'c',
  access_key_id: 'k',
  user_name: 'u',
  session_issuer_arn: 'z',
  mfa_used: 'm',
  login_succeeded: 'l',
  federation_provider: 'fp',
  federation_subject: 'fs',
  role_arn: 'ra',
  resources: 'r',
  request_references: 'q',
};

/** The key of a line's file number (see `eventLine`). */
const FILE_NUMBER_KEY = 'n';

/**
 * One flattened event as a JSON line. Rows go to DuckDB through `read_json` on a batch file:
 * DuckDB parses it natively on all cores, which is several times faster than appending value
 * by value through the Node binding (measured: bench/README.md). The line names its file by a
 * number the ingestion gave it, not by its key: the key is a tenth of a line's bytes, and
 * DuckDB joins the numbers back to keys (`lineColumns`). A request without kept values stays
 * `[]`, never absent: absent (NULL) means the values were never kept.
 */
export function eventLine(fileNumber: number, event: FlatEvent): string {
  return JSON.stringify({
    n: fileNumber,
    t: event.eventTime,
    s: event.eventSource,
    e: event.eventName,
    g: event.awsRegion ?? undefined,
    i: event.sourceIp ?? undefined,
    a: event.userAgent ?? undefined,
    x: event.errorCode ?? undefined,
    y: event.identityType ?? undefined,
    p: event.principalArn ?? undefined,
    c: event.accountId ?? undefined,
    k: event.accessKeyId ?? undefined,
    u: event.userName ?? undefined,
    z: event.sessionIssuerArn ?? undefined,
    m: event.mfaUsed ?? undefined,
    l: event.loginSucceeded ?? undefined,
    fp: event.federationProvider ?? undefined,
    fs: event.federationSubject ?? undefined,
    ra: event.roleArn ?? undefined,
    r: event.resources.length === 0 ? undefined : event.resources,
    q: event.requestReferences,
  } satisfies Record<(typeof LINE_KEYS)[LineColumn] | typeof FILE_NUMBER_KEY, unknown>);
}

const COLUMN_TYPES: Partial<Record<LineColumn, string>> = {
  mfa_used: 'BOOLEAN',
  login_succeeded: 'BOOLEAN',
  resources: 'VARCHAR[]',
  request_references: 'VARCHAR[]',
};

const LINE_COLUMNS = EVENT_COLUMNS.filter((column): column is LineColumn => column !== 'file_key');

/** The `columns` argument of `read_json` for a file of `eventLine`s. */
export const EVENT_LINE_COLUMNS = `{${FILE_NUMBER_KEY}: 'BIGINT', ${LINE_COLUMNS.map((column) => `${LINE_KEYS[column]}: '${COLUMN_TYPES[column] ?? 'VARCHAR'}'`).join(', ')}}`;

/**
 * The select list turning lines (`line`) joined to their files' keys (`file`, with columns `n`
 * and `file_key`) into `ct_events` columns, in table order.
 */
export function lineColumns(line: string, file: string): string {
  return EVENT_COLUMNS.map((column) =>
    column === 'file_key' ? `${file}.file_key` : `${line}.${LINE_KEYS[column]} AS ${column}`,
  ).join(', ');
}

/** The join condition of `lineColumns`. */
export function lineFileJoin(line: string, file: string): string {
  return `${line}.${FILE_NUMBER_KEY} = ${file}.n`;
}
