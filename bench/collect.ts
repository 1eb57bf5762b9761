/**
 * `npm run bench -- collect [--accounts 20] [--users 200] [--latency-ms 0] [--report-delay-s 0]
 *   [--shards N] [--baseline-sample 16]`
 *
 * roleshift's `scan --org` (the built CLI, in its own process) against a Prowler/ScoutSuite-style
 * per-user collector, on the same synthetic Organization in moto, in the same run, both through
 * a loopback proxy that adds AWS's per-call latency and its credential-report generation delay
 * (test/harness/aws-latency-proxy.ts) and counts every call per account. Accounts are spread
 * over `--shards` moto processes (one per core by default) that seed their estate in-process
 * (bench/moto-shard.py), so a 1,000-account Organization seeds in minutes instead of hours.
 * The per-user baseline runs on a sample of accounts and is extrapolated when the Organization
 * is bigger than the sample; the output says so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { runBounded } from '../src/pool.js';
import { startAwsLatencyProxy, type AwsLatencyProxy } from '../test/harness/aws-latency-proxy.js';
import { startMotoProcess, type MotoProcess } from '../test/harness/moto-process.js';
import { auditTrust, iamInAccount, type TestAws } from '../test/harness/seed-org.js';
import { collectPerUser } from './baseline-collector.js';

const MANAGEMENT = '123456789012';
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIABENCH0000000000', secretAccessKey: 'bench' };
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Accounts the per-user baseline collects at once, and users per account: a thread pool's worth. */
const BASELINE_LANES = 8;

