import { CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallCounter, createAwsClient } from '../aws/clients.js';
import {
  standInJobId,
  startAccessAdvisorStandIn,
  type AccessAdvisorStandIn,
  type ReportSpec,
} from '../../test/harness/access-advisor-stand-in.js';
import { startFaultProxy, type FaultProxy } from '../../test/harness/fault-proxy.js';
import { describeWithMoto } from '../../test/harness/moto.js';
import { collectAccessAdvisor, type AdvisorPrincipal } from './access-advisor.js';
import { collectAccount } from './account.js';
import { createAccountClients } from './clients.js';

const ACCOUNT = '123456789012';
const DEPLOY = `arn:aws:iam::${ACCOUNT}:user/deploy-bot`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const PRINCIPALS: AdvisorPrincipal[] = [
  { arn: ALICE, kind: 'user' },
  { arn: DEPLOY, kind: 'user' },
];

const DEPLOY_REPORT: ReportSpec = {
  pollsBeforeDone: 2,
  services: [
    {
      namespace: 's3',
      name: 'Amazon S3',
      lastAuthenticated: '2026-11-20T08:00:00Z',
      tracked: [{ name: 'PutObject', lastAccessed: '2026-11-20T08:00:00Z' }, { name: 'PutBucketPolicy' }],
    },
    { namespace: 'sqs', name: 'Amazon SQS', lastAuthenticated: '2026-10-01T00:00:00Z' },
    { namespace: 'dynamodb', name: 'Amazon DynamoDB' },
  ],
};

let standIn: AccessAdvisorStandIn | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await standIn?.close();
  standIn = undefined;
});

function iamAt(endpoint: string, counter = new ApiCallCounter()): IAMClient {
  return createAwsClient(IAMClient, 'iam', {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIASTANDINTEST00001', secretAccessKey: 'not-a-secret' },
    counter,
  });
}

const noWait = { sleep: async () => undefined, pollMs: 1 };

async function collectWith(reports: Record<string, ReportSpec>, options: { maxWaitMs?: number } = {}) {
  standIn = await startAccessAdvisorStandIn({ reportFor: (arn) => reports[arn] ?? { services: [] } });
  const iam = iamAt(standIn.endpoint);
  try {
    return await collectAccessAdvisor(iam, PRINCIPALS, { scope: 'users', ...noWait, ...options });
  } finally {
    iam.destroy();
  }
}

