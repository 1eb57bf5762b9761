/**
 * Builds examples/demo-estate/: the fictional company Acme in the exact files the AWS CLI writes,
 * plus a CloudTrail sample in the S3 delivery layout.
 *
 * Why moto and the real CLI instead of hand-written JSON: the files then have the shapes the
 * CLI really produces (and the collector is tested against those shapes), and moto refuses what
 * AWS would refuse (a third access key, a policy on a missing user). What moto cannot produce
 * (old dates, last-used service and region, the root row, AWS-style ids) is overlaid afterwards
 * from the same spec, deterministically; README.md beside the output lists those fields.
 *
 * Run: npx tsx scripts/build-demo-estate.ts   (needs moto_server and aws on PATH)
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startMotoProcess } from '../test/harness/moto-process.js';

const execFileAsync = promisify(execFile);

/** Every date in the estate is relative to this instant; tests scan it with `now` = AS_OF. */
export const AS_OF = '2026-11-20T00:00:00Z';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'examples', 'demo-estate');
const ORG_ID = 'o-acme12345';
const REGION = 'us-east-1';

// ---------------------------------------------------------------------------------------------
// The spec: one place that drives seeding, the hand-set overlay and the CloudTrail sample.
// ---------------------------------------------------------------------------------------------

type PolicyDoc = { Version: '2012-10-17'; Statement: Record<string, unknown>[] };

interface KeySpec {
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

interface AccountSpec {
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

const MGMT = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333';
const VENDOR_ACCOUNT = '999988887777';
const SSO_HASH_ADMIN = '3f4a9c2e81d07b65';
const SSO_HASH_READONLY = '8b21d5e0c94fa713';
const SSO_PROVIDER = 'AWSSSO_9c1e2b7a4d6f3058_DO_NOT_DELETE';

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

// ---------------------------------------------------------------------------------------------
// Deterministic helpers
// ---------------------------------------------------------------------------------------------

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An AWS-shaped unique id (AIDA..., AROA..., AKIA...) derived from a stable seed. */
export function awsId(prefix: string, seed: string, length = 17): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < length; i++) id += BASE32[(digest[i] ?? 0) % 32];
  return prefix + id;
}

export function accessKeyIdOf(account: string, user: string, slot: number): string {
  return awsId('AKIA', `${account}/${user}/key${slot}`, 16);
}

/** The form AWS CLI v2 prints (and the one CLI v1 output is normalised to). */
function isoSeconds(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}

type Json = Record<string, unknown>;
const asRecord = (value: unknown): Json => (value !== null && typeof value === 'object' ? (value as Json) : {});
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asRecord) : []);
const byKey = (key: string) => (a: Json, b: Json) => String(a[key]).localeCompare(String(b[key]));
const tagList = (tags: Record<string, string> | undefined) =>
  Object.entries(tags ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Key, Value]) => ({ Key, Value }));

// ---------------------------------------------------------------------------------------------
// Seeding moto through the SDK
// ---------------------------------------------------------------------------------------------

interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

async function assumeInto(endpoint: string, account: string): Promise<SessionCredentials> {
  const sts = new STSClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIAMOTODEMOESTATE01', secretAccessKey: 'moto-demo-estate-not-a-secret' },
  });
  const answer = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'demo-estate',
    }),
  );
  const credentials = answer.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
    throw new Error(`moto returned no credentials for ${account}`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
  };
}

const SAML_METADATA = `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTExMTExMTExX2lucy1kZW1vYWNtZQ=="><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTExMTExMTExX2lucy1kZW1vYWNtZQ=="/></md:IDPSSODescriptor></md:EntityDescriptor>`;

