/**
 * Every usage query, once, for both engines. A query is written against logical columns; the
 * dialect says how each engine spells them: DuckDB reads roleshift's flattened `ct_events`,
 * Athena reads the raw CloudTrail table (nested `useridentity`, JSON-text `responseelements`)
 * that `renderAthenaDdl` creates. Only the differences live in `Dialect`.
 */

import { REFERENCE_PARAMETERS, REFERENCE_SOURCES, type ReferenceParameter } from './implied-actions.js';

export type Engine = 'duckdb' | 'athena';

/** Distinct resource ARNs kept per principal and action (not per access key: least privilege is per principal). */
export const RESOURCES_PER_ACTION = 20;

type Column =
  | 'eventTime'
  | 'eventSource'
  | 'eventName'
  | 'region'
  | 'sourceIp'
  | 'userAgent'
  | 'errorCode'
  | 'identityType'
  | 'principal'
  | 'accountId'
  | 'accessKeyId'
  | 'userName'
  | 'sessionIssuerArn'
  | 'mfaUsed'
  | 'loginSucceeded'
  | 'federationProvider'
  | 'federationSubject'
  | 'roleArn';

export interface Dialect {
  engine: Engine;
  /** The quoted table reference. */
  table: string;
  column: Record<Column, string>;
  /**
   * A FROM-clause item with one row per (event, resource ARN), the ARN as `resource_arn`, of the
   * events `eventTerms` keep, and the terms still to be applied to those rows.
   */
  resourceRows(eventTerms: string[]): { from: string; terms: string[] };
  /** A FROM-clause item with one row per (event, kept request value), the value as `reference` (see implied-actions.ts). */
  referenceRows: string;
  /** True for an event whose request values were never kept (read before roleshift kept them). */
  referencesUnknown: string;
  /** An array expression rendered as JSON text (Athena returns arrays as ambiguous `[a, b]` text). */
  jsonText(array: string): string;
  /** Extra WHERE terms that let the engine prune (Athena partitions; the DuckDB source prefix). */
  pruning(window: QueryWindow): string[];
  /** Which of `count` buckets a text value falls in (0 .. count-1), the same on every run. */
  bucket(text: string, count: number): string;
}

export interface QueryWindow {
  /** ISO-8601 instants (inclusive). */
  since: string | null;
  until: string | null;
  /** DuckDB only: keep to files whose key starts with this (one source in a shared store). */
  origin?: string | null;
  /**
   * The `resources` query only: one of `count` buckets of principals, so an Organization's tens of
   * thousands of principals are aggregated a bucket at a time within the store's memory limit.
   */
  principals?: { bucket: number; count: number };
}

/** SQL string literal. The values quoted here are ours (dates, a path), but quote them anyway. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Identifier quoting for a user-given Athena database/table name. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function duckdbDialect(table = 'ct_events'): Dialect {
  return {
    engine: 'duckdb',
    table,
    column: {
      eventTime: 'event_time',
      eventSource: 'event_source',
      eventName: 'event_name',
      region: 'aws_region',
      sourceIp: 'source_ip',
      userAgent: 'user_agent',
      errorCode: 'error_code',
      identityType: 'identity_type',
      principal: 'principal_arn',
      accountId: 'account_id',
      accessKeyId: 'access_key_id',
      userName: 'user_name',
      sessionIssuerArn: 'session_issuer_arn',
      mfaUsed: 'mfa_used',
      loginSucceeded: 'login_succeeded',
      federationProvider: 'federation_provider',
      federationSubject: 'federation_subject',
      roleArn: 'role_arn',
    },
    // The unnest() function, not CROSS JOIN UNNEST: with a filter on the ARN, DuckDB plans the
    // join form as a correlated join that ran about five times slower (bench/README.md). The
    // events are filtered before they are unnested (a bucket of principals, the window): DuckDB
    // did not push those filters below the unnest, and each bucket cost a quarter more.
    resourceRows: (eventTerms) => ({
      from: `(SELECT *, unnest(resources) AS resource_arn FROM ${table} WHERE ${['resources IS NOT NULL', ...eventTerms].join(' AND ')}) AS resource_rows`,
      terms: [],
    }),
    referenceRows: `(SELECT *, unnest(request_references) AS reference FROM ${table}) AS reference_rows`,
    referencesUnknown: 'request_references IS NULL',
    jsonText: (array) => `CAST(to_json(${array}) AS VARCHAR)`,
    pruning: (window) => (window.origin ? [`starts_with(file_key, ${sqlString(window.origin)})`] : []),
    bucket: (text, count) => `hash(coalesce(${text}, '')) % ${count}`,
  };
}

/**
 * The raw CloudTrail table as AWS documents it. The principal key mirrors `flattenEvent`:
 * the ARN, else provider:subject for web-identity / SAML callers, else the service or principal id.
 */
