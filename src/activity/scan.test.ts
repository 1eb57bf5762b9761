import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageSchema } from '../model/usage.js';
import { collectUsage, parseWindowDate, usageGaps } from './scan.js';

const corpus = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));
const snitch = join(corpus, 'cloud-snitch');
const ORG_FILE = '222222222222_CloudTrail_us-east-1_20250306T0230Z_QF6qcgyiaVnSueXa.json.gz';

describe('collectUsage on the field corpus', () => {
  it('Given the cloud-snitch logs (gzip, org layout, web identity), When read, Then the GitHub OIDC session is parsed out', async () => {
    const usage = UsageSchema.parse(await collectUsage({ cloudtrail: snitch }));
    expect(usage.source.filesRead).toBe(3);
    expect(usage.source.records).toBe(22);
    expect(usage.source.unreadable).toEqual([]);
    expect(usage.federatedSessions).toEqual([
      expect.objectContaining({
        kind: 'web-identity',
        provider: 'arn:aws:iam::774305579662:oidc-provider/token.actions.githubusercontent.com',
        repository: 'ccbrown/cloud-snitch',
        ref: 'refs/heads/main',
        roleArn: 'arn:aws:iam::774305579662:role/cloud-snitch-github-actio-GithubActionsRoleF5CC769F-MoeCHSu77MYt',
      }),
    ]);
    const chris = usage.principals.find((p) => p.arn === 'arn:aws:iam::222222222222:user/chris');
    expect(chris?.type).toBe('IAMUser');
    expect(chris?.userAgents.map((u) => u.family)).toEqual(['console']);
  });

  it('Given the stratus-red-team bare-array logs, When read, Then console logins without MFA and AKIA keys are counted', async () => {
    const usage = await collectUsage({ cloudtrail: join(corpus, 'stratus-red-team/detonation-logs') });
    expect(usage.source.filesRead).toBe(35);
    expect(usage.source.unreadable).toEqual([]);
    const withLogin = usage.principals.filter((p) => p.consoleLogins.total > 0);
    expect(withLogin.length).toBeGreaterThan(0);
    expect(withLogin.some((p) => p.consoleLogins.withoutMfa > 0)).toBe(true);
    const creator = usage.principals.find((p) => p.actions.some((a) => a.action === 'iam:CreateUser'));
    expect(creator?.actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['iam:CreateUser', 'iam:CreateAccessKey', 'iam:AttachUserPolicy']),
    );
    expect(usage.accessKeys.length).toBeGreaterThan(0);
    expect(usage.accessKeys.every((k) => k.accessKeyId.startsWith('AKIA'))).toBe(true);
  });

  it('Given the OTRF NDJSON dataset, When read, Then all 103 events count and pedro is an IAM user in the console', async () => {
    const usage = await collectUsage({ cloudtrail: join(corpus, 'otrf-security-datasets') });
    expect(usage.source.records).toBe(103);
    expect(usage.source.badRecords).toBe(0);
    const pedro = usage.principals.find((p) => p.userName === 'pedro');
    expect(pedro?.userAgents[0]?.family).toBe('console');
    expect(pedro?.actions.length).toBeGreaterThan(10);
  });
});