async function seedAccount(iam: IAMClient, spec: AccountSpec): Promise<void> {
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: spec.alias }));
  for (const policy of spec.policies) {
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: policy.name,
        Description: policy.description,
        PolicyDocument: JSON.stringify(policy.document),
      }),
    );
  }
  for (const group of spec.groups) {
    await iam.send(new CreateGroupCommand({ GroupName: group.name }));
    for (const arn of group.managed ?? [])
      await iam.send(new AttachGroupPolicyCommand({ GroupName: group.name, PolicyArn: arn }));
    for (const [name, document] of Object.entries(group.inline ?? {})) {
      await iam.send(
        new PutGroupPolicyCommand({
          GroupName: group.name,
          PolicyName: name,
          PolicyDocument: JSON.stringify(document),
        }),
      );
    }
  }
  for (const user of spec.users) {
    await iam.send(
      new CreateUserCommand({
        UserName: user.name,
        Path: user.path ?? '/',
        Tags: user.tags ? tagList(user.tags) : undefined,
      }),
    );
    if (user.password) {
      // A throwaway value moto needs; it is never written anywhere.
      await iam.send(new CreateLoginProfileCommand({ UserName: user.name, Password: 'Demo-Estate-Only-1!' }));
    }
    for (const key of user.keys ?? []) {
      const created = await iam.send(new CreateAccessKeyCommand({ UserName: user.name }));
      if (key.status === 'Inactive' && created.AccessKey?.AccessKeyId) {
        await iam.send(
          new UpdateAccessKeyCommand({
            UserName: user.name,
            AccessKeyId: created.AccessKey.AccessKeyId,
            Status: 'Inactive',
          }),
        );
      }
    }
    if (user.mfa?.kind === 'virtual') {
      const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${user.name}-phone` }));
      const serial = device.VirtualMFADevice?.SerialNumber;
      if (!serial) throw new Error(`moto created no virtual MFA device for ${user.name}`);
      await iam.send(
        new EnableMFADeviceCommand({
          UserName: user.name,
          SerialNumber: serial,
          AuthenticationCode1: '123456',
          AuthenticationCode2: '234567',
        }),
      );
    } else if (user.mfa?.kind === 'hardware') {
      // A TOTP token's serial is not an ARN: that is what makes it "not virtual" to IAM.
      await iam.send(
        new EnableMFADeviceCommand({
          UserName: user.name,
          SerialNumber: awsId('GAHT', user.name, 8),
          AuthenticationCode1: '123456',
          AuthenticationCode2: '234567',
        }),
      );
    }
    for (const group of user.groups ?? [])
      await iam.send(new AddUserToGroupCommand({ UserName: user.name, GroupName: group }));
    for (const arn of user.managed ?? [])
      await iam.send(new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: arn }));
    for (const [name, document] of Object.entries(user.inline ?? {})) {
      await iam.send(
        new PutUserPolicyCommand({ UserName: user.name, PolicyName: name, PolicyDocument: JSON.stringify(document) }),
      );
    }
  }
  for (const role of spec.roles) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: role.name,
        Path: role.path ?? '/',
        Description: role.description,
        AssumeRolePolicyDocument: JSON.stringify(role.trust),
        MaxSessionDuration: role.maxSessionDuration,
        Tags: role.tags ? tagList(role.tags) : undefined,
      }),
    );
    for (const arn of role.managed ?? [])
      await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
    for (const [name, document] of Object.entries(role.inline ?? {})) {
      await iam.send(
        new PutRolePolicyCommand({ RoleName: role.name, PolicyName: name, PolicyDocument: JSON.stringify(document) }),
      );
    }
    if (role.instanceProfile) {
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: role.name }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: role.name, RoleName: role.name }));
    }
  }
  for (const provider of spec.oidcProviders) {
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: provider.url,
        ClientIDList: provider.clientIds,
        ThumbprintList: provider.thumbprints,
      }),
    );
  }
  for (const provider of spec.samlProviders) {
    await iam.send(new CreateSAMLProviderCommand({ Name: provider.name, SAMLMetadataDocument: SAML_METADATA }));
  }
}

// ---------------------------------------------------------------------------------------------
// Export with the real AWS CLI
// ---------------------------------------------------------------------------------------------

async function awsCli(endpoint: string, credentials: SessionCredentials, args: string[]): Promise<Json> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  });
  const { stdout } = await execFileAsync('aws', ['--endpoint-url', endpoint, ...args, '--output', 'json'], {
    env,
    maxBuffer: 1 << 28,
  });
  return stdout.trim() === '' ? {} : asRecord(JSON.parse(stdout));
}

interface Exported {
  gaad: Json;
  credentialReport: Json;
  virtualMfa: Json;
  summary: Json;
  aliases: Json;
  oidcList: Json;
  oidc: Json[];
  saml: Json;
}

async function exportAccount(endpoint: string, credentials: SessionCredentials): Promise<Exported> {
  const cli = (...args: string[]) => awsCli(endpoint, credentials, args);
  const gaad = await cli('iam', 'get-account-authorization-details');
  await cli('iam', 'generate-credential-report');
  const credentialReport = await cli('iam', 'get-credential-report');
  const virtualMfa = await cli('iam', 'list-virtual-mfa-devices');
  const summary = await cli('iam', 'get-account-summary');
  const aliases = await cli('iam', 'list-account-aliases');
  const oidcList = await cli('iam', 'list-open-id-connect-providers');
  const oidc: Json[] = [];
  for (const entry of asArray(oidcList.OpenIDConnectProviderList).sort(byKey('Arn'))) {
    oidc.push(await cli('iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', String(entry.Arn)));
  }
  const saml = await cli('iam', 'list-saml-providers');
  return { gaad, credentialReport, virtualMfa, summary, aliases, oidcList, oidc, saml };
}

// ---------------------------------------------------------------------------------------------
// The overlay: what moto cannot produce, set from the spec
// ---------------------------------------------------------------------------------------------

function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function overlayGaad(gaad: Json, spec: AccountSpec): Json {
  const users = asArray(gaad.UserDetailList).map((entry) => {
    const user = spec.users.find((u) => u.name === entry.UserName);
    if (!user) throw new Error(`moto returned an unexpected user ${String(entry.UserName)}`);
    const out: Json = {
      ...entry,
      UserId: awsId('AIDA', `${spec.id}/user/${user.name}`),
      CreateDate: isoSeconds(user.created),
      UserPolicyList: asArray(entry.UserPolicyList).sort(byKey('PolicyName')),
      GroupList: [...(Array.isArray(entry.GroupList) ? (entry.GroupList as string[]) : [])].sort(),
      AttachedManagedPolicies: asArray(entry.AttachedManagedPolicies).sort(byKey('PolicyArn')),
    };
    if (user.tags) out.Tags = tagList(user.tags);
    else delete out.Tags;
    return out;
  });
  const groups = asArray(gaad.GroupDetailList).map((entry) => {
    const group = spec.groups.find((g) => g.name === entry.GroupName);
    if (!group) throw new Error(`moto returned an unexpected group ${String(entry.GroupName)}`);
    return {
      ...entry,
      GroupId: awsId('AGPA', `${spec.id}/group/${group.name}`),
      CreateDate: isoSeconds(group.created),
      GroupPolicyList: asArray(entry.GroupPolicyList).sort(byKey('PolicyName')),
      AttachedManagedPolicies: asArray(entry.AttachedManagedPolicies).sort(byKey('PolicyArn')),
    };
  });
  const roles = asArray(gaad.RoleDetailList).map((entry) => {
    const role = spec.roles.find((r) => r.name === entry.RoleName);
    if (!role) throw new Error(`moto returned an unexpected role ${String(entry.RoleName)}`);
    const roleId = awsId('AROA', `${spec.id}/role/${role.name}`);
    const created = isoSeconds(role.created);
    const out: Json = {
      ...entry,
      RoleId: roleId,
      CreateDate: created,
      InstanceProfileList: asArray(entry.InstanceProfileList).map((profile) => ({
        ...profile,
        InstanceProfileId: awsId('AIPA', `${spec.id}/instance-profile/${String(profile.InstanceProfileName)}`),
        CreateDate: created,
        Roles: asArray(profile.Roles).map((inner) => ({ ...inner, RoleId: roleId, CreateDate: created })),
      })),
      RolePolicyList: asArray(entry.RolePolicyList).sort(byKey('PolicyName')),
      AttachedManagedPolicies: asArray(entry.AttachedManagedPolicies).sort(byKey('PolicyArn')),
      RoleLastUsed: role.lastUsed ? { LastUsedDate: isoSeconds(role.lastUsed.at), Region: role.lastUsed.region } : {},
    };
    if (role.tags) out.Tags = tagList(role.tags);
    else delete out.Tags;
    return out;
  });
  // AWS lists customer-managed policies and only the AWS-managed ones attached somewhere; moto
  // lists all ~1,500 AWS-managed policies, which no real export contains.
  const policies = asArray(gaad.Policies)
    .filter((policy) => !String(policy.Arn).startsWith('arn:aws:iam::aws:') || Number(policy.AttachmentCount) > 0)
    .map((policy) => {
      const arn = String(policy.Arn);
      const local = spec.policies.find((p) => arn === `arn:aws:iam::${spec.id}:policy/${p.name}`);
      const name = policyNameOf(arn);
      const out: Json = {
        PolicyName: name,
        PolicyId: awsId('ANPA', arn),
        ...policy,
      };
      if (local) {
        out.CreateDate = isoSeconds(local.created);
        out.UpdateDate = isoSeconds(local.created);
        out.PolicyVersionList = asArray(policy.PolicyVersionList).map((version) => ({
          ...version,
          CreateDate: isoSeconds(local.created),
        }));
      } else {
        out.CreateDate = isoSeconds(String(policy.CreateDate));
        out.UpdateDate = isoSeconds(String(policy.UpdateDate));
        out.PolicyVersionList = asArray(policy.PolicyVersionList).map((version) => ({
          ...version,
          CreateDate: isoSeconds(String(version.CreateDate)),
        }));
      }
      return out;
    });
  return {
    UserDetailList: users.sort(byKey('UserName')),
    GroupDetailList: groups.sort(byKey('GroupName')),
    RoleDetailList: roles.sort(byKey('RoleName')),
    Policies: policies.sort(byKey('Arn')),
  };
}

const CREDENTIAL_REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function keyColumns(key: KeySpec | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsed;
  return [
    String((key.status ?? 'Active') === 'Active'),
    isoSeconds(key.created),
    used ? isoSeconds(used.at) : 'N/A',
    used ? used.region : 'N/A',
    used ? used.service : 'N/A',
  ];
}

/**
 * Rebuilds the report from the spec, after checking that every flag moto computed (password,
 * MFA, key active) agrees with it: moto proves the estate is possible, the spec supplies what
 * moto cannot (dates, last-used region/service, the root row).
 */
function overlayCredentialReport(report: Json, spec: AccountSpec): Json {
  const csv = Buffer.from(String(report.Content), 'base64').toString('utf8').trim().split('\n');
  const [header, ...rows] = csv;
  if (header !== CREDENTIAL_REPORT_HEADER) throw new Error(`unexpected credential report header from moto: ${header}`);
  const motoRows = new Map(rows.map((row) => [row.split(',')[0] ?? '', row.split(',')]));
  const lines = [CREDENTIAL_REPORT_HEADER];
  const root = spec.root;
  lines.push(
    [
      '<root_account>',
      `arn:aws:iam::${spec.id}:root`,
      isoSeconds(root.created),
      'not_supported',
      root.passwordLastUsed ? isoSeconds(root.passwordLastUsed) : 'N/A',
      'not_supported',
      'not_supported',
      String(Boolean(root.mfa)),
      ...keyColumns(root.key),
      ...keyColumns(undefined),
      'false',
      'N/A',
      'false',
      'N/A',
    ].join(','),
  );
  for (const user of [...spec.users].sort((a, b) => a.name.localeCompare(b.name))) {
    const moto = motoRows.get(user.name);
    if (!moto) throw new Error(`moto's credential report lacks ${user.name}`);
    const expected = {
      password: String(Boolean(user.password)),
      mfa: String(Boolean(user.mfa)),
      key1: String((user.keys?.[0]?.status ?? (user.keys?.[0] ? 'Active' : 'none')) === 'Active'),
      key2: String((user.keys?.[1]?.status ?? (user.keys?.[1] ? 'Active' : 'none')) === 'Active'),
    };
    const actual = { password: moto[3], mfa: moto[7], key1: moto[8], key2: moto[13] };
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      throw new Error(`moto disagrees with the spec for ${user.name}: ${JSON.stringify({ expected, actual })}`);
    }
    lines.push(
      [
        user.name,
        moto[1] ?? '',
        isoSeconds(user.created),
        String(Boolean(user.password)),
        user.password?.lastUsed ? isoSeconds(user.password.lastUsed) : 'N/A',
        user.password ? isoSeconds(user.password.changed) : 'N/A',
        'N/A',
        String(Boolean(user.mfa)),
        ...keyColumns(user.keys?.[0]),
        ...keyColumns(user.keys?.[1]),
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  }
  // AWS caches the report; a few minutes before the as-of instant is what a fresh scan sees.
  const generated = new Date(new Date(AS_OF).getTime() - 12 * 60_000);
  return {
    Content: Buffer.from(`${lines.join('\n')}\n`, 'utf8').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: isoSeconds(generated),
  };
}

function overlayVirtualMfa(list: Json, spec: AccountSpec): Json {
  const devices: Json[] = asArray(list.VirtualMFADevices).map((device) => {
    const motoUser = asRecord(device.User);
    const user = spec.users.find((u) => u.name === motoUser.UserName);
    if (!user?.mfa) throw new Error(`unexpected virtual MFA device ${String(device.SerialNumber)}`);
    const userOut: Json = {
      Path: user.path ?? '/',
      UserName: user.name,
      UserId: awsId('AIDA', `${spec.id}/user/${user.name}`),
      Arn: motoUser.Arn,
      CreateDate: isoSeconds(user.created),
    };
    if (user.password?.lastUsed) userOut.PasswordLastUsed = isoSeconds(user.password.lastUsed);
    // ListVirtualMFADevices never returns the seed or the QR code; moto does. Dropped, never stored.
    return { SerialNumber: device.SerialNumber, User: userOut, EnableDate: isoSeconds(user.mfa.enabled) };
  });
  if (spec.root.mfa?.kind === 'virtual') {
    const rootUser: Json = {
      Path: '/',
      UserName: '',
      UserId: spec.id,
      Arn: `arn:aws:iam::${spec.id}:root`,
      CreateDate: isoSeconds(spec.root.created),
    };
    if (spec.root.passwordLastUsed) rootUser.PasswordLastUsed = isoSeconds(spec.root.passwordLastUsed);
    devices.push({
      SerialNumber: `arn:aws:iam::${spec.id}:mfa/root-account-mfa-device`,
      User: rootUser,
      EnableDate: isoSeconds(spec.root.mfa.enabled),
    });
  }
  return { VirtualMFADevices: devices.sort(byKey('SerialNumber')) };
}

function overlaySummary(summary: Json, spec: AccountSpec): Json {
  const map = { ...asRecord(summary.SummaryMap) };
  map.AccountMFAEnabled = spec.root.mfa ? 1 : 0;
  map.AccountAccessKeysPresent = spec.root.key ? 1 : 0;
  map.AccountSigningCertificatesPresent = 0;
  return { SummaryMap: Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b))) };
}

