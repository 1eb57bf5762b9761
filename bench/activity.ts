/**
 * `npm run bench -- activity [--layout large-files|org-trail] [--size-mb N] [--dir DIR] [--keep] [--floors] [--native-only] [--compare-with TREE]`
 *
 * Synthetic CloudTrail (bench/cloudtrail-generator.ts) in the delivery layout, either in files of
 * about 4 MB (`large-files`, the first rounds) or as an organization trail delivers it, one small
 * file per account, region and five minutes (`org-trail`); then, on the same files: parallel zcat (the decompression limit), a naive Node loop (gunzip +
 * JSON.parse + a Map), and roleshift (ingestion into DuckDB, then the usage queries). Each
 * contender runs in its own process so its peak RSS is its own. `--floors` adds what bounds any
 * DuckDB design from below on the same files: reading the fields usage needs and computing
 * nothing, flattening them and storing nothing, and a one-pass aggregate that keeps no
 * per-event rows at all (a prototype of the alternative design, not what roleshift runs).
 * `--native-only` adds roleshift with every local file read by DuckDB's reader (no worker
 * threads), for a same-run comparison. Every contender's CPU time is measured beside its wall time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { generateLargeFiles, generateOrgTrail, type Generated } from './cloudtrail-generator.js';

type Layout = 'large-files' | 'org-trail';

interface Flags {
  layout: Layout;
  sizeMb: number;
  dir: string | null;
  keep: boolean;
  floors: boolean;
  nativeOnly: boolean;
  /** Another roleshift source tree (`git archive main src package.json | tar -x -C /tmp/before`, node_modules linked), measured in the same run. */
  compareWith: string | null;
}

function parseFlags(args: string[]): Flags {
  const flags: Flags = {
    layout: 'large-files',
    sizeMb: 1024,
    dir: null,
    keep: false,
    floors: false,
    nativeOnly: false,
    compareWith: null,
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--keep') flags.keep = true;
    else if (arg === '--floors') flags.floors = true;
    else if (arg === '--native-only') flags.nativeOnly = true;
    else if (arg === '--size-mb' || arg === '--dir' || arg === '--layout' || arg === '--compare-with') {
      i += 1;
      if (arg === '--size-mb') flags.sizeMb = Number(value);
      else if (arg === '--compare-with') flags.compareWith = value ?? null;
      else if (arg === '--dir') flags.dir = value ?? null;
      else if (value === 'large-files' || value === 'org-trail') flags.layout = value;
      else throw new Error('--layout is large-files or org-trail');
    } else
      throw new Error(
        `unknown flag ${arg}; use --layout L, --size-mb N, --dir DIR, --keep, --floors, --native-only, --compare-with TREE`,
      );
  }
  if (!Number.isFinite(flags.sizeMb) || flags.sizeMb <= 0) throw new Error('--size-mb must be a positive number');
  return flags;
}

// ---------- contenders (run as child processes) ----------

interface Measure {
  seconds: number;
  /** CPU time (user + system) of the contender, all its threads and processes. */
  cpuSeconds: number;
  maxRssMb: number | null;
  detail: string;
}

/** This process's CPU time so far, in seconds (user + system, every thread: DuckDB's and the workers'). */
function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** CPU time of this process's finished children (Linux: cutime + cstime in /proc/self/stat), in seconds. */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of stat(5), counted from the state field (3): clock ticks, 100 a second.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json.gz')) out.push(path);
    }
  };
  walk(dir);
  return out.sort();
}

async function naiveChild(dir: string): Promise<Measure> {
  const started = performance.now();
  const cpuStarted = ownCpuSeconds();
  const counts = new Map<string, number>();
  for (const file of listFiles(dir)) {
    const parsed = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
      Records: Array<{ userIdentity?: { arn?: string } }>;
    };
    for (const record of parsed.Records) {
      const arn = record.userIdentity?.arn ?? 'unknown';
      counts.set(arn, (counts.get(arn) ?? 0) + 1);
    }
  }
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: ownCpuSeconds() - cpuStarted,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: `${counts.size} principals`,
  };
}

/**
 * `nativeOnly`: every local file through DuckDB's reader, no worker threads (the fifth round's
 * path). `tree`: the roleshift sources to measure, this one's unless another is compared.
 */
