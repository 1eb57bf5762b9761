/**
 * A generated estate for the effective-permissions benchmark: accounts in an Organization with
 * SCPs, users in groups with AWS and customer managed policies and inline policies, permissions
 * boundaries, NotAction allow-lists (PowerUserAccess), conditions (MFA, source IP, tags, time),
 * policy variables, and roles with every kind of trust (services with instance profiles, the
 * account root, named roles in chains, other accounts, an OIDC provider). A small share of the
 * principals can escalate, as in real estates. Deterministic: the same sizes give the same estate.
 */
import type { IamCatalog } from '../src/policy/action-catalog.js';
import type {
  Account,
  AttachedPolicy,
  Group,
  ManagedPolicy,
  PolicyDocument,
  Role,
  Snapshot,
  User,
} from '../src/model/snapshot.js';
import type { Organization } from '../src/model/organization.js';
import { NEVER, UNKNOWN, whenAt } from '../src/model/when.js';
import { buildAccount, buildSnapshot, buildUser } from '../test/fixtures/build-snapshot.js';

export interface EstateSize {
  accounts: number;
  users: number;
  roles: number;
}

const V = '2012-10-17';
const CREATED = whenAt('2025-01-01T00:00:00Z');

function doc(...statements: Array<Record<string, unknown>>): PolicyDocument {
  return { Version: V, Statement: statements };
}

function awsManaged(name: string, document: PolicyDocument, path = '/'): ManagedPolicy {
  return {
    arn: `arn:aws:iam::aws:policy${path}${name}`,
    name,
    path,
    awsManaged: true,
    attachmentCount: null,
    defaultVersionId: 'v1',
    document,
  };
}

/** ReadOnlyAccess-like: Get/List/Describe of every service in the catalogue, as one long statement. */
function readOnlyDocument(catalog: IamCatalog): PolicyDocument {
  const actions = catalog.services.flatMap((s) => [`${s}:Get*`, `${s}:List*`, `${s}:Describe*`]);
  return doc({ Effect: 'Allow', Action: actions, Resource: '*' });
}

export function awsManagedPolicies(catalog: IamCatalog): ManagedPolicy[] {
  return [
    awsManaged('AdministratorAccess', doc({ Effect: 'Allow', Action: '*', Resource: '*' })),
    awsManaged('ReadOnlyAccess', readOnlyDocument(catalog)),
    awsManaged(
      'PowerUserAccess',
      doc(
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: [
            'iam:CreateServiceLinkedRole',
            'iam:DeleteServiceLinkedRole',
            'iam:ListRoles',
            'organizations:DescribeOrganization',
            'account:ListRegions',
          ],
          Resource: '*',
        },
      ),
    ),
    awsManaged(
      'IAMFullAccess',
      doc({ Effect: 'Allow', Action: ['iam:*', 'organizations:Describe*', 'organizations:List*'], Resource: '*' }),
    ),
    awsManaged('AmazonS3FullAccess', doc({ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' })),
    awsManaged(
      'AmazonEC2FullAccess',
      doc({
        Effect: 'Allow',
        Action: ['ec2:*', 'elasticloadbalancing:*', 'cloudwatch:*', 'autoscaling:*'],
        Resource: '*',
      }),
    ),
    awsManaged(
      'AmazonSSMManagedInstanceCore',
      doc({
        Effect: 'Allow',
        Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*', 'ssm:GetParameter*'],
        Resource: '*',
      }),
    ),
  ];
}

function managedRef(policy: ManagedPolicy): AttachedPolicy {
  return { arn: policy.arn, name: policy.name };
}

function customerPolicy(accountId: string, name: string, document: PolicyDocument): ManagedPolicy {
  return {
    arn: `arn:aws:iam::${accountId}:policy/${name}`,
    name,
    path: '/',
    awsManaged: false,
    attachmentCount: null,
    defaultVersionId: 'v1',
    document,
  };
}

/** Each team's data access and deploy rights (which may pass the team's CloudFormation execution roles). */
function teamPolicies(accountId: string, teams: number): ManagedPolicy[] {
  const policy = (name: string, document: PolicyDocument) => customerPolicy(accountId, name, document);
  const out: ManagedPolicy[] = [];
  for (let t = 0; t < teams; t += 1) {
    out.push(
      policy(
        `team-${t}-data`,
        doc(
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
            Resource: [`arn:aws:s3:::team-${t}-*`, `arn:aws:s3:::team-${t}-*/*`],
          },
          { Effect: 'Allow', Action: 'dynamodb:*', Resource: `arn:aws:dynamodb:*:${accountId}:table/team-${t}-*` },
          {
            Effect: 'Allow',
            Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
            Resource: `arn:aws:sqs:*:${accountId}:team-${t}-*`,
          },
          {
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
          },
          {
            Effect: 'Deny',
            Action: 's3:DeleteBucket',
            Resource: '*',
            Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
          },
        ),
      ),
      policy(
        `team-${t}-deploy`,
        doc(
          {
            Effect: 'Allow',
            Action: ['lambda:UpdateFunctionCode', 'lambda:GetFunction'],
            Resource: `arn:aws:lambda:*:${accountId}:function:team-${t}-*`,
          },
          {
            Effect: 'Allow',
            Action: ['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DescribeStacks'],
            Resource: `arn:aws:cloudformation:*:${accountId}:stack/team-${t}-*/*`,
          },
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: `arn:aws:iam::${accountId}:role/team-${t}-cfn-exec-*`,
            Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
          },
          {
            Effect: 'Allow',
            Action: 'ec2:Describe*',
            Resource: '*',
            Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24'] } },
          },
        ),
      ),
    );
  }
  return out;
}

