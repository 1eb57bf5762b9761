import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
  ListPoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterEach, expect, it, vi } from 'vitest';
import { describeWithMoto, type Moto } from '../../../test/harness/moto.js';
import { collectLive } from '../../collect/live.js';
import { createEvaluator } from './evaluator.js';

/**
 * The evaluator against moto's own IAM enforcement (`POST /moto-api/reset-auth` with `0`): random
 * unconditional policies (inline, customer managed, through a group) on users of a real moto
 * account, the account scanned with the real collector, then every request both made with the
 * user's key and decided by the evaluator. moto ignores most conditions and permissions
 * boundaries, so the sample has neither; where moto departs from AWS, a case below names the AWS
 * documentation that settles it and checks both sides.
 */
const NOW = new Date('2026-11-20T00:00:00Z');
const ACCOUNT = '123456789012';
const BUCKET = 'lab-data';

const ACTIONS = [
  'iam:ListUsers',
  'iam:List*',
  'iam:*',
  'iam:ListRoles',
  'iam:Get*',
  's3:GetObject',
  's3:Get*',
  's3:*',
  's3:ListBucket',
  's3:PutObject',
  's3:DeleteObject',
  's3:*Object',
  '*',
  'ec2:*',
];
const RESOURCES = [
  '*',
  `arn:aws:s3:::${BUCKET}`,
  `arn:aws:s3:::${BUCKET}/*`,
  `arn:aws:s3:::${BUCKET}/logs/*`,
  'arn:aws:s3:::other-bucket/*',
  'arn:aws:s3:::lab-*',
  `arn:aws:iam::${ACCOUNT}:user/*`,
];

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource: string[];
}

const statementArb: fc.Arbitrary<Statement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Allow', 'Deny'),
    actions: fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }),
    notAction: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
    resources: fc.uniqueArray(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
  })
  .map(({ effect, actions, notAction, resources }) => ({
    Effect: effect,
    ...(notAction ? { NotAction: actions } : { Action: actions }),
    Resource: resources,
  }));

interface Policy {
  Version: string;
  Statement: Statement[];
}

const policyArb: fc.Arbitrary<Policy> = fc
  .array(statementArb, { minLength: 1, maxLength: 3 })
  .map((Statement) => ({ Version: '2012-10-17', Statement }));

/** Where a user's permissions come from: an inline policy, and sometimes a managed one and a group's. */
interface UserSpec {
  inline: Policy | { Version: string; Statement: unknown[] };
  managed: Policy | null;
  group: Policy | null;
}

const userArb: fc.Arbitrary<UserSpec> = fc.record({
  inline: policyArb,
  managed: fc.option(policyArb, { nil: null }),
  group: fc.option(policyArb, { nil: null }),
});

interface Request {
  label: string;
  action: string;
  resource: string;
  call: (clients: { iam: IAMClient; s3: S3Client }) => Promise<unknown>;
}

