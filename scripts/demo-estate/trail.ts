/** The CloudTrail sample: a week of events from the spec, in the S3 delivery layout. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  ACCOUNTS,
  AS_OF,
  DEV,
  MGMT,
  ORG_ID,
  PROD,
  REGION,
  SSO_HASH_ADMIN,
  SSO_HASH_READONLY,
  SSO_PROVIDER,
} from './spec.js';
import { type Json, accessKeyIdOf, awsId, mulberry32 } from './ids.js';
import { OUT } from './export.js';

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

const at = (day: number, hh: number, mm: number, ss = 0) =>
  new Date(WINDOW_START.getTime() + day * 86_400_000 + ((hh * 60 + mm) * 60 + ss) * 1000);
const exact = (iso: string) => new Date(iso);

function user(account: string, name: string): Json {
  const path = ACCOUNTS.find((a) => a.id === account)?.users.find((u) => u.name === name)?.path ?? '/';
  return {
    type: 'IAMUser',
    principalId: awsId('AIDA', `${account}/user/${name}`),
    arn: `arn:aws:iam::${account}:user${path}${name}`,
    accountId: account,
    userName: name,
  };
}

const withKey = (account: string, name: string, slot = 1) => ({
  ...user(account, name),
  accessKeyId: accessKeyIdOf(account, name, slot),
});

interface EventFields {
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
}

/** One CloudTrail record as the service writes it; the ids come from the seeded random source. */
function recordOf(account: string, time: Date, fields: EventFields, ids: { requestID: string; eventID: string }): Json {
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
    requestID: ids.requestID,
    eventID: ids.eventID,
    readOnly: fields.readOnly,
    ...(fields.resources ? { resources: fields.resources } : {}),
    eventType: fields.type ?? 'AwsApiCall',
    managementEvent: !fields.data,
    recipientAccountId: account,
    eventCategory: fields.data ? 'Data' : 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host },
  };
  return record;
}

/**
 * The events so far and the seeded random source every scenario draws from. The scenarios run in a
 * fixed order, so the ids in the files are the same on every run.
 */
interface TrailWriter {
  events: TrailEvent[];
  random(): number;
  hex(n: number): string;
  uuid(): string;
  upper(n: number): string;
  pick<T>(items: readonly T[]): T;
  push(account: string, time: Date, fields: EventFields): void;
}