describe('collectAccessAdvisor against a stand-in speaking the IAM wire format', () => {
  it('Given jobs still IN_PROGRESS for two polls, When collected, Then it polls until COMPLETED and keeps every service and tracked action', async () => {
    const result = await collectWith({ [DEPLOY]: DEPLOY_REPORT });

    expect(result.gaps).toEqual([]);
    const deploy = result.advisor.principals.find((principal) => principal.arn === DEPLOY);
    expect(deploy?.complete).toBe(true);
    expect(deploy?.generatedAt).toEqual({ state: 'at', at: '2026-11-23T09:00:05Z' });
    expect(deploy?.services.map((service) => [service.service, service.lastAuthenticated.state])).toEqual([
      ['dynamodb', 'never'],
      ['s3', 'at'],
      ['sqs', 'at'],
    ]);
    expect(deploy?.services.find((service) => service.service === 's3')?.trackedActions).toEqual([
      { action: 's3:PutBucketPolicy', lastAccessed: { state: 'never' }, entity: null, region: null },
      {
        action: 's3:PutObject',
        lastAccessed: { state: 'at', at: '2026-11-20T08:00:00Z' },
        entity: DEPLOY,
        region: 'us-east-1',
      },
    ]);
    expect(deploy?.services.find((service) => service.service === 'sqs')?.trackedActions).toBeNull();
    const generates = standIn?.seen.filter((call) => call.action === 'GenerateServiceLastAccessedDetails') ?? [];
    expect(generates.map((call) => [call.params.get('Arn'), call.params.get('Granularity')])).toEqual([
      [ALICE, 'ACTION_LEVEL'],
      [DEPLOY, 'ACTION_LEVEL'],
    ]);
    // Both jobs start before the first poll: AWS works on them at once.
    const firstPoll = standIn?.seen.findIndex((call) => call.action === 'GetServiceLastAccessedDetails') ?? -1;
    expect(firstPoll).toBe(2);
    const deployPolls = standIn?.seen.filter(
      (call) => call.action === 'GetServiceLastAccessedDetails' && call.params.get('JobId') === standInJobId(2),
    );
    expect(deployPolls).toHaveLength(3);
    expect(standIn?.seen.every((call) => call.signed)).toBe(true);
  });

  it('Given a job that ends FAILED, When collected, Then it is a gap naming the principal and AWS reason, and the other principal is complete', async () => {
    const result = await collectWith({
      [DEPLOY]: { services: [], fail: { code: 'InternalError', message: 'report could not be generated' } },
    });

    expect(result.advisor.principals.map((principal) => principal.arn)).toEqual([ALICE]);
    expect(result.gaps).toEqual([
      {
        accountId: null,
        region: null,
        api: 'iam:GetServiceLastAccessedDetails',
        errorCode: 'JobFailed',
        message: `${DEPLOY}: the report job failed (InternalError: report could not be generated); scan again later`,
      },
    ]);
  });

  it('Given a report paged two services at a time, When collected, Then every page is read through its Marker and the report is complete', async () => {
    const result = await collectWith({ [DEPLOY]: { ...DEPLOY_REPORT, pageSize: 2 } });

    expect(result.gaps).toEqual([]);
    const deploy = result.advisor.principals.find((principal) => principal.arn === DEPLOY);
    expect(deploy?.services.map((service) => service.service)).toEqual(['dynamodb', 's3', 'sqs']);
    expect(deploy?.complete).toBe(true);
    expect(standIn?.seen.some((call) => call.params.get('Marker') === 'page-2')).toBe(true);
  });

  it('Given a first page that says more follow without a Marker, When collected, Then the report is kept as incomplete and the truncation is a gap', async () => {
    const result = await collectWith({ [DEPLOY]: { ...DEPLOY_REPORT, pageSize: 2, truncateWithoutMarker: true } });

    const deploy = result.advisor.principals.find((principal) => principal.arn === DEPLOY);
    expect(deploy?.complete).toBe(false);
    expect(deploy?.services.map((service) => service.service)).toEqual(['s3', 'sqs']);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode])).toEqual([
      ['iam:GetServiceLastAccessedDetails', 'Truncated'],
    ]);
    expect(result.gaps[0]?.message).toMatch(
      `${DEPLOY}: the report says more entries follow (IsTruncated) without a Marker`,
    );
  });

  it('Given a later page that is refused, When collected, Then the pages read are kept as incomplete and the refusal is a gap with its status', async () => {
    const result = await collectWith({
      [DEPLOY]: {
        ...DEPLOY_REPORT,
        pageSize: 2,
        failLaterPages: { code: 'InvalidInput', message: 'bad marker', status: 400 },
      },
    });

    const deploy = result.advisor.principals.find((principal) => principal.arn === DEPLOY);
    expect(deploy?.complete).toBe(false);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode])).toEqual([
      ['iam:GetServiceLastAccessedDetails', 'InvalidInput'],
    ]);
    expect(result.gaps[0]?.message).toMatch(`${DEPLOY}: HTTP 400: bad marker`);
  });

  it('Given a principal whose job cannot be started, When collected, Then the refusal is a generate gap and the other principal is read', async () => {
    const result = await collectWith({
      [ALICE]: { services: [], refuse: { code: 'AccessDenied', message: 'not authorized', status: 403 } },
      [DEPLOY]: DEPLOY_REPORT,
    });

    expect(result.advisor.principals.map((principal) => principal.arn)).toEqual([DEPLOY]);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode])).toEqual([
      ['iam:GenerateServiceLastAccessedDetails', 'AccessDenied'],
    ]);
    expect(result.gaps[0]?.message).toMatch(
      `${ALICE}: HTTP 403: not authorized; allow iam:GenerateServiceLastAccessedDetails`,
    );
  });

  it('Given a job that never finishes, When the wait runs out, Then the principal is a JobNotFinished gap, never an empty report', async () => {
    const result = await collectWith({ [DEPLOY]: { ...DEPLOY_REPORT, pollsBeforeDone: 1_000 } }, { maxWaitMs: 4 });

    expect(result.advisor.principals.map((principal) => principal.arn)).toEqual([ALICE]);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode])).toEqual([
      ['iam:GetServiceLastAccessedDetails', 'JobNotFinished'],
    ]);
  });

  it('Given 20% of the job calls throttled, When collected, Then the result equals the unthrottled one', async () => {
    const reports: Record<string, ReportSpec> = {
      [DEPLOY]: { ...DEPLOY_REPORT, pageSize: 1 },
      [ALICE]: { ...DEPLOY_REPORT, pollsBeforeDone: 3 },
    };
    const clean = await collectWith(reports);
    await standIn?.close();

    standIn = await startAccessAdvisorStandIn({ reportFor: (arn) => reports[arn] ?? { services: [] } });
    proxy = await startFaultProxy({ target: standIn.endpoint, faultRate: 0.2, seed: 11, kinds: ['throttle'] });
    const counter = new ApiCallCounter();
    const iam = iamAt(proxy.endpoint, counter);
    try {
      const throttled = await collectAccessAdvisor(iam, PRINCIPALS, { scope: 'users', ...noWait });
      expect(proxy.stats.throttled).toBeGreaterThan(0);
      expect(throttled).toEqual(clean);
    } finally {
      iam.destroy();
    }
  });
});

