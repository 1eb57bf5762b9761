import { IAMClient } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startAccessAdvisorStandIn,
  type AccessAdvisorStandIn,
  type ReportSpec,
} from '../../test/harness/access-advisor-stand-in.js';
import { startFaultProxy, type FaultProxy } from '../../test/harness/fault-proxy.js';
import { ApiCallCounter, createAwsClient } from '../aws/clients.js';
import { OrganizationSchema, type Organization } from '../model/organization.js';
import { UNKNOWN } from '../model/when.js';
import { collectOrganizationsAccessReports, reportEntities, type OrgEntity } from './org-access-report.js';

const ORG = 'o-a1b2c3d4e5';
const ROOT = 'r-ab12';
const PROD_OU = 'ou-ab12-prod0001';
const ROOT_PATH = `${ORG}/${ROOT}`;
const PROD_PATH = `${ROOT_PATH}/${PROD_OU}`;
const WORKLOAD_PATH = `${PROD_PATH}/222222222222`;

const ORGANIZATION: Organization = {
  id: ORG,
  managementAccountId: '111111111111',
  scps: [],
  accounts: [
    {
      accountId: '111111111111',
      name: 'management',
      status: 'ACTIVE',
      ouPath: ['Root'],
      ouIds: [ROOT],
      joinedAt: UNKNOWN,
    },
    {
      accountId: '222222222222',
      name: 'workload',
      status: 'ACTIVE',
      ouPath: ['Root', 'Prod'],
      ouIds: [ROOT, PROD_OU],
      joinedAt: UNKNOWN,
    },
    {
      accountId: '333333333333',
      name: 'excluded',
      status: 'ACTIVE',
      ouPath: ['Root', 'Sandbox'],
      ouIds: [ROOT, 'ou-ab12-sand0001'],
      joinedAt: UNKNOWN,
    },
  ],
};

const ENTITIES: OrgEntity[] = [
  { entityPath: PROD_PATH, entity: 'ou', targetId: PROD_OU },
  { entityPath: WORKLOAD_PATH, entity: 'account', targetId: '222222222222' },
];

