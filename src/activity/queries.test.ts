import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail } from './ingest.js';
import {
  QUERY_NAMES,
  athenaDialect,
  duckdbDialect,
  renderQuery,
  sqlIdentifier,
  sqlString,
  type QueryName,
} from './queries.js';
import { localSource } from './source.js';
import { duckdbRunner, normaliseRow, runUsageQueries } from './usage.js';

const corpus = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));

const deployer = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/deployer', userName: 'deployer' };
/** Calls that imply more than themselves (a passed role, an instance profile, a KMS key); a failed one implies nothing. */
const IMPLYING: Array<Record<string, unknown>> = [
  {
    eventTime: '2024-08-03T10:00:00Z',
    eventSource: 'cloudformation.amazonaws.com',
    eventName: 'CreateChangeSet',
    userIdentity: deployer,
    requestParameters: { stackName: 'web', roleARN: 'arn:aws:iam::111122223333:role/cfn-exec' },
  },
  {
    eventTime: '2024-08-03T10:01:00Z',
    eventSource: 'cloudformation.amazonaws.com',
    eventName: 'CreateChangeSet',
    errorCode: 'AccessDenied',
    userIdentity: deployer,
    requestParameters: { stackName: 'web', roleARN: 'arn:aws:iam::111122223333:role/denied' },
  },
  {
    eventTime: '2024-08-03T10:02:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    userIdentity: deployer,
    requestParameters: { iamInstanceProfile: { arn: 'arn:aws:iam::111122223333:instance-profile/web' } },
  },
  {
    eventTime: '2024-08-03T10:03:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'PutObject',
    userIdentity: deployer,
    requestParameters: { bucketName: 'b', key: 'k', role: { not: 'a role' } },
    responseElements: { 'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:111122223333:key/k-1' },
  },
];

describe('renderQuery dialects', () => {
  const window = { since: '2025-03-06T00:00:00Z', until: '2025-03-07T23:59:59Z', origin: "/logs/it's" };

  it('Given the DuckDB dialect, When a query is rendered, Then it reads the flattened table and keeps to the source prefix', () => {
    const sql = renderQuery('summary', duckdbDialect(), window);
    expect(sql).toContain('FROM ct_events');
    expect(sql).toContain("starts_with(file_key, '/logs/it''s')");
    expect(sql).toContain("event_time >= '2025-03-06T00:00:00Z'");
    expect(sql).not.toContain('"timestamp"');
  });

  it('Given the Athena dialect, When a query is rendered, Then it reads nested fields and prunes on the partition with a day of slack', () => {
    const sql = renderQuery('summary', athenaDialect('cloudtrail', 'org_trail'), window);
    expect(sql).toContain('FROM "cloudtrail"."org_trail"');
    expect(sql).toContain(
      "CASE WHEN useridentity.accesskeyid LIKE 'AKIA%' THEN useridentity.accesskeyid END AS access_key_id",
    );
    expect(sql).toContain(`"timestamp" >= '2025/03/05'`);
    expect(sql).toContain(`"timestamp" <= '2025/03/08'`);
    expect(sql).not.toContain('file_key');
  });

  it('Given the resources query, When rendered for each engine, Then only the unnesting and the JSON rendering differ', () => {
    const duckdb = renderQuery('resources', duckdbDialect(), { since: null, until: null });
    const athena = renderQuery('resources', athenaDialect('d', 't'), { since: null, until: null });
    expect(duckdb).toContain(
      'FROM (SELECT *, unnest(resources) AS resource_arn FROM ct_events WHERE resources IS NOT NULL) AS resource_rows',
    );
    expect(duckdb).toContain('CAST(to_json(min(resource_arn, 20)) AS VARCHAR) AS resources');
    expect(athena).toContain(
      'FROM "d"."t" CROSS JOIN UNNEST(resources) AS r(resource_arn, resource_account, resource_type)',
    );
    expect(athena).toContain('json_format(CAST(min(resource_arn, 20) AS JSON)) AS resources');
  });

  it('Given a window bound that is not an ISO instant, When rendered, Then it is refused rather than interpolated', () => {
    expect(() => renderQuery('summary', duckdbDialect(), { since: "2025-01-01' OR 1=1 --", until: null })).toThrow(
      RangeError,
    );
  });

  it.each([
    ["o'brien", "'o''brien'"],
    ['plain', "'plain'"],
  ])('Given %s, When quoted as a string, Then it is %s', (value, quoted) => {
    expect(sqlString(value)).toBe(quoted);
  });

  it('Given a table name with a quote, When quoted as an identifier, Then the quote is doubled', () => {
    expect(sqlIdentifier('a"b')).toBe('"a""b"');
  });
});

