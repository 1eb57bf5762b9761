import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './queries.js';
import { EVENT_COLUMNS } from './tables.js';

/**
 * The native ingestion path: DuckDB decompresses and parses delivered `{"Records":[...]}` files
 * itself, on all cores, projecting only the fields `flattenEvent` reads. The JSON transform is
 * strict (a field of an unexpected type fails the whole read), so anything unusual falls back
 * to the JavaScript parser file by file; this path only ever handles the common case faster.
 */

const TEXT = 'VARCHAR';
const RECORD_TYPE = `STRUCT(
  eventTime ${TEXT}, "@timestamp" ${TEXT}, eventSource ${TEXT}, eventName ${TEXT}, awsRegion ${TEXT},
  sourceIPAddress ${TEXT}, userAgent ${TEXT}, errorCode ${TEXT}, recipientAccountId ${TEXT},
  userIdentity STRUCT(type ${TEXT}, arn ${TEXT}, principalId ${TEXT}, accountId ${TEXT}, accessKeyId ${TEXT}, userName ${TEXT},
    identityProvider ${TEXT}, invokedBy ${TEXT}, sessionContext STRUCT(sessionIssuer STRUCT(arn ${TEXT}))),
  requestParameters STRUCT(roleArn ${TEXT}, principalArn ${TEXT}),
  responseElements STRUCT(provider ${TEXT}, subjectFromWebIdentityToken ${TEXT}, subject ${TEXT}, issuer ${TEXT}, ConsoleLogin ${TEXT}),
  additionalEventData STRUCT(MFAUsed ${TEXT}),
  resources JSON[])[]`.replace(/\s+/g, ' ');

/** `text()` of event.ts: an empty string is no value. */
function t(expression: string): string {
  return `nullif(${expression}, '')`;
}

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
    WHEN 'AssumeRoleWithSAML' THEN coalesce(${t('r.requestParameters.principalArn')}, ${t(`${ID}.identityProvider`)}, ${t('r.responseElements.issuer')}) END`,
  federation_subject: `CASE r.eventName
    WHEN 'AssumeRoleWithWebIdentity' THEN coalesce(${t('r.responseElements.subjectFromWebIdentityToken')}, ${t(`${ID}.userName`)})
    WHEN 'AssumeRoleWithSAML' THEN coalesce(${t('r.responseElements.subject')}, ${t(`${ID}.userName`)}) END`,
  role_arn: `CASE WHEN starts_with(r.eventName, 'AssumeRole') THEN ${t('r.requestParameters.roleArn')} END`,
  resources: `CASE WHEN len(${RESOURCES}) > 0 THEN ${RESOURCES} END`,
};

/** DuckDB reads a path with these characters as a glob; such files take the JavaScript path. */
export function nativelyReadable(path: string): boolean {
  return !/[*?[\]{}]/.test(path);
}

export interface NativeFileCount {
  fileKey: string;
  records: number;
  badRecords: number;
}

/** Upper bound for one file's JSON document; bigger files take the JavaScript path. */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/**
 * Loads the events of `paths` into `ct_events` in one statement pair and returns the count per
 * file. Files without a non-empty `Records` array are absent from the result (the caller reads
 * them the other way). Throws when any file fails to read or parse: the caller narrows it down.
 */
export async function ingestNatively(connection: DuckDBConnection, paths: readonly string[]): Promise<NativeFileCount[]> {
  const files = `[${paths.map(sqlString).join(', ')}]`;
  const columns = EVENT_COLUMNS.map((column) => `${FLAT[column]} AS ${column}`).join(',\n ');
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ct_native_batch AS
     SELECT ${columns}
     FROM (SELECT filename, unnest(Records) AS r
           FROM read_json(${files}, columns = {Records: ${sqlString(RECORD_TYPE)}}, format = 'auto', records = true,
                          filename = true, compression = 'auto_detect', maximum_object_size = ${MAX_OBJECT_BYTES}))`,
  );
  try {
    const ok = 'event_time IS NOT NULL AND event_source IS NOT NULL AND event_name IS NOT NULL';
    const reader = await connection.runAndReadAll(
      `SELECT file_key, count(*) AS records, count(*) FILTER (WHERE NOT (${ok})) AS bad FROM ct_native_batch GROUP BY file_key`,
    );
    const counts = reader.getRowObjectsJS().map((row) => {
      const total = Number(row.records);
      const bad = Number(row.bad);
      return { fileKey: String(row.file_key), records: total - bad, badRecords: bad };
    });
    // The caller matches counts to files by key; a path DuckDB reported differently would
    // otherwise be read a second time by the fallback and its events counted twice.
    const asked = new Set(paths);
    const stranger = counts.find((count) => !asked.has(count.fileKey));
    if (stranger !== undefined) throw new Error(`DuckDB named a file ${stranger.fileKey} that was not asked for`);
    await connection.run(`INSERT INTO ct_events SELECT ${EVENT_COLUMNS.join(', ')} FROM ct_native_batch WHERE ${ok}`);
    return counts;
  } finally {
    await connection.run('DROP TABLE IF EXISTS ct_native_batch');
  }
}
