import { describe, expect, it } from 'vitest';
import { buildAccount, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { CATALOG, NOW, SEED } from '../../../test/generate/estate.js';
import { DEFAULT_CONFIG } from '../../config.js';
import type { Classification } from '../../model/classification.js';
import type { ManagedPolicy, PolicyDocument, Role, User } from '../../model/snapshot.js';
import type { ActionUsage } from '../../model/usage.js';
import { UNKNOWN } from '../../model/when.js';
import { createEvaluator } from '../../policy/evaluator/evaluator.js';
import { planMigration } from '../plan.js';
import type { StrategyContext } from '../strategies/context.js';
import type { RoleArtifact, UsageByUser, UserPlan } from '../types.js';
import { proveTrust } from './trust.js';

const ACCOUNT = '123456789012';
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const allow = (Action: string | string[], Resource: string | string[]) => ({ Effect: 'Allow', Action, Resource });
const doc = (...Statement: unknown[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const call = (action: string, resources: string[] = [], extra: Partial<ActionUsage> = {}): ActionUsage => ({
  action,
  mapped: true,
  events: 4,
  errors: 0,
  resources,
  ...extra,
});

function serviceRole(name: string, service: string, instanceProfiles: string[] = []): Role {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    roleId: null,
    path: '/',
    createDate: UNKNOWN,
    description: null,
    maxSessionDuration: 3600,
    tags: {},
    trustPolicy: doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }),
    attachedPolicies: [],
    inlinePolicies: [],
    permissionsBoundary: null,
    lastUsed: UNKNOWN,
    lastUsedRegion: null,
    instanceProfiles,
  };
}

const managed = (name: string, document: PolicyDocument): ManagedPolicy => ({
  arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
  name,
  path: '/',
  awsManaged: false,
  attachmentCount: 1,
  defaultVersionId: 'v1',
  document,
});

function inline(name: string, document: PolicyDocument): User['inlinePolicies'][number] {
  return { name, document };
}