function trailWriter(): TrailWriter {
  const random = mulberry32(42);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () =>
    `${hex(8)}-${hex(4)}-4${hex(3)}-${['8', '9', 'a', 'b'][Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
  const upper = (n: number) =>
    Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(random() * 36)]).join('');
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const events: TrailEvent[] = [];
  const push = (account: string, time: Date, fields: EventFields): void => {
    const requestID = fields.source === 's3.amazonaws.com' ? upper(16) : uuid();
    const eventID = uuid();
    events.push({ account, region: REGION, time, record: recordOf(account, time, fields, { requestID, eventID }) });
  };
  return { events, random, hex, uuid, upper, pick, push };
}

function s3Object(
  t: TrailWriter,
  account: string,
  identity: Json,
  time: Date,
  ip: string,
  agent: string,
  name: 'PutObject' | 'GetObject',
  bucket: string,
  key: string,
): void {
  t.push(account, time, {
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
}

function webIdentity(t: TrailWriter, day: number, time: Date, role: string, subject: string): void {
  const { push, upper } = t;
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
}

function ssoSession(t: TrailWriter, time: Date, person: string, role: string): void {
  const { push, uuid, upper } = t;
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
}

/** GitHub Actions deploys of acme/webapp with the IAM user's key (prod), once a day. */
function githubActionsDeploys(t: TrailWriter): void {
  const { push, uuid, hex } = t;
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
        t,
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
}

/** The OIDC roles: the correctly scoped webapp role, and the org-wide Terraform role. */
function oidcRoleSessions(t: TrailWriter): void {
  for (let day = 0; day < DAYS; day++) {
    const time = day === DAYS - 1 ? exact('2026-11-19T16:30:00Z') : at(day, 16, 5 + day);
    webIdentity(t, day, time, 'github-actions-webapp-deploy', 'repo:acme/webapp:ref:refs/heads/main');
  }
  webIdentity(t, 2, at(2, 11, 2), 'github-actions-org', 'repo:acme/infra:ref:refs/heads/main');
  webIdentity(t, 5, exact('2026-11-18T11:02:00Z'), 'github-actions-org', 'repo:acme/data-platform:pull_request');
}

/** Vercel storefront: the JS SDK from Lambda addresses, every three hours. */
function vercelStorefront(t: TrailWriter): void {
  const { push, hex, pick, random } = t;
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
          t,
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
}

/** The office NAS: nightly backup with the AWS CLI from one public address. */
function officeNasBackups(t: TrailWriter): void {
  const nas = withKey(PROD, 'backup-onprem-nas');
  for (let day = 0; day < DAYS; day++) {
    const base =
      day === DAYS - 1 ? new Date(exact('2026-11-19T02:14:00Z').getTime() - 4 * 60_000) : at(day, 2, 5 + (day % 4));
    for (let i = 0; i < 5; i++) {
      const time = day === DAYS - 1 && i === 4 ? exact('2026-11-19T02:14:00Z') : new Date(base.getTime() + i * 45_000);
      s3Object(
        t,
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
}

/** The signing vendor: fetches unsigned builds and returns signed ones, from its one address. */
function signingVendor(t: TrailWriter): void {
  const partner = withKey(PROD, 'signing-service-partner');
  for (const [day, hh, mm] of [
    [1, 12, 1],
    [3, 12, 2],
    [5, 12, 3],
  ] as const) {
    const put = day === 5 ? exact('2026-11-18T12:03:00Z') : at(day, hh, mm, 30);
    s3Object(
      t,
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
      t,
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
}

/** Grafana's CloudWatch data source, with the machine user's key. */
function grafanaDataSource(t: TrailWriter): void {
  const { push, random } = t;
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
}

/** Maria's key in prod: log tailing from home. */
function mariaLogTailing(t: TrailWriter): void {
  const { push } = t;
  push(PROD, exact('2026-11-19T10:22:00Z'), {
    identity: withKey(PROD, 'maria.garcia'),
    source: 'logs.amazonaws.com',
    name: 'FilterLogEvents',
    ip: ADDRESSES.mariaHome,
    agent: UA.laptopCli('logs.tail'),
    readOnly: true,
    request: { logGroupName: '/aws/lambda/storefront-api', startTime: 1763544000000, interleaved: true },
  });
}

/** Maria's and Tom's keys in management. */
function managementKeys(t: TrailWriter): void {
  const { push } = t;
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
}

/** Console logins of people who are still IAM users. */
function consoleLogins(t: TrailWriter): void {
  const { push } = t;
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
}

/** Dev keys. */
function devKeys(t: TrailWriter): void {
  const { push, hex } = t;
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
      t,
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
}

/** reports-cron: its key was switched off on 2026-11-16 after its 06:00 run; the cron job keeps trying. */
function reportsCronAfterSwitchOff(t: TrailWriter): void {
  const { push, uuid } = t;
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
}

/** Identity Center: people who already sign in through the access portal (management account). */
function identityCenterSessions(t: TrailWriter): void {
  for (let day = 0; day < DAYS; day++) {
    if (day === 2 || day === 3) continue; // the weekend
    ssoSession(
      t,
      day === DAYS - 1 ? exact('2026-11-19T08:32:00Z') : at(day, 8, 20 + day),
      'ana.silva@acme.example',
      `AWSReservedSSO_AdministratorAccess_${SSO_HASH_ADMIN}`,
    );
    ssoSession(
      t,
      day === DAYS - 1 ? exact('2026-11-19T13:10:00Z') : at(day, 13, 2 + day),
      'li.chen@acme.example',
      `AWSReservedSSO_ReadOnlyAccess_${SSO_HASH_READONLY}`,
    );
  }
}

export function buildTrail(): TrailEvent[] {
  const t = trailWriter();
  // The order is part of the output: each scenario draws its ids from the one random source.
  for (const scenario of [
    githubActionsDeploys,
    oidcRoleSessions,
    vercelStorefront,
    officeNasBackups,
    signingVendor,
    grafanaDataSource,
    mariaLogTailing,
    managementKeys,
    consoleLogins,
    devKeys,
    reportsCronAfterSwitchOff,
    identityCenterSessions,
  ])
    scenario(t);
  return t.events.sort((a, b) => a.time.getTime() - b.time.getTime() || a.account.localeCompare(b.account));
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\d{2}\.\d{3}Z$/, 'Z');
}

/** Groups events as CloudTrail delivers them: per account and region, one file per hour here. */
export async function writeTrail(events: TrailEvent[]): Promise<number> {
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
