import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCloudTrail, type IngestOptions, type IngestResult } from './ingest.js';
import { flattenEvent } from './event.js';
import { isFileProblem, nativelyReadable } from './native.js';
import { localSource } from './source.js';
import { EVENT_COLUMNS } from './tables.js';

const corpus = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));

/** Which reader takes the local files: the JavaScript parser alone, DuckDB's, or the worker threads. */
type Path = 'javascript' | { native: number } | 'workers' | 'mixed';

const OPTIONS: Record<'javascript' | 'workers' | 'mixed', IngestOptions> = {
  javascript: { nativeBatchFiles: 0, parseWorkers: 0 },
  // Every file, however large, and a small batch of rows, so lines of several batches are written.
  workers: { nativeBatchFiles: 0, parseWorkers: 2, workerFileBytes: Number.MAX_SAFE_INTEGER, batchRows: 5 },
  mixed: { nativeBatchFiles: 3, parseWorkers: 2, workerFileBytes: 1_000 },
};

async function ingestWith(path: string, how: Path): Promise<{ result: IngestResult; rows: unknown[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const options = typeof how === 'string' ? OPTIONS[how] : { nativeBatchFiles: how.native, parseWorkers: 0 };
  try {
    const result = await ingestCloudTrail(connection, localSource(path), options);
    const reader = await connection.runAndReadAll(`SELECT ${EVENT_COLUMNS.join(', ')} FROM ct_events ORDER BY ALL`);
    return { result, rows: reader.getRowObjectsJson() };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function withoutNativeCount(result: IngestResult): Omit<IngestResult, 'filesReadNatively'> {
  const { filesReadNatively: _native, ...rest } = result;
  return rest;
}

const day = (d: string): string => `AWSLogs/111111111111/CloudTrail/eu-west-1/2025/03/${d}`;

/** Records that exercise every rule of flattenEvent. */
const records: unknown[] = [
  {
    eventTime: '2025-03-06T10:00:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::111111111111:user/alice',
      accountId: '111111111111',
      userName: 'alice',
      principalId: 'AIDA1',
    },
    additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com' },
    responseElements: { ConsoleLogin: 'Success' },
    sourceIPAddress: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
  },
  {
    eventTime: '2025-03-06T10:05:00.250+02:00',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    userIdentity: {
      type: 'WebIdentityUser',
      identityProvider: 'token.actions.githubusercontent.com',
      userName: 'repo:acme/app:ref:refs/heads/main',
      principalId: 'x',
    },
    requestParameters: { roleArn: 'arn:aws:iam::111111111111:role/deploy', roleSessionName: 'gh' },
    responseElements: {
      provider: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      subjectFromWebIdentityToken: 'repo:acme/app:ref:refs/heads/main',
    },
  },
  {
    eventTime: '2025-03-06T11:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithSAML',
    userIdentity: { type: 'SAMLUser', identityProvider: 'idp', userName: '' },
    requestParameters: {
      principalArn: 'arn:aws:iam::111111111111:saml-provider/okta',
      roleArn: 'arn:aws:iam::111111111111:role/admin',
    },
    responseElements: { subject: 'alice@example.com', issuer: 'http://okta' },
  },
  {
    eventTime: '2025-03-06T12:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    userIdentity: { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' },
    recipientAccountId: '111111111111',
  },
  {
    eventTime: '2025-03-06T12:01:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    userIdentity: { type: 'AWSAccount', accountId: '222222222222', principalId: 'AIDAX' },
    resources: [{ ARN: 'arn:aws:s3:::b' }, { arn: 'arn:aws:s3:::b/k' }, { ARN: 'not-an-arn' }, 'junk'],
  },
  { eventTime: '2025-03-06T12:02:00Z', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', resources: [] },
  {
    eventTime: '2025-03-06T12:03:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    errorCode: 'AccessDenied',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/r/s',
      accessKeyId: 'ASIA1',
      sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111111111111:role/r', type: 'Role' } },
    },
  },
  {
    '@timestamp': '2025-03-06T12:04:00.000Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    userIdentity: { type: 'Root', principalId: '111111111111' },
  },
  // What calls imply: a passed role (with STS's `roleArn` beside CloudFormation's `roleARN`), an
  // instance profile, a role given as an object (not a role), an empty value, a KMS key in the response.
  {
    eventTime: '2025-03-06T12:05:00Z',
    eventSource: 'cloudformation.amazonaws.com',
    eventName: 'CreateChangeSet',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ci', userName: 'ci' },
    requestParameters: {
      stackName: 'web',
      roleARN: 'arn:aws:iam::111111111111:role/cfn',
      roleArn: 'arn:aws:iam::111111111111:role/not-this',
    },
  },
  {
    eventTime: '2025-03-06T12:06:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ci', userName: 'ci' },
    requestParameters: { iamInstanceProfile: { name: 'web' }, instancesSet: { items: [{ imageId: 'ami-1' }] } },
  },
  {
    eventTime: '2025-03-06T12:07:00Z',
    eventSource: 'lambda.amazonaws.com',
    eventName: 'CreateFunction20150331',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ci', userName: 'ci' },
    requestParameters: { role: { odd: true }, functionName: 'f' },
  },
  {
    eventTime: '2025-03-06T12:08:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'PutObject',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/ci', userName: 'ci' },
    requestParameters: { bucketName: 'b', key: 'k', 'x-amz-server-side-encryption-aws-kms-key-id': '' },
    responseElements: {
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:eu-west-1:111111111111:key/k-1',
    },
  },
  { eventSource: 'kms.amazonaws.com', eventName: 'NoTime' },
  { eventTime: 'not a time', eventSource: 'kms.amazonaws.com', eventName: 'BadTime' },
  null,
];