const REQUESTS: Request[] = [
  { label: 'ListUsers', action: 'iam:ListUsers', resource: '*', call: ({ iam }) => iam.send(new ListUsersCommand({})) },
  { label: 'ListRoles', action: 'iam:ListRoles', resource: '*', call: ({ iam }) => iam.send(new ListRolesCommand({})) },
  {
    label: 'ListPolicies',
    action: 'iam:ListPolicies',
    resource: '*',
    call: ({ iam }) => iam.send(new ListPoliciesCommand({ Scope: 'Local' })),
  },
  {
    label: 'ListObjectsV2',
    action: 's3:ListBucket',
    resource: `arn:aws:s3:::${BUCKET}`,
    call: ({ s3 }) => s3.send(new ListObjectsV2Command({ Bucket: BUCKET })),
  },
  {
    label: 'GetObject a.txt',
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${BUCKET}/a.txt`,
    call: ({ s3 }) => s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' })),
  },
  {
    label: 'GetObject logs/b.txt',
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${BUCKET}/logs/b.txt`,
    call: ({ s3 }) => s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'logs/b.txt' })),
  },
  {
    label: 'PutObject logs/new.txt',
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${BUCKET}/logs/new.txt`,
    call: ({ s3 }) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'logs/new.txt', Body: 'x' })),
  },
  {
    label: 'DeleteObject gone.txt',
    action: 's3:DeleteObject',
    resource: `arn:aws:s3:::${BUCKET}/gone.txt`,
    call: ({ s3 }) => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' })),
  },
];

function clients(moto: Moto, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const base = { endpoint: moto.endpoint, region: moto.region, credentials };
  return { iam: new IAMClient(base), s3: new S3Client({ ...base, forcePathStyle: true }) };
}

/** What moto answers: allowed, or denied with AccessDenied; any other error is a broken test. */
async function motoAllows(request: Request, c: { iam: IAMClient; s3: S3Client }): Promise<boolean> {
  try {
    await request.call(c);
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (/AccessDenied/.test(name)) return false;
    throw error;
  }
}

async function seedUser(iam: IAMClient, name: string, spec: UserSpec) {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: JSON.stringify(spec.inline) }),
  );
  if (spec.managed) {
    const created = await iam.send(
      new CreatePolicyCommand({ PolicyName: `${name}-managed`, PolicyDocument: JSON.stringify(spec.managed) }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: created.Policy?.Arn }));
  }
  if (spec.group) {
    await iam.send(new CreateGroupCommand({ GroupName: `${name}-group` }));
    await iam.send(
      new PutGroupPolicyCommand({
        GroupName: `${name}-group`,
        PolicyName: 'group-inline',
        PolicyDocument: JSON.stringify(spec.group),
      }),
    );
    await iam.send(new AddUserToGroupCommand({ GroupName: `${name}-group`, UserName: name }));
  }
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
  return { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
}

function sampleUsers(): UserSpec[] {
  return fc.sample(userArb, { seed: 20261120, numRuns: 12 });
}

function useMotoEnvironment(moto: Moto): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) vi.stubEnv(key, undefined);
  for (const [key, value] of Object.entries(moto.env()))
    if (key.startsWith('AWS_') && value !== undefined) vi.stubEnv(key, value);
}

describeWithMoto('the evaluator against moto enforcing IAM', (moto) => {
  afterEach(async () => {
    vi.unstubAllEnvs();
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: 'inf' });
  });

  it('Given users with random unconditional policies (inline, managed, through groups), When each makes every request, Then the evaluator agrees with moto on each one', async () => {
    const m = moto();
    const admin = clients(m, m.credentials);
    await admin.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const key of ['a.txt', 'logs/b.txt'])
      await admin.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));
    const users = sampleUsers();
    const keys: Array<{ accessKeyId: string; secretAccessKey: string }> = [];
    for (const [i, spec] of users.entries()) keys.push(await seedUser(admin.iam, `u${i}`, spec));

    useMotoEnvironment(m);
    const snapshot = await collectLive({ now: () => NOW });
    expect(snapshot.gaps).toEqual([]);
    const evaluator = createEvaluator(snapshot, { now: NOW });

    await fetch(`${m.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    const disagreements: string[] = [];
    let allowed = 0;
    for (const [i, credentials] of keys.entries()) {
      const principal = evaluator.principal(`arn:aws:iam::${ACCOUNT}:user/u${i}`);
      if (!principal) throw new Error(`u${i} is not in the snapshot`);
      const c = clients(m, credentials);
      for (const request of REQUESTS) {
        const verdict = evaluator.evaluate(principal, request.action, request.resource);
        const moto = await motoAllows(request, c);
        if (moto) allowed += 1;
        if ((verdict.decision === 'allowed') !== moto || verdict.decision === 'conditional')
          disagreements.push(
            `u${i} ${request.label}: moto ${moto ? 'allows' : 'denies'}, evaluator ${verdict.decision}`,
          );
      }
    }
    expect(disagreements).toEqual([]);
    // The sample must exercise both answers, or the comparison proves nothing.
    expect(allowed).toBeGreaterThan(10);
    expect(allowed).toBeLessThan(keys.length * REQUESTS.length - 10);
  });

  it('Given an action written in another case, When moto enforces it, Then moto denies where AWS allows: "action names are case insensitive" (IAM User Guide, IAM JSON policy elements: Action)', async () => {
    const m = moto();
    const admin = clients(m, m.credentials);
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'IAM:listusers', Resource: '*' }] };
    const key = await seedUser(admin.iam, 'mixed-case', { inline: policy, managed: null, group: null });
    useMotoEnvironment(m);
    const snapshot = await collectLive({ now: () => NOW });
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const principal = evaluator.principal(`arn:aws:iam::${ACCOUNT}:user/mixed-case`);
    if (!principal) throw new Error('not scanned');

    await fetch(`${m.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    const request = REQUESTS[0] as Request;
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    expect(await motoAllows(request, clients(m, key))).toBe(false);
    expect(evaluator.evaluate(principal, request.action, request.resource).decision).toBe('allowed');
  });
});