async function roleshiftChild(
  dir: string,
  work: string,
  nativeOnly = false,
  tree: string | null = null,
): Promise<Measure & { ingestSeconds: number; ingestCpuSeconds: number; querySeconds: number }> {
  const src = (module: string) =>
    tree === null ? `../src/${module}.js` : pathToFileURL(join(tree, 'src', `${module}.ts`)).href;
  const { openStore } = (await import(src('store/store'))) as typeof import('../src/store/store.js');
  const { ingestCloudTrail } = (await import(src('activity/ingest'))) as typeof import('../src/activity/ingest.js');
  const { localSource } = (await import(src('activity/source'))) as typeof import('../src/activity/source.js');
  const { queryUsage, duckdbRunner } = (await import(
    src('activity/usage')
  )) as typeof import('../src/activity/usage.js');
  const { duckdbDialect } = (await import(src('activity/queries'))) as typeof import('../src/activity/queries.js');
  // The store the CLI opens, with its memory limit: what a user's run would do.
  const store = await openStore(
    join(work, tree !== null ? 'bench-compared.duckdb' : nativeOnly ? 'bench-native.duckdb' : 'bench.duckdb'),
  );
  const connection = store.connection;
  const started = performance.now();
  const cpuStarted = ownCpuSeconds();
  const source = localSource(dir);
  const ingested = await ingestCloudTrail(connection, source, nativeOnly ? { parseWorkers: 0 } : {});
  const ingestDone = performance.now();
  const ingestCpu = ownCpuSeconds() - cpuStarted;
  const usage = await queryUsage(
    duckdbRunner(connection),
    duckdbDialect(),
    { since: null, until: null, origin: source.origin },
    {
      engine: 'duckdb',
      origin: source.origin,
      since: null,
      until: null,
      filesRead: ingested.filesRead,
      filesSkipped: 0,
      unreadable: ingested.unreadable,
      records: ingested.records,
      badRecords: ingested.badRecords,
    },
  );
  const done = performance.now();
  store.close();
  return {
    seconds: (done - started) / 1000,
    cpuSeconds: ownCpuSeconds() - cpuStarted,
    ingestSeconds: (ingestDone - started) / 1000,
    ingestCpuSeconds: ingestCpu,
    querySeconds: (done - ingestDone) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: `${ingested.records} events (${ingested.filesReadNatively} of ${ingested.filesRead} files read by DuckDB natively), ${usage.principals.length} principals, ${usage.accessKeys.length} keys`,
  };
}

const FLOORS = ['read', 'flatten', 'one-pass'] as const;
type Floor = (typeof FLOORS)[number];

const FLOOR_NAMES: Record<Floor, string> = {
  read: 'floor: DuckDB reads the fields usage needs, computes nothing',
  flatten: 'floor: ... and flattens them as ct_events has them, stores nothing',
  'one-pass': 'floor: one-pass aggregate of every facet, no per-event rows, stores nothing',
};

/**
 * The one-pass prototype groups every facet the usage queries produce in one GROUPING SETS
 * pass, over all time (no window), with events that name resources unnested and weighted so
 * counts stay per event, and the first distinct ARNs per action as the resource query keeps them.
 */
function floorQuery(
  floor: Floor,
  sql: { records: string; columns: string; principal: string; key: string; perAction: number },
): string {
  const flat = `(SELECT ${sql.columns} FROM ${sql.records})`;
  if (floor === 'read') return `SELECT count(*) FROM ${sql.records}`;
  if (floor === 'flatten')
    return `SELECT count(*), max(event_time), max(principal_arn), max(user_agent), max(len(resources)) FROM ${flat}`;
  const keyed = `(SELECT *, ${sql.principal} AS principal, ${sql.key} AS access_key, list_distinct(resources) AS arns FROM ${flat})`;
  const unnested = `(SELECT *, unnest(CASE WHEN len(arns) > 0 THEN arns ELSE [NULL] END) AS resource_arn FROM ${keyed})`;
  const weighted = `(SELECT *, CASE WHEN resource_arn IS NULL OR resource_arn = arns[1] THEN 1 ELSE 0 END AS weight FROM ${unnested})`;
  return `SELECT count(*), sum(events) FROM (
  SELECT sum(weight) AS events, sum(weight) FILTER (WHERE error_code IS NOT NULL) AS errors, min(event_time) AS first_seen, max(event_time) AS last_seen,
    max(identity_type), max(account_id), max(user_name), max(session_issuer_arn), min(DISTINCT resource_arn, ${sql.perAction + 1})
  FROM ${weighted}
  GROUP BY GROUPING SETS ((file_key), (principal, access_key), (principal, access_key, event_source, event_name), (principal, access_key, error_code),
    (principal, access_key, user_agent), (principal, access_key, source_ip), (principal, access_key, aws_region),
    (principal, event_name, mfa_used, login_succeeded), (event_name, federation_provider, federation_subject, role_arn)))`;
}