/** What every account shares: a boundary without IAM, self-service credentials, ABAC, a time window, two risky grants. */
function sharedPolicies(accountId: string): ManagedPolicy[] {
  const policy = (name: string, document: PolicyDocument) => customerPolicy(accountId, name, document);
  return [
    policy(
      'boundary-no-iam',
      doc(
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'sts:AssumeRole'], Resource: '*' },
        { Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
      ),
    ),
    policy(
      'self-service-credentials',
      doc({
        Effect: 'Allow',
        Action: [
          'iam:CreateAccessKey',
          'iam:DeleteAccessKey',
          'iam:UpdateAccessKey',
          'iam:ChangePassword',
          'iam:CreateVirtualMFADevice',
          'iam:EnableMFADevice',
        ],
        Resource: ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:mfa/${aws:username}'],
      }),
    ),
    policy(
      'abac-projects',
      doc({
        Effect: 'Allow',
        Action: ['ec2:StartInstances', 'ec2:StopInstances'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/project': '${aws:PrincipalTag/project}' } },
      }),
    ),
    policy(
      'business-hours',
      doc({
        Effect: 'Allow',
        Action: 'rds:*',
        Resource: '*',
        Condition: {
          DateGreaterThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' },
          DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' },
        },
      }),
    ),
    policy('ci-ec2-deployer', doc({ Effect: 'Allow', Action: ['ec2:RunInstances', 'iam:PassRole'], Resource: '*' })),
    policy(
      'legacy-iam-admin',
      doc({
        Effect: 'Allow',
        Action: ['iam:AttachUserPolicy', 'iam:CreateAccessKey', 'iam:UpdateAssumeRolePolicy'],
        Resource: '*',
      }),
    ),
  ];
}

/** Customer managed policies of one account. */
function customerPolicies(accountId: string, teams: number): ManagedPolicy[] {
  return [...teamPolicies(accountId, teams), ...sharedPolicies(accountId)];
}

function groups(accountId: string, teams: number, aws: ManagedPolicy[], own: ManagedPolicy[]): Group[] {
  const find = (list: ManagedPolicy[], name: string) => list.find((p) => p.name === name) as ManagedPolicy;
  const group = (name: string, attached: ManagedPolicy[], inline: Group['inlinePolicies'] = []): Group => ({
    arn: `arn:aws:iam::${accountId}:group/${name}`,
    name,
    groupId: null,
    path: '/',
    createDate: CREATED,
    attachedPolicies: attached.map(managedRef),
    inlinePolicies: inline,
  });
  const out = [
    group(
      'admins',
      [find(aws, 'AdministratorAccess')],
      [
        {
          name: 'require-mfa',
          document: doc({
            Effect: 'Deny',
            NotAction: [
              'iam:ChangePassword',
              'iam:CreateVirtualMFADevice',
              'iam:EnableMFADevice',
              'sts:GetSessionToken',
            ],
            Resource: '*',
            Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
          }),
        },
      ],
    ),
    group('operators', [find(aws, 'PowerUserAccess')]),
    group('readers', [find(aws, 'ReadOnlyAccess')]),
    group('self-service', [find(own, 'self-service-credentials')]),
  ];
  for (let t = 0; t < teams; t += 1)
    out.push(group(`team-${t}`, [find(own, `team-${t}-data`), find(aws, 'ReadOnlyAccess')]));
  return out;
}

