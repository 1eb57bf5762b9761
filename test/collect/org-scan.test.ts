import { startAccessAdvisorStandIn, type AccessAdvisorStandIn } from '../harness/access-advisor-stand-in.js';
import { readFileSync } from 'node:fs';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createEvaluator } from '../../src/policy/evaluator/evaluator.js';
import { CLOUDFORMATION_TAGS } from '../../src/policy/cloudformation.js';
import { collectOrganizationSnapshot, type OrgSnapshotOptions } from '../../src/collect/org.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { organizationsFeatures, startIamQueryStandIn, type IamQueryStandIn } from '../harness/iam-query-stand-in.js';
import { describeWithMoto, type Moto } from '../harness/moto.js';
import {
  ONE_ANCHOR_ONE_PROFILE,
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from '../harness/roles-anywhere-stand-in.js';
import { iamInAccount, seedIdentityCenter, seedOrganization } from '../harness/seed-org.js';

const savedEnv = { ...process.env };
let proxy: FaultProxy | undefined;
let rolesAnywhere: RolesAnywhereStandIn | undefined;
let advisor: AccessAdvisorStandIn | undefined;
let rootAccess: IamQueryStandIn | undefined;

/**
 * moto answers iam:ListOrganizationsFeatures with HTTP 500 (not implemented), which the scan
 * rightly reports as a gap: IAM goes through a stand-in that answers it and forwards the rest.
 */
async function answerRootAccess(forwardTo: string, features: string[] = ['RootCredentialsManagement']) {
  await rootAccess?.close();
  rootAccess = await startIamQueryStandIn(
    { ListOrganizationsFeatures: () => organizationsFeatures(features) },
    forwardTo,
  );
  process.env.AWS_ENDPOINT_URL_IAM = rootAccess.endpoint;
}

function pointSdkAt(moto: Moto, endpoint: string, credentials = moto.credentials): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, moto.env({ AWS_ENDPOINT_URL: endpoint }), {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
}

function scanOptions(overrides: Partial<OrgSnapshotOptions> = {}): OrgSnapshotOptions {
  return {
    region: 'us-east-1',
    roleName: 'RoleshiftAudit',
    filters: { accounts: [], excludeAccounts: [], ous: [] },
    concurrency: 4,
    rolesAnywhereRegions: [],
    now: () => new Date(),
    ...overrides,
  };
}

/**
 * Everything but what legitimately differs between two runs: collection metadata, and the
 * audit role's own last-used time, which the scan itself updates by assuming it.
 */
function comparable(snapshot: Snapshot): Omit<Snapshot, 'collection'> {
  const { collection: _collection, ...rest } = snapshot;
  return {
    ...rest,
    accounts: rest.accounts.map((account) => ({
      ...account,
      roles: account.roles.map((role) =>
        role.name === 'RoleshiftAudit' ? { ...role, lastUsed: { state: 'unknown' as const } } : role,
      ),
    })),
  };
}

/** The audit role's policy statement, straight from the template users deploy. */
function auditPolicyDocument(): string {
  const template = parseYaml(readFileSync(new URL('../../deploy/audit-role.yaml', import.meta.url), 'utf8'), {
    customTags: CLOUDFORMATION_TAGS,
  }) as { Resources: { AuditRole: { Properties: { Policies: Array<{ PolicyDocument: unknown }> } } } };
  return JSON.stringify(template.Resources.AuditRole.Properties.Policies[0]?.PolicyDocument);
}

beforeEach(() => {
  process.env = { ...savedEnv };
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await rolesAnywhere?.close();
  rolesAnywhere = undefined;
  await advisor?.close();
  advisor = undefined;
  await rootAccess?.close();
  rootAccess = undefined;
  process.env = { ...savedEnv };
});

describeWithMoto('scan --org against moto', (moto) => {
  it('given an organization of 6 accounts, when scanned, then every account is collected with its OU path, SCP targets, Identity Center and Roles Anywhere', async () => {
    const org = await seedOrganization(moto(), { members: 5, usersPerAccount: 6 });
    await seedIdentityCenter(moto(), org.memberAccountIds.slice(0, 2));
    rolesAnywhere = await startRolesAnywhereStandIn(ONE_ANCHOR_ONE_PROFILE);
    // moto answers HTTP 500 to access advisor: the stand-in answers it and forwards the rest of IAM.
    advisor = await startAccessAdvisorStandIn(
      { reportFor: () => ({ services: [{ namespace: 's3' }] }) },
      moto().endpoint,
    );
    pointSdkAt(moto(), moto().endpoint);
    process.env.AWS_ENDPOINT_URL_ROLESANYWHERE = rolesAnywhere.endpoint;
    await answerRootAccess(advisor.endpoint, ['RootCredentialsManagement', 'RootSessions']);

    const snapshot = await collectOrganizationSnapshot(
      scanOptions({ rolesAnywhereRegions: ['us-east-1'], accessAdvisor: 'users' }),
    );

    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual(
      [org.managementAccountId, ...org.memberAccountIds].sort(),
    );
    for (const account of snapshot.accounts) expect(account.users).toHaveLength(6);
    for (const account of snapshot.accounts) expect(account.accessAdvisor?.principals).toHaveLength(6);
    // The Organizations access report, from the management account: the root, each OU above a
    // scanned account, and each scanned member account (SCPs do not limit the management account).
    const reports = snapshot.organization?.accessReports ?? [];
    const entitiesOf = (kind: string) => reports.filter((report) => report.entity === kind).map((r) => r.targetId);
    expect(entitiesOf('account').sort()).toEqual([...org.memberAccountIds].sort());
    expect(entitiesOf('root')).toHaveLength(1);
    expect(entitiesOf('ou')).toContain(org.ouIds.workloads);
    for (const report of reports)
      expect([report.complete, report.services.map((s) => s.service)]).toEqual([true, ['s3']]);
    const prodMember = snapshot.organization?.accounts.find((a) => a.accountId === org.memberAccountIds[0]);
    expect(prodMember?.ouPath).toEqual(['Root', 'Workloads', 'Prod']);
    const scp = snapshot.organization?.scps.find((policy) => policy.name === 'deny-iam-users');
    expect(scp?.targets.map((t) => t.targetId)).toEqual([org.ouIds.workloads]);
    expect(scp?.document).toMatchObject({ Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser' }] });
    expect(snapshot.collection.apiCalls['sts:AssumeRole']).toBe(5);
    expect(snapshot.rootAccess?.enabledFeatures).toEqual(['RootCredentialsManagement', 'RootSessions']);
    expect(snapshot.collection.apiCalls['iam:ListOrganizationsFeatures']).toBe(1);
    const center = snapshot.identityCenterInstance;
    expect(
      center?.permissionSets.map((p) => [p.name, p.managedPolicies.map((m) => m.name), p.inlinePolicy?.Statement]),
    ).toEqual([
      [
        'Developers',
        ['ReadOnlyAccess'],
        [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::team-bucket/*' }],
      ],
    ]);
    // moto's ListAccountsForProvisionedPermissionSet answers only its own account id, so the
    // assignments read back are not checked here (see README, "verified against moto only").
    expect(center?.users.map((u) => [u.userName, u.emails])).toEqual([['maria.garcia', ['maria.garcia@example.com']]]);
    expect(center?.memberships).toHaveLength(1);
    expect(snapshot.rolesAnywhere?.map((r) => r.accountId)).toEqual(
      [org.managementAccountId, ...org.memberAccountIds].sort(),
    );
    expect(snapshot.rolesAnywhere?.[0]?.trustAnchors.map((t) => t.name)).toEqual(['onprem-ca']);

    // The audit role must allow exactly what the collector called: no more, no less.
    const scannerOnly = new Set(['sts:AssumeRole', 'sts:GetCallerIdentity']);
    const called = Object.keys(snapshot.collection.apiCalls)
      .filter((api) => !scannerOnly.has(api))
      .sort();
    const allowed = (JSON.parse(auditPolicyDocument()) as { Statement: Array<{ Action: string[] }> }).Statement.flatMap(
      (s) => s.Action,
    ).sort();
    expect(allowed).toEqual(called);
  });

  it('given 20% of requests throttled, failed or dropped, when scanned, then the snapshot equals the fault-free one', async () => {
    await seedOrganization(moto(), { members: 5, usersPerAccount: 4 });
    pointSdkAt(moto(), moto().endpoint);
    await answerRootAccess(moto().endpoint);
    const clean = await collectOrganizationSnapshot(scanOptions());

    proxy = await startFaultProxy({ target: moto().endpoint, faultRate: 0.2, seed: 7 });
    pointSdkAt(moto(), proxy.endpoint);
    await answerRootAccess(proxy.endpoint);
    const faulty = await collectOrganizationSnapshot(scanOptions());

    expect(proxy.stats.throttled + proxy.stats.serverErrors + proxy.stats.dropped).toBeGreaterThan(10);
    expect(comparable(faulty)).toEqual(comparable(clean));
  });

  it('given one account whose audit role cannot be assumed and one whose IAM reads are denied, when scanned, then the others are complete and both failures are gaps', async () => {
    const org = await seedOrganization(moto(), { members: 5, usersPerAccount: 3 });
    const [deniedAssume, deniedIam, ...healthy] = org.memberAccountIds as [string, string, ...string[]];
    const management = iamInAccount(moto(), org.managementAccountId);
    await management.send(new CreateUserCommand({ UserName: 'roleshift-scanner' }));
    await management.send(
      new PutUserPolicyCommand({
        UserName: 'roleshift-scanner',
        PolicyName: 'scanner',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', NotAction: 'sts:AssumeRole', Resource: '*' },
            { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::*:role/RoleshiftAudit` },
            // moto does not check trust policies or that the role exists: this deny stands in for
            // AWS refusing AssumeRole into an account whose role is missing.
            { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${deniedAssume}:role/RoleshiftAudit` },
          ],
        }),
      }),
    );
    const key = await management.send(new CreateAccessKeyCommand({ UserName: 'roleshift-scanner' }));
    for (const accountId of healthy) {
      await iamInAccount(moto(), accountId).send(
        new PutRolePolicyCommand({
          RoleName: 'RoleshiftAudit',
          PolicyName: 'roleshift-read-only',
          PolicyDocument: auditPolicyDocument(),
        }),
      );
    }
    // deniedIam's role keeps no policy at all: every IAM read there is AccessDenied.
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    pointSdkAt(moto(), moto().endpoint, {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    });

    const snapshot = await collectOrganizationSnapshot(scanOptions());

    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([org.managementAccountId, ...healthy].sort());
    for (const account of snapshot.accounts) expect(account.users.length).toBeGreaterThan(0);
    expect(snapshot.gaps).toContainEqual(
      expect.objectContaining({ accountId: deniedAssume, api: 'sts:AssumeRole', errorCode: 'AccessDenied' }),
    );
    expect(snapshot.gaps).toContainEqual(
      expect.objectContaining({
        accountId: deniedIam,
        api: 'iam:GetAccountAuthorizationDetails',
        errorCode: 'AccessDenied',
      }),
    );
    expect(snapshot.gaps.filter((gap) => healthy.includes(gap.accountId ?? ''))).toEqual([]);
    // moto does not implement iam:ListOrganizationsFeatures (HTTP 500): unknown, so a gap, never a silent pass.
    expect(snapshot.gaps).toContainEqual(
      expect.objectContaining({ accountId: org.managementAccountId, api: 'iam:ListOrganizationsFeatures' }),
    );
    expect(snapshot.rootAccess).toBeUndefined();
  });

  it('given OU and exclusion filters, when scanned, then only the matching accounts are visited', async () => {
    const org = await seedOrganization(moto(), { members: 4, usersPerAccount: 1 });
    pointSdkAt(moto(), moto().endpoint);

    const snapshot = await collectOrganizationSnapshot(
      scanOptions({ filters: { accounts: [], excludeAccounts: [org.memberAccountIds[2] ?? ''], ous: ['Prod'] } }),
    );

    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([org.memberAccountIds[0]]);
    expect(snapshot.collection.apiCalls['sts:AssumeRole']).toBe(1);
  });
});

describeWithMoto(
  'scan --org against moto listing every AWS managed policy in each account',
  (moto) => {
    it('given 1,400+ AWS managed policies in every account, when scanned, then the snapshot keeps them once for the scan and a user attaching one still reads it', async () => {
      const org = await seedOrganization(moto(), { members: 2, usersPerAccount: 1 });
      const member = org.memberAccountIds[0] ?? '';
      await iamInAccount(moto(), member).send(
        new AttachUserPolicyCommand({ UserName: 'person-0', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      );
      pointSdkAt(moto(), moto().endpoint);
      await answerRootAccess(moto().endpoint);

      const snapshot = await collectOrganizationSnapshot(scanOptions());

      expect(snapshot.gaps).toEqual([]);
      expect(snapshot.accounts.flatMap((account) => account.policies).filter((policy) => policy.awsManaged)).toEqual(
        [],
      );
      const shared = snapshot.awsManagedPolicies ?? [];
      expect(shared.length).toBeGreaterThan(1000);
      expect(new Set(shared.map((policy) => policy.arn)).size).toBe(shared.length);
      const account = snapshot.accounts.find((candidate) => candidate.accountId === member);
      const user = account?.users.find((candidate) => candidate.name === 'person-0');
      if (!account || !user) throw new Error('the member account or its user is missing');
      const evaluator = createEvaluator(snapshot, { now: new Date() });
      const principal = evaluator.principal(user.arn);
      if (!principal) throw new Error('the evaluator does not know the user');
      const verdict = evaluator.evaluate(principal, 's3:GetObject', 'arn:aws:s3:::any-bucket/any-key');
      expect(verdict.unread).toEqual([]);
      expect(verdict.statements.some((entry) => entry.source.name === 'ReadOnlyAccess')).toBe(true);
    });
  },
  { managedPolicies: true },
);