export function athenaDialect(database: string, table: string): Dialect {
  const json = (column: string, path: string): string => `json_extract_scalar(${column}, ${sqlString(path)})`;
  const quoted = `${sqlIdentifier(database)}.${sqlIdentifier(table)}`;
  return {
    engine: 'athena',
    table: quoted,
    column: {
      eventTime: 'eventtime',
      eventSource: 'eventsource',
      eventName: 'eventname',
      region: 'awsregion',
      sourceIp: 'sourceipaddress',
      userAgent: 'useragent',
      errorCode: 'errorcode',
      identityType: 'useridentity.type',
      principal: `coalesce(useridentity.arn,
        CASE WHEN useridentity.type IN ('WebIdentityUser', 'SAMLUser') AND useridentity.identityprovider IS NOT NULL
             THEN useridentity.identityprovider || coalesce(':' || useridentity.username, '') END,
        CASE WHEN useridentity.type = 'AWSService' THEN useridentity.invokedby END,
        CASE WHEN useridentity.type = 'AWSAccount' AND useridentity.accountid IS NOT NULL
             THEN 'arn:aws:iam::' || useridentity.accountid || ':root' END,
        useridentity.principalid)`,
      accountId: 'coalesce(useridentity.accountid, recipientaccountid)',
      accessKeyId: 'useridentity.accesskeyid',
      userName: "CASE WHEN useridentity.type = 'IAMUser' THEN useridentity.username END",
      sessionIssuerArn: 'useridentity.sessioncontext.sessionissuer.arn',
      mfaUsed: `CASE WHEN eventname = 'ConsoleLogin' THEN lower(${json('additionaleventdata', '$.MFAUsed')}) = 'yes' END`,
      loginSucceeded: `CASE WHEN eventname = 'ConsoleLogin' THEN ${json('responseelements', '$.ConsoleLogin')} = 'Success' END`,
      federationProvider: `CASE WHEN eventname = 'AssumeRoleWithWebIdentity'
             THEN coalesce(${json('responseelements', '$.provider')}, useridentity.identityprovider)
           WHEN eventname = 'AssumeRoleWithSAML'
             THEN coalesce(${json('requestparameters', '$.principalArn')}, useridentity.identityprovider) END`,
      federationSubject: `CASE WHEN eventname = 'AssumeRoleWithWebIdentity'
             THEN coalesce(${json('responseelements', '$.subjectFromWebIdentityToken')}, useridentity.username)
           WHEN eventname = 'AssumeRoleWithSAML'
             THEN coalesce(${json('responseelements', '$.subject')}, useridentity.username) END`,
      roleArn: `CASE WHEN eventname LIKE 'AssumeRole%' THEN ${json('requestparameters', '$.roleArn')} END`,
    },
    // Trino expands an array of rows into one column per field.
    resourceRows: (eventTerms) => ({
      from: `${quoted} CROSS JOIN UNNEST(resources) AS r(resource_arn, resource_account, resource_type)`,
      terms: eventTerms,
    }),
    referenceRows: `${quoted} CROSS JOIN UNNEST(${athenaReferences()}) AS k(reference)`,
    // The raw table keeps every request: nothing is unknown there.
    referencesUnknown: 'false',
    jsonText: (array) => `json_format(CAST(${array} AS JSON))`,
    bucket: (text, count) => `abs(from_big_endian_64(xxhash64(to_utf8(coalesce(${text}, ''))))) % ${count}`,
    pruning: (window) => {
      // Partition projection prunes on the `timestamp` partition (yyyy/MM/dd); a day of slack
      // on each side covers files delivered after midnight.
      const terms: string[] = [];
      const day = (iso: string, shiftDays: number): string =>
        new Date(Date.parse(iso) + shiftDays * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
      if (window.since) terms.push(`"timestamp" >= ${sqlString(day(window.since, -1))}`);
      if (window.until) terms.push(`"timestamp" <= ${sqlString(day(window.until, 1))}`);
      return terms;
    },
  };
}

/** A JSON path for Trino: `$.a["x-b"]`. */
function trinoJsonPath(keys: readonly string[]): string {
  return `$${keys.map((key) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `["${key}"]`)).join('')}`;
}

/** The kept request values of one event, as `requestReferencesOf` in event.ts computes them. */
function athenaReferences(): string {
  const value = (parameter: ReferenceParameter): string => {
    const json = `json_extract_scalar(${parameter.element.toLowerCase()}, ${sqlString(trinoJsonPath(parameter.path))})`;
    return `CASE WHEN eventsource = ${sqlString(parameter.eventSource)} AND ${json} <> '' THEN ${sqlString(`${parameter.parameter}=`)} || ${json} END`;
  };
  return `filter(ARRAY[${REFERENCE_PARAMETERS.map(value).join(', ')}], x -> x IS NOT NULL)`;
}

function assertIso(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value))
    throw new RangeError(`not an ISO-8601 UTC instant: ${value}`);
  return value;
}

