import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { EXIT, UserInputError } from '../../errors.js';
import type { Snapshot } from '../../model/snapshot.js';
import { snapshotJsonChunks } from '../../model/snapshot-json.js';
import { renderSummary, summarizeSnapshot, type SnapshotSummary } from '../../report/summary.js';
import { DEFAULT_STORE_PATH, openStore } from '../../store/store.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { storePathOf } from '../estate.js';
import { paint } from '../io.js';
import { writeFileAtomic } from '../write-atomic.js';
import { addOrgOptions, collectOrgSnapshot, type OrgFlags } from './scan-org.js';
import { addCloudTrailOptions, kpisForStoredScan, prepareCloudTrail, type CloudTrailFlags } from './activity.js';

export interface ScanOptions extends CloudTrailFlags, OrgFlags {
  profile?: string;
  region?: string;
  /** A folder of AWS CLI output files (one sub-folder per account allowed) instead of a live scan. */
  from?: string;
  /** Where to write the snapshot JSON. */
  output?: string;
  store?: string;
}

export interface ScanResult {
  snapshot: Snapshot;
  scanId: string;
  storePath: string;
  outputPath: string | null;
}

/**
 * Chooses the source. Live collectors load the AWS SDK, so they are imported only when used:
 * a `--from` scan (and the demo) starts faster and needs no AWS configuration at all.
 */
export async function collectSnapshot(ctx: CommandContext, options: ScanOptions): Promise<Snapshot> {
  const now = () => ctx.now;
  if (options.from !== undefined) {
    if (options.profile !== undefined || options.region !== undefined) {
      throw new UserInputError('--from reads files; --profile and --region are for a live scan: use one or the other');
    }
    const { collectFromFiles } = await import('../../collect/files.js');
    ctx.io.log(`reading AWS CLI output files from ${options.from}`);
    return collectFromFiles(options.from, { now });
  }
  if (options.org) return collectOrgSnapshot(ctx, options);
  const { collectLive } = await import('../../collect/live.js');
  ctx.io.log(`scanning AWS${options.profile === undefined ? '' : ` with profile ${options.profile}`}`);
  return collectLive({
    profile: options.profile,
    region: options.region,
    now,
    log: (line: string) => ctx.io.log(line),
  });
}

/** The `-o` file, pretty-printed, written account by account. */
function* snapshotFileText(snapshot: Snapshot): Generator<string> {
  yield* snapshotJsonChunks(snapshot, 2);
  yield '\n';
}

/** Checked before collecting: a live scan can take minutes and must not fail only at the end. */
function assertFileTarget(path: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UserInputError(`-o ${path} is a folder: give a file name, for example ${join(path, 'snapshot.json')}`);
  }
}

/**
 * Collects, then writes. Collection throws on bad input before anything is written, so an input
 * error leaves no snapshot file and no store row. The file is written before the store so a
 * store problem still leaves the user the snapshot of a long live scan.
 */
export async function scanAndSave(ctx: CommandContext, options: ScanOptions): Promise<ScanResult> {
  if (options.output !== undefined) assertFileTarget(options.output);
  const addUsage = prepareCloudTrail(ctx, options);
  const snapshot = await addUsage(await collectSnapshot(ctx, options));
  const outputPath = options.output ?? null;
  if (outputPath !== null) writeFileAtomic(outputPath, snapshotFileText(snapshot));
  const store = await openStore(storePathOf(options.store));
  try {
    const scanId = await store.saveScan(snapshot, { kpis: await kpisForStoredScan(snapshot, ctx.now, store) });
    return { snapshot, scanId, storePath: store.path, outputPath };
  } finally {
    store.close();
  }
}

/** Warnings and gaps always go to stderr, in JSON mode too: a gap must never pass unseen. */
export function reportProblems(ctx: CommandContext, snapshot: Snapshot): void {
  for (const warning of snapshot.collection.warnings) ctx.io.warn(warning);
  for (const gap of snapshot.gaps) {
    const where = [gap.accountId, gap.region].filter((part) => part !== null).join(' ');
    ctx.io.warn(`gap: ${gap.api}${where === '' ? '' : ` in ${where}`} failed: ${gap.errorCode}: ${gap.message}`);
  }
  if (snapshot.gaps.length > 0) {
    ctx.io.warn(`${snapshot.gaps.length} call(s) failed: the results above are incomplete, not clean (exit code 3)`);
  }
}

export function scanJson(result: ScanResult, summary: SnapshotSummary): Record<string, unknown> {
  return { scanId: result.scanId, store: result.storePath, snapshotFile: result.outputPath, summary };
}

export async function runScan(ctx: CommandContext, options: ScanOptions): Promise<number> {
  const result = await scanAndSave(ctx, options);
  const summary = summarizeSnapshot(result.snapshot, ctx.now);
  if (ctx.io.json) ctx.io.out(JSON.stringify(scanJson(result, summary), null, 2));
  else ctx.io.out(renderSummary(summary, ctx.io));
  reportProblems(ctx, result.snapshot);
  ctx.io.log(paint(ctx.io, 'dim', `saved scan ${result.scanId} in ${result.storePath}`));
  if (result.outputPath !== null) ctx.io.log(paint(ctx.io, 'dim', `snapshot written to ${result.outputPath}`));
  return result.snapshot.gaps.length > 0 ? EXIT.gaps : EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('scan')
    .description(
      'Inventory IAM users and long-lived credentials: live through the AWS SDK, or from AWS CLI output files.',
    )
    .option('--profile <name>', 'AWS named or SSO profile (default: the SDK default credential chain)')
    .option('--region <region>', 'AWS region for the API calls')
    .option(
      '--from <dir>',
      'read `aws iam get-account-authorization-details` and `aws iam get-credential-report` outputs from DIR',
    )
    .option('-o, --output <file>', 'also write the snapshot JSON to FILE')
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`)
    .addHelpText(
      'after',
      `
Examples:
  roleshift scan                                  # live, default credentials, one account
  roleshift scan --profile audit -o snapshot.json # live with a profile, keep the snapshot
  roleshift scan --from ./exports                 # offline, from AWS CLI output files
  roleshift scan --from ./exports --json          # summary as JSON on stdout
  roleshift scan --org --role-name RoleshiftAudit # every account of the Organization
  roleshift scan --org --ous Prod --resume        # continue an interrupted org scan

Exit codes: 0 ok, 2 bad input (nothing written), 3 scanned with gaps (some calls failed).`,
    );
  program.addCommand(
    withGlobalOptions(addOrgOptions(addCloudTrailOptions(command))).action(
      actionOf<ScanOptions>((ctx, options) => runScan(ctx, options)),
    ),
  );
}
