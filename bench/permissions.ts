/**
 * `npm run bench -- permissions [--accounts 10] [--users 10000] [--roles 5000] [--no-findings]`
 *
 * The whole effective-permissions analysis on a generated estate (`permissions-estate.ts`):
 * building the evaluator, the admin assessment of every user, group and role over the real
 * action catalogue, the privilege-escalation graph, and who can assume each admin role. Measured
 * in the same run against the time to just parse the same snapshot (JSON text → zod schema), the
 * floor any analysis of it starts from. Targets: under 10x the parse time, under 30 s. Last, what a
 * user waits for: `roleshift findings` end to end on the same snapshot (the one assessment
 * pipeline: classification, every check with the evaluator and the privilege analysis built once,
 * the trust rules, the plan and the KPIs), which `--no-findings` leaves out.
 */
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { assessEstate } from '../src/app/assess.js';
import { SnapshotSchema } from '../src/model/snapshot.js';
import { loadIamCatalog, type IamCatalog } from '../src/policy/action-catalog.js';
import { assumableBy, type RolePrincipal } from '../src/policy/escalation/assume-role.js';
import { analyzeEscalation } from '../src/policy/escalation/graph.js';
import { createEvaluator } from '../src/policy/evaluator/evaluator.js';
import { permissionsEstate, type EstateSize } from './permissions-estate.js';
import { buildEstate } from '../test/fixtures/build-estate.js';

const NOW = new Date('2026-11-23T12:00:00Z');

interface BenchFlags {
  size: EstateSize;
  /** False with `--no-findings`: the engine alone, without `roleshift findings` end to end. */
  findings: boolean;
}