async function floorChild(floor: Floor, dir: string): Promise<Measure> {
  const { openStore } = await import('../src/store/store.js');
  const { nativeRecords, flattenedColumns } = await import('../src/activity/native.js');
  const { duckdbDialect, longLivedKey, principalKey, RESOURCES_PER_ACTION } = await import(
    '../src/activity/queries.js'
  );
  const store = await openStore(':memory:');
  const files = listFiles(dir);
  const column = duckdbDialect().column;
  const query = floorQuery(floor, {
    records: nativeRecords(files),
    columns: flattenedColumns(),
    principal: principalKey(column),
    key: longLivedKey(column),
    perAction: RESOURCES_PER_ACTION,
  });
  const started = performance.now();
  const cpuStarted = ownCpuSeconds();
  const reader = await store.connection.runAndReadAll(query);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = ownCpuSeconds() - cpuStarted;
  const [first] = reader.getRowsJS();
  store.close();
  return {
    seconds,
    cpuSeconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detail: floor === 'one-pass' ? `${String(first?.[0])} aggregate rows` : `${String(first?.[0])} events`,
  };
}

function runChild(mode: string, args: string[]): Promise<Measure & Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--bench-child', mode, ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Measure & Record<string, unknown>)
        : reject(new Error(`${mode} exited with ${code}`)),
    );
  });
}

/** Files per zcat process: tens of thousands of small files do not fit one command line. */
const ZCAT_BATCH = 500;

function zcatBatch(files: readonly string[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // File names come from our own generator; passed as argv, never through a shell.
    const child = spawn('zcat', files, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`zcat exited with ${code}`))));
  });
}

/** One zcat lane per core, each through its share of the files in batches. */
async function parallelZcat(files: string[]): Promise<Measure> {
  const workers = cpus().length;
  const lanes: string[][] = Array.from({ length: workers }, () => []);
  for (const [index, file] of files.entries()) lanes[index % workers]?.push(file);
  const started = performance.now();
  const cpuStarted = childrenCpuSeconds();
  await Promise.all(
    lanes.map(async (lane) => {
      for (let start = 0; start < lane.length; start += ZCAT_BATCH)
        await zcatBatch(lane.slice(start, start + ZCAT_BATCH));
    }),
  );
  const batches = Math.ceil(files.length / ZCAT_BATCH);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: childrenCpuSeconds() - cpuStarted,
    maxRssMb: null,
    detail: `${workers} lanes, ${batches} zcat process${batches === 1 ? '' : 'es'}`,
  };
}

/** The files already in `dir` (a kept run), measured rather than generated. */
function measureExisting(files: string[]): Generated {
  let rawBytes = 0;
  let gzBytes = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    gzBytes += bytes.length;
    rawBytes += gunzipSync(bytes).length;
  }
  return { files, rawBytes, gzBytes };
}

/** Sizes of the compressed files, as the layout section of bench/README.md reports them. */
function sizeSpread(files: readonly string[]): string {
  const sizes = files.map((file) => statSync(file).size).sort((a, b) => a - b);
  const at = (share: number) =>
    `${((sizes[Math.min(sizes.length - 1, Math.floor(sizes.length * share))] ?? 0) / 1024).toFixed(1)} KB`;
  const under100 = sizes.filter((size) => size < 100 * 1024).length / Math.max(1, sizes.length);
  return `gzip sizes: median ${at(0.5)}, p90 ${at(0.9)}, p99 ${at(0.99)}, max ${at(1)}; ${(under100 * 100).toFixed(1)}% under 100 KB`;
}

