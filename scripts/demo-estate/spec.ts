/** Acme's estate as data: the one spec that drives seeding, the overlay and the CloudTrail sample. */
import type { Json } from './ids.js';

/** Every date in the estate is relative to this instant; tests scan it with `now` = AS_OF. */
export const AS_OF = '2026-11-20T00:00:00Z';
export const ORG_ID = 'o-acme12345';
export const REGION = 'us-east-1';

type PolicyDoc = { Version: '2012-10-17'; Statement: Record<string, unknown>[] };

export interface KeySpec {
  created: string;
  status?: 'Active' | 'Inactive';
  lastUsed?: { at: string; region: string; service: string };
}

interface UserSpec {
  name: string;
  path?: string;
  created: string;
  tags?: Record<string, string>;
  password?: { changed: string; lastUsed?: string };
  mfa?: { kind: 'virtual' | 'hardware'; enabled: string };
  keys?: KeySpec[];
  groups?: string[];
  managed?: string[];
  inline?: Record<string, PolicyDoc>;
}

interface GroupSpec {
  name: string;
  created: string;
  managed?: string[];
  inline?: Record<string, PolicyDoc>;
}

interface PolicySpec {
  name: string;
  created: string;
  description: string;
  document: PolicyDoc;
}

interface RoleSpec {
  name: string;
  path?: string;
  created: string;
  description?: string;
  trust: PolicyDoc;
  managed?: string[];
  inline?: Record<string, PolicyDoc>;
  tags?: Record<string, string>;
  lastUsed?: { at: string; region: string };
  instanceProfile?: boolean;
  maxSessionDuration?: number;
}

interface RootSpec {
  created: string;
  passwordLastUsed?: string;
  mfa?: { kind: 'virtual' | 'hardware'; enabled: string };
  key?: KeySpec;
}

export interface AccountSpec {
  id: string;
  name: string;
  alias: string;
  root: RootSpec;
  users: UserSpec[];
  groups: GroupSpec[];
  policies: PolicySpec[];
  roles: RoleSpec[];
  oidcProviders: { url: string; clientIds: string[]; thumbprints: string[]; created: string }[];
  samlProviders: { name: string; created: string; validUntil: string }[];
  /** GetAccountPasswordPolicy's PasswordPolicy; null: the account has none (AWS answers NoSuchEntity). */
  passwordPolicy: Json | null;
  /** ListServerCertificates' entries (moto needs a real certificate to upload one, so they are written from here). */
  serverCertificates: Json[];
}

export const MGMT = '111111111111';
export const PROD = '222222222222';
export const DEV = '333333333333';
const VENDOR_ACCOUNT = '999988887777';
export const SSO_HASH_ADMIN = '3f4a9c2e81d07b65';
export const SSO_HASH_READONLY = '8b21d5e0c94fa713';
export const SSO_PROVIDER = 'AWSSSO_9c1e2b7a4d6f3058_DO_NOT_DELETE';

const awsPolicy = (name: string): string => `arn:aws:iam::aws:policy/${name}`;
const allow = (Action: string | string[], Resource: string | string[], extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});
const doc = (...Statement: Record<string, unknown>[]): PolicyDoc => ({ Version: '2012-10-17', Statement });

function githubTrust(account: string, condition: Record<string, Record<string, string | string[]>>): PolicyDoc {
  return doc({
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: condition,
  });
}
const serviceTrust = (service: string): PolicyDoc =>
  doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
const accountTrust = (account: string): PolicyDoc =>
  doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' });