const WORKLOAD_REPORT: ReportSpec = {
  pollsBeforeDone: 2,
  services: [
    { namespace: 's3', name: 'Amazon S3', lastAuthenticated: '2026-11-20T08:00:00Z', region: 'eu-west-1', entities: 3 },
    { namespace: 'ec2', name: 'Amazon EC2' },
    { namespace: 'sqs', name: 'Amazon SQS', lastAuthenticated: '2026-10-01T00:00:00Z' },
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

function iamAt(endpoint: string): IAMClient {
  return createAwsClient(IAMClient, 'iam', {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIASTANDINTEST00001', secretAccessKey: 'not-a-secret' },
    counter: new ApiCallCounter(),
  });
}

const noWait = { sleep: async () => undefined, pollMs: 1 };

async function collectWith(reports: Record<string, ReportSpec>, options: { maxWaitMs?: number } = {}) {
  standIn = await startAccessAdvisorStandIn({ reportFor: (path) => reports[path] ?? { services: [] } });
  const iam = iamAt(standIn.endpoint);
  try {
    return await collectOrganizationsAccessReports(iam, ENTITIES, { ...noWait, ...options });
  } finally {
    iam.destroy();
  }
}

describe('reportEntities', () => {
  it('Given the management account under the root and a member in an OU, When both and not a third are scanned, Then the root, the OU and the member are reported, not the management account SCPs do not limit nor the unscanned OU', () => {
    const entities = reportEntities(ORGANIZATION, new Set(['111111111111', '222222222222']));

    expect(entities.map((entity) => [entity.entity, entity.entityPath, entity.targetId])).toEqual([
      ['root', ROOT_PATH, ROOT],
      ['ou', PROD_PATH, PROD_OU],
      ['account', WORKLOAD_PATH, '222222222222'],
    ]);
  });
});

describe('organization.accessReports in the snapshot', () => {
  it('Given an Organization saved before the access report existed, When parsed, Then it still parses and has no reports; and a read report round-trips through the schema', async () => {
    expect(OrganizationSchema.parse(JSON.parse(JSON.stringify(ORGANIZATION))).accessReports).toBeUndefined();

    const { reports } = await collectWith({ [WORKLOAD_PATH]: WORKLOAD_REPORT });
    const saved = JSON.parse(JSON.stringify({ ...ORGANIZATION, accessReports: reports }));
    expect(OrganizationSchema.parse(saved).accessReports).toEqual(reports);
  });
});

describe('collectOrganizationsAccessReports against a stand-in speaking the IAM wire format', () => {
  it('Given a job IN_PROGRESS for two polls, When collected, Then it polls until COMPLETED and keeps each service, its counts and the entity path', async () => {
    const result = await collectWith({ [WORKLOAD_PATH]: WORKLOAD_REPORT });

    expect(result.gaps).toEqual([]);
    const workload = result.reports.find((report) => report.entityPath === WORKLOAD_PATH);
    expect(workload).toMatchObject({
      entity: 'account',
      targetId: '222222222222',
      complete: true,
      generatedAt: { state: 'at', at: '2026-11-23T09:00:05Z' },
      servicesAllowed: 3,
      servicesNotAccessed: 1,
    });
    expect(workload?.services).toEqual([
      {
        service: 'ec2',
        name: 'Amazon EC2',
        lastAuthenticated: { state: 'never' },
        entityPath: null,
        region: null,
        totalAuthenticatedEntities: 0,
      },
      {
        service: 's3',
        name: 'Amazon S3',
        lastAuthenticated: { state: 'at', at: '2026-11-20T08:00:00Z' },
        entityPath: WORKLOAD_PATH,
        region: 'eu-west-1',
        totalAuthenticatedEntities: 3,
      },
      {
        service: 'sqs',
        name: 'Amazon SQS',
        lastAuthenticated: { state: 'at', at: '2026-10-01T00:00:00Z' },
        entityPath: WORKLOAD_PATH,
        region: 'us-east-1',
        totalAuthenticatedEntities: 1,
      },
    ]);
    const generates = standIn?.seen.filter((call) => call.action === 'GenerateOrganizationsAccessReport') ?? [];
    expect(generates.map((call) => call.params.get('EntityPath'))).toEqual([PROD_PATH, WORKLOAD_PATH]);
    const polls = standIn?.seen.filter((call) => call.action === 'GetOrganizationsAccessReport') ?? [];
    expect(polls.filter((call) => call.params.get('JobId') === polls.at(-1)?.params.get('JobId'))).toHaveLength(3);
    expect(standIn?.seen.every((call) => call.signed)).toBe(true);
  });

  it('Given a job that ends FAILED, When collected, Then it is a gap naming the entity path and AWS reason, and the other entity is read', async () => {
    const result = await collectWith({
      [PROD_PATH]: { services: [], fail: { code: 'OrganizationsNotInUse', message: 'SCPs are not enabled' } },
      [WORKLOAD_PATH]: WORKLOAD_REPORT,
    });

    expect(result.reports.map((report) => report.entityPath)).toEqual([WORKLOAD_PATH]);
    expect(result.gaps).toEqual([
      {
        accountId: null,
        region: null,
        api: 'iam:GetOrganizationsAccessReport',
        errorCode: 'JobFailed',
        message: `${PROD_PATH}: the report job failed (OrganizationsNotInUse: SCPs are not enabled); scan again later`,
      },
    ]);
  });

  it('Given a report paged one service at a time, When collected, Then every page is read through its Marker and the report is complete', async () => {
    const result = await collectWith({ [WORKLOAD_PATH]: { ...WORKLOAD_REPORT, pageSize: 1 } });

    expect(result.gaps).toEqual([]);
    const workload = result.reports.find((report) => report.entityPath === WORKLOAD_PATH);
    expect(workload?.services.map((service) => service.service)).toEqual(['ec2', 's3', 'sqs']);
    expect(workload?.complete).toBe(true);
    expect(standIn?.seen.filter((call) => call.params.get('Marker') !== null)).toHaveLength(2);
  });

  it('Given a first page that says more follow without a Marker, When collected, Then the report is kept as incomplete and the truncation is a gap naming the entity path', async () => {
    const result = await collectWith({
      [WORKLOAD_PATH]: { ...WORKLOAD_REPORT, pageSize: 2, truncateWithoutMarker: true },
    });

    const workload = result.reports.find((report) => report.entityPath === WORKLOAD_PATH);
    expect(workload?.complete).toBe(false);
    expect(workload?.services.map((service) => service.service)).toEqual(['ec2', 's3']);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode])).toEqual([
      ['iam:GetOrganizationsAccessReport', 'Truncated'],
    ]);
    expect(result.gaps[0]?.message).toMatch(`${WORKLOAD_PATH}: the report says more entries follow (IsTruncated)`);
  });

  it('Given a caller outside the management account, When the jobs are refused, Then each refusal is a generate gap naming its entity path and the permission', async () => {
    const refuse = { code: 'AccessDenied', message: 'not the management account', status: 403 };
    const result = await collectWith({
      [PROD_PATH]: { services: [], refuse },
      [WORKLOAD_PATH]: { services: [], refuse },
    });

    expect(result.reports).toEqual([]);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode])).toEqual([
      ['iam:GenerateOrganizationsAccessReport', 'AccessDenied'],
      ['iam:GenerateOrganizationsAccessReport', 'AccessDenied'],
    ]);
    expect(result.gaps[0]?.message).toMatch(`${PROD_PATH}: HTTP 403: not the management account`);
  });

  it('Given a job that never finishes, When the wait runs out, Then the entity is a JobNotFinished gap, never an empty report', async () => {
    const result = await collectWith(
      { [WORKLOAD_PATH]: { ...WORKLOAD_REPORT, pollsBeforeDone: 1_000 } },
      { maxWaitMs: 4 },
    );

    expect(result.reports.map((report) => report.entityPath)).toEqual([PROD_PATH]);
    expect(result.gaps.map((gap) => [gap.api, gap.errorCode, gap.message.split(':')[0]])).toEqual([
      ['iam:GetOrganizationsAccessReport', 'JobNotFinished', WORKLOAD_PATH],
    ]);
  });

  it('Given 20% of the job calls throttled, When collected, Then the reports equal the unthrottled ones', async () => {
    const reports: Record<string, ReportSpec> = {
      [WORKLOAD_PATH]: { ...WORKLOAD_REPORT, pageSize: 1 },
      [PROD_PATH]: { ...WORKLOAD_REPORT, pollsBeforeDone: 3 },
    };
    const clean = await collectWith(reports);
    await standIn?.close();

    standIn = await startAccessAdvisorStandIn({ reportFor: (path) => reports[path] ?? { services: [] } });
    proxy = await startFaultProxy({ target: standIn.endpoint, faultRate: 0.2, seed: 5, kinds: ['throttle'] });
    const iam = iamAt(proxy.endpoint);
    try {
      const throttled = await collectOrganizationsAccessReports(iam, ENTITIES, noWait);
      expect(proxy.stats.throttled).toBeGreaterThan(0);
      expect(throttled).toEqual(clean);
    } finally {
      iam.destroy();
    }
  });
});