function parseFlags(args: string[]): BenchFlags {
  const size: EstateSize = { accounts: 10, users: 10_000, roles: 5_000 };
  const sizes = args.filter((arg) => arg !== '--no-findings');
  for (let i = 0; i < sizes.length; i += 2) {
    const name = sizes[i]?.replace(/^--/, '') as keyof EstateSize;
    const value = Number(sizes[i + 1]);
    if (!(name in size) || !Number.isInteger(value) || value < 1)
      throw new Error(`unknown flag ${sizes[i]}; use --accounts N, --users N, --roles N, --no-findings`);
    size[name] = value;
  }
  return { size, findings: sizes.length === args.length };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/** CPU time of this process (user + system), in ms: on a shared machine it moves less than wall time. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs async `work` and returns its wall and CPU time. */
async function timedAsync<T>(work: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const wall = performance.now();
  const cpu = cpuMs();
  const value = await work();
  return { value, wall: performance.now() - wall, cpu: cpuMs() - cpu };
}

/** Runs `work` and returns its wall and CPU time. */
function timed<T>(work: () => T): { value: T; wall: number; cpu: number } {
  const wall = performance.now();
  const cpu = cpuMs();
  const value = work();
  return { value, wall: performance.now() - wall, cpu: cpuMs() - cpu };
}

/** The engine alone: the evaluator, the admin assessment and escalation graph, who can assume admin roles. */
function measureEngine(text: string, catalog: IamCatalog) {
  const parse = timed(() => SnapshotSchema.parse(JSON.parse(text)));
  const snapshot = parse.value;
  const escalation = timed(() => {
    const evaluator = createEvaluator(snapshot, { now: NOW });
    return { evaluator, analysis: analyzeEscalation(evaluator, catalog) };
  });
  const { evaluator, analysis } = escalation.value;
  const assume = timed(() => {
    let ways = 0;
    for (const [arn, assessment] of analysis.admin) {
      const principal = evaluator.principal(arn);
      if (principal?.kind === 'role' && assessment.admin !== 'no')
        ways += assumableBy(evaluator, principal as RolePrincipal).length;
    }
    return ways;
  });
  const count = (gains: string) => analysis.findings.filter((f) => f.gains === gains).length;
  const admins = [...analysis.admin.values()].filter((a) => a.level === 'full' && a.admin !== 'no').length;
  const allBut = [...analysis.admin.values()].filter((a) => a.level === 'all-but').length;
  return {
    parse,
    escalation,
    assume,
    users: snapshot.accounts.reduce((n, a) => n + a.users.length, 0),
    roles: snapshot.accounts.reduce((n, a) => n + a.roles.length, 0),
    principals: evaluator.principals().length,
    found: `${admins} full administrators, ${allBut} "all but a few services", escalation to admin ${count('admin')}, to high privilege ${count('high-privilege')}, can grant admin ${count('grant-admin')}; ${assume.value} ways into admin roles`,
  };
}

/**
 * `roleshift findings` end to end on a snapshot parsed again (nothing shared with the engine run
 * above, which is out of scope by then): the one assessment pipeline.
 */
async function measureFindings(text: string) {
  const snapshot = SnapshotSchema.parse(JSON.parse(text));
  const findings = await timedAsync(() =>
    assessEstate(buildEstate(snapshot, NOW, { externalIdSeed: 'bench-permissions-seed' })),
  );
  const failing = (id: string) => findings.value.findings.filter((f) => f.checkId === id).length;
  return {
    wall: findings.wall,
    cpu: findings.cpu,
    counts: `full-admin-access ${failing('full-admin-access')}, admin-role ${failing('admin-role')}, privilege-escalation ${failing('privilege-escalation')}, ${findings.value.findings.length} in all`,
  };
}

export async function run(args: string[]): Promise<void> {
  const { size, findings: withFindings } = parseFlags(args);
  const started = performance.now();
  const catalog = await loadIamCatalog();
  const catalogMs = performance.now() - started;
  const text = JSON.stringify(permissionsEstate(size, catalog));

  const engine = measureEngine(text, catalog);
  const { parse, escalation, assume } = engine;
  const analysisMs = escalation.wall + assume.wall;
  const analysisCpu = escalation.cpu + assume.cpu;
  const findings = withFindings ? await measureFindings(text) : null;
  const ratio = analysisMs / parse.wall;
  const cpuRatio = analysisCpu / parse.cpu;
  process.stdout.write(
    [
      `estate: ${size.accounts} accounts, ${engine.users} users, ${engine.roles} roles, ${engine.principals} principals with groups; snapshot ${(text.length / 1e6).toFixed(1)} MB`,
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, node ${process.version}`,
      `action catalogue load (once per process): ${seconds(catalogMs)} s`,
      '',
      '| step | wall s | CPU s |',
      '|---|---|---|',
      `| parse the snapshot (JSON.parse + zod) | ${seconds(parse.wall)} | ${seconds(parse.cpu)} |`,
      `| evaluator + admin assessment of every principal + escalation graph | ${seconds(escalation.wall)} | ${seconds(escalation.cpu)} |`,
      `| who can assume each admin role | ${seconds(assume.wall)} | ${seconds(assume.cpu)} |`,
      `| **analysis total** | **${seconds(analysisMs)}** (${ratio.toFixed(1)}x parse) | **${seconds(analysisCpu)}** (${cpuRatio.toFixed(1)}x parse) |`,
      ...(findings
        ? [
            `| roleshift findings end to end (the whole assessment, evaluator and privilege analysis included) | ${seconds(findings.wall)} (${(findings.wall / parse.wall).toFixed(1)}x parse) | ${seconds(findings.cpu)} |`,
          ]
        : []),
      '',
      `found: ${engine.found}`,
      ...(findings ? [`findings: ${findings.counts}`] : []),
      `targets: under 10x parse ${ratio < 10 ? 'MET' : 'NOT MET'} in wall time, ${cpuRatio < 10 ? 'MET' : 'NOT MET'} in CPU time; under 30 s ${analysisMs < 30_000 ? 'MET' : 'NOT MET'}`,
      '',
    ].join('\n'),
  );
}
