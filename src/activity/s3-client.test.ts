import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { describeWithMoto } from '../../test/harness/moto.js';
import { parseS3Url } from './s3-client.js';
import { buildAccount, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { addUsageToSnapshot, collectUsage } from './scan.js';

const corpus = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));
const ORG_KEY =
  'AWSLogs/o-1234abcde/222222222222/CloudTrail/us-east-1/2025/03/06/222222222222_CloudTrail_us-east-1_20250306T0230Z_QF6qcgyiaVnSueXa.json.gz';
const PLAIN_KEY =
  'AWSLogs/333333333333/CloudTrail/us-east-1/2025/03/06/333333333333_CloudTrail_us-east-1_20250306T0320Z_ZgdYr0lP8M9fWEH8.json.gz';

describe('parseS3Url', () => {
  it.each([
    ['s3://trail/AWSLogs/', { bucket: 'trail', prefix: 'AWSLogs/' }],
    ['s3://trail', { bucket: 'trail', prefix: '' }],
  ])('Given %s, When parsed, Then bucket and prefix are %j', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it('Given a URL that is not s3://, When parsed, Then the user is told the expected form', () => {
    expect(() => parseS3Url('https://trail.s3.amazonaws.com/x')).toThrow(/s3:\/\/BUCKET\/PREFIX/);
  });
});

describeWithMoto('CloudTrail from S3 (moto)', (moto) => {
  it('Given a bucket that does not exist, When a scan adds usage, Then the IAM snapshot is kept and the failure is a CloudTrail gap (issue 15 point 7)', async () => {
    const m = moto();
    const s3 = { endpoint: m.endpoint, region: m.region, credentials: m.credentials, forcePathStyle: true };
    const snapshot = buildSnapshot([buildAccount('111111111111', { users: [buildUser('alice')] })]);
    const result = await addUsageToSnapshot(snapshot, { cloudtrail: 's3://missing-bucket/AWSLogs/', s3 });
    expect(result.accounts).toEqual(snapshot.accounts);
    expect(result.usage).toBeUndefined();
    expect(result.gaps).toEqual([
      {
        accountId: null,
        region: null,
        api: 'cloudtrail:ReadLogs',
        errorCode: 'NoSuchBucket',
        message: expect.stringMatching(
          /^CloudTrail s3:\/\/missing-bucket\/AWSLogs\/ could not be read: .+; the snapshot has no usage facts$/,
        ),
      },
    ]);
  });

  it('Given an org trail bucket with gzip logs, a digest and a truncated file, When read twice, Then events are read once, the digest ignored and the bad file named', async () => {
    const m = moto();
    const s3Config = { endpoint: m.endpoint, region: m.region, credentials: m.credentials, forcePathStyle: true };
    const s3 = new S3Client(s3Config);
    await s3.send(new CreateBucketCommand({ Bucket: 'org-trail' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'org-trail',
        Key: ORG_KEY,
        Body: readFileSync(`${corpus}cloud-snitch/${ORG_KEY.split('/').pop()}`),
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'org-trail',
        Key: PLAIN_KEY,
        Body: readFileSync(`${corpus}cloud-snitch/${PLAIN_KEY.split('/').pop()}`),
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'org-trail',
        Key: 'AWSLogs/333333333333/CloudTrail-Digest/us-east-1/2025/03/06/digest.json.gz',
        Body: gzipSync('{"digest": true}'),
      }),
    );
    const broken = gzipSync(JSON.stringify({ Records: [] })).subarray(0, 10);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'org-trail',
        Key: 'AWSLogs/333333333333/CloudTrail/us-east-1/2025/03/06/broken.json.gz',
        Body: broken,
      }),
    );

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const first = await collectUsage({ cloudtrail: 's3://org-trail/AWSLogs/', s3: s3Config, connection });
      expect(first.source.filesRead).toBe(2);
      expect(first.source.records).toBe(21);
      expect(first.source.unreadable).toEqual([
        {
          file: 's3://org-trail/AWSLogs/333333333333/CloudTrail/us-east-1/2025/03/06/broken.json.gz',
          problem: expect.any(String),
        },
      ]);
      expect(first.principals.map((p) => p.arn)).toContain('arn:aws:iam::222222222222:user/chris');

      const second = await collectUsage({ cloudtrail: 's3://org-trail/AWSLogs/', s3: s3Config, connection });
      expect(second.source.filesRead).toBe(0);
      expect(second.source.filesSkipped).toBe(2);
      expect(second.source.unreadable).toHaveLength(1);
      expect(second.principals.reduce((sum, p) => sum + p.events, 0)).toBe(21);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
