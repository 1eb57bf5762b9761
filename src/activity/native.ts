import { listValue, LIST, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { REFERENCE_PARAMETERS, type ReferenceParameter } from './implied-actions.js';
import { sqlString } from './queries.js';
import { EVENT_COLUMNS } from './tables.js';

/**
 * The native ingestion path: DuckDB decompresses and parses delivered `{"Records":[...]}` files
 * itself, on all cores, projecting only the fields `flattenEvent` reads. The JSON transform is
 * strict (a field of an unexpected type fails the whole read), so anything unusual falls back
 * to the JavaScript parser file by file; this path only ever handles the common case faster.
 * Files are read as one document per line, as CloudTrail delivers them: that is twice as fast
 * as letting DuckDB detect the layout, and a pretty-printed file simply takes the other path.
 */

const TEXT = 'VARCHAR';

/**
 * The request is read whole, as JSON: the names implied actions need clash in case with the
 * AssumeRole fields (CloudFormation's `roleARN`, STS's `roleArn`), which a struct cannot hold
 * side by side. Response fields are few and named, so they stay a struct.
 */
const RESPONSE_KEYS = [
  ...new Set(REFERENCE_PARAMETERS.filter((p) => p.element === 'responseElements').map((p) => p.path[0] ?? '')),
].sort();
const RESPONSE_FIELDS = RESPONSE_KEYS.map((key) => `, "${key}" JSON`).join('');
const RECORD_TYPE = `STRUCT(
  eventTime ${TEXT}, "@timestamp" ${TEXT}, eventSource ${TEXT}, eventName ${TEXT}, awsRegion ${TEXT},
  sourceIPAddress ${TEXT}, userAgent ${TEXT}, errorCode ${TEXT}, recipientAccountId ${TEXT},
  userIdentity STRUCT(type ${TEXT}, arn ${TEXT}, principalId ${TEXT}, accountId ${TEXT}, accessKeyId ${TEXT}, userName ${TEXT},
    identityProvider ${TEXT}, invokedBy ${TEXT}, sessionContext STRUCT(sessionIssuer STRUCT(arn ${TEXT}))),
  requestParameters JSON,
  responseElements STRUCT(provider ${TEXT}, subjectFromWebIdentityToken ${TEXT}, subject ${TEXT}, issuer ${TEXT}, ConsoleLogin ${TEXT}${RESPONSE_FIELDS}),
  additionalEventData STRUCT(MFAUsed ${TEXT}),
  resources JSON[])[]`.replace(/\s+/g, ' ');

/** `text()` of event.ts: an empty string is no value. */
function t(expression: string): string {
  return `nullif(${expression}, '')`;
}

/** A JSON path for DuckDB: `$.a."x-b"`. */
function jsonPath(keys: readonly string[]): string {
  return `$${keys.map((key) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `."${key}"`)).join('')}`;
}

/** The string at `keys` in a JSON value, as `text()` reads it: anything but a non-empty string is no value. */
function jsonText(json: string, keys: readonly string[]): string {
  const path = sqlString(jsonPath(keys));
  return `CASE WHEN json_type(${json}, ${path}) = 'VARCHAR' THEN ${t(`json_extract_string(${json}, ${path})`)} END`;
}

/** One kept value of `requestReferencesOf` (event.ts), as `parameter=value`. */
function referenceColumn(parameter: ReferenceParameter): string {
  const [first = '', ...rest] = parameter.path;
  const value =
    parameter.element === 'requestParameters'
      ? jsonText('r.requestParameters', parameter.path)
      : jsonText(`r.responseElements."${first}"`, rest);
  return `CASE WHEN r.eventSource = ${sqlString(parameter.eventSource)} THEN ${sqlString(`${parameter.parameter}=`)} || ${value} END`;
}

const REFERENCES = `list_filter([${REFERENCE_PARAMETERS.map(referenceColumn).join(', ')}], x -> x IS NOT NULL)`;

function time(expression: string): string {
  return `strftime(try_cast(${t(expression)} AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;
}

const ID = 'r.userIdentity';
/** The same rules as `principalOf` in event.ts. */
const PRINCIPAL = `CASE
  WHEN ${t(`${ID}.arn`)} IS NOT NULL THEN ${t(`${ID}.arn`)}
  WHEN ${t(`${ID}.type`)} IN ('WebIdentityUser', 'SAMLUser') THEN
    CASE WHEN ${t(`${ID}.identityProvider`)} IS NULL THEN ${t(`${ID}.principalId`)}
         WHEN ${t(`${ID}.userName`)} IS NULL THEN ${t(`${ID}.identityProvider`)}
         ELSE ${t(`${ID}.identityProvider`)} || ':' || ${t(`${ID}.userName`)} END
  WHEN ${t(`${ID}.type`)} = 'AWSService' THEN ${t(`${ID}.invokedBy`)}
  WHEN ${t(`${ID}.type`)} = 'AWSAccount' THEN
    CASE WHEN ${t(`${ID}.accountId`)} IS NULL THEN ${t(`${ID}.principalId`)} ELSE 'arn:aws:iam::' || ${t(`${ID}.accountId`)} || ':root' END
  ELSE ${t(`${ID}.principalId`)} END`;

const RESOURCES = `list_filter(list_transform(r.resources, x -> coalesce(${t(`x->>'ARN'`)}, ${t(`x->>'arn'`)})), a -> a LIKE 'arn:%')`;

/** Each `ct_events` column computed from the struct `r`, as `flattenEvent` computes it. */
const FLAT: Record<(typeof EVENT_COLUMNS)[number], string> = {
  file_key: 'filename',
  event_time: `coalesce(${time('r.eventTime')}, ${time('r."@timestamp"')})`,
  event_source: t('r.eventSource'),
  event_name: t('r.eventName'),
  aws_region: t('r.awsRegion'),
  source_ip: t('r.sourceIPAddress'),
  user_agent: t('r.userAgent'),
  error_code: t('r.errorCode'),
  identity_type: t(`${ID}.type`),
  principal_arn: PRINCIPAL,
  account_id: `coalesce(${t(`${ID}.accountId`)}, ${t('r.recipientAccountId')})`,
  access_key_id: t(`${ID}.accessKeyId`),
  user_name: `CASE WHEN ${t(`${ID}.type`)} = 'IAMUser' THEN ${t(`${ID}.userName`)} END`,
  session_issuer_arn: t(`${ID}.sessionContext.sessionIssuer.arn`),
  mfa_used: `CASE WHEN r.eventName = 'ConsoleLogin' AND ${t('r.additionalEventData.MFAUsed')} IS NOT NULL THEN lower(r.additionalEventData.MFAUsed) = 'yes' END`,
  login_succeeded: `CASE WHEN r.eventName = 'ConsoleLogin' AND ${t('r.responseElements.ConsoleLogin')} IS NOT NULL THEN r.responseElements.ConsoleLogin = 'Success' END`,
  federation_provider: `CASE r.eventName
    WHEN 'AssumeRoleWithWebIdentity' THEN coalesce(${t('r.responseElements.provider')}, ${t(`${ID}.identityProvider`)})
    WHEN 'AssumeRoleWithSAML' THEN coalesce(${jsonText('r.requestParameters', ['principalArn'])}, ${t(`${ID}.identityProvider`)}, ${t('r.responseElements.issuer')}) END`,
  federation_subject: `CASE r.eventName
    WHEN 'AssumeRoleWithWebIdentity' THEN coalesce(${t('r.responseElements.subjectFromWebIdentityToken')}, ${t(`${ID}.userName`)})
    WHEN 'AssumeRoleWithSAML' THEN coalesce(${t('r.responseElements.subject')}, ${t(`${ID}.userName`)}) END`,
  role_arn: `CASE WHEN starts_with(r.eventName, 'AssumeRole') THEN ${jsonText('r.requestParameters', ['roleArn'])} END`,
  resources: `CASE WHEN len(${RESOURCES}) > 0 THEN ${RESOURCES} END`,
  request_references: REFERENCES,
};

/** DuckDB reads a path with these characters as a glob; such files take the JavaScript path. */
export function nativelyReadable(path: string): boolean {
  return !/[*?[\]{}]/.test(path);
}

/** What `ct_files` records of a file; `key` is the local path DuckDB reads. */
export interface NativeFile {
  key: string;
  size: number;
  version: string;
}

export interface NativeFileCount {
  fileKey: string;
  records: number;
  badRecords: number;
}

/** Upper bound for one file's JSON document; bigger files take the JavaScript path. */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/** A FROM-clause item with one row per record of the files `pathList` (SQL) names: `filename` and the record struct `r`. */
function recordsOf(pathList: string): string {
  return `(SELECT filename, unnest(Records) AS r
           FROM read_json(${pathList}, columns = {Records: ${sqlString(RECORD_TYPE)}}, format = 'newline_delimited', records = true,
                          filename = true, compression = 'auto_detect', maximum_object_size = ${MAX_OBJECT_BYTES}))`;
}

/** `recordsOf` for paths written into the SQL (the benchmark's floors). */
export function nativeRecords(paths: readonly string[]): string {
  return recordsOf(`[${paths.map(sqlString).join(', ')}]`);
}

/** The select list computing every `ct_events` column from the record struct `r`. */
export function flattenedColumns(): string {
  return EVENT_COLUMNS.map((column) => `${FLAT[column]} AS ${column}`).join(',\n ');
}

/** A file's `ct_files` row as ingestion writes it (`problem` stays null: unreadable files are not recorded). */
export interface FileRow {
  key: string;
  size: number;
  version: string;
  records: number;
  badRecords: number;
}

/** `ct_files` rows, appended in the caller's transaction (an appender: no SQL per file). */
export async function appendFileRows(connection: DuckDBConnection, rows: readonly FileRow[]): Promise<void> {
  const appender = await connection.createAppender('ct_files');
  try {
    for (const row of rows) {
      appender.appendVarchar(row.key);
      appender.appendBigInt(BigInt(row.size));
      appender.appendVarchar(row.version);
      appender.appendInteger(row.records);
      appender.appendInteger(row.badRecords);
      appender.appendNull();
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

const GOOD = 'event_time IS NOT NULL AND event_source IS NOT NULL AND event_name IS NOT NULL';

/** The lowest and highest key of a batch: its rows are found by range, which DuckDB prunes by zone maps. */
function keyRange(files: readonly NativeFile[]): [string, string] {
  let low = files[0]?.key ?? '';
  let high = low;
  for (const { key } of files) {
    if (key < low) low = key;
    if (key > high) high = key;
  }
  return [low, high];
}

/** Events per file of the batch just inserted (rows of other, earlier files in the key range are left out). */
async function countPerFile(
  connection: DuckDBConnection,
  files: readonly NativeFile[],
): Promise<Map<string, NativeFileCount>> {
  const reader = await connection.runAndReadAll(
    `SELECT file_key, count(*) AS records, count(*) FILTER (WHERE NOT (${GOOD})) AS bad
     FROM ct_events WHERE file_key BETWEEN $1 AND $2 GROUP BY file_key`,
    keyRange(files),
  );
  const batch = new Set(files.map((file) => file.key));
  const counts = new Map<string, NativeFileCount>();
  for (const row of reader.getRowObjectsJS()) {
    const fileKey = String(row.file_key);
    if (!batch.has(fileKey)) continue;
    const total = Number(row.records);
    const bad = Number(row.bad);
    counts.set(fileKey, { fileKey, records: total - bad, badRecords: bad });
  }
  return counts;
}

/**
 * Loads the events of `files` into `ct_events` in one statement, records the files that had
 * events in `ct_files` in the same transaction, and returns the count per file. Files without a
 * non-empty `Records` array are absent from the result and from `ct_files` (the caller reads
 * them the other way). Throws, with nothing kept, when any file fails to read or parse: the
 * caller narrows it down. Non-events (no time, source or name) are counted, then removed: inserting
 * straight into `ct_events` and counting there is cheaper than staging the batch in a temp
 * table (bench/README.md). The paths go in as one list parameter, so a batch of thousands of
 * small files is one short statement.
 */
export async function ingestNatively(
  connection: DuckDBConnection,
  files: readonly NativeFile[],
): Promise<NativeFileCount[]> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const inserted = await connection.run(
      `INSERT INTO ct_events SELECT ${flattenedColumns()} FROM ${recordsOf('$1')}`,
      [listValue(files.map((file) => file.key))],
      [LIST(VARCHAR)],
    );
    const counts = await countPerFile(connection, files);
    // The caller matches counts to files by key; rows under a path DuckDB spelled differently
    // would otherwise stay while the fallback reads that file a second time.
    const counted = [...counts.values()].reduce((sum, count) => sum + count.records + count.badRecords, 0);
    if (counted !== inserted.rowsChanged)
      throw new Error(`DuckDB filed ${inserted.rowsChanged - counted} events under paths that were not asked for`);
    // Earlier files in the range were cleaned when they were read: only this batch can have non-events.
    if ([...counts.values()].some((count) => count.badRecords > 0))
      await connection.run(`DELETE FROM ct_events WHERE file_key BETWEEN $1 AND $2 AND NOT (${GOOD})`, keyRange(files));
    await appendFileRows(
      connection,
      files.flatMap((file) => {
        const count = counts.get(file.key);
        return count === undefined
          ? []
          : [
              {
                key: file.key,
                size: file.size,
                version: file.version,
                records: count.records,
                badRecords: count.badRecords,
              },
            ];
      }),
    );
    await connection.run('COMMIT');
    return [...counts.values()];
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/**
 * Whether a failed native read means a file DuckDB could not read as a delivered log (malformed
 * JSON, a truncated or mislabelled gzip, a field of another type, an object too large, a file
 * gone meanwhile), which the JavaScript parser then reads or names. DuckDB reports those as
 * input or conversion errors, or as an I/O error about one of the batch's files or its gzip
 * stream. Anything else (out of memory, a full disk while spilling, a constraint, a bug) is a
 * real error and must not be taken for an odd file.
 */
export function isFileProblem(error: unknown, files: readonly NativeFile[]): boolean {
  const message = error instanceof Error ? error.message : String(error);
  if (/^(Invalid Input|Conversion) Error\b/.test(message)) return true;
  if (!/^IO Error\b/.test(message)) return false;
  return /gzip/i.test(message) || files.some((file) => message.includes(`"${file.key}"`));
}
