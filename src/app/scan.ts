/**
 * `scan`: collect one account, a whole Organization or a folder of AWS CLI output into a
 * snapshot, add CloudTrail usage when asked, write it, and save it in the store with the KPIs
 * of the one assessment pipeline (what `history` shows).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailOptions } from '../activity/scan.js';
import type { AccessAdvisorScope } from '../model/access-advisor.js';
import type { OrgSnapshotOptions } from '../collect/org.js';
import type { RoleshiftConfig } from '../config.js';
import { UserInputError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import type { SnapshotSummary } from '../report/summary.js';
import { openOrgScanRun } from '../store/org-checkpoint.js';
import { assertDuckDbFile } from '../store/store-header.js';
import { openStore } from '../store/store.js';
import { scoreEstate } from './assess.js';
import { estateOf, type RunContext } from './estate.js';
import { readExceptionsRegister } from './files.js';
import type { Notes, WriteFile } from './ports.js';
import { snapshotJsonChunks } from '../model/snapshot-json.js';

/** An org scan as `collectOrganizationSnapshot` takes it, and whether to resume an interrupted one. */
export type OrgScanRequest = Omit<OrgSnapshotOptions, 'now' | 'log' | 'checkpoint' | 'onProgress'> & {
  resume: boolean;
};

export type ScanSource =
  | { kind: 'files'; dir: string }
  | { kind: 'live'; profile?: string; region?: string; accessAdvisor?: AccessAdvisorScope }
  | { kind: 'org'; org: OrgScanRequest };

export interface ScanRequest {
  source: ScanSource;
  /** CloudTrail to read for usage facts; null: none. */
  cloudTrail: CloudTrailOptions | null;
  /** `-o FILE`: also write the snapshot there. */
  output: string | null;
  storePath: string;
  config: RoleshiftConfig;
}

/** How far an org scan is: accounts done out of all, and failures. */
export interface ScanProgress {
  update(state: { done: number; total: number; failed: number; item?: string }): void;
  finish(): void;
}

export interface ScanPorts extends RunContext {
  write: WriteFile;
  /** Drawn while an org scan runs. */
  progress?: ScanProgress;
}

export interface ScanResult {
  snapshot: Snapshot;
  scanId: string;
  storePath: string;
  outputPath: string | null;
}

/** The `-o` file, pretty-printed, written account by account. */
function* snapshotFileText(snapshot: Snapshot): Generator<string> {
  yield* snapshotJsonChunks(snapshot, 2);
  yield '\n';
}

/** Checked before collecting: a live scan can take minutes and must not fail only at the end. */
function assertFileTarget(path: string): void {
  // `-` is standard output (`-o -`), never a file name.
  if (path === '-') return;
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UserInputError(`-o ${path} is a folder: give a file name, for example ${join(path, 'snapshot.json')}`);
  }
}

/**
 * Org scans commit each finished account to the store as it completes, so an interrupted scan
 * resumes with `--resume` where it stopped.
 */
async function collectOrganization(org: OrgScanRequest, storePath: string, ports: ScanPorts): Promise<Snapshot> {
  const { resume, ...options } = org;
  const scope = JSON.stringify({
    roleName: options.roleName,
    externalId: options.externalId ?? null,
    filters: options.filters,
    rolesAnywhereRegions: options.rolesAnywhereRegions,
    profile: options.profile ?? null,
    accessAdvisor: options.accessAdvisor ?? null,
  });
  const store = await openStore(storePath);
  try {
    const run = await openOrgScanRun(store, { scope, resume, now: ports.now });
    if (resume) {
      ports.notes.log(
        run.resumed
          ? `resuming org scan ${run.runId}: ${run.alreadyFinished} account(s) already collected`
          : 'no interrupted org scan with these options to resume: starting a new one',
      );
    }
    const { collectOrganizationSnapshot } = await import('../collect/org.js');
    const snapshot = await collectOrganizationSnapshot({
      ...options,
      now: () => ports.now,
      checkpoint: run,
      onProgress: (state) =>
        ports.progress?.update({ done: state.done, total: state.total, failed: state.failed, item: state.accountId }),
    });
    ports.progress?.finish();
    await run.markFinished();
    return snapshot;
  } finally {
    store.close();
  }
}