function userOf(accountId: string, n: number, teams: number): User {
  const team = n % teams;
  const groupsOf = ['self-service', `team-${team}`];
  if (n % 97 === 0) groupsOf.push('admins');
  else if (n % 41 === 0) groupsOf.push('operators');
  else if (n % 5 === 0) groupsOf.push('readers');
  const attached: AttachedPolicy[] = [];
  if (n % 331 === 0)
    attached.push({ arn: `arn:aws:iam::${accountId}:policy/legacy-iam-admin`, name: 'legacy-iam-admin' });
  if (n % 13 === 0) attached.push({ arn: `arn:aws:iam::${accountId}:policy/abac-projects`, name: 'abac-projects' });
  if (n % 29 === 0) attached.push({ arn: `arn:aws:iam::${accountId}:policy/ci-ec2-deployer`, name: 'ci-ec2-deployer' });
  // One in ten deploys for the team: it may pass the team's CloudFormation execution roles.
  if (n % 10 === 0)
    attached.push({ arn: `arn:aws:iam::${accountId}:policy/team-${team}-deploy`, name: `team-${team}-deploy` });
  const inline =
    n % 3 === 0
      ? [
          {
            name: 'home-prefix',
            document: doc(
              {
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject'],
                Resource: 'arn:aws:s3:::home-bucket/${aws:username}/*',
              },
              {
                Effect: 'Allow',
                Action: 's3:ListBucket',
                Resource: 'arn:aws:s3:::home-bucket',
                Condition: { StringLike: { 's3:prefix': ['${aws:username}/*'] } },
              },
            ),
          },
        ]
      : [];
  return buildUser(
    `user-${n}`,
    {
      userId: `AIDA${String(n).padStart(16, '0')}`,
      tags: { project: `p${n % 17}`, team: `team-${team}` },
      groups: groupsOf,
      attachedPolicies: attached,
      inlinePolicies: inline,
      permissionsBoundary:
        n % 5 === 1 ? { arn: `arn:aws:iam::${accountId}:policy/boundary-no-iam`, type: 'Policy' } : null,
      password: { enabled: n % 2 === 0, lastUsed: NEVER, lastChanged: NEVER, nextRotation: NEVER },
    },
    accountId,
  );
}