describe('native ingestion (DuckDB read_json) against the JavaScript parser', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-native-'));
    const put = (d: string, name: string, body: string | Buffer): void => {
      mkdirSync(join(dir, day(d)), { recursive: true });
      writeFileSync(join(dir, day(d), name), body);
    };
    put('06', 'all-rules.json.gz', gzipSync(JSON.stringify({ Records: records })));
    put('06', 'plain.json', JSON.stringify({ Records: records.slice(0, 3) }, null, 2));
    put('06', 'bare-array.json', JSON.stringify(records.slice(0, 4)));
    put(
      '06',
      'lines.jsonl',
      records
        .slice(0, 4)
        .map((record) => JSON.stringify(record))
        .join('\n'),
    );
    put('07', 'empty.json.gz', gzipSync(JSON.stringify({ Records: [] })));
    put(
      '07',
      'odd-type.json.gz',
      gzipSync(
        JSON.stringify({ Records: [{ ...(records[0] as object), responseElements: 'a string, not an object' }] }),
      ),
    );
    const whole = gzipSync(JSON.stringify({ Records: records }));
    put('07', 'truncated.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    put('07', 'malformed.json', '{"Records": [ oops');
    put('08', 'more.json.gz', gzipSync(JSON.stringify({ Records: records.slice(3, 7) })));
    put('08', 'not-records.json.gz', gzipSync(JSON.stringify({ Items: records.slice(0, 2) })));
    // Beyond the native reader's largest document (16 MB), so it has to be read another way.
    const many = Array.from({ length: 30_000 }, (_, index) => ({
      ...(records[4] as object),
      userAgent: `${index} ${'x'.repeat(600)}`,
    }));
    put('08', 'huge.json.gz', gzipSync(JSON.stringify({ Records: many })));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Given every shape, odd types and broken files, When ingested natively in small batches, Then the rows and counts equal the JavaScript path and broken files are still named', async () => {
    const javascript = await ingestWith(dir, 'javascript');
    const native = await ingestWith(dir, { native: 3 });
    expect(native.rows).toEqual(javascript.rows);
    expect(withoutNativeCount(native.result)).toEqual(withoutNativeCount(javascript.result));
    expect(javascript.result.filesReadNatively).toBe(0);
    // all-rules and more: the delivered shape, one document per line. The pretty-printed and
    // the odd-typed files fall back, and their batch's rows are not kept twice.
    expect(native.result.filesReadNatively).toBe(2);
    expect(javascript.result.records).toBeGreaterThan(30_000);
    expect(native.result.unreadable.map((file) => file.file.split('/').pop())).toEqual([
      'malformed.json',
      'truncated.json.gz',
      'not-records.json.gz',
    ]);
    expect(native.result.badRecords).toBe(3);
    const references = (javascript.rows as Array<{ request_references: string[] | null }>)
      .flatMap((row) => row.request_references ?? [])
      .sort();
    expect([...new Set(references)]).toEqual([
      'requestParameters.iamInstanceProfile.name=web',
      'requestParameters.roleARN=arn:aws:iam::111111111111:role/cfn',
      'responseElements.x-amz-server-side-encryption-aws-kms-key-id=arn:aws:kms:eu-west-1:111111111111:key/k-1',
    ]);
  });

  it('Given every shape, odd types and broken files, When read on worker threads, Then the rows, counts and named problems equal the JavaScript path', async () => {
    const javascript = await ingestWith(dir, 'javascript');
    const workers = await ingestWith(dir, 'workers');
    expect(workers.rows).toEqual(javascript.rows);
    expect(workers.result).toEqual(javascript.result);
    expect(workers.result.unreadable.length).toBe(3);
  });

  it('Given small files and large ones, When each goes to its reader (workers, DuckDB, the JavaScript parser), Then the rows and counts equal the JavaScript path', async () => {
    const javascript = await ingestWith(dir, 'javascript');
    const mixed = await ingestWith(dir, 'mixed');
    expect(mixed.rows).toEqual(javascript.rows);
    expect(withoutNativeCount(mixed.result)).toEqual(withoutNativeCount(javascript.result));
    // all-rules.json.gz is above the worker limit and read by DuckDB; more.json.gz is below it.
    expect(mixed.result.filesReadNatively).toBe(1);
  });

  it('Given a tree read on worker threads, When it is ingested again, Then every file is skipped and no event is counted twice', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const first = await ingestCloudTrail(connection, localSource(dir), OPTIONS.workers);
      const second = await ingestCloudTrail(connection, localSource(dir), OPTIONS.workers);
      const reader = await connection.runAndReadAll('SELECT count(*) AS events FROM ct_events');
      expect(Number(reader.getRowObjectsJS()[0]?.events)).toBe(first.records);
      expect(second.filesSkipped).toBe(first.filesRead);
      expect(second.filesRead).toBe(0);
      // Unreadable files are never recorded, so every run names them again.
      expect(second.unreadable).toEqual(first.unreadable);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it.each(['cloud-snitch', 'stratus-red-team', 'otrf-security-datasets', 'cloudcommotion'])(
    'Given the %s corpus logs, When ingested natively and on worker threads, Then the rows equal the JavaScript path',
    async (name) => {
      const javascript = await ingestWith(join(corpus, name), 'javascript');
      const native = await ingestWith(join(corpus, name), { native: 32 });
      const workers = await ingestWith(join(corpus, name), 'workers');
      expect(native.rows).toEqual(javascript.rows);
      expect(withoutNativeCount(native.result)).toEqual(withoutNativeCount(javascript.result));
      expect(workers.rows).toEqual(javascript.rows);
      expect(workers.result).toEqual(javascript.result);
    },
  );

  it('Given hostile text in every field (quotes, tabs, newlines, commas, NUL, backslashes, non-ASCII), When read by each reader, Then every value is stored exactly as flattenEvent reads it', async () => {
    const hostile = (field: string) => `${field} "q" 'a',b\tc\nd\r\ne\u0000f\\g {"n":1} é 𝄞 \u202e ;$(x)`;
    const record = {
      eventTime: '2025-03-06T10:00:00Z',
      eventSource: hostile('source'),
      eventName: 'AssumeRoleWithWebIdentity',
      awsRegion: hostile('region'),
      sourceIPAddress: hostile('ip'),
      userAgent: hostile('agent'),
      errorCode: hostile('error'),
      userIdentity: {
        type: hostile('type'),
        arn: hostile('arn'),
        accountId: hostile('account'),
        accessKeyId: hostile('key'),
        userName: hostile('user'),
        sessionContext: { sessionIssuer: { arn: hostile('issuer') } },
      },
      requestParameters: { roleArn: hostile('role') },
      responseElements: { provider: hostile('provider'), subjectFromWebIdentityToken: hostile('subject') },
      resources: [{ ARN: `arn:${hostile('resource')}` }],
    };
    const tree = mkdtempSync(join(tmpdir(), 'roleshift-hostile-'));
    try {
      mkdirSync(join(tree, day('06')), { recursive: true });
      writeFileSync(join(tree, day('06'), 'hostile.json.gz'), gzipSync(JSON.stringify({ Records: [record] })));
      const flat = flattenEvent(record);
      const expected = {
        event_source: flat?.eventSource,
        aws_region: flat?.awsRegion,
        source_ip: flat?.sourceIp,
        user_agent: flat?.userAgent,
        error_code: flat?.errorCode,
        identity_type: flat?.identityType,
        principal_arn: flat?.principalArn,
        account_id: flat?.accountId,
        access_key_id: flat?.accessKeyId,
        session_issuer_arn: flat?.sessionIssuerArn,
        federation_provider: flat?.federationProvider,
        federation_subject: flat?.federationSubject,
        role_arn: flat?.roleArn,
        resources: flat?.resources,
      };
      expect(expected.user_agent).toContain('\u0000');
      for (const how of ['javascript', 'workers', { native: 1 }] as const) {
        const { rows } = await ingestWith(tree, how);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject(expected);
      }
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it.each([
    ['/logs/AWSLogs/1/a.json.gz', true],
    ['/logs/we*rd.json', false],
    ['/logs/a?.json', false],
    ['/logs/[x].json', false],
  ])('Given the path %s, When checked for the native reader, Then it is %s', (path, readable) => {
    expect(nativelyReadable(path)).toBe(readable);
  });

  it.each([
    [
      'Invalid Input Error: Malformed JSON in file "/logs/a.json.gz", at byte 65 in line 2: unexpected end of data.',
      true,
    ],
    ['Invalid Input Error: JSON transform error in file "/logs/a.json.gz", in line 1: Expected OBJECT', true],
    ['IO Error: No files found that match the pattern "/logs/a.json.gz"', true],
    ['IO Error: Input is not a GZIP stream', true],
    ['Out of Memory Error: could not allocate block of size 256 KiB', false],
    ['IO Error: Could not write file "/store.duckdb.tmp/duckdb_temp_block": No space left on device', false],
    ['Constraint Error: Duplicate key "file_key: /logs/a.json.gz" violates primary key constraint', false],
  ])(
    'Given DuckDB failing with "%s", When a batch of /logs/a.json.gz fails, Then it is a file problem: %s',
    (message, expected) => {
      expect(isFileProblem(new Error(message), [{ key: '/logs/a.json.gz', size: 1, version: '1' }])).toBe(expected);
    },
  );

  it('Given DuckDB out of memory in the native read, When ingested, Then the error stops the ingestion instead of every file being read again as odd', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // DuckDB itself, except that the native statement fails the way a real limit makes it fail.
    const failing = new Proxy(connection, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property !== 'run' || typeof value !== 'function') return value;
        return (sql: string, ...rest: unknown[]) =>
          sql.includes('FROM read_json($1')
            ? Promise.reject(new Error('Out of Memory Error: could not allocate block of size 256 KiB'))
            : value.call(target, sql, ...rest);
      },
    });
    try {
      const failure = await ingestCloudTrail(failing, localSource(join(corpus, 'cloud-snitch')), {
        nativeBatchFiles: 64,
        parseWorkers: 0,
      }).catch((error: unknown) => error);
      expect(String(failure)).toMatch(/Out of Memory Error/);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