/**
 * The Athena rendering run on DuckDB: the raw records are loaded into a table shaped like
 * Athena's CloudTrail table, and Trino's json_extract_scalar and json_format are given DuckDB
 * macros. Trino's UNNEST expands an array of rows into one column per field and DuckDB's does
 * not, so that one clause is spelled the DuckDB way before the run. Every query must return
 * exactly what the DuckDB rendering returns on the flattened table.
 */
describe('DuckDB and Athena renderings give the same results on the same data', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  let dir: string;

  const lower = (record: Record<string, unknown>) => {
    const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
    const session = (identity.sessionContext ?? {}) as Record<string, unknown>;
    const issuer = (session.sessionIssuer ?? {}) as Record<string, unknown>;
    const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
    const time = typeof record.eventTime === 'string' ? record.eventTime : null;
    return {
      eventtime: time,
      eventsource: record.eventSource,
      eventname: record.eventName,
      awsregion: record.awsRegion ?? null,
      sourceipaddress: record.sourceIPAddress ?? null,
      useragent: record.userAgent ?? null,
      errorcode: record.errorCode ?? null,
      recipientaccountid: record.recipientAccountId ?? null,
      useridentity: {
        type: identity.type ?? null,
        principalid: identity.principalId ?? null,
        arn: identity.arn ?? null,
        accountid: identity.accountId ?? null,
        invokedby: identity.invokedBy ?? null,
        accesskeyid: identity.accessKeyId ?? null,
        username: identity.userName ?? null,
        identityprovider: identity.identityProvider ?? null,
        sessioncontext: { sessionissuer: { arn: issuer.arn ?? null } },
      },
      additionaleventdata: json(record.additionalEventData),
      responseelements: json(record.responseElements),
      requestparameters: json(record.requestParameters),
      resources: Array.isArray(record.resources)
        ? (record.resources as Array<Record<string, unknown>>).map((resource) => ({
            arn: resource.ARN ?? resource.arn ?? null,
            accountid: resource.accountId ?? null,
            type: resource.type ?? null,
          }))
        : null,
      timestamp: time === null ? null : time.slice(0, 10).replace(/-/g, '/'),
    };
  };

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    dir = mkdtempSync(join(tmpdir(), 'roleshift-parity-'));
    const logs = join(corpus, 'stratus-red-team/detonation-logs');
    const lines: string[] = [];
    for (const name of readdirSync(logs).sort()) {
      for (const record of JSON.parse(readFileSync(join(logs, name), 'utf8')) as Array<Record<string, unknown>>)
        lines.push(JSON.stringify(lower(record)));
    }
    const web = JSON.parse(
      readFileSync(join(corpus, 'cloud-snitch/TestReport_WebIdentityUserEvent.extracted.json'), 'utf8'),
    ) as { Records: Array<Record<string, unknown>> };
    for (const record of web.Records) lines.push(JSON.stringify(lower(record)));
    for (const record of IMPLYING) lines.push(JSON.stringify(lower(record)));
    writeFileSync(join(dir, 'athena.ndjson'), lines.join('\n'));
    writeFileSync(join(dir, 'implying.json'), JSON.stringify({ Records: IMPLYING }));
    await connection.run(`CREATE SCHEMA cloudtrail`);
    await connection.run(`CREATE TABLE cloudtrail.org_trail AS SELECT * FROM read_json(${sqlString(join(dir, 'athena.ndjson'))}, format = 'newline_delimited', columns = {
      eventtime: 'VARCHAR', eventsource: 'VARCHAR', eventname: 'VARCHAR', awsregion: 'VARCHAR', sourceipaddress: 'VARCHAR', useragent: 'VARCHAR',
      errorcode: 'VARCHAR', recipientaccountid: 'VARCHAR',
      useridentity: 'STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, invokedby VARCHAR, accesskeyid VARCHAR, username VARCHAR, identityprovider VARCHAR, sessioncontext STRUCT(sessionissuer STRUCT(arn VARCHAR)))',
      additionaleventdata: 'VARCHAR', responseelements: 'VARCHAR', requestparameters: 'VARCHAR',
      resources: 'STRUCT(arn VARCHAR, accountid VARCHAR, type VARCHAR)[]', "timestamp": 'VARCHAR'})`);
    // Trino's json_extract_scalar: `$["x-y"]` paths (DuckDB spells them `$."x-y"`), NULL for objects and arrays.
    await connection.run(`CREATE MACRO trino_path(p) AS regexp_replace(p, '\\["([^"]*)"\\]', '."\\1"', 'g')`);
    await connection.run(
      `CREATE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(j, trino_path(p)) NOT IN ('OBJECT', 'ARRAY', 'NULL') THEN json_extract_string(j, trino_path(p)) END`,
    );
    await connection.run('CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)');
    await ingestCloudTrail(connection, localSource(logs));
    await ingestCloudTrail(
      connection,
      localSource(join(corpus, 'cloud-snitch/TestReport_WebIdentityUserEvent.extracted.json')),
    );
    await ingestCloudTrail(connection, localSource(join(dir, 'implying.json')));
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  const trinoReferences =
    /"cloudtrail"\."org_trail" CROSS JOIN UNNEST\((filter\(ARRAY\[[\s\S]*?\], x -> x IS NOT NULL\))\) AS k\(reference\)/;
  const trinoUnnest =
    '"cloudtrail"."org_trail" CROSS JOIN UNNEST(resources) AS r(resource_arn, resource_account, resource_type)';
  const duckdbUnnest =
    '(SELECT *, unnest(resources).arn AS resource_arn FROM "cloudtrail"."org_trail") AS resource_rows';
  const onDuckdb = (name: QueryName, sql: string): string => {
    if (name === 'references') {
      if (!trinoReferences.test(sql))
        throw new Error('the Athena references query no longer unnests as this test expects');
      return sql.replace(
        trinoReferences,
        (_all, list: string) =>
          `(SELECT *, unnest(${list}) AS reference FROM "cloudtrail"."org_trail") AS reference_rows`,
      );
    }
    if (name !== 'resources') return sql;
    if (!sql.includes(trinoUnnest))
      throw new Error('the Athena resources query no longer unnests as this test expects');
    return sql.replace(trinoUnnest, duckdbUnnest);
  };

  it.each([[{ since: null, until: null }], [{ since: '2024-08-01T12:00:00Z', until: '2024-08-02T09:00:00Z' }]])(
    'Given window %j, When both renderings run, Then every query returns the same rows',
    async (window) => {
      const runner = duckdbRunner(connection);
      const flat = await runUsageQueries(runner, duckdbDialect(), window);
      const athenaDialectOnDuckdb = athenaDialect('cloudtrail', 'org_trail');
      for (const name of QUERY_NAMES) {
        const athenaRows = (await runner(name, onDuckdb(name, renderQuery(name, athenaDialectOnDuckdb, window)))).map(
          normaliseRow,
        );
        expect.soft(athenaRows, name).toEqual(flat[name]);
      }
      expect(flat.summary.length).toBeGreaterThan(5);
      expect(flat.consoleLogins.length).toBeGreaterThan(0);
      if (window.since === null) expect(flat.resources.some((row) => row.distinct_resources > 20)).toBe(true);
      expect(flat.federation).toHaveLength(window.since === null ? 1 : 0);
      if (window.since === null)
        expect(flat.references.map((row) => row.reference)).toEqual([
          'requestParameters.roleARN=arn:aws:iam::111122223333:role/cfn-exec',
          'requestParameters.iamInstanceProfile.arn=arn:aws:iam::111122223333:instance-profile/web',
          'responseElements.x-amz-server-side-encryption-aws-kms-key-id=arn:aws:kms:us-east-1:111122223333:key/k-1',
        ]);
    },
  );

  it('Given the resources query split into buckets of principals, When the buckets run, Then together they return exactly the whole rows', async () => {
    const runner = duckdbRunner(connection);
    const window = { since: null, until: null };
    const whole = (await runner('resources', renderQuery('resources', duckdbDialect(), window))).map(normaliseRow);
    const parts: Array<Record<string, string | number | null>> = [];
    for (let bucket = 0; bucket < 3; bucket += 1) {
      const part = await runner(
        'resources',
        renderQuery('resources', duckdbDialect(), { ...window, principals: { bucket, count: 3 } }),
      );
      expect(part.length).toBeLessThan(whole.length);
      parts.push(...part.map(normaliseRow));
    }
    const order = (row: Record<string, string | number | null>) =>
      `${row.principal}|${row.event_source}|${row.event_name}`;
    expect(parts.sort((a, b) => order(a).localeCompare(order(b)))).toEqual(
      [...whole].sort((a, b) => order(a).localeCompare(order(b))),
    );
  });
});