function ssoTrust(account: string): PolicyDoc {
  return doc({
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${account}:saml-provider/${SSO_PROVIDER}` },
    Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
    Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
  });
}

const mariaTags = { email: 'maria.garcia@acme.example', team: 'platform' };

export const ACCOUNTS: AccountSpec[] = [
  {
    id: MGMT,
    name: 'management',
    alias: 'acme-management',
    root: {
      created: '2019-03-04T09:12:00Z',
      passwordLastUsed: '2026-08-14T10:03:00Z',
      mfa: { kind: 'hardware', enabled: '2019-03-04T09:30:00Z' },
    },
    groups: [{ name: 'Admins', created: '2019-03-04T09:40:00Z', managed: [awsPolicy('AdministratorAccess')] }],
    policies: [],
    users: [
      {
        name: 'maria.garcia',
        created: '2019-03-11T08:15:00Z',
        tags: mariaTags,
        password: { changed: '2026-06-02T07:58:00Z', lastUsed: '2026-11-18T08:41:00Z' },
        mfa: { kind: 'virtual', enabled: '2019-03-11T08:20:00Z' },
        keys: [
          {
            created: '2025-12-01T09:00:00Z',
            lastUsed: { at: '2026-11-18T09:12:00Z', region: REGION, service: 'organizations' },
          },
        ],
        groups: ['Admins'],
      },
      {
        name: 'tom.nguyen',
        created: '2021-04-19T13:22:00Z',
        tags: { team: 'platform' },
        password: { changed: '2025-02-03T10:11:00Z', lastUsed: '2026-11-16T07:55:00Z' },
        keys: [
          {
            created: '2021-04-19T13:25:00Z',
            lastUsed: { at: '2026-11-14T15:31:00Z', region: REGION, service: 'organizations' },
          },
        ],
        groups: ['Admins'],
      },
      {
        name: 'li.chen',
        created: '2022-09-05T09:00:00Z',
        tags: { email: 'li.chen@acme.example', team: 'finance' },
        password: { changed: '2026-03-09T08:30:00Z', lastUsed: '2026-11-03T14:20:00Z' },
        managed: [awsPolicy('job-function/Billing')],
      },
      {
        name: 'breakglass-admin',
        created: '2019-03-04T10:00:00Z',
        tags: {
          purpose: 'break-glass emergency access; credentials sealed in the office safe',
          owner: 'security-team',
        },
        password: { changed: '2026-01-15T11:00:00Z', lastUsed: '2026-01-15T11:04:00Z' },
        mfa: { kind: 'hardware', enabled: '2019-03-04T10:05:00Z' },
        managed: [awsPolicy('AdministratorAccess')],
      },
    ],
    roles: [
      {
        name: `AWSReservedSSO_AdministratorAccess_${SSO_HASH_ADMIN}`,
        path: '/aws-reserved/sso.amazonaws.com/',
        created: '2023-06-12T09:00:00Z',
        trust: ssoTrust(MGMT),
        managed: [awsPolicy('AdministratorAccess')],
        lastUsed: { at: '2026-11-19T08:32:00Z', region: REGION },
        maxSessionDuration: 43200,
      },
      {
        name: `AWSReservedSSO_ReadOnlyAccess_${SSO_HASH_READONLY}`,
        path: '/aws-reserved/sso.amazonaws.com/',
        created: '2023-06-12T09:00:00Z',
        trust: ssoTrust(MGMT),
        managed: [awsPolicy('ReadOnlyAccess')],
        lastUsed: { at: '2026-11-19T13:10:00Z', region: REGION },
        maxSessionDuration: 43200,
      },
    ],
    oidcProviders: [],
    samlProviders: [{ name: SSO_PROVIDER, created: '2023-06-12T08:55:00Z', validUntil: '2123-06-12T08:55:00Z' }],
    passwordPolicy: {
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    },
    serverCertificates: [],
  },
  {
    id: PROD,
    name: 'prod',
    alias: 'acme-prod',
    root: {
      created: '2019-05-14T12:00:00Z',
      passwordLastUsed: '2025-03-02T09:45:00Z',
      mfa: { kind: 'virtual', enabled: '2019-05-14T12:10:00Z' },
    },
    groups: [{ name: 'ProdReadOnly', created: '2019-05-20T08:00:00Z', managed: [awsPolicy('ReadOnlyAccess')] }],
    policies: [
      {
        name: 'github-actions-deploy-webapp',
        created: '2023-02-07T10:00:00Z',
        description: 'Deploy acme/webapp: static assets to S3 and the CloudFormation stack',
        document: doc(
          allow(['s3:PutObject', 's3:DeleteObject', 's3:GetObject'], 'arn:aws:s3:::acme-webapp-assets/*'),
          allow('s3:ListBucket', 'arn:aws:s3:::acme-webapp-assets'),
          allow(
            [
              'cloudformation:CreateChangeSet',
              'cloudformation:DescribeChangeSet',
              'cloudformation:ExecuteChangeSet',
              'cloudformation:DescribeStacks',
              'cloudformation:DescribeStackEvents',
            ],
            `arn:aws:cloudformation:${REGION}:${PROD}:stack/webapp-*/*`,
          ),
          allow('iam:PassRole', `arn:aws:iam::${PROD}:role/cfn-exec-webapp`),
        ),
      },
    ],
    users: [
      {
        name: 'maria.garcia',
        created: '2019-05-20T08:10:00Z',
        tags: mariaTags,
        password: { changed: '2026-03-02T08:00:00Z', lastUsed: '2026-11-17T16:05:00Z' },
        mfa: { kind: 'virtual', enabled: '2019-05-20T08:12:00Z' },
        keys: [
          {
            created: '2026-02-11T09:30:00Z',
            lastUsed: { at: '2026-11-19T10:22:00Z', region: REGION, service: 'logs' },
          },
        ],
        groups: ['ProdReadOnly'],
      },
      {
        name: 'github-actions-deploy',
        created: '2023-02-07T10:05:00Z',
        tags: { purpose: 'deploy acme/webapp from GitHub Actions', owner: 'platform-team' },
        keys: [
          {
            created: '2023-02-07T10:06:00Z',
            lastUsed: { at: '2026-11-19T16:47:00Z', region: REGION, service: 'cloudformation' },
          },
        ],
        managed: [`arn:aws:iam::${PROD}:policy/github-actions-deploy-webapp`],
      },
      {
        name: 'vercel-app',
        created: '2024-06-18T14:00:00Z',
        tags: { team: 'web', purpose: 'acme storefront on Vercel reads sessions and uploads' },
        keys: [
          {
            created: '2024-06-18T14:02:00Z',
            lastUsed: { at: '2026-11-19T23:40:00Z', region: REGION, service: 'dynamodb' },
          },
        ],
        inline: {
          'storefront-data': doc(
            allow(
              ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
              `arn:aws:dynamodb:${REGION}:${PROD}:table/storefront-sessions`,
            ),
            allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-storefront-uploads/*'),
          ),
        },
      },
      {
        name: 'backup-onprem-nas',
        created: '2022-01-10T19:00:00Z',
        tags: { purpose: 'nightly backup from the office NAS', team: 'it' },
        keys: [
          { created: '2025-01-09T18:00:00Z', lastUsed: { at: '2026-11-19T02:14:00Z', region: REGION, service: 's3' } },
        ],
        inline: {
          'nas-backup-bucket': doc(
            allow(
              ['s3:PutObject', 's3:ListBucket', 's3:GetObject'],
              ['arn:aws:s3:::acme-nas-backups', 'arn:aws:s3:::acme-nas-backups/*'],
            ),
          ),
        },
      },
      {
        name: 'signing-service-partner',
        created: '2023-08-21T11:00:00Z',
        tags: {
          purpose: 'third-party code signing; vendor cannot assume roles',
          owner: 'security-team',
          vendor: 'Sigstream Ltd',
        },
        keys: [
          { created: '2026-09-01T10:00:00Z', lastUsed: { at: '2026-11-18T12:03:00Z', region: REGION, service: 's3' } },
        ],
        inline: {
          'signing-exchange': doc(
            allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-release-artifacts/signing/*', {
              Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.45/32' } },
            }),
          ),
        },
      },
      {
        name: 'contractor-jdoe-s3',
        created: '2024-11-04T15:00:00Z',
        tags: { contractor: 'Northwind Consulting' },
        keys: [
          {
            created: '2024-11-04T15:01:00Z',
            lastUsed: { at: '2025-10-28T15:20:00Z', region: 'eu-west-1', service: 's3' },
          },
        ],
        managed: [awsPolicy('AmazonS3FullAccess')],
      },
      {
        name: 'grafana-cloudwatch',
        path: '/service/',
        created: '2023-05-02T09:00:00Z',
        tags: { purpose: 'Grafana CloudWatch data source' },
        password: { changed: '2023-05-02T09:05:00Z', lastUsed: '2025-07-14T13:37:00Z' },
        keys: [
          {
            created: '2023-05-02T09:03:00Z',
            lastUsed: { at: '2026-11-19T23:55:00Z', region: REGION, service: 'monitoring' },
          },
        ],
        managed: [awsPolicy('CloudWatchReadOnlyAccess')],
      },
    ],
    roles: [
      {
        name: 'OrganizationAccountAccessRole',
        created: '2019-05-14T12:00:00Z',
        trust: accountTrust(MGMT),
        managed: [awsPolicy('AdministratorAccess')],
        lastUsed: { at: '2026-10-30T11:00:00Z', region: REGION },
      },
      {
        name: 'github-actions-webapp-deploy',
        created: '2026-09-15T10:00:00Z',
        description: 'acme/webapp main branch deploys (OIDC)',
        trust: githubTrust(PROD, {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:acme/webapp:ref:refs/heads/main',
          },
        }),
        managed: [`arn:aws:iam::${PROD}:policy/github-actions-deploy-webapp`],
        tags: { owner: 'platform-team' },
        lastUsed: { at: '2026-11-19T16:30:00Z', region: REGION },
      },
      {
        name: 'github-actions-org',
        created: '2025-04-02T10:00:00Z',
        description: 'Terraform from any acme repository',
        trust: githubTrust(PROD, {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' },
        }),
        managed: [awsPolicy('AdministratorAccess')],
        lastUsed: { at: '2026-11-18T11:02:00Z', region: REGION },
      },
      {
        name: 'observa-integration',
        created: '2024-02-20T13:00:00Z',
        description: 'Observa monitoring (vendor account 999988887777)',
        trust: accountTrust(VENDOR_ACCOUNT),
        managed: [awsPolicy('ReadOnlyAccess')],
        lastUsed: { at: '2026-11-19T22:00:00Z', region: REGION },
      },
      {
        name: 'cfn-exec-webapp',
        created: '2023-02-07T10:00:00Z',
        trust: serviceTrust('cloudformation.amazonaws.com'),
        inline: {
          'webapp-resources': doc(allow(['lambda:*', 'apigateway:*', 'dynamodb:*', 'cloudfront:*', 'logs:*'], '*')),
        },
        lastUsed: { at: '2026-11-19T16:47:00Z', region: REGION },
      },
      {
        name: 'lambda-thumbnailer',
        path: '/service-role/',
        created: '2024-03-11T10:00:00Z',
        trust: serviceTrust('lambda.amazonaws.com'),
        managed: [awsPolicy('service-role/AWSLambdaBasicExecutionRole')],
        inline: { 'uploads-read': doc(allow('s3:GetObject', 'arn:aws:s3:::acme-storefront-uploads/*')) },
        lastUsed: { at: '2026-11-19T21:14:00Z', region: REGION },
      },
      {
        name: 'ec2-webapp-instance',
        created: '2022-05-05T10:00:00Z',
        trust: serviceTrust('ec2.amazonaws.com'),
        managed: [awsPolicy('AmazonSSMManagedInstanceCore')],
        instanceProfile: true,
        lastUsed: { at: '2026-11-19T23:58:00Z', region: REGION },
      },
    ],
    oidcProviders: [
      {
        url: 'https://token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        created: '2025-04-02T09:55:00Z',
      },
    ],
    samlProviders: [],
    passwordPolicy: {
      MinimumPasswordLength: 8,
      RequireSymbols: false,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      AllowUsersToChangePassword: true,
      ExpirePasswords: true,
      MaxPasswordAge: 180,
      PasswordReusePrevention: 5,
    },
    serverCertificates: [
      {
        Path: '/cloudfront/',
        ServerCertificateName: 'shop-acme-example-2025',
        ServerCertificateId: 'ASCADEMOSHOPCERT2025X',
        Arn: `arn:aws:iam::${PROD}:server-certificate/cloudfront/shop-acme-example-2025`,
        UploadDate: '2025-01-14T10:20:00+00:00',
        Expiration: '2026-01-14T23:59:59+00:00',
      },
    ],
  },
  {
    id: DEV,
    name: 'dev',
    alias: 'acme-dev',
    root: {
      created: '2020-02-10T10:00:00Z',
      passwordLastUsed: '2024-01-15T16:20:00Z',
      key: { created: '2020-02-10T10:30:00Z', lastUsed: { at: '2026-07-03T08:10:00Z', region: REGION, service: 's3' } },
    },
    groups: [{ name: 'Developers', created: '2020-02-12T09:00:00Z', managed: [awsPolicy('PowerUserAccess')] }],
    policies: [],
    users: [
      {
        name: 'maria.garcia',
        created: '2020-02-12T09:10:00Z',
        tags: mariaTags,
        password: { changed: '2024-05-06T08:00:00Z', lastUsed: '2026-10-21T09:15:00Z' },
        keys: [
          {
            created: '2024-05-06T08:05:00Z',
            lastUsed: { at: '2026-09-30T17:40:00Z', region: REGION, service: 'lambda' },
          },
        ],
        groups: ['Developers'],
      },
      {
        name: 'alex.kim',
        created: '2021-08-30T09:00:00Z',
        tags: { email: 'alex.kim@acme.example', team: 'backend' },
        password: { changed: '2025-09-01T08:45:00Z', lastUsed: '2026-11-19T09:30:00Z' },
        keys: [
          {
            created: '2025-09-01T08:50:00Z',
            lastUsed: { at: '2026-11-19T17:02:00Z', region: REGION, service: 'lambda' },
          },
        ],
        managed: [awsPolicy('PowerUserAccess'), awsPolicy('IAMFullAccess')],
      },
      {
        name: 'priya.patel',
        created: '2022-03-14T09:00:00Z',
        tags: { team: 'backend' },
        password: { changed: '2026-04-01T08:00:00Z', lastUsed: '2026-11-18T08:02:00Z' },
        mfa: { kind: 'virtual', enabled: '2022-03-14T09:10:00Z' },
        keys: [
          { created: '2026-04-01T08:05:00Z', lastUsed: { at: '2026-11-18T15:44:00Z', region: REGION, service: 'ecr' } },
        ],
        groups: ['Developers'],
      },
      {
        name: 'sam.okafor',
        created: '2026-10-05T09:00:00Z',
        tags: { email: 'sam.okafor@acme.example', team: 'backend' },
        password: { changed: '2026-10-05T09:00:00Z' },
        keys: [{ created: '2026-10-05T09:00:00Z' }],
        groups: ['Developers'],
      },
      {
        name: 'etl-loader',
        created: '2021-11-22T10:00:00Z',
        keys: [
          {
            created: '2021-11-22T10:01:00Z',
            lastUsed: { at: '2026-11-19T03:05:00Z', region: REGION, service: 'glue' },
          },
          { created: '2025-06-30T12:00:00Z', lastUsed: { at: '2026-11-19T03:10:00Z', region: REGION, service: 's3' } },
        ],
        inline: {
          'etl-access': doc(
            allow(['glue:StartJobRun', 'glue:GetJobRun'], `arn:aws:glue:${REGION}:${DEV}:job/nightly-*`),
            allow(
              ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
              ['arn:aws:s3:::acme-dev-datalake', 'arn:aws:s3:::acme-dev-datalake/*'],
            ),
          ),
        },
      },
      {
        name: 'reports-cron',
        created: '2022-07-11T10:00:00Z',
        tags: { purpose: 'weekly KPI export from the reporting server' },
        keys: [
          {
            created: '2022-07-11T10:02:00Z',
            status: 'Inactive',
            lastUsed: { at: '2026-11-16T06:00:00Z', region: REGION, service: 'athena' },
          },
        ],
        inline: {
          'athena-reports': doc(
            allow(
              ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
              `arn:aws:athena:${REGION}:${DEV}:workgroup/reports`,
            ),
            allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::acme-dev-athena-results/*'),
          ),
        },
      },
    ],
    roles: [
      {
        name: 'OrganizationAccountAccessRole',
        created: '2020-02-10T10:00:00Z',
        trust: accountTrust(MGMT),
        managed: [awsPolicy('AdministratorAccess')],
        lastUsed: { at: '2026-11-02T09:00:00Z', region: REGION },
      },
      {
        name: 'lambda-dev-api',
        path: '/service-role/',
        created: '2023-01-20T10:00:00Z',
        trust: serviceTrust('lambda.amazonaws.com'),
        managed: [awsPolicy('service-role/AWSLambdaBasicExecutionRole')],
      },
    ],
    oidcProviders: [],
    samlProviders: [],
    passwordPolicy: null,
    serverCertificates: [],
  },
];
