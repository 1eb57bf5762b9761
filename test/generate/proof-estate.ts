/**
 * An estate whose replacements each pass or fail one proof, with the calls CloudTrail showed:
 * `deployer` passes roles (proven); `dana`'s policy names ${aws:username}, which a permission-set
 * session lacks (fails a); `bounded` loses its boundary in a mirror (fails b); `reader` read an
 * object and its tags without CloudTrail naming them, and is denied the objects of one bucket
 * today but not their tags (fails b for the read alone).
 */
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Classification } from '../../src/model/classification.js';
import type { ManagedPolicy, PolicyDocument, Role, User } from '../../src/model/snapshot.js';
import type { ActionUsage } from '../../src/model/usage.js';
import { UNKNOWN } from '../../src/model/when.js';
import { planMigration } from '../../src/plan/plan.js';
import type { MigrationPlan, UsageByUser } from '../../src/plan/types.js';
import { buildGroup } from '../assess/builders.js';
import { buildAccount, buildSnapshot, buildUser } from '../fixtures/build-snapshot.js';
import { CATALOG, NOW, SEED } from './estate.js';

export const ACCOUNT = '123456789012';
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
/** The plan of the proof estate. */
export function proofEstatePlan(): MigrationPlan {
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
    // Group members alike but for a tag the group's Deny reads: their mirrored reads share no proof.
    ...['open', 'restricted'].map((team) =>
      buildUser(`tagged-${team}`, { groups: ['readers'], tags: { team } }, ACCOUNT),
    ),
    // Mirrored without CloudTrail: a role has no aws:username, so the self-service Allow grants it
    // nothing and the mirror is no wider; a Deny on the same variable would be lost, so that
    // mirror is proven over every request.
    buildUser(
      'self-service',
      {
        inlinePolicies: [
          inline(
            'own-keys',
            doc(
              allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`),
              allow('s3:GetObject', '*'),
            ),
          ),
        ],
      },
      ACCOUNT,
    ),
    buildUser(
      'self-deny',
      {
        inlinePolicies: [
          inline(
            'not-own-home',
            doc(allow('s3:GetObject', '*'), {
              Effect: 'Deny',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::home/${aws:username}/*',
            }),
          ),
        ],
      },
      ACCOUNT,
    ),
    buildUser(
      'reader',
      {
        inlinePolicies: [
          inline(
            'read',
            doc(allow(['s3:GetObject', 's3:GetObjectTagging'], '*'), {
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
      groups: [
        buildGroup(
          'readers',
          {
            inlinePolicies: [
              inline(
                'read-unless-restricted',
                doc(allow('s3:GetObject', '*'), {
                  Effect: 'Deny',
                  Action: 's3:GetObject',
                  Resource: '*',
                  Condition: { StringEquals: { 'aws:PrincipalTag/team': 'restricted' } },
                }),
              ),
            ],
          },
          ACCOUNT,
        ),
      ],
      // Identity Center in use: people get permission sets (a standalone account would get aws login).
      identityCenter: { inUse: true, evidence: ['AWSReservedSSO_ReadOnly'] },
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
    [arn('tagged-open')]: { actions: [call('s3:GetObject')] },
    [arn('tagged-restricted')]: { actions: [call('s3:GetObject')] },
    [arn('reader')]: { actions: [call('s3:GetObject'), call('s3:GetObjectTagging')] },
  };
  const plan = planMigration(snapshot, {
    classifications: [
      classification('deployer', { class: 'ci-cd', ciProvider: 'github-actions' }),
      classification('dana', { class: 'human', personKey: 'email:dana@acme.example' }),
      classification('bounded', { class: 'workload', runsOn: 'lambda' }),
      classification('reader', { class: 'workload', runsOn: 'ecs' }),
      classification('self-service', { class: 'workload', runsOn: 'ecs' }),
      classification('self-deny', { class: 'workload', runsOn: 'ecs' }),
      classification('tagged-open', { class: 'workload', runsOn: 'ecs' }),
      classification('tagged-restricted', { class: 'workload', runsOn: 'ecs' }),
    ],
    usage,
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
  return plan;
}