describe('collectUsage on a delivery layout with bad files, incrementally', () => {
  let root: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  const put = (day: string, name: string, bytes: Buffer | string): string => {
    const path = join(root, 'AWSLogs/o-1234abcde/222222222222/CloudTrail/us-east-1', day, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };
  const event = (time: string, name: string, keyId: string) => ({
    eventTime: time,
    eventSource: 's3.amazonaws.com',
    eventName: name,
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.15.0 Python/3.11',
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::222222222222:user/deployer',
      accountId: '222222222222',
      accessKeyId: keyId,
      userName: 'deployer',
    },
    resources: [{ ARN: 'arn:aws:s3:::releases', type: 'AWS::S3::Bucket' }],
  });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'roleshift-ct-'));
    const org = join(root, 'AWSLogs/o-1234abcde/222222222222/CloudTrail/us-east-1/2025/03/06');
    mkdirSync(org, { recursive: true });
    copyFileSync(join(snitch, ORG_FILE), join(org, ORG_FILE));
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
    rmSync(root, { recursive: true, force: true });
  });

  it('Given a truncated gzip and a malformed file beside good ones, When read, Then both are named and the rest is processed', async () => {
    const whole = gzipSync(
      JSON.stringify({ Records: [event('2025-03-07T10:00:00Z', 'ListObjects', 'AKIADEPLOYER0000001')] }),
    );
    put('2025/03/07', 'good.json.gz', whole);
    const truncated = put('2025/03/07', 'truncated.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const malformed = put('2025/03/07', 'malformed.json', '{"Records": [ {"eventName": ');
    const usage = await collectUsage({ cloudtrail: root, connection });
    expect(usage.source.unreadable.map((file) => file.file).sort()).toEqual([malformed, truncated].sort());
    expect(usage.source.unreadable.find((file) => file.file === truncated)?.problem).toMatch(/unexpected end of file/i);
    expect(usage.source.filesRead).toBe(2);
    expect(usage.source.records).toBe(21);
    const key = usage.accessKeys.find((k) => k.accessKeyId === 'AKIADEPLOYER0000001');
    expect(key?.actions).toEqual([
      { action: 's3:ListBucket', mapped: true, events: 1, errors: 0, resources: [], resourcesTruncated: false },
    ]);
    const user = usage.principals.find((p) => p.arn === 'arn:aws:iam::222222222222:user/deployer');
    expect(user?.actions).toEqual([
      {
        action: 's3:ListBucket',
        mapped: true,
        events: 1,
        errors: 0,
        resources: ['arn:aws:s3:::releases'],
        resourcesTruncated: false,
      },
    ]);
    expect(key?.userAgents.map((u) => u.family)).toEqual(['aws-cli']);
    expect(key?.addresses).toEqual([{ kind: 'public', group: '203.0.113.0/24', events: 1 }]);
  });

  it('Given a symbolic link loop, a link to a log and a non-UTF-8 file, When read, Then the link is followed and the others are unreadable gaps', async () => {
    const day = join(root, 'AWSLogs/o-1234abcde/222222222222/CloudTrail/us-east-1/2025/03/06');
    symlinkSync(join(day, 'loop-b.json'), join(day, 'loop-a.json'));
    symlinkSync(join(day, 'loop-a.json'), join(day, 'loop-b.json'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'roleshift-ct-target-'));
    const target = join(elsewhere, 'linked.json');
    writeFileSync(
      target,
      JSON.stringify({ Records: [event('2025-03-06T10:00:00Z', 'GetObject', 'AKIALINKED000000001')] }),
    );
    symlinkSync(target, join(day, 'linked.json'));
    symlinkSync(root, join(day, 'back-to-root'));
    const latin1 = put('2025/03/06', 'latin1.json', Buffer.from('{"Records": [{"userName": "zo\xeb"}]}', 'latin1'));
    const usage = await collectUsage({ cloudtrail: root, connection });
    rmSync(elsewhere, { recursive: true, force: true });
    expect(usage.accessKeys.some((key) => key.accessKeyId === 'AKIALINKED000000001')).toBe(true);
    expect(usage.source.unreadable).toEqual([
      { file: latin1, problem: expect.stringMatching(/^is not UTF-8 text \(invalid byte at offset \d+\)/) },
      { file: join(day, 'loop-a.json'), problem: 'a symbolic link loop' },
      { file: join(day, 'loop-b.json'), problem: 'a symbolic link loop' },
    ]);
    expect(usageGaps(usage)).toEqual([
      {
        accountId: null,
        region: null,
        api: 'cloudtrail:ReadLogs',
        errorCode: 'Unreadable',
        message: `3 CloudTrail file(s) under ${root} could not be read (${latin1}: ${usage.source.unreadable[0]?.problem} and 2 more): their events are missing from the usage`,
      },
    ]);
  });

  it('Given records that are not CloudTrail events, When the usage is checked, Then they are a gap', async () => {
    put(
      '2025/03/07',
      'mixed.json',
      JSON.stringify({ Records: [event('2025-03-07T10:00:00Z', 'GetObject', 'AKIA1'), { hello: 1 }] }),
    );
    const usage = await collectUsage({ cloudtrail: root, connection });
    expect(usage.source.badRecords).toBe(1);
    expect(usageGaps(usage).map((gap) => gap.errorCode)).toEqual(['BadRecords']);
  });

  it('Given a store that already ingested the logs, When read again with one new file, Then only the new file is read and nothing is counted twice', async () => {
    put(
      '2025/03/07',
      'a.json',
      JSON.stringify({ Records: [event('2025-03-07T10:00:00Z', 'GetObject', 'AKIADEPLOYER0000001')] }),
    );
    const first = await collectUsage({ cloudtrail: root, connection });
    expect(first.source.filesRead).toBe(2);
    put(
      '2025/03/08',
      'b.json',
      JSON.stringify({ Records: [event('2025-03-08T10:00:00Z', 'GetObject', 'AKIADEPLOYER0000001')] }),
    );
    const second = await collectUsage({ cloudtrail: root, connection });
    expect(second.source.filesRead).toBe(1);
    expect(second.source.filesSkipped).toBe(2);
    const key = second.accessKeys.find((k) => k.accessKeyId === 'AKIADEPLOYER0000001');
    expect(key?.events).toBe(2);
    expect(key?.firstSeen).toBe('2025-03-07T10:00:00Z');
    expect(key?.lastSeen).toBe('2025-03-08T10:00:00Z');
  });

  it('Given a file that changed after ingestion, When read again, Then its old rows are replaced', async () => {
    const path = put(
      '2025/03/07',
      'a.json',
      JSON.stringify({ Records: [event('2025-03-07T10:00:00Z', 'GetObject', 'AKIADEPLOYER0000001')] }),
    );
    await collectUsage({ cloudtrail: root, connection });
    const twice = [
      event('2025-03-07T10:00:00Z', 'GetObject', 'AKIADEPLOYER0000001'),
      event('2025-03-07T11:00:00Z', 'PutObject', 'AKIADEPLOYER0000001'),
    ];
    writeFileSync(path, JSON.stringify({ Records: twice }));
    const usage = await collectUsage({ cloudtrail: root, connection });
    expect(usage.accessKeys.find((k) => k.accessKeyId === 'AKIADEPLOYER0000001')?.events).toBe(2);
  });

  it('Given --since and --until, When read, Then files outside the window by key date are not opened and events outside are not counted', async () => {
    put('2025/01/01', 'old.json', 'this would be reported as malformed if it were opened');
    put(
      '2025/03/07',
      'in.json',
      JSON.stringify({
        Records: [
          event('2025-03-07T10:00:00Z', 'GetObject', 'AKIADEPLOYER0000001'),
          event('2025-03-06T23:50:00Z', 'GetObject', 'AKIADEPLOYER0000001'),
        ],
      }),
    );
    const usage = await collectUsage({
      cloudtrail: root,
      connection,
      since: parseWindowDate('--since', '2025-03-07'),
      until: parseWindowDate('--until', '2025-03-07'),
    });
    expect(usage.source.unreadable).toEqual([]);
    expect(usage.accessKeys.find((k) => k.accessKeyId === 'AKIADEPLOYER0000001')?.events).toBe(1);
    expect(usage.principals.some((p) => p.arn.includes('assumed-role/ecs-cluster-instance'))).toBe(false);
  });

  it('Given one key reading more distinct objects than are kept, When read, Then the sample is capped and marked truncated', async () => {
    const records = Array.from({ length: 60 }, (_, i) => ({
      ...event('2025-03-07T10:00:00Z', 'GetObject', 'AKIADEPLOYER0000001'),
      resources: [{ ARN: `arn:aws:s3:::releases/build-${String(i).padStart(2, '0')}.zip`, type: 'AWS::S3::Object' }],
    }));
    put('2025/03/07', 'many.json', JSON.stringify({ Records: records }));
    const usage = await collectUsage({ cloudtrail: root, connection });
    const getObject = usage.principals
      .find((p) => p.arn === 'arn:aws:iam::222222222222:user/deployer')
      ?.actions.find((a) => a.action === 's3:GetObject');
    expect(getObject?.events).toBe(60);
    expect(getObject?.resources).toHaveLength(20);
    expect(getObject?.resources[0]).toBe('arn:aws:s3:::releases/build-00.zip');
    expect(getObject?.resourcesTruncated).toBe(true);
  });

  it('Given a path that does not exist, When read, Then a one-line user error names it', async () => {
    await expect(collectUsage({ cloudtrail: join(root, 'nope'), connection })).rejects.toThrow(
      /no such file or directory/,
    );
  });

  it('Given a --since that is not a date, When parsed, Then a user error says how to write it', () => {
    expect(() => parseWindowDate('--since', 'last week')).toThrow(/YYYY-MM-DD/);
  });
});

describe('collectUsage grouping: facts grow with the estate, not with sessions', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'roleshift-ct-group-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const roleSession = (session: string, key: string, role: string, objectKey: string) => ({
    eventTime: `2025-03-06T0${session.length % 10}:00:00Z`,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::222222222222:assumed-role/${role}/${session}`,
      accountId: '222222222222',
      accessKeyId: key,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::222222222222:role/${role}` } },
    },
    resources: [{ ARN: `arn:aws:s3:::data/${objectKey}` }],
  });

  it('Given two sessions of a role, an Identity Center session and an IAM user, When read, Then the role is one principal, the person keeps their session, and only the AKIA key has facts', async () => {
    const records = [
      roleSession('i-0abc', 'ASIAAAAAAAAAAAAAAAA1', 'app', 'a.parquet'),
      roleSession('i-0def', 'ASIAAAAAAAAAAAAAAAA2', 'app', 'b.parquet'),
      roleSession('alice@example.com', 'ASIAAAAAAAAAAAAAAAA3', 'AWSReservedSSO_Admin_0123456789abcdef', 'c.parquet'),
      {
        ...roleSession('x', 'AKIAAAAAAAAAAAAAAAA4', 'unused', 'd.parquet'),
        userIdentity: {
          type: 'IAMUser',
          arn: 'arn:aws:iam::222222222222:user/ci',
          accountId: '222222222222',
          accessKeyId: 'AKIAAAAAAAAAAAAAAAA4',
          userName: 'ci',
        },
      },
    ];
    const path = join(root, 'AWSLogs/222222222222/CloudTrail/us-east-1/2025/03/06/a.json.gz');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
    const usage = UsageSchema.parse(await collectUsage({ cloudtrail: root }));
    expect(usage.principals.map((p) => p.arn)).toEqual([
      'arn:aws:iam::222222222222:role/app',
      'arn:aws:iam::222222222222:user/ci',
      'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com',
    ]);
    const app = usage.principals[0];
    expect(app).toMatchObject({
      type: 'AssumedRole',
      events: 2,
      sessionIssuerArn: 'arn:aws:iam::222222222222:role/app',
    });
    expect(app?.actions).toEqual([
      {
        action: 's3:GetObject',
        mapped: true,
        events: 2,
        errors: 0,
        resources: ['arn:aws:s3:::data/a.parquet', 'arn:aws:s3:::data/b.parquet'],
        resourcesTruncated: false,
      },
    ]);
    expect(usage.accessKeys.map((k) => k.accessKeyId)).toEqual(['AKIAAAAAAAAAAAAAAAA4']);
    expect(usage.federatedSessions).toEqual([
      expect.objectContaining({ kind: 'identity-center', subject: 'alice@example.com', events: 1 }),
    ]);
  });

  it('Given more distinct resources than are kept, When read, Then the first twenty in order are kept and the action says it is truncated', async () => {
    const records = Array.from({ length: 25 }, (_, index) =>
      roleSession('s', 'ASIAAAAAAAAAAAAAAAA1', 'etl', `part-${String(index).padStart(2, '0')}.parquet`),
    );
    const path = join(root, 'AWSLogs/222222222222/CloudTrail/us-east-1/2025/03/06/b.json.gz');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(JSON.stringify({ Records: [...records, ...records] })));
    const usage = await collectUsage({ cloudtrail: root });
    const action = usage.principals[0]?.actions[0];
    expect(action?.events).toBe(50);
    expect(action?.resourcesTruncated).toBe(true);
    expect(action?.resources).toEqual(
      Array.from({ length: 20 }, (_, index) => `arn:aws:s3:::data/part-${String(index).padStart(2, '0')}.parquet`),
    );
    expect(action?.resourcePatterns).toEqual(['arn:aws:s3:::data/*']);
  });

  const readsFrom = (buckets: readonly string[], objectsPerBucket: number) =>
    buckets.flatMap((bucket) =>
      Array.from({ length: objectsPerBucket }, (_, index) => ({
        ...roleSession('s', 'ASIAAAAAAAAAAAAAAAA1', 'etl', 'unused'),
        resources: [
          { ARN: `arn:aws:s3:::${bucket}` },
          { ARN: `arn:aws:s3:::${bucket}/part-${String(index).padStart(2, '0')}.parquet` },
        ],
      })),
    );

  it('Given too many objects in two buckets, When read, Then the first twenty ARNs span both buckets and the patterns are the buckets and their objects', async () => {
    const path = join(root, 'AWSLogs/222222222222/CloudTrail/us-east-1/2025/03/06/c.json.gz');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(JSON.stringify({ Records: readsFrom(['beta', 'alpha'], 15) })));
    const usage = await collectUsage({ cloudtrail: root });
    const action = usage.principals[0]?.actions[0];
    expect(action?.events).toBe(30);
    expect(action?.resourcesTruncated).toBe(true);
    const alpha = Array.from(
      { length: 15 },
      (_, index) => `arn:aws:s3:::alpha/part-${String(index).padStart(2, '0')}.parquet`,
    );
    expect(action?.resources).toEqual([
      'arn:aws:s3:::alpha',
      ...alpha,
      'arn:aws:s3:::beta',
      'arn:aws:s3:::beta/part-00.parquet',
      'arn:aws:s3:::beta/part-01.parquet',
      'arn:aws:s3:::beta/part-02.parquet',
    ]);
    expect(action?.resourcePatterns).toEqual([
      'arn:aws:s3:::alpha',
      'arn:aws:s3:::alpha/*',
      'arn:aws:s3:::beta',
      'arn:aws:s3:::beta/*',
    ]);
  });

  it('Given objects in more buckets than are kept, When read, Then no patterns are given, since they would not be all of them', async () => {
    const path = join(root, 'AWSLogs/222222222222/CloudTrail/us-east-1/2025/03/06/d.json.gz');
    mkdirSync(dirname(path), { recursive: true });
    const buckets = Array.from({ length: 11 }, (_, index) => `bucket-${String(index).padStart(2, '0')}`);
    writeFileSync(path, gzipSync(JSON.stringify({ Records: readsFrom(buckets, 2) })));
    const action = (await collectUsage({ cloudtrail: root })).principals[0]?.actions[0];
    expect(action?.resourcesTruncated).toBe(true);
    expect(action?.resourcePatterns).toBeUndefined();
  });
});