function overlayOidc(provider: Json, spec: AccountSpec): Json {
  const url = String(provider.Url);
  const found = spec.oidcProviders.find((p) => p.url.replace(/^https:\/\//, '') === url.replace(/^https:\/\//, ''));
  if (!found) throw new Error(`unexpected OIDC provider ${url}`);
  return {
    Url: found.url.replace(/^https:\/\//, ''),
    ClientIDList: [...found.clientIds].sort(),
    ThumbprintList: [...found.thumbprints].sort(),
    CreateDate: isoSeconds(found.created),
    Tags: [],
  };
}

function overlaySaml(list: Json, spec: AccountSpec): Json {
  return {
    SAMLProviderList: asArray(list.SAMLProviderList)
      .map((entry) => {
        const name = policyNameOf(String(entry.Arn));
        const found = spec.samlProviders.find((p) => p.name === name);
        if (!found) throw new Error(`unexpected SAML provider ${name}`);
        return { Arn: entry.Arn, ValidUntil: isoSeconds(found.validUntil), CreateDate: isoSeconds(found.created) };
      })
      .sort(byKey('Arn')),
  };
}

async function writeAccount(spec: AccountSpec, exported: Exported): Promise<void> {
  const dir = join(OUT, `${spec.id}-${spec.name}`);
  await mkdir(dir, { recursive: true });
  const files: [string, unknown][] = [
    ['get-account-authorization-details.json', overlayGaad(exported.gaad, spec)],
    ['get-credential-report.json', overlayCredentialReport(exported.credentialReport, spec)],
    ['list-virtual-mfa-devices.json', overlayVirtualMfa(exported.virtualMfa, spec)],
    ['get-account-summary.json', overlaySummary(exported.summary, spec)],
    ['list-account-aliases.json', { AccountAliases: exported.aliases.AccountAliases ?? [] }],
    [
      'list-open-id-connect-providers.json',
      { OpenIDConnectProviderList: asArray(exported.oidcList.OpenIDConnectProviderList).sort(byKey('Arn')) },
    ],
    ['list-saml-providers.json', overlaySaml(exported.saml, spec)],
    ['get-account-password-policy.json', { PasswordPolicy: spec.passwordPolicy }],
    ['list-server-certificates.json', { ServerCertificateMetadataList: spec.serverCertificates }],
  ];
  exported.oidc.forEach((provider, index) => {
    files.push([`get-open-id-connect-provider-${index + 1}.json`, overlayOidc(provider, spec)]);
  });
  for (const [name, content] of files) await writeFile(join(dir, name), json(content));
}

// ---------------------------------------------------------------------------------------------
// CloudTrail sample
// ---------------------------------------------------------------------------------------------

interface TrailEvent {
  account: string;
  region: string;
  time: Date;
  record: Json;
}

const UA = {
  configureAwsCredentials:
    'aws-sdk-js/3.726.1 ua/2.1 os/linux#6.8.0-1021-azure lang/js md/nodejs#20.18.1 api/sts#3.726.1 m/E,e configure-aws-credentials-for-github-actions',
  cliOnRunner: (command: string) =>
    `aws-cli/2.22.35 md/awscrt#0.23.8 ua/2.0 os/linux#6.8.0-1021-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#${command}`,
  vercel: (api: string) =>
    `aws-sdk-js/3.693.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 exec-env/AWS_Lambda_nodejs20.x api/${api}#3.693.0 m/E`,
  nasCli: (command: string) =>
    `aws-cli/2.15.30 Python/3.11.8 Linux/4.4.302+ exe/x86_64.synology prompt/off command/${command}`,
  boto3Partner:
    'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.15.0-1057-aws md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  boto3Etl:
    'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1.112-124.190.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython exec-env/AWS_ECS_EC2 cfg/retry-mode#legacy Botocore/1.35.36',
  grafana: 'aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) Grafana/11.3.0',
  cronCli: 'aws-cli/1.29.62 Python/3.8.10 Linux/5.4.0-182-generic botocore/1.31.62',
  laptopCli: (command: string) =>
    `aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${command}`,
  browser:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  browserLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

/** GitHub-hosted runners run in Azure; Vercel functions run on AWS Lambda in iad1 (us-east-1). */
const ADDRESSES = {
  githubRunners: [
    '20.57.44.12',
    '52.154.133.36',
    '4.227.189.81',
    '13.83.54.201',
    '20.29.62.145',
    '172.184.221.18',
    '40.84.175.190',
  ],
  vercel: ['3.236.7.44', '44.201.12.9', '54.164.2.87', '34.229.100.15'],
  nas: '198.51.100.23',
  office: '203.0.113.15',
  mariaHome: '198.51.100.77',
  partner: '192.0.2.45',
  grafana: '203.0.113.40',
  etlOnEc2: '3.91.171.204',
  cronServer: '198.51.100.60',
};

const DAYS = 7;
const WINDOW_START = new Date(new Date(AS_OF).getTime() - DAYS * 86_400_000);

function buildTrail(): TrailEvent[] {
  const random = mulberry32(42);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () =>
    `${hex(8)}-${hex(4)}-4${hex(3)}-${['8', '9', 'a', 'b'][Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
  const upper = (n: number) =>
    Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(random() * 36)]).join('');
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const events: TrailEvent[] = [];
  const at = (day: number, hh: number, mm: number, ss = 0) =>
    new Date(WINDOW_START.getTime() + day * 86_400_000 + ((hh * 60 + mm) * 60 + ss) * 1000);
  const exact = (iso: string) => new Date(iso);

  const user = (account: string, name: string) => {
    const path = ACCOUNTS.find((a) => a.id === account)?.users.find((u) => u.name === name)?.path ?? '/';
    return {
      type: 'IAMUser',
      principalId: awsId('AIDA', `${account}/user/${name}`),
      arn: `arn:aws:iam::${account}:user${path}${name}`,
      accountId: account,
      userName: name,
    };
  };
  const withKey = (account: string, name: string, slot = 1) => ({
    ...user(account, name),
    accessKeyId: accessKeyIdOf(account, name, slot),
  });

  function push(
    account: string,
    time: Date,
    fields: {
      identity: Json;
      source: string;
      name: string;
      ip: string;
      agent: string;
      request?: Json | null;
      response?: Json | null;
      readOnly: boolean;
      resources?: Json[];
      error?: { code: string; message: string };
      data?: boolean;
      extra?: Json;
      type?: string;
    },
  ): void {
    const host =
      fields.source === 's3.amazonaws.com'
        ? `s3.${REGION}.amazonaws.com`
        : fields.source.replace('.amazonaws.com', `.${REGION}.amazonaws.com`);
    const record: Json = {
      eventVersion: fields.data ? '1.10' : '1.11',
      userIdentity: fields.identity,
      eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: fields.source,
      eventName: fields.name,
      awsRegion: REGION,
      sourceIPAddress: fields.ip,
      userAgent: fields.agent,
      ...(fields.error ? { errorCode: fields.error.code, errorMessage: fields.error.message } : {}),
      requestParameters: fields.request ?? null,
      responseElements: fields.response ?? null,
      ...(fields.extra ?? {}),
      requestID: fields.source === 's3.amazonaws.com' ? upper(16) : uuid(),
      eventID: uuid(),
      readOnly: fields.readOnly,
      ...(fields.resources ? { resources: fields.resources } : {}),
      eventType: fields.type ?? 'AwsApiCall',
      managementEvent: !fields.data,
      recipientAccountId: account,
      eventCategory: fields.data ? 'Data' : 'Management',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host },
    };
    events.push({ account, region: REGION, time, record });
  }

  const s3Object = (
    account: string,
    identity: Json,
    time: Date,
    ip: string,
    agent: string,
    name: 'PutObject' | 'GetObject',
    bucket: string,
    key: string,
  ) =>
    push(account, time, {
      identity,
      source: 's3.amazonaws.com',
      name,
      ip,
      agent,
      request: { bucketName: bucket, Host: `${bucket}.s3.${REGION}.amazonaws.com`, key },
      response: null,
      readOnly: name === 'GetObject',
      data: true,
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
        { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
      ],
      extra: {
        additionalEventData: {
          SignatureVersion: 'SigV4',
          CipherSuite: 'TLS_AES_128_GCM_SHA256',
          bytesTransferredIn: name === 'PutObject' ? 48213 : 0,
          AuthenticationMethod: 'AuthHeader',
          bytesTransferredOut: name === 'GetObject' ? 48213 : 0,
        },
      },
    });

  // GitHub Actions deploys of acme/webapp with the IAM user's key (prod), once a day.
  const deployer = withKey(PROD, 'github-actions-deploy');
  const stackArn = `arn:aws:cloudformation:${REGION}:${PROD}:stack/webapp-prod/6f1c2b80-4d1e-11ef-9a3c-0affd2c3e8b1`;
  for (let day = 0; day < DAYS; day++) {
    const ip = ADDRESSES.githubRunners[day % ADDRESSES.githubRunners.length] ?? '';
    const last = day === DAYS - 1;
    const start = last
      ? new Date(exact('2026-11-19T16:47:00Z').getTime() - 6 * 60_000)
      : at(day, 16, 20 + (day % 5) * 3);
    push(PROD, start, {
      identity: deployer,
      source: 'sts.amazonaws.com',
      name: 'GetCallerIdentity',
      ip,
      agent: UA.configureAwsCredentials,
      readOnly: true,
    });
    for (let i = 0; i < 3; i++) {
      s3Object(
        PROD,
        deployer,
        new Date(start.getTime() + (40 + i * 7) * 1000),
        ip,
        UA.cliOnRunner('s3.sync'),
        'PutObject',
        'acme-webapp-assets',
        `static/js/main.${hex(8)}.js`,
      );
    }
    const changeSet = `deploy-${hex(7)}`;
    push(PROD, new Date(start.getTime() + 70_000), {
      identity: deployer,
      source: 'cloudformation.amazonaws.com',
      name: 'CreateChangeSet',
      ip,
      agent: UA.cliOnRunner('cloudformation.deploy'),
      readOnly: false,
      request: {
        stackName: 'webapp-prod',
        changeSetName: changeSet,
        changeSetType: 'UPDATE',
        capabilities: ['CAPABILITY_IAM'],
        roleARN: `arn:aws:iam::${PROD}:role/cfn-exec-webapp`,
      },
      response: { id: `arn:aws:cloudformation:${REGION}:${PROD}:changeSet/${changeSet}/${uuid()}`, stackId: stackArn },
    });
    push(PROD, new Date(start.getTime() + 100_000), {
      identity: deployer,
      source: 'cloudformation.amazonaws.com',
      name: 'ExecuteChangeSet',
      ip,
      agent: UA.cliOnRunner('cloudformation.deploy'),
      readOnly: false,
      request: { changeSetName: changeSet, stackName: 'webapp-prod' },
    });
    const finalTime = last ? exact('2026-11-19T16:47:00Z') : new Date(start.getTime() + 300_000);
    push(PROD, finalTime, {
      identity: deployer,
      source: 'cloudformation.amazonaws.com',
      name: 'DescribeStacks',
      ip,
      agent: UA.cliOnRunner('cloudformation.deploy'),
      readOnly: true,
      request: { stackName: 'webapp-prod' },
    });
  }

  // The OIDC roles: the correctly scoped webapp role, and the org-wide Terraform role.
  const webIdentity = (day: number, time: Date, role: string, subject: string) => {
    const ip = ADDRESSES.githubRunners[(day + 3) % ADDRESSES.githubRunners.length] ?? '';
    const provider = `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com`;
    const sessionKey = `ASIA${upper(16)}`;
    const roleId = awsId('AROA', `${PROD}/role/${role}`);
    push(PROD, time, {
      identity: {
        type: 'WebIdentityUser',
        principalId: `${provider}:sts.amazonaws.com:${subject}`,
        userName: subject,
        identityProvider: provider,
      },
      source: 'sts.amazonaws.com',
      name: 'AssumeRoleWithWebIdentity',
      ip,
      agent: UA.configureAwsCredentials,
      readOnly: true,
      request: {
        roleArn: `arn:aws:iam::${PROD}:role/${role}`,
        roleSessionName: 'GitHubActions',
        durationSeconds: 3600,
      },
      response: {
        credentials: {
          accessKeyId: sessionKey,
          sessionToken: '',
          expiration: new Date(time.getTime() + 3_600_000).toUTCString(),
        },
        subjectFromWebIdentityToken: subject,
        assumedRoleUser: {
          assumedRoleId: `${roleId}:GitHubActions`,
          arn: `arn:aws:sts::${PROD}:assumed-role/${role}/GitHubActions`,
        },
        provider,
        audience: 'sts.amazonaws.com',
      },
      resources: [{ accountId: PROD, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${PROD}:role/${role}` }],
      extra: {
        additionalEventData: {
          identityProviderConnectionVerificationMethod: 'IAMTrustStore',
          RequestDetails: { awsServingRegion: REGION, endpointType: 'regional' },
        },
      },
    });
    push(PROD, new Date(time.getTime() + 20_000), {
      identity: {
        type: 'AssumedRole',
        principalId: `${roleId}:GitHubActions`,
        arn: `arn:aws:sts::${PROD}:assumed-role/${role}/GitHubActions`,
        accountId: PROD,
        accessKeyId: sessionKey,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: roleId,
            arn: `arn:aws:iam::${PROD}:role/${role}`,
            accountId: PROD,
            userName: role,
          },
          webIdFederationData: { federatedProvider: provider, attributes: {} },
          attributes: { creationDate: time.toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
        },
      },
      source: 'cloudformation.amazonaws.com',
      name: 'DescribeStacks',
      ip,
      agent: UA.cliOnRunner('cloudformation.describe-stacks'),
      readOnly: true,
      request: { stackName: 'webapp-prod' },
    });
  };
  for (let day = 0; day < DAYS; day++) {
    const time = day === DAYS - 1 ? exact('2026-11-19T16:30:00Z') : at(day, 16, 5 + day);
    webIdentity(day, time, 'github-actions-webapp-deploy', 'repo:acme/webapp:ref:refs/heads/main');
  }
  webIdentity(2, at(2, 11, 2), 'github-actions-org', 'repo:acme/infra:ref:refs/heads/main');
  webIdentity(5, exact('2026-11-18T11:02:00Z'), 'github-actions-org', 'repo:acme/data-platform:pull_request');

  // Vercel storefront: the JS SDK from Lambda addresses, every three hours.
  const vercel = withKey(PROD, 'vercel-app');
  const table = `arn:aws:dynamodb:${REGION}:${PROD}:table/storefront-sessions`;
  for (let day = 0; day < DAYS; day++) {
    for (let slot = 0; slot < 8; slot++) {
      const last = day === DAYS - 1 && slot === 7;
      const time = last
        ? exact('2026-11-19T23:40:00Z')
        : at(day, slot * 3, 7 + Math.floor(random() * 50), Math.floor(random() * 60));
      const ip = pick(ADDRESSES.vercel);
      if (!last && slot % 2 === 1) {
        s3Object(
          PROD,
          vercel,
          time,
          ip,
          UA.vercel('s3'),
          'PutObject',
          'acme-storefront-uploads',
          `avatars/${hex(12)}.png`,
        );
        continue;
      }
      push(PROD, time, {
        identity: vercel,
        source: 'dynamodb.amazonaws.com',
        name: last || slot % 4 === 0 ? 'GetItem' : 'UpdateItem',
        ip,
        agent: UA.vercel('dynamodb'),
        readOnly: last || slot % 4 === 0,
        data: true,
        request: { tableName: 'storefront-sessions', key: { sessionId: 'HIDDEN_DUE_TO_SECURITY_REASONS' } },
        resources: [{ accountId: PROD, type: 'AWS::DynamoDB::Table', ARN: table }],
      });
    }
  }

  // The office NAS: nightly backup with the AWS CLI from one public address.
  const nas = withKey(PROD, 'backup-onprem-nas');
  for (let day = 0; day < DAYS; day++) {
    const base =
      day === DAYS - 1 ? new Date(exact('2026-11-19T02:14:00Z').getTime() - 4 * 60_000) : at(day, 2, 5 + (day % 4));
    for (let i = 0; i < 5; i++) {
      const time = day === DAYS - 1 && i === 4 ? exact('2026-11-19T02:14:00Z') : new Date(base.getTime() + i * 45_000);
      s3Object(
        PROD,
        nas,
        time,
        ADDRESSES.nas,
        UA.nasCli('s3.sync'),
        'PutObject',
        'acme-nas-backups',
        `hyperbackup/2026-11-${String(13 + day).padStart(2, '0')}/part-${String(i).padStart(5, '0')}.bkp`,
      );
    }
  }

  // The signing vendor: fetches unsigned builds and returns signed ones, from its one address.
  const partner = withKey(PROD, 'signing-service-partner');
  for (const [day, hh, mm] of [
    [1, 12, 1],
    [3, 12, 2],
    [5, 12, 3],
  ] as const) {
    const put = day === 5 ? exact('2026-11-18T12:03:00Z') : at(day, hh, mm, 30);
    s3Object(
      PROD,
      partner,
      new Date(put.getTime() - 50_000),
      ADDRESSES.partner,
      UA.boto3Partner,
      'GetObject',
      'acme-release-artifacts',
      `signing/incoming/acme-agent-4.${day}.0.msi`,
    );
    s3Object(
      PROD,
      partner,
      put,
      ADDRESSES.partner,
      UA.boto3Partner,
      'PutObject',
      'acme-release-artifacts',
      `signing/signed/acme-agent-4.${day}.0.msi`,
    );
  }

  // Grafana's CloudWatch data source, with the machine user's key.
  const grafana = withKey(PROD, 'grafana-cloudwatch');
  for (let day = 0; day < DAYS; day++) {
    for (const hh of [5, 11, 17, 23]) {
      const time =
        day === DAYS - 1 && hh === 23 ? exact('2026-11-19T23:55:00Z') : at(day, hh, 10 + Math.floor(random() * 40));
      push(PROD, time, {
        identity: grafana,
        source: 'monitoring.amazonaws.com',
        name: 'ListMetrics',
        ip: ADDRESSES.grafana,
        agent: UA.grafana,
        readOnly: true,
        request: { namespace: 'AWS/Lambda' },
      });
    }
  }

  // Maria's key in prod: log tailing from home.
  push(PROD, exact('2026-11-19T10:22:00Z'), {
    identity: withKey(PROD, 'maria.garcia'),
    source: 'logs.amazonaws.com',
    name: 'FilterLogEvents',
    ip: ADDRESSES.mariaHome,
    agent: UA.laptopCli('logs.tail'),
    readOnly: true,
    request: { logGroupName: '/aws/lambda/storefront-api', startTime: 1763544000000, interleaved: true },
  });
  // Maria's and Tom's keys in management.
  push(MGMT, exact('2026-11-18T09:12:00Z'), {
    identity: withKey(MGMT, 'maria.garcia'),
    source: 'organizations.amazonaws.com',
    name: 'ListAccounts',
    ip: ADDRESSES.office,
    agent: UA.laptopCli('organizations.list-accounts'),
    readOnly: true,
  });
  push(MGMT, exact('2026-11-14T15:31:00Z'), {
    identity: withKey(MGMT, 'tom.nguyen'),
    source: 'organizations.amazonaws.com',
    name: 'DescribeAccount',
    ip: ADDRESSES.office,
    agent: UA.laptopCli('organizations.describe-account'),
    readOnly: true,
    request: { accountId: DEV },
  });

  // Console logins of people who are still IAM users.
  const consoleLogin = (account: string, name: string, time: Date, mfa: boolean, ip: string) =>
    push(account, time, {
      identity: user(account, name),
      source: 'signin.amazonaws.com',
      name: 'ConsoleLogin',
      ip,
      agent: UA.browser,
      readOnly: false,
      type: 'AwsConsoleSignIn',
      request: null,
      response: { ConsoleLogin: 'Success' },
      extra: {
        additionalEventData: {
          LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
          MobileVersion: 'No',
          ...(mfa ? { MFAIdentifier: `arn:aws:iam::${account}:mfa/${name}-phone` } : {}),
          MFAUsed: mfa ? 'Yes' : 'No',
        },
      },
    });
  consoleLogin(PROD, 'maria.garcia', exact('2026-11-17T16:05:00Z'), true, ADDRESSES.mariaHome);
  consoleLogin(MGMT, 'maria.garcia', exact('2026-11-18T08:41:00Z'), true, ADDRESSES.office);
  consoleLogin(MGMT, 'tom.nguyen', exact('2026-11-16T07:55:00Z'), false, ADDRESSES.office);
  consoleLogin(DEV, 'alex.kim', exact('2026-11-19T09:30:00Z'), false, ADDRESSES.office);
  consoleLogin(DEV, 'priya.patel', exact('2026-11-18T08:02:00Z'), true, ADDRESSES.office);

  // Dev keys.
  push(DEV, exact('2026-11-19T17:02:00Z'), {
    identity: withKey(DEV, 'alex.kim'),
    source: 'lambda.amazonaws.com',
    name: 'UpdateFunctionCode20150331v2',
    ip: ADDRESSES.office,
    agent: UA.laptopCli('lambda.update-function-code'),
    readOnly: false,
    request: { functionName: 'dev-api', publish: false, dryRun: false },
    resources: [
      { accountId: DEV, type: 'AWS::Lambda::Function', ARN: `arn:aws:lambda:${REGION}:${DEV}:function:dev-api` },
    ],
  });
  push(DEV, exact('2026-11-18T15:44:00Z'), {
    identity: withKey(DEV, 'priya.patel'),
    source: 'ecr.amazonaws.com',
    name: 'GetAuthorizationToken',
    ip: ADDRESSES.office,
    agent: UA.laptopCli('ecr.get-login-password'),
    readOnly: true,
  });
  const etl1 = withKey(DEV, 'etl-loader', 1);
  const etl2 = withKey(DEV, 'etl-loader', 2);
  for (let day = 0; day < DAYS; day++) {
    const last = day === DAYS - 1;
    push(DEV, last ? exact('2026-11-19T03:05:00Z') : at(day, 3, 5), {
      identity: etl1,
      source: 'glue.amazonaws.com',
      name: 'StartJobRun',
      ip: ADDRESSES.etlOnEc2,
      agent: UA.boto3Etl,
      readOnly: false,
      request: { jobName: 'nightly-orders' },
      response: { jobRunId: `jr_${hex(32)}` },
    });
    s3Object(
      DEV,
      etl2,
      last ? exact('2026-11-19T03:10:00Z') : at(day, 3, 10),
      ADDRESSES.etlOnEc2,
      UA.boto3Etl,
      'PutObject',
      'acme-dev-datalake',
      `raw/orders/dt=2026-11-${String(13 + day).padStart(2, '0')}/orders.parquet`,
    );
  }
  // reports-cron: its key was switched off on 2026-11-16 after its 06:00 run; the cron job keeps trying.
  const cron = withKey(DEV, 'reports-cron');
  for (let day = 0; day < DAYS; day++) {
    const time = at(day, 6, 0);
    const off = time.getTime() > exact('2026-11-16T06:00:00Z').getTime();
    push(DEV, time, {
      identity: cron,
      source: 'athena.amazonaws.com',
      name: 'StartQueryExecution',
      ip: ADDRESSES.cronServer,
      agent: UA.cronCli,
      readOnly: false,
      request: { queryString: 'SELECT ... FROM kpi_daily', workGroup: 'reports' },
      response: off ? null : { queryExecutionId: uuid() },
      ...(off
        ? { error: { code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' } }
        : {}),
    });
  }

  // Identity Center: people who already sign in through the access portal (management account).
  const ssoSession = (time: Date, person: string, role: string) => {
    const provider = `arn:aws:iam::${MGMT}:saml-provider/${SSO_PROVIDER}`;
    const roleArn = `arn:aws:iam::${MGMT}:role/aws-reserved/sso.amazonaws.com/${role}`;
    const roleId = awsId('AROA', `${MGMT}/role/${role}`);
    const sessionKey = `ASIA${upper(16)}`;
    push(MGMT, time, {
      identity: {
        type: 'SAMLUser',
        principalId: `${awsId('', 'saml-name-qualifier', 27)}:${person}`,
        userName: person,
        identityProvider: awsId('', 'saml-name-qualifier', 27),
      },
      source: 'sts.amazonaws.com',
      name: 'AssumeRoleWithSAML',
      ip: ADDRESSES.office,
      agent: UA.browserLinux,
      readOnly: true,
      request: {
        sAMLAssertionID: `_${uuid()}`,
        roleSessionName: person,
        principalTags: {},
        durationSeconds: 43200,
        roleArn,
        principalArn: provider,
      },
      response: {
        credentials: {
          accessKeyId: sessionKey,
          sessionToken: '',
          expiration: new Date(time.getTime() + 43_200_000).toUTCString(),
        },
        assumedRoleUser: {
          assumedRoleId: `${roleId}:${person}`,
          arn: `arn:aws:sts::${MGMT}:assumed-role/${role}/${person}`,
        },
        packedPolicySize: 1,
        subject: person,
        subjectType: 'persistent',
        issuer: 'https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTExMTExMTExX2lucy1kZW1vYWNtZQ==',
        audience: 'https://signin.aws.amazon.com/saml',
        nameQualifier: awsId('', 'saml-name-qualifier', 27),
      },
      resources: [
        { accountId: MGMT, type: 'AWS::IAM::Role', ARN: roleArn },
        { accountId: MGMT, type: 'AWS::IAM::SAMLProvider', ARN: provider },
      ],
    });
    push(MGMT, new Date(time.getTime() + 90_000), {
      identity: {
        type: 'AssumedRole',
        principalId: `${roleId}:${person}`,
        arn: `arn:aws:sts::${MGMT}:assumed-role/${role}/${person}`,
        accountId: MGMT,
        accessKeyId: sessionKey,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn, accountId: MGMT, userName: role },
          attributes: { creationDate: time.toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
        },
      },
      source: 'organizations.amazonaws.com',
      name: 'ListAccounts',
      ip: ADDRESSES.office,
      agent: UA.browserLinux,
      readOnly: true,
      extra: { sessionCredentialFromConsole: 'true' },
    });
  };
  for (let day = 0; day < DAYS; day++) {
    if (day === 2 || day === 3) continue; // the weekend
    ssoSession(
      day === DAYS - 1 ? exact('2026-11-19T08:32:00Z') : at(day, 8, 20 + day),
      'ana.silva@acme.example',
      `AWSReservedSSO_AdministratorAccess_${SSO_HASH_ADMIN}`,
    );
    ssoSession(
      day === DAYS - 1 ? exact('2026-11-19T13:10:00Z') : at(day, 13, 2 + day),
      'li.chen@acme.example',
      `AWSReservedSSO_ReadOnlyAccess_${SSO_HASH_READONLY}`,
    );
  }

  return events.sort((a, b) => a.time.getTime() - b.time.getTime() || a.account.localeCompare(b.account));
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\d{2}\.\d{3}Z$/, 'Z');
}