function trust(...statements: Array<Record<string, unknown>>): PolicyDocument {
  return doc(...statements.map((s) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', ...s })));
}

interface RoleKind {
  name: string;
  trustPolicy: PolicyDocument;
  attached: AttachedPolicy[];
  profile?: boolean;
}

/** The kinds of role an account holds, one in seven of each: service roles, execution roles, cross-account, admin, chains, CI. */
function roleKinds(
  accountId: string,
  n: number,
  teams: number,
  accountIds: string[],
  aws: ManagedPolicy[],
): RoleKind[] {
  const team = n % teams;
  const find = (name: string) => managedRef(aws.find((p) => p.name === name) as ManagedPolicy);
  return [
    {
      name: `team-${team}-lambda-${n}`,
      trustPolicy: trust({ Principal: { Service: 'lambda.amazonaws.com' } }),
      attached: [{ arn: `arn:aws:iam::${accountId}:policy/team-${team}-data`, name: `team-${team}-data` }],
    },
    {
      name: `team-${team}-ec2-${n}`,
      trustPolicy: trust({ Principal: { Service: 'ec2.amazonaws.com' } }),
      attached: [find('AmazonSSMManagedInstanceCore')],
      profile: true,
    },
    {
      name: `team-${team}-cfn-exec-${n}`,
      trustPolicy: trust({ Principal: { Service: 'cloudformation.amazonaws.com' } }),
      attached: [find(n % 50 === 2 ? 'AdministratorAccess' : 'PowerUserAccess')],
    },
    {
      name: `audit-${n}`,
      trustPolicy: trust({
        Principal: { AWS: `arn:aws:iam::${accountIds[(n + 1) % accountIds.length]}:root` },
        Condition: { StringEquals: { 'sts:ExternalId': `ext-${n}` } },
      }),
      attached: [find('ReadOnlyAccess')],
    },
    {
      name: `ops-admin-${n}`,
      trustPolicy: trust({
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
      attached: [find(n % 10 === 4 ? 'AdministratorAccess' : 'PowerUserAccess')],
    },
    {
      name: `chain-${n}`,
      trustPolicy: trust({ Principal: { AWS: `arn:aws:iam::${accountId}:role/team-${team}-lambda-${n - 5}` } }),
      attached: [find(n % 20 === 5 ? 'IAMFullAccess' : 'ReadOnlyAccess')],
    },
    {
      name: `gha-${n}`,
      trustPolicy: doc({
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': `repo:acme/app-${n}:ref:refs/heads/main` },
        },
      }),
      attached: [{ arn: `arn:aws:iam::${accountId}:policy/team-${team}-deploy`, name: `team-${team}-deploy` }],
    },
  ];
}

function roleOf(accountId: string, n: number, teams: number, accountIds: string[], aws: ManagedPolicy[]): Role {
  const team = n % teams;
  const kinds = roleKinds(accountId, n, teams, accountIds, aws);
  const kind = kinds[n % kinds.length] as RoleKind;
  return {
    arn: `arn:aws:iam::${accountId}:role/${kind.name}`,
    name: kind.name,
    roleId: `AROA${String(n).padStart(16, '0')}`,
    path: '/',
    createDate: CREATED,
    description: null,
    maxSessionDuration: 3600,
    tags: { team: `team-${team}` },
    trustPolicy: kind.trustPolicy,
    attachedPolicies: kind.attached,
    inlinePolicies:
      n % 4 === 0
        ? [
            {
              name: 'logs',
              document: doc({
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: `arn:aws:logs:*:${accountId}:log-group:/team-${team}/*`,
              }),
            },
          ]
        : [],
    permissionsBoundary:
      n % 6 === 3 ? { arn: `arn:aws:iam::${accountId}:policy/boundary-no-iam`, type: 'Policy' } : null,
    lastUsed: UNKNOWN,
    lastUsedRegion: null,
    instanceProfiles: kind.profile ? [`arn:aws:iam::${accountId}:instance-profile/${kind.name}`] : [],
  };
}

function organization(accountIds: string[]): Organization {
  const scp = (id: string, name: string, document: PolicyDocument, targets: string[]) => ({
    id,
    arn: `arn:aws:organizations::${accountIds[0]}:policy/o-bench/service_control_policy/${id}`,
    name,
    awsManaged: name === 'FullAWSAccess',
    document,
    targets: targets.map((targetId) => ({
      targetId,
      type: targetId.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT',
      name: targetId,
    })),
  });
  return {
    id: 'o-bench00001',
    managementAccountId: accountIds[0] as string,
    accounts: accountIds.map((accountId, i) => ({
      accountId,
      name: `account-${i}`,
      status: 'ACTIVE',
      ouPath: ['Root', i % 2 === 0 ? 'Prod' : 'Dev'],
      ouIds: ['r-root', i % 2 === 0 ? 'ou-prod' : 'ou-dev'],
      joinedAt: CREATED,
    })),
    scps: [
      scp('p-full', 'FullAWSAccess', doc({ Effect: 'Allow', Action: '*', Resource: '*' }), [
        'r-root',
        'ou-prod',
        'ou-dev',
        ...accountIds,
      ]),
      scp(
        'p-leave',
        'DenyLeaveOrganization',
        doc({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
        ['r-root'],
      ),
      scp(
        'p-regions',
        'DenyOtherRegions',
        doc({
          Effect: 'Deny',
          NotAction: ['iam:*', 'sts:*', 'organizations:*', 'support:*'],
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
        }),
        ['ou-prod'],
      ),
    ],
  };
}

/** The estate: `users` and `roles` spread over `accounts` accounts of one Organization. */
export function permissionsEstate(size: EstateSize, catalog: IamCatalog): Snapshot {
  const teams = 20;
  const aws = awsManagedPolicies(catalog);
  const accountIds = Array.from({ length: size.accounts }, (_, i) => String(200000000000 + i * 7919));
  const accounts: Account[] = accountIds.map((accountId, a) => {
    const own = customerPolicies(accountId, teams);
    const users = Array.from({ length: Math.ceil(size.users / size.accounts) }, (_, i) =>
      userOf(accountId, a * 100_000 + i, teams),
    );
    const roles = Array.from({ length: Math.ceil(size.roles / size.accounts) }, (_, i) =>
      roleOf(accountId, a * 100_000 + i, teams, accountIds, aws),
    );
    return buildAccount(accountId, { users, roles, groups: groups(accountId, teams, aws, own), policies: own });
  });
  return buildSnapshot(accounts, { organization: organization(accountIds), awsManagedPolicies: aws });
}
