import { fileURLToPath } from 'node:url';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, expect, it } from 'vitest';
import { collectUsage } from '../../src/activity/scan.js';
import { classifyUsers } from '../../src/assess/classify.js';
import { collectFromFiles } from '../../src/collect/files.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { planMigration } from '../../src/plan/plan.js';
import type { RoleArtifact } from '../../src/plan/types.js';
import { usageByUser } from '../../src/plan/usage.js';
import { describeWithMoto } from '../harness/moto.js';
import { CATALOG } from './estate.js';

/**
 * The demo deploy role, planned from the demo's CloudTrail, replayed in moto with its permission
 * checks on. moto checks S3 calls against their bucket and object, but never iam:PassRole and
 * only `*` as a CloudFormation resource: the role's CloudFormation calls and PassRole are proven
 * by the evaluator (the plan's proof), not here.
 */
const ESTATE = fileURLToPath(new URL('../../examples/demo-estate/', import.meta.url));
const DEMO_ACCOUNT = '222222222222';
const MOTO_ACCOUNT = '123456789012';
const AS_OF = new Date('2026-11-20T00:00:00Z');

async function plannedDeployRole(): Promise<RoleArtifact> {
  const snapshot = await collectFromFiles(ESTATE, { now: () => AS_OF });
  const usage = await collectUsage({ cloudtrail: `${ESTATE}cloudtrail` });
  const plan = planMigration(snapshot, {
    classifications: classifyUsers(snapshot, { config: DEFAULT_CONFIG }),
    usage: usageByUser(usage),
    config: DEFAULT_CONFIG,
    now: AS_OF,
    externalIdSeed: 'demo-seed-0001',
    catalog: CATALOG,
  });
  const deploy = plan.users.find((user) => user.userName === 'github-actions-deploy');
  const role = deploy?.artifacts.find((artifact): artifact is RoleArtifact => artifact.kind === 'role');
  if (!role) throw new Error('the demo deploy user has no planned role');
  return role;
}

describeWithMoto('the demo deploy role replayed in moto with permission checks on', (moto) => {
  afterEach(async () => {
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: 'inf' });
  });

  it('Given the role planned from the demo CloudTrail, When its S3 upload is replayed as the role, Then it succeeds, and calls outside the plan are denied', async () => {
    const role = await plannedDeployRole();
    expect(role.permissions.source).toBe('usage');
    // The demo lives in account 222222222222; moto's is 123456789012.
    const policy = JSON.stringify(role.permissions.inlinePolicy).replaceAll(DEMO_ACCOUNT, MOTO_ACCOUNT);
    const m = moto();
    const base = { endpoint: m.endpoint, region: m.region };
    const iam = new IAMClient({ ...base, credentials: m.credentials });
    const setupS3 = new S3Client({ ...base, credentials: m.credentials, forcePathStyle: true });
    for (const bucket of ['acme-webapp-assets', 'acme-finance-exports'])
      await setupS3.send(new CreateBucketCommand({ Bucket: bucket }));
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
    // moto matches trust principals literally: the admin user stands in for GitHub's OIDC token.
    await iam.send(
      new CreateRoleCommand({
        RoleName: role.name,
        Path: role.path,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:user/admin` },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: role.name, PolicyName: 'permissions', PolicyDocument: policy }),
    );

    await fetch(`${m.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    const sts = new STSClient({
      ...base,
      credentials: { accessKeyId: adminKey?.AccessKeyId ?? '', secretAccessKey: adminKey?.SecretAccessKey ?? '' },
    });
    const session = (
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role${role.path}${role.name}`,
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

    await s3.send(new PutObjectCommand({ Bucket: 'acme-webapp-assets', Key: 'static/app.js', Body: 'js' }));

    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'acme-finance-exports', Key: 'x.csv', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(s3.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(new IAMClient({ ...base, credentials: asRole }).send(new ListUsersCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });
});