/** The WHERE terms of a window (pruning, since, until) and `extra`. */
function windowTerms(dialect: Dialect, window: QueryWindow, extra: string[] = []): string[] {
  const c = dialect.column;
  const terms = [...dialect.pruning(window), ...extra];
  if (window.since) terms.push(`${c.eventTime} >= ${sqlString(assertIso(window.since))}`);
  if (window.until) terms.push(`${c.eventTime} <= ${sqlString(assertIso(window.until))}`);
  return terms;
}

function whereClause(terms: readonly string[]): string {
  return terms.length === 0 ? '' : `WHERE ${terms.join('\n  AND ')}`;
}

function where(dialect: Dialect, window: QueryWindow, extra: string[] = []): string {
  return whereClause(windowTerms(dialect, window, extra));
}

/** The resources query's rows: events of the window (and bucket) unnested into one row per ARN. */
function resourceRowsOf(dialect: Dialect, window: QueryWindow, principal: string): string {
  const rows = dialect.resourceRows(windowTerms(dialect, window, principalBucket(dialect, principal, window)));
  return `FROM ${rows.from}\n  ${whereClause([...rows.terms, "resource_arn LIKE 'arn:%'"])}`;
}

/**
 * What usage facts are grouped by. A role's sessions are one principal, the role (its session
 * issuer): session names and temporary keys change every hour, so grouping by them would make
 * the facts grow with time instead of with the estate. Identity Center sessions stay apart,
 * since their session name is the person. Only long-lived keys (AKIA) get facts of their own;
 * a temporary key's calls count under its principal.
 */
export function principalKey(c: Dialect['column']): string {
  return `CASE WHEN ${c.identityType} = 'AssumedRole' AND ${c.sessionIssuerArn} IS NOT NULL AND ${c.principal} NOT LIKE '%:assumed-role/AWSReservedSSO_%'
    THEN ${c.sessionIssuerArn} ELSE ${c.principal} END`;
}

export function longLivedKey(c: Dialect['column']): string {
  return `CASE WHEN ${c.accessKeyId} LIKE 'AKIA%' THEN ${c.accessKeyId} END`;
}

/**
 * An S3 object ARN as its bucket's objects (`arn:aws:s3:::bucket/*`); any other ARN as itself.
 * Objects are the one kind of resource whose number grows with time rather than with the estate.
 */
function resourcePattern(arn: string): string {
  return `CASE WHEN ${arn} LIKE 'arn:%:s3:::%/%' THEN split_part(${arn}, '/', 1) || '/*' ELSE ${arn} END`;
}

function principalBucket(dialect: Dialect, principal: string, window: QueryWindow): string[] {
  const part = window.principals;
  return part === undefined || part.count <= 1 ? [] : [`${dialect.bucket(principal, part.count)} = ${part.bucket}`];
}