/** Groups events as CloudTrail delivers them: per account and region, one file per hour here. */
async function writeTrail(events: TrailEvent[]): Promise<number> {
  const random = mulberry32(7);
  const suffix = () =>
    Array.from(
      { length: 16 },
      () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 62)],
    ).join('');
  const files = new Map<string, TrailEvent[]>();
  for (const event of events) {
    const hour = event.time.toISOString().slice(0, 13);
    const key = `${event.account}|${event.region}|${hour}`;
    files.set(key, [...(files.get(key) ?? []), event]);
  }
  for (const [key, group] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [account = '', region = ''] = key.split('|');
    const first = group[0];
    if (!first) continue;
    // CloudTrail names and files a log by its delivery time, a few minutes after the last event.
    const delivered = new Date(
      Date.UTC(
        first.time.getUTCFullYear(),
        first.time.getUTCMonth(),
        first.time.getUTCDate(),
        first.time.getUTCHours() + 1,
        5,
      ),
    );
    const day = delivered.toISOString().slice(0, 10).split('-');
    const dir = join(OUT, 'cloudtrail', 'AWSLogs', ORG_ID, account, 'CloudTrail', region, ...day);
    await mkdir(dir, { recursive: true });
    const name = `${account}_CloudTrail_${region}_${stamp(delivered)}_${suffix()}.json.gz`;
    const body = JSON.stringify({ Records: group.map((event) => event.record) });
    // mtime 0 and no file name in the header keep the gzip bytes identical across runs.
    await writeFile(join(dir, name), gzipSync(Buffer.from(body, 'utf8'), { level: 9 }));
  }
  return files.size;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const moto = await startMotoProcess({ managedPolicies: true });
  try {
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    await fetch(`${moto.endpoint}/moto-api/seed?a=42`, { method: 'POST' });
    for (const name of ACCOUNTS.map((a) => `${a.id}-${a.name}`))
      await rm(join(OUT, name), { recursive: true, force: true });
    await rm(join(OUT, 'cloudtrail'), { recursive: true, force: true });
    for (const spec of ACCOUNTS) {
      const credentials = await assumeInto(moto.endpoint, spec.id);
      const iam = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials });
      await seedAccount(iam, spec);
      const exported = await exportAccount(moto.endpoint, credentials);
      await writeAccount(spec, exported);
      process.stdout.write(`${spec.id}-${spec.name}: ${spec.users.length} users, ${spec.roles.length} roles\n`);
    }
    const events = buildTrail();
    const files = await writeTrail(events);
    process.stdout.write(`cloudtrail: ${events.length} events in ${files} files\n`);
  } finally {
    await moto.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