interface Flags {
  accounts: number;
  users: number;
  latencyMs: number;
  reportDelayS: number;
  shards: number;
  baselineSample: number;
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = {
    accounts: 20,
    users: 200,
    latencyMs: 0,
    reportDelayS: 0,
    shards: cpus().length,
    baselineSample: 16,
  };
  const names: Record<string, keyof Flags> = {
    '--accounts': 'accounts',
    '--users': 'users',
    '--latency-ms': 'latencyMs',
    '--report-delay-s': 'reportDelayS',
    '--shards': 'shards',
    '--baseline-sample': 'baselineSample',
  };
  for (let index = 0; index < args.length; index += 2) {
    const name = names[args[index] ?? ''];
    const value = Number(args[index + 1]);
    if (name === undefined) throw new Error(`unknown flag ${args[index]}; use ${Object.keys(names).join(', ')}`);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${args[index]} needs a number`);
    flags[name] = value;
  }
  if (flags.accounts < 1 || flags.users < 1 || flags.shards < 1 || flags.baselineSample < 1)
    throw new Error('--accounts, --users, --shards and --baseline-sample must be at least 1');
  return flags;
}

interface Estate {
  shards: MotoProcess[];
  /** Where an account's calls go; the same function the proxies route with. */
  shardOf: (accountId: string) => string;
  accountIds: string[];
  seedSeconds: number;
}

async function startShards(count: number): Promise<MotoProcess[]> {
  const script = join(ROOT, 'bench/moto-shard.py');
  return Promise.all(
    Array.from({ length: count }, () => startMotoProcess({ command: (port) => ['python3', script, String(port)] })),
  );
}

/** The Organization lives with the management account; members are created through its API. */
async function seedOrganization(endpoint: string, accounts: number): Promise<string[]> {
  const org = new OrganizationsClient({ endpoint, region: REGION, credentials: CREDENTIALS });
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
  const members = await runBounded(
    Array.from({ length: accounts - 1 }, (_, index) => index),
    4,
    async (index) => {
      const created = await org.send(
        new CreateAccountCommand({ AccountName: `bench-${index}`, Email: `bench-${index}@example.com` }),
      );
      return created.CreateAccountStatus?.AccountId ?? '';
    },
  );
  org.destroy();
  return [MANAGEMENT, ...members.map((member) => (member.ok ? member.value : ''))];
}

async function seedAccount(shard: string, accountId: string, users: number): Promise<void> {
  const answer = await fetch(`${shard}/roleshift-bench/seed-account`, {
    method: 'POST',
    body: JSON.stringify({
      accountId,
      users,
      auditTrust: accountId === MANAGEMENT ? null : auditTrust(`arn:aws:iam::${MANAGEMENT}:root`),
    }),
  });
  if (!answer.ok) throw new Error(`seeding ${accountId}: ${answer.status} ${await answer.text()}`);
}

async function seedEstate(shards: MotoProcess[], accounts: number, users: number): Promise<Estate> {
  const router = await startAwsLatencyProxy({ shards: shards.map((shard) => shard.endpoint) });
  const started = performance.now();
  try {
    const accountIds = await seedOrganization(router.shardOf(MANAGEMENT), accounts);
    // Two requests per shard keep each moto process busy while the other is in transit.
    const settled = await runBounded(accountIds, shards.length * 2, (accountId) =>
      seedAccount(router.shardOf(accountId), accountId, users),
    );
    const failed = settled.find((entry) => !entry.ok);
    if (failed && !failed.ok) throw failed.error;
    return { shards, shardOf: router.shardOf, accountIds, seedSeconds: (performance.now() - started) / 1000 };
  } finally {
    await router.close();
  }
}

interface Measured {
  seconds: number;
  calls: number;
  iamCalls: number;
  accounts: number;
  /** CPU time the moto processes used meanwhile: the emulator's own cost, which AWS does not add. */
  motoCpuSeconds: number;
}

interface RoleshiftMeasured extends Measured {
  peakRssMb: number;
  snapshotMb: number;
  storeMb: number;
  users: number;
  gaps: number;
}

function countCalls(proxy: AwsLatencyProxy): { calls: number; iamCalls: number } {
  let calls = 0;
  let iamCalls = 0;
  for (const perAccount of proxy.calls.values()) {
    for (const [api, count] of perAccount) {
      calls += count;
      if (api.startsWith('iam:')) iamCalls += count;
    }
  }
  return { calls, iamCalls };
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', join(ROOT, 'bench/rss-probe.mjs'), join(ROOT, 'dist/cli/bin.js'), ...args],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    // Only the end matters (one stale-report warning per account comes before it).
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function motoCpu(estate: Estate): number {
  return estate.shards.reduce((sum, shard) => sum + cpuSecondsOf(shard.pid), 0);
}

function sizeMb(path: string): number {
  return existsSync(path) ? statSync(path).size / 2 ** 20 : 0;
}

async function measureRoleshift(estate: Estate, flags: Flags): Promise<RoleshiftMeasured> {
  const proxy = await startAwsLatencyProxy({
    shards: estate.shards.map((shard) => shard.endpoint),
    latencyMs: flags.latencyMs,
    reportDelayMs: flags.reportDelayS * 1000,
  });
  const work = mkdtempSync(join(tmpdir(), 'roleshift-bench-collect-'));
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: work,
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
      ROLESHIFT_BENCH_RSS_FILE: join(work, 'rss'),
    };
    const snapshotPath = join(work, 'snapshot.json');
    const storePath = join(work, 'store.duckdb');
    const cpuBefore = motoCpu(estate);
    const started = performance.now();
    const result = await runCli(['scan', '--org', '--quiet', '--json', '-o', snapshotPath, '--store', storePath], env);
    const seconds = (performance.now() - started) / 1000;
    if (result.code !== 0 && result.code !== 3)
      throw new Error(`roleshift scan --org exited with ${result.code}: ${result.stderr}`);
    const summary = (JSON.parse(result.stdout) as { summary: { accounts: number; users: number; gaps: unknown[] } })
      .summary;
    return {
      seconds,
      ...countCalls(proxy),
      accounts: summary.accounts,
      users: summary.users,
      gaps: summary.gaps.length,
      motoCpuSeconds: motoCpu(estate) - cpuBefore,
      peakRssMb: Number(readFileSync(join(work, 'rss'), 'utf8')) / 1024,
      snapshotMb: sizeMb(snapshotPath),
      storeMb: sizeMb(storePath),
    };
  } finally {
    await proxy.close();
    rmSync(work, { recursive: true, force: true });
  }
}

async function measureBaseline(estate: Estate, flags: Flags, accountIds: string[]): Promise<Measured> {
  const proxy = await startAwsLatencyProxy({
    shards: estate.shards.map((shard) => shard.endpoint),
    latencyMs: flags.latencyMs,
  });
  try {
    const aws: TestAws = { endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS };
    const cpuBefore = motoCpu(estate);
    const started = performance.now();
    await runBounded(accountIds, BASELINE_LANES, async (accountId) =>
      collectPerUser(iamInAccount(aws, accountId), () => undefined, BASELINE_LANES),
    );
    return {
      seconds: (performance.now() - started) / 1000,
      ...countCalls(proxy),
      accounts: accountIds.length,
      motoCpuSeconds: motoCpu(estate) - cpuBefore,
    };
  } finally {
    await proxy.close();
  }
}

interface SizeResult {
  accounts: number;
  users: number;
  seedSeconds: number;
  roleshift: RoleshiftMeasured;
  baseline: Measured;
  /** Baseline scaled to every account when only a sample ran. */
  baselineFull: { seconds: number; calls: number; extrapolatedFrom: number | null };
}

async function sizeRun(flags: Flags, accounts: number, users: number): Promise<SizeResult> {
  const shards = await startShards(flags.shards);
  try {
    const estate = await seedEstate(shards, accounts, users);
    process.stderr.write(
      `seeded ${accounts} accounts x ${users} users on ${shards.length} moto shard(s) in ${estate.seedSeconds.toFixed(1)} s\n`,
    );
    const roleshift = await measureRoleshift(estate, flags);
    if (roleshift.accounts !== accounts)
      throw new Error(`roleshift collected ${roleshift.accounts} of ${accounts} accounts`);
    const sample = estate.accountIds.slice(0, Math.min(accounts, flags.baselineSample));
    const baseline = await measureBaseline(estate, flags, sample);
    const scale = accounts / sample.length;
    return {
      accounts,
      users,
      seedSeconds: estate.seedSeconds,
      roleshift,
      baseline,
      baselineFull: {
        seconds: baseline.seconds * scale,
        calls: baseline.calls * scale,
        extrapolatedFrom: sample.length < accounts ? sample.length : null,
      },
    };
  } finally {
    await Promise.all(shards.map((shard) => shard.stop()));
  }
}

function buildCli(): void {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('npm run build failed');
}

function renderRows(result: SizeResult, flags: Flags): string[] {
  const n = result.accounts;
  const r = result.roleshift;
  const b = result.baseline;
  const size = `${n} x ${result.users} users`;
  const baselineNote =
    result.baselineFull.extrapolatedFrom === null
      ? 'measured'
      : `extrapolated from ${result.baselineFull.extrapolatedFrom} accounts (${b.seconds.toFixed(0)} s measured)`;
  // With no server time at all, the per-user calls alone take this long at this latency.
  const latencyFloor = (result.baselineFull.calls * flags.latencyMs) / 1000 / (BASELINE_LANES * BASELINE_LANES);
  return [
    `| ${size} | roleshift scan --org | ${(r.iamCalls / n).toFixed(1)} | ${(r.calls / n).toFixed(1)} | ${r.seconds.toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${r.snapshotMb.toFixed(1)} / ${r.storeMb.toFixed(1)} | ${r.users} users, ${r.gaps} gaps; moto CPU ${r.motoCpuSeconds.toFixed(0)} s |`,
    `| ${size} | per-user baseline | ${(b.iamCalls / b.accounts).toFixed(1)} | ${(b.calls / b.accounts).toFixed(1)} | ${result.baselineFull.seconds.toFixed(1)} | n/a | n/a | ${baselineNote}; moto CPU ${b.motoCpuSeconds.toFixed(0)} s for the sample; at least ${latencyFloor.toFixed(0)} s from latency alone |`,
  ];
}

function loadLine(): string {
  return `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ')}`;
}

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  buildCli();
  const loadBefore = loadLine();
  const small = await sizeRun(flags, Math.min(flags.accounts, 20), 10);
  const full = await sizeRun(flags, flags.accounts, flags.users);
  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(1)}x`);
  const lines = [
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${loadBefore} before, ${loadLine()} after`,
    `AWS stand-in: moto_server on 127.0.0.1 (${flags.shards} shard(s)) behind a proxy adding ${flags.latencyMs} ms per call and a ${flags.reportDelayS} s credential-report delay; seeding ${full.seedSeconds.toFixed(0)} s`,
    '',
    '| size | collector | IAM calls / account | all calls / account | wall time (s) | peak RSS MB | snapshot / store MB | notes |',
    '|---|---|---|---|---|---|---|---|',
    ...renderRows(small, flags),
    ...renderRows(full, flags),
    '',
    `at ${flags.users} users/account: ${ratio(full.baselineFull.calls, full.roleshift.calls)} fewer calls, ` +
      `${ratio(full.baselineFull.seconds, full.roleshift.seconds)} less wall time than the per-user baseline; ` +
      `roleshift IAM calls/account at 10 vs ${flags.users} users: ${(small.roleshift.iamCalls / small.accounts).toFixed(1)} vs ${(full.roleshift.iamCalls / full.accounts).toFixed(1)} (must not grow with users)`,
    `targets at ${full.accounts} x ${flags.users}: wall time ${full.roleshift.seconds.toFixed(0)} s (under 180 s: ${full.roleshift.seconds < 180 ? 'met' : 'NOT met'}), peak RSS ${full.roleshift.peakRssMb.toFixed(0)} MB (under 1024 MB: ${full.roleshift.peakRssMb < 1024 ? 'met' : 'NOT met'})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