/** The rows each query returns; counts are numbers, times ISO text. */
export interface UsageRows {
  summary: {
    principal: string | null;
    access_key_id: string | null;
    identity_type: string | null;
    account_id: string | null;
    user_name: string | null;
    session_issuer_arn: string | null;
    events: number;
    first_seen: string;
    last_seen: string;
  };
  actions: {
    principal: string | null;
    access_key_id: string | null;
    event_source: string;
    event_name: string;
    events: number;
    errors: number;
  };
  /**
   * `resources`: JSON text of the first RESOURCES_PER_ACTION distinct ARNs, in order;
   * `patterns`: the same of the distinct patterns (S3 objects as `bucket/*`).
   */
  resources: {
    principal: string | null;
    access_key_id: string | null;
    event_source: string;
    event_name: string;
    distinct_resources: number;
    distinct_patterns: number;
    patterns: string;
    resources: string;
  };
  errors: { principal: string | null; access_key_id: string | null; error_code: string; events: number };
  agents: { principal: string | null; access_key_id: string | null; user_agent: string | null; events: number };
  addresses: { principal: string | null; access_key_id: string | null; source_ip: string | null; events: number };
  regions: { principal: string | null; access_key_id: string | null; region: string | null; events: number };
  consoleLogins: { principal: string | null; total: number; with_mfa: number; without_mfa: number; failed: number };
  /**
   * Per principal and call, each request value the successful calls named (`reference`), or, with
   * a null `reference`, the calls whose values were never kept.
   */
  references: {
    principal: string | null;
    access_key_id: string | null;
    event_source: string;
    event_name: string;
    reference: string | null;
    events: number;
  };
  federation: {
    event_name: string;
    provider: string | null;
    subject: string | null;
    role_arn: string | null;
    events: number;
    first_seen: string;
    last_seen: string;
  };
}

export type QueryName = keyof UsageRows;

export const QUERY_NAMES: readonly QueryName[] = [
  'summary',
  'actions',
  'resources',
  'errors',
  'agents',
  'addresses',
  'regions',
  'consoleLogins',
  'references',
  'federation',
];