/** Users whose replacements pass, and users whose replacements each fail one proof, with the calls CloudTrail showed. */
function estate(): { plan: UserPlan[] } {
  const users: User[] = [
    buildUser(
      'deployer',
      {
        tags: { github_repo: 'acme/web' },
        inlinePolicies: [
          inline(
            'deploy',
            doc(
              allow(
                ['cloudformation:CreateChangeSet', 'cloudformation:DescribeStacks'],
                `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/web-*/*`,
              ),
              allow(['ec2:RunInstances', 'lambda:CreateFunction'], '*'),
              allow('iam:PassRole', [`arn:aws:iam::${ACCOUNT}:role/cfn-exec`, `arn:aws:iam::${ACCOUNT}:role/web-*`]),
            ),
          ),
        ],
      },
      ACCOUNT,
    ),
    buildUser(
      'dana',
      {
        tags: { email: 'dana@acme.example' },
        inlinePolicies: [inline('home', doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*')))],
      },
      ACCOUNT,
    ),
    buildUser(
      'bounded',
      {
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }],
        permissionsBoundary: { arn: `arn:aws:iam::${ACCOUNT}:policy/s3-only`, type: 'Policy' },
      },
      ACCOUNT,
    ),
    buildUser(
      'reader',
      {
        inlinePolicies: [
          inline(
            'read',
            doc(allow('s3:GetObject', '*'), {
              Effect: 'Deny',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::secrets/*',
            }),
          ),
        ],
      },
      ACCOUNT,
    ),
  ];
  const snapshot = buildSnapshot([
    buildAccount(ACCOUNT, {
      users,
      roles: [
        serviceRole('cfn-exec', 'cloudformation.amazonaws.com'),
        serviceRole('web-instance', 'ec2.amazonaws.com', [`arn:aws:iam::${ACCOUNT}:instance-profile/web`]),
        serviceRole('web-fn', 'lambda.amazonaws.com'),
        serviceRole('web-other', 'lambda.amazonaws.com'),
      ],
      policies: [managed('s3-only', doc(allow('s3:*', '*')))],
    }),
  ]);
  const classification = (name: string, rest: Partial<Classification>): Classification => ({
    accountId: ACCOUNT,
    userName: name,
    userArn: arn(name),
    class: 'unknown',
    ciProvider: null,
    runsOn: null,
    confidence: 0.9,
    evidence: [],
    personKey: null,
    ...rest,
  });
  const usage: UsageByUser = {
    [arn('deployer')]: {
      actions: [
        call('cloudformation:CreateChangeSet', [], {
          requestValues: [`requestParameters.roleARN=arn:aws:iam::${ACCOUNT}:role/cfn-exec`],
        }),
        call('cloudformation:DescribeStacks'),
        call('ec2:RunInstances', [], { requestValues: ['requestParameters.iamInstanceProfile.name=web'] }),
        call('lambda:CreateFunction', [], { requestValuesIncomplete: true }),
        call('sts:GetCallerIdentity'),
      ],
    },
    [arn('dana')]: { actions: [call('s3:GetObject', ['arn:aws:s3:::home/dana/notes.txt', 'arn:aws:s3:::home'])] },
    [arn('reader')]: { actions: [call('s3:GetObject')] },
  };
  const plan = planMigration(snapshot, {
    classifications: [
      classification('deployer', { class: 'ci-cd', ciProvider: 'github-actions' }),
      classification('dana', { class: 'human', personKey: 'email:dana@acme.example' }),
      classification('bounded', { class: 'workload', runsOn: 'lambda' }),
      classification('reader', { class: 'workload', runsOn: 'ecs' }),
    ],
    usage,
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
  return { plan: plan.users };
}

const { plan } = estate();
const userPlan = (name: string): UserPlan => {
  const found = plan.find((user) => user.userName === name);
  if (found === undefined) throw new Error(`no plan for ${name}`);
  return found;
};
const policyOf = (user: UserPlan) =>
  (user.artifacts.find((artifact): artifact is RoleArtifact => artifact.kind === 'role')?.permissions.inlinePolicy
    ?.Statement ?? []) as Array<Record<string, unknown>>;

describe('replacement proofs', () => {
  it('Given a deploy user passing roles, When planned, Then PassRole is granted on exactly the roles its calls passed, per service, and the proof passes', () => {
    const deployer = userPlan('deployer');
    const passes = policyOf(deployer).filter((statement) => (statement.Action as string[]).includes('iam:PassRole'));
    expect(passes).toEqual([
      {
        Sid: 'PassRoleToCloudformation',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${ACCOUNT}:role/cfn-exec`],
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      },
      {
        Sid: 'PassRoleToEc2',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${ACCOUNT}:role/web-instance`],
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
      {
        // Which role CreateFunction passed was not kept: the granted scope, narrowed to roles Lambda can assume.
        Sid: 'PassRoleToLambda',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${ACCOUNT}:role/web-fn`, `arn:aws:iam::${ACCOUNT}:role/web-other`],
        Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      },
    ]);
    expect(policyOf(deployer).find((statement) => statement.Sid === 'Cloudformation')?.Resource).toEqual([
      `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/web-*/*`,
    ]);
    expect(deployer.proof?.verdict).toBe('proven');
    expect(deployer.proof?.observedAllowed).toMatchObject({ status: 'passed', failures: [] });
    expect(deployer.proof?.observedAllowed.checked).toBeGreaterThanOrEqual(5);
    expect(deployer.proof?.withinCurrent).toMatchObject({ status: 'passed', failures: [] });
    expect(deployer.proof?.trust).toMatchObject({ status: 'passed', checked: 1 });
    expect(deployer.blockers).toEqual([]);
  });

  it('Given a person whose policy names ${aws:username}, When mirrored into a permission set, Then the observed call fails proof (a) and blocks the plan', () => {
    const dana = userPlan('dana');
    expect(dana.strategy).toBe('identity-center');
    expect(dana.proof?.verdict).toBe('failed');
    expect(dana.proof?.observedAllowed.failures).toEqual([
      's3:GetObject on arn:aws:s3:::home/dana/notes.txt: denied to the replacement (no-allow)',
    ]);
    expect(dana.blockers).toContainEqual(
      expect.stringMatching(/^Proof failed: an observed call would be denied: s3:GetObject/),
    );
  });

  it('Given a user whose boundary narrows AdministratorAccess, When mirrored into a role without the boundary, Then proof (b) fails over the catalogue', () => {
    const bounded = userPlan('bounded');
    expect(bounded.proof?.withinCurrent.status).toBe('failed');
    expect(bounded.proof?.withinCurrent.failures[0]).toMatch(
      /the replacement allows it, the user is denied it today \(boundary/,
    );
    expect(bounded.proof?.withinCurrent.failures.some((line) => line.startsWith('s3:'))).toBe(false);
    expect(bounded.blockers).toContainEqual(
      expect.stringMatching(/^Proof failed: the replacement allows what the user may not do today/),
    );
  });

  it('Given a read seen without its resource and a Deny on one bucket today, When planned from usage, Then proof (b) finds the replacement wider', () => {
    const reader = userPlan('reader');
    expect(policyOf(reader)).toEqual([{ Sid: 'S3', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] }]);
    expect(reader.proof?.withinCurrent.failures).toEqual([
      's3:GetObject on every resource: the replacement allows it, the user is denied it today (explicit-deny: read)',
    ]);
  });

  it('Given a role trusting every AWS principal, When its trust is proven, Then proof (c) fails with the trust rule', () => {
    const snapshot = buildSnapshot([buildAccount(ACCOUNT)]);
    const role = {
      kind: 'role',
      accountId: ACCOUNT,
      name: 'wide',
      trustPolicy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
    } as RoleArtifact;
    const check = proveTrust({ snapshot, evaluator: createEvaluator(snapshot, { now: NOW }) } as StrategyContext, [
      role,
    ]);
    expect(check.status).toBe('failed');
    expect(check.failures[0]).toMatch(/^wide: trust-public \(critical\)/);
  });
});