export async function run(args: string[]): Promise<void> {
  const flags = parseFlags(args);
  const dir = flags.dir ?? mkdtempSync(join(tmpdir(), 'roleshift-bench-ct-'));
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'roleshift-bench-work-'));
  try {
    const existing = listFiles(dir);
    let generated: Generated;
    if (existing.length === 0) {
      process.stderr.write(`generating ${flags.sizeMb} MB of synthetic CloudTrail (${flags.layout}) in ${dir}\n`);
      generated =
        flags.layout === 'org-trail'
          ? await generateOrgTrail(dir, flags.sizeMb)
          : await generateLargeFiles(dir, flags.sizeMb);
    } else generated = measureExisting(existing);
    const { files, rawBytes, gzBytes } = generated;
    const mb = rawBytes / 1024 / 1024;
    process.stderr.write(
      `${files.length} files, ${mb.toFixed(0)} MB uncompressed, ${(gzBytes / 1024 / 1024).toFixed(0)} MB gzip (${(rawBytes / gzBytes).toFixed(1)}:1)\n`,
    );

    const loadLine = `load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' / ')} before the run`;
    const zcat = await parallelZcat(files);
    const naive = await runChild('naive', [dir]);
    const roleshift = await runChild('roleshift', [dir, work]);
    const nativeOnly = flags.nativeOnly ? await runChild('roleshift-native', [dir, work]) : null;
    const compared =
      flags.compareWith === null ? null : await runChild('roleshift-compared', [dir, work, flags.compareWith]);
    const floors: Array<[Floor, Measure]> = [];
    if (flags.floors) for (const floor of FLOORS) floors.push([floor, await runChild(`floor-${floor}`, [dir])]);

    const phases = (m: Measure & Record<string, unknown>) =>
      `ingest ${Number(m.ingestSeconds).toFixed(1)} s (${Number(m.ingestCpuSeconds).toFixed(1)} CPU-s), queries ${Number(m.querySeconds).toFixed(1)} s (${(m.cpuSeconds - Number(m.ingestCpuSeconds)).toFixed(1)} CPU-s)`;
    const row = (name: string, m: Measure, note: string) =>
      `| ${name} | ${m.seconds.toFixed(1)} | ${(mb / m.seconds).toFixed(0)} | ${(zcat.seconds / m.seconds).toFixed(2)}x | ${m.cpuSeconds.toFixed(1)} | ${(zcat.cpuSeconds / m.cpuSeconds).toFixed(2)}x | ${m.maxRssMb === null ? 'n/a' : m.maxRssMb.toFixed(0)} | ${note} |`;
    const lines = [
      `input: ${files.length} files, ${mb.toFixed(0)} MB uncompressed, ${(rawBytes / gzBytes).toFixed(1)}:1 gzip, ${cpus().length} cores; ${loadLine}`,
      sizeSpread(files),
      '',
      '| contender | seconds | MB/s (uncompressed) | vs parallel zcat | CPU seconds | vs zcat CPU | peak RSS MB | notes |',
      '|---|---|---|---|---|---|---|---|',
      row('parallel zcat (decompression limit)', zcat, zcat.detail),
      row('naive Node loop (gunzip + JSON.parse + Map)', naive, naive.detail),
      row('roleshift ingest + usage queries', roleshift, `${roleshift.detail}; ${phases(roleshift)}`),
      ...(nativeOnly === null
        ? []
        : [
            row(
              "roleshift, DuckDB's reader for every file (no workers)",
              nativeOnly,
              `${nativeOnly.detail}; ${phases(nativeOnly)}`,
            ),
          ]),
      ...(compared === null
        ? []
        : [row(`roleshift at ${flags.compareWith}`, compared, `${compared.detail}; ${phases(compared)}`)]),
      ...floors.map(([floor, measure]) => row(FLOOR_NAMES[floor], measure, measure.detail)),
    ];
    lines.push(
      '',
      `load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' / ')} after the run`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!flags.keep && flags.dir === null) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--bench-child') {
  const [mode, dir = '', work = '', tree = null] = process.argv.slice(3);
  const floor = FLOORS.find((name) => mode === `floor-${name}`);
  const result =
    mode === 'naive'
      ? await naiveChild(dir)
      : floor !== undefined
        ? await floorChild(floor, dir)
        : await roleshiftChild(dir, work, mode === 'roleshift-native', mode === 'roleshift-compared' ? tree : null);
  process.stdout.write(JSON.stringify(result));
}