/** Renders one usage query for one engine. Output columns and order are the same on both. */
export function renderQuery(name: QueryName, dialect: Dialect, window: QueryWindow): string {
  const c = dialect.column;
  const principal = principalKey(c);
  const key = `${principal} AS principal, ${longLivedKey(c)} AS access_key_id`;
  const groupKey = `${principal}, ${longLivedKey(c)}`;
  const from = `FROM ${dialect.table}`;
  switch (name) {
    case 'summary':
      return `SELECT ${key},
  max(${c.identityType}) AS identity_type, max(${c.accountId}) AS account_id, max(${c.userName}) AS user_name,
  max(${c.sessionIssuerArn}) AS session_issuer_arn,
  count(*) AS events, min(${c.eventTime}) AS first_seen, max(${c.eventTime}) AS last_seen
${from}
${where(dialect, window)}
GROUP BY ${groupKey}
ORDER BY 1, 2`;
    case 'actions':
      return `SELECT ${key}, ${c.eventSource} AS event_source, ${c.eventName} AS event_name,
  count(*) AS events, count_if(${c.errorCode} IS NOT NULL) AS errors
${from}
${where(dialect, window)}
GROUP BY ${groupKey}, ${c.eventSource}, ${c.eventName}
ORDER BY 1, 2, 3, 4`;
    case 'resources':
      // A busy key touches millions of S3 objects: keep per action the count and the first few
      // ARNs, and the count and first few patterns (an object ARN becomes its bucket's
      // `bucket/*`), so memory stays bounded and least privilege can still name buckets when
      // the objects are too many. Two aggregates over the distinct rows, joined: nesting the
      // pattern level inside the ARN level needed more memory (bench/README.md).
      return `WITH distinct_resources AS (
  SELECT ${principal} AS principal, ${c.eventSource} AS event_source, ${c.eventName} AS event_name, resource_arn
  ${resourceRowsOf(dialect, window, principal)}
  GROUP BY 1, 2, 3, 4
), by_resource AS (
  SELECT principal, event_source, event_name, count(*) AS distinct_resources, ${dialect.jsonText(`min(resource_arn, ${RESOURCES_PER_ACTION})`)} AS resources
  FROM distinct_resources
  GROUP BY 1, 2, 3
), by_pattern AS (
  SELECT principal, event_source, event_name, count(*) AS distinct_patterns, ${dialect.jsonText(`min(pattern, ${RESOURCES_PER_ACTION})`)} AS patterns
  FROM (SELECT DISTINCT principal, event_source, event_name, ${resourcePattern('resource_arn')} AS pattern FROM distinct_resources) AS distinct_patterns
  GROUP BY 1, 2, 3
)
SELECT r.principal, CAST(NULL AS VARCHAR) AS access_key_id, r.event_source, r.event_name, r.distinct_resources, p.distinct_patterns, p.patterns, r.resources
FROM by_resource AS r
JOIN by_pattern AS p
  ON r.principal IS NOT DISTINCT FROM p.principal AND r.event_source IS NOT DISTINCT FROM p.event_source AND r.event_name IS NOT DISTINCT FROM p.event_name
ORDER BY 1, 3, 4`;
    case 'errors':
      return `SELECT ${key}, ${c.errorCode} AS error_code, count(*) AS events
${from}
${where(dialect, window, [`${c.errorCode} IS NOT NULL`])}
GROUP BY ${groupKey}, ${c.errorCode}
ORDER BY 1, 2, 3`;
    case 'agents':
      return `SELECT ${key}, ${c.userAgent} AS user_agent, count(*) AS events
${from}
${where(dialect, window)}
GROUP BY ${groupKey}, ${c.userAgent}
ORDER BY 1, 2, 3`;
    case 'addresses':
      return `SELECT ${key}, ${c.sourceIp} AS source_ip, count(*) AS events
${from}
${where(dialect, window)}
GROUP BY ${groupKey}, ${c.sourceIp}
ORDER BY 1, 2, 3`;
    case 'regions':
      return `SELECT ${key}, ${c.region} AS region, count(*) AS events
${from}
${where(dialect, window)}
GROUP BY ${groupKey}, ${c.region}
ORDER BY 1, 2, 3`;
    case 'consoleLogins':
      return `SELECT ${principal} AS principal, count(*) AS total,
  count_if(${c.mfaUsed}) AS with_mfa, count_if(NOT ${c.mfaUsed}) AS without_mfa,
  count_if(NOT ${c.loginSucceeded} OR ${c.errorCode} IS NOT NULL) AS failed
${from}
${where(dialect, window, [`${c.eventName} = 'ConsoleLogin'`])}
GROUP BY ${principal}
ORDER BY 1`;
    case 'references': {
      // Only the principal (least privilege is per principal); failed calls imply nothing.
      const sources = REFERENCE_SOURCES.map(sqlString).join(', ');
      return `SELECT ${principal} AS principal, CAST(NULL AS VARCHAR) AS access_key_id, ${c.eventSource} AS event_source, ${c.eventName} AS event_name,
  reference, count(*) AS events
FROM ${dialect.referenceRows}
${where(dialect, window, [`${c.errorCode} IS NULL`])}
GROUP BY 1, 3, 4, 5
UNION ALL
SELECT ${principal} AS principal, CAST(NULL AS VARCHAR) AS access_key_id, ${c.eventSource} AS event_source, ${c.eventName} AS event_name,
  CAST(NULL AS VARCHAR) AS reference, count(*) AS events
${from}
${where(dialect, window, [`${c.errorCode} IS NULL`, `${c.eventSource} IN (${sources})`, dialect.referencesUnknown])}
GROUP BY 1, 3, 4
ORDER BY 1, 3, 4, 5`;
    }
    case 'federation':
      return `SELECT ${c.eventName} AS event_name, ${c.federationProvider} AS provider, ${c.federationSubject} AS subject,
  ${c.roleArn} AS role_arn, count(*) AS events, min(${c.eventTime}) AS first_seen, max(${c.eventTime}) AS last_seen
${from}
${where(dialect, window, [`${c.eventName} IN ('AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML')`, `${c.errorCode} IS NULL`])}
GROUP BY ${c.eventName}, ${c.federationProvider}, ${c.federationSubject}, ${c.roleArn}
ORDER BY 1, 2, 3, 4`;
  }
}