/**
 * Chooses the source. Live collectors load the AWS SDK, so they are imported only when used:
 * a `--from` scan (and the demo) starts faster and needs no AWS configuration at all.
 */
async function collectSnapshot(request: ScanRequest, ports: ScanPorts): Promise<Snapshot> {
  const { source } = request;
  const now = () => ports.now;
  if (source.kind === 'files') {
    const { collectFromFiles } = await import('../collect/files.js');
    ports.notes.log(`reading AWS CLI output files from ${source.dir}`);
    return collectFromFiles(source.dir, { now });
  }
  if (source.kind === 'org') return collectOrganization(source.org, request.storePath, ports);
  const { collectLive } = await import('../collect/live.js');
  ports.notes.log(`scanning AWS${source.profile === undefined ? '' : ` with profile ${source.profile}`}`);
  return collectLive({
    profile: source.profile,
    region: source.region,
    now,
    log: (line) => ports.notes.log(line),
    ...(source.accessAdvisor === undefined ? {} : { accessAdvisor: source.accessAdvisor }),
  });
}

/**
 * Usage through the store's connection, so a re-run reads only new log files. The store is
 * opened only for the DuckDB engine; Athena keeps nothing locally.
 */
export async function withStoreConnection<T>(
  storePath: string,
  options: CloudTrailOptions,
  run: (options: CloudTrailOptions) => Promise<T>,
): Promise<T> {
  if (options.engine === 'athena') return run(options);
  const store = await openStore(storePath);
  try {
    return await run({ ...options, connection: store.connection });
  } finally {
    store.close();
  }
}

async function addUsage(snapshot: Snapshot, request: ScanRequest): Promise<Snapshot> {
  if (request.cloudTrail === null) return snapshot;
  const { addUsageToSnapshot } = await import('../activity/scan.js');
  return withStoreConnection(request.storePath, request.cloudTrail, (options) => addUsageToSnapshot(snapshot, options));
}

/** Saves the scan with the KPIs the one pipeline computes for it. */
async function saveScan(snapshot: Snapshot, request: ScanRequest, ports: ScanPorts): Promise<string> {
  const store = await openStore(request.storePath);
  try {
    const exceptions = readExceptionsRegister(undefined, request.config);
    const { estate } = await estateOf(snapshot, store, { config: request.config, exceptions }, ports);
    return await store.saveScan(snapshot, { kpis: scoreEstate(estate) });
  } finally {
    store.close();
  }
}

/**
 * Collects, then writes. Collection throws on bad input before anything is written, so an input
 * error leaves no snapshot file and no store row. The file is written before the store so a
 * store problem still leaves the user the snapshot of a long live scan.
 */
export async function scanEstate(request: ScanRequest, ports: ScanPorts): Promise<ScanResult> {
  if (request.output !== null) assertFileTarget(request.output);
  // A --store that is not a store (a folder, another file) is refused before a long scan and
  // before -o is written, so this input error, like the others, writes nothing.
  assertDuckDbFile(request.storePath);
  const snapshot = await addUsage(await collectSnapshot(request, ports), request);
  if (request.output !== null) ports.write(request.output, snapshotFileText(snapshot));
  const scanId = await saveScan(snapshot, request, ports);
  return { snapshot, scanId, storePath: request.storePath, outputPath: request.output };
}

/** Warnings and gaps always go to the notes, in JSON mode too: a gap must never pass unseen. */
export function reportProblems(snapshot: Snapshot, notes: Notes): void {
  for (const warning of snapshot.collection.warnings) notes.warn(warning);
  for (const gap of snapshot.gaps) {
    const where = [gap.accountId, gap.region].filter((part) => part !== null).join(' ');
    notes.warn(`gap: ${gap.api}${where === '' ? '' : ` in ${where}`} failed: ${gap.errorCode}: ${gap.message}`);
  }
  if (snapshot.gaps.length > 0) {
    notes.warn(
      `${snapshot.gaps.length} gap(s), calls or files that could not be read: the results above are incomplete, not clean (exit code 3)`,
    );
  }
}

/** The machine-readable result of a scan (`--json`). */
export function scanJson(result: ScanResult, summary: SnapshotSummary): Record<string, unknown> {
  return { scanId: result.scanId, store: result.storePath, snapshotFile: result.outputPath, summary };
}
