import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListRolesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, expect, it } from 'vitest';
import { describeWithMoto } from '../../test/harness/moto.js';
import { loadActionCatalog } from './actions.js';
import { buildLeastPrivilegePolicy } from './least-privilege.js';
import { collectUsage } from './scan.js';

const ACCOUNT = '123456789012';
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:user/deployer`;

function trailRecord(eventSource: string, eventName: string, resources: Array<{ ARN: string; type: string }>) {
  return {
    eventVersion: '1.09',
    eventTime: '2025-03-06T10:00:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6',
    userIdentity: {
      type: 'IAMUser',
      arn: DEPLOYER,
      accountId: ACCOUNT,
      accessKeyId: 'AKIADEPLOYER00000001',
      userName: 'deployer',
    },
    resources,
  };
}

describeWithMoto('least privilege from usage, replayed in moto with permission checks on', (moto) => {
  let root: string | undefined;
  afterEach(async () => {
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: 'inf' });
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('Given a user observed listing one bucket, reading one object, writing more objects than are kept to another bucket and listing roles, When its role is assumed, Then observed calls succeed, writes anywhere in that bucket succeed and unobserved calls are denied', async () => {
    const m = moto();
    const base = { endpoint: m.endpoint, region: m.region };
    const iam = new IAMClient({ ...base, credentials: m.credentials });
    const s3Setup = new S3Client({ ...base, credentials: m.credentials, forcePathStyle: true });

    // Given: the estate, and an admin key to act with once permission checks are on.
    for (const bucket of ['releases', 'secrets', 'exports'])
      await s3Setup.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3Setup.send(new PutObjectCommand({ Bucket: 'releases', Key: 'app.zip', Body: 'zip' }));
    await s3Setup.send(new PutObjectCommand({ Bucket: 'releases', Key: 'other.zip', Body: 'zip' }));
    await s3Setup.send(new PutObjectCommand({ Bucket: 'secrets', Key: 'db.txt', Body: 'x' }));
    await iam.send(new CreateUserCommand({ UserName: 'admin' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'admin',
        PolicyName: 'all',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    );
    const adminKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'admin' }))).AccessKey;

    // Given: the deployer's CloudTrail, read like any other log.
    root = mkdtempSync(join(tmpdir(), 'roleshift-lp-'));
    const day = join(root, `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2025/03/06`);
    mkdirSync(day, { recursive: true });
    const records = [
      trailRecord('s3.amazonaws.com', 'ListObjects', [{ ARN: 'arn:aws:s3:::releases', type: 'AWS::S3::Bucket' }]),
      trailRecord('s3.amazonaws.com', 'GetObject', [
        { ARN: 'arn:aws:s3:::releases/app.zip', type: 'AWS::S3::Object' },
        { ARN: 'arn:aws:s3:::releases', type: 'AWS::S3::Bucket' },
      ]),
      trailRecord('iam.amazonaws.com', 'ListRoles', []),
      trailRecord('sts.amazonaws.com', 'GetCallerIdentity', []),
      ...Array.from({ length: 25 }, (_, index) =>
        trailRecord('s3.amazonaws.com', 'PutObject', [
          { ARN: `arn:aws:s3:::exports/day-${index}.csv`, type: 'AWS::S3::Object' },
        ]),
      ),
    ];
    writeFileSync(join(day, 'trail.json'), JSON.stringify({ Records: records }));
    const usage = await collectUsage({ cloudtrail: root });
    const deployer = usage.principals.find((p) => p.arn === DEPLOYER);
    if (deployer === undefined) throw new Error('deployer not in usage');
    const { policy, perBucket } = buildLeastPrivilegePolicy(
      deployer.actions,
      await loadActionCatalog(deployer.actions.map((a) => a.action)),
    );
    if (policy === null) throw new Error('no policy');
    expect(perBucket).toEqual([{ action: 's3:PutObject', resources: ['arn:aws:s3:::exports/*'] }]);

    // moto matches trust principals literally (no `:root` expansion), so trust the admin user.
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'deployer-replacement',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'deployer-replacement',
        PolicyName: 'from-usage',
        PolicyDocument: JSON.stringify(policy),
      }),
    );

    // When: permission checks are on and the replacement role is assumed.
    await fetch(`${m.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    const sts = new STSClient({
      ...base,
      credentials: { accessKeyId: adminKey?.AccessKeyId ?? '', secretAccessKey: adminKey?.SecretAccessKey ?? '' },
    });
    const session = (
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer-replacement`,
          RoleSessionName: 'replay',
        }),
      )
    ).Credentials;
    const asRole = {
      accessKeyId: session?.AccessKeyId ?? '',
      secretAccessKey: session?.SecretAccessKey ?? '',
      sessionToken: session?.SessionToken ?? '',
    };
    const s3 = new S3Client({ ...base, credentials: asRole, forcePathStyle: true });
    const roleIam = new IAMClient({ ...base, credentials: asRole });

    // Then: what was observed works...
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: 'releases' }));
    expect(listing.Contents?.map((o) => o.Key).sort()).toEqual(['app.zip', 'other.zip']);
    const object = await s3.send(new GetObjectCommand({ Bucket: 'releases', Key: 'app.zip' }));
    expect(await object.Body?.transformToString()).toBe('zip');
    await s3.send(new PutObjectCommand({ Bucket: 'exports', Key: 'day-99.csv', Body: 'never seen, same bucket' }));
    expect(
      (await roleIam.send(new ListRolesCommand({}))).Roles?.some((r) => r.RoleName === 'deployer-replacement'),
    ).toBe(true);

    // ...and what was not observed is denied.
    await expect(s3.send(new GetObjectCommand({ Bucket: 'releases', Key: 'other.zip' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: 'secrets' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'releases', Key: 'new.zip', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'secrets', Key: 'day-1.csv', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'exports', Key: 'day-1.csv' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(roleIam.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
