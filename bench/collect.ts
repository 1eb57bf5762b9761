import { cpus, totalmem } from 'node:os';
import { collectOrganizationSnapshot } from '../src/collect/org.js';
import { runBounded } from '../src/collect/pool.js';
import { startMotoProcess } from '../test/harness/moto-process.js';
import { iamInAccount, seedAccountUsers, type TestAws } from '../test/harness/seed-org.js';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { auditTrust } from '../test/harness/seed-org.js';
import { collectPerUser } from './baseline-collector.js';

/**
 * `npm run bench -- collect [--accounts N] [--users N]`: roleshift's org scan (GAAD + credential
 * report, no per-user call) against a Prowler/ScoutSuite-style per-user collector, on the same
 * moto Organization, in the same run. Prints calls per account, wall time and the ratios.
 */
interface Measured {
  seconds: number;
  calls: number;
  /** IAM calls only: what one account costs, without the organization-wide listing. */
  iamCalls: number;
}

function flag(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

async function seed(aws: TestAws, accounts: number, users: number): Promise<string[]> {
  const org = new OrganizationsClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const roots = await org.send(new ListRootsCommand({}));
  const scp = await org.send(
    new CreatePolicyCommand({
      Name: 'deny-iam-users',
      Description: 'bench',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }],
      }),
    }),
  );
  await org.send(
    new AttachPolicyCommand({ PolicyId: scp.Policy?.PolicySummary?.Id ?? '', TargetId: roots.Roots?.[0]?.Id ?? '' }),
  );
  const ids: string[] = [];
  for (let index = 0; index < accounts - 1; index += 1) {
    const created = await org.send(
      new CreateAccountCommand({ AccountName: `bench-${index}`, Email: `bench-${index}@example.com` }),
    );
    ids.push(created.CreateAccountStatus?.AccountId ?? '');
  }
  const all = ['123456789012', ...ids];
  await runBounded(all, 8, async (accountId) => {
    const iam = iamInAccount(aws, accountId);
    if (accountId !== '123456789012') {
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'RoleshiftAudit',
          AssumeRolePolicyDocument: auditTrust('arn:aws:iam::123456789012:root'),
        }),
      );
    }
    await seedAccountUsers(iam, accountId, users);
  });
  return all;
}

async function measureRoleshift(aws: TestAws): Promise<Measured & { accounts: number }> {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_REGION: aws.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  const started = performance.now();
  const snapshot = await collectOrganizationSnapshot({
    region: aws.region,
    roleName: 'RoleshiftAudit',
    filters: { accounts: [], excludeAccounts: [], ous: [] },
    concurrency: 8,
    rolesAnywhereRegions: [],
    now: () => new Date(),
  });
  const seconds = (performance.now() - started) / 1000;
  if (snapshot.gaps.length > 0) throw new Error(`roleshift scan had gaps: ${JSON.stringify(snapshot.gaps[0])}`);
  const calls = Object.values(snapshot.collection.apiCalls).reduce((sum, n) => sum + n, 0);
  const iamCalls = Object.entries(snapshot.collection.apiCalls)
    .filter(([api]) => api.startsWith('iam:'))
    .reduce((sum, [, n]) => sum + n, 0);
  return { seconds, calls, iamCalls, accounts: snapshot.accounts.length };
}

async function measureBaseline(aws: TestAws, accountIds: string[]): Promise<Measured> {
  let calls = 0;
  const started = performance.now();
  await runBounded(accountIds, 8, async (accountId) =>
    collectPerUser(iamInAccount(aws, accountId), () => (calls += 1)),
  );
  return { seconds: (performance.now() - started) / 1000, calls, iamCalls: calls };
}

async function sizeRun(
  accounts: number,
  users: number,
): Promise<{ roleshift: Measured; baseline: Measured; accounts: number }> {
  const moto = await startMotoProcess();
  try {
    const aws: TestAws = {
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' },
    };
    const seedStart = performance.now();
    const accountIds = await seed(aws, accounts, users);
    process.stderr.write(
      `seeded ${accounts} accounts x ${users} users in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );
    const roleshift = await measureRoleshift(aws);
    if (roleshift.accounts !== accounts)
      throw new Error(`roleshift collected ${roleshift.accounts} of ${accounts} accounts`);
    const baseline = await measureBaseline(aws, accountIds);
    return { roleshift, baseline, accounts };
  } finally {
    await moto.stop();
  }
}

export async function run(args: string[]): Promise<void> {
  const accounts = flag(args, 'accounts', 20);
  const users = flag(args, 'users', 200);
  const small = await sizeRun(Math.min(accounts, 3), 10);
  const full = await sizeRun(accounts, users);
  const perAccount = (m: Measured, n: number) => (m.calls / n).toFixed(1);
  const iamPerAccount = (m: Measured, n: number) => (m.iamCalls / n).toFixed(1);
  const lines = [
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, moto_server on 127.0.0.1`,
    '',
    '| size | collector | IAM calls / account | all calls / account | wall time (s) |',
    '|---|---|---|---|---|',
    `| ${small.accounts} x 10 users | roleshift (GAAD + credential report) | ${iamPerAccount(small.roleshift, small.accounts)} | ${perAccount(small.roleshift, small.accounts)} | ${small.roleshift.seconds.toFixed(2)} |`,
    `| ${small.accounts} x 10 users | per-user baseline (Prowler/ScoutSuite style) | ${iamPerAccount(small.baseline, small.accounts)} | ${perAccount(small.baseline, small.accounts)} | ${small.baseline.seconds.toFixed(2)} |`,
    `| ${accounts} x ${users} users | roleshift (GAAD + credential report) | ${iamPerAccount(full.roleshift, accounts)} | ${perAccount(full.roleshift, accounts)} | ${full.roleshift.seconds.toFixed(2)} |`,
    `| ${accounts} x ${users} users | per-user baseline (Prowler/ScoutSuite style) | ${iamPerAccount(full.baseline, accounts)} | ${perAccount(full.baseline, accounts)} | ${full.baseline.seconds.toFixed(2)} |`,
    '',
    `ratios at ${users} users/account: ${(full.baseline.calls / full.roleshift.calls).toFixed(1)}x fewer calls (target >= 10x), ` +
      `${(full.baseline.seconds / full.roleshift.seconds).toFixed(1)}x less wall time (target >= 5x); ` +
      `roleshift IAM calls/account at 10 vs ${users} users: ${iamPerAccount(small.roleshift, small.accounts)} vs ${iamPerAccount(full.roleshift, accounts)} (must not grow with users; "all calls" also spreads the organization-wide listing over the accounts)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