describeWithMoto('scan --access-advisor: collectAccount against moto behind the stand-in', (moto) => {
  it('Given two users in moto and one refused advisor job, When the account is collected with access advisor, Then the snapshot account carries the read report and the refusal is a gap of that account', async () => {
    const admin = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
    for (const name of ['deploy-bot', 'alice']) await admin.send(new CreateUserCommand({ UserName: name }));
    const users = (await admin.send(new ListUsersCommand({}))).Users ?? [];
    admin.destroy();
    const arnOf = (name: string) => users.find((user) => user.UserName === name)?.Arn ?? '';
    standIn = await startAccessAdvisorStandIn(
      {
        reportFor: (arn) =>
          arn === arnOf('alice')
            ? { services: [], refuse: { code: 'AccessDenied', message: 'not authorized', status: 403 } }
            : DEPLOY_REPORT,
      },
      moto().endpoint,
    );
    const clients = createAccountClients({
      region: moto().region,
      endpoint: standIn.endpoint,
      credentials: moto().credentials,
    });
    try {
      const result = await collectAccount(clients, {
        now: () => new Date('2026-11-23T10:00:00Z'),
        sleep: async () => undefined,
        reportPollMs: 1,
        accessAdvisor: { scope: 'users', pollMs: 1 },
      });

      const accountId = result.account?.accountId;
      expect(result.account?.accessAdvisor?.principals.map((principal) => principal.arn)).toEqual([
        arnOf('deploy-bot'),
      ]);
      expect(result.account?.accessAdvisor?.principals[0]?.services.map((service) => service.service)).toEqual([
        'dynamodb',
        's3',
        'sqs',
      ]);
      const advisorGaps = result.gaps.filter((gap) => gap.api.includes('ServiceLastAccessed'));
      expect(advisorGaps.map((gap) => [gap.accountId, gap.api, gap.errorCode])).toEqual([
        [accountId, 'iam:GenerateServiceLastAccessedDetails', 'AccessDenied'],
      ]);
    } finally {
      clients.destroy();
    }
  });

  it('Given no --access-advisor, When the account is collected, Then no advisor job is started and the account has no advisor data', async () => {
    const admin = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
    await admin.send(new CreateUserCommand({ UserName: 'deploy-bot' }));
    admin.destroy();
    standIn = await startAccessAdvisorStandIn({ reportFor: () => DEPLOY_REPORT }, moto().endpoint);
    const clients = createAccountClients({
      region: moto().region,
      endpoint: standIn.endpoint,
      credentials: moto().credentials,
    });
    try {
      const result = await collectAccount(clients, {
        now: () => new Date('2026-11-23T10:00:00Z'),
        sleep: async () => undefined,
        reportPollMs: 1,
      });
      expect(result.account?.accessAdvisor).toBeUndefined();
      expect(standIn.seen).toEqual([]);
    } finally {
      clients.destroy();
    }
  });
});
