import { Command } from 'commander';
import { cloudTrailOptionsOf, wantsCloudTrail } from '../../app/cloudtrail.js';
import { reportProblems, scanEstate, scanJson, type ScanSource } from '../../app/scan.js';
import type { AccessAdvisorScope } from '../../model/access-advisor.js';
import { EXIT, OutputError, UserInputError } from '../../errors.js';
import { renderSummary, summarizeSnapshot } from '../../report/summary.js';
import { paint } from '../../report/terminal.js';
import { addCloudTrailOptions, type CloudTrailFlags } from '../cloudtrail-flags.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig } from '../config-file.js';
import { DEFAULT_STORE_PATH, storePathOf } from '../estate.js';
import { addOrgOptions, orgScanRequestOf, type OrgFlags } from '../org-flags.js';
import { createProgress } from '../progress.js';
import { resolveOutputFile, STDOUT, writeOutput } from '../write-atomic.js';

export interface ScanOptions extends CloudTrailFlags, OrgFlags {
  profile?: string;
  region?: string;
  /** A folder of AWS CLI output files (one sub-folder per account allowed) instead of a live scan. */
  from?: string;
  /** Where to write the snapshot JSON. */
  output?: string;
  store?: string;
  /** `--access-advisor [scope]`: true (users) or the scope named. */
  accessAdvisor?: boolean | string;
}

const ADVISOR_SCOPES: Record<string, AccessAdvisorScope> = { users: 'users', 'users-and-roles': 'users-and-roles' };

/** `--access-advisor` alone reads every user's; `--access-advisor users-and-roles` adds the roles. */
function accessAdvisorScopeOf(options: ScanOptions): AccessAdvisorScope | undefined {
  const flag = options.accessAdvisor;
  if (flag === undefined || flag === false) return undefined;
  if (options.from !== undefined)
    throw new UserInputError(
      '--access-advisor is for a live scan; scan --from reads the reports `roleshift export-script --access-advisor` exported: drop --access-advisor',
    );
  if (flag === true) return 'users';
  const scope = ADVISOR_SCOPES[flag];
  if (scope === undefined)
    throw new UserInputError(`--access-advisor ${flag}: give users (the default) or users-and-roles`);
  return scope;
}

function sourceOf(options: ScanOptions): ScanSource {
  const accessAdvisor = accessAdvisorScopeOf(options);
  const advisor = accessAdvisor === undefined ? {} : { accessAdvisor };
  if (options.from !== undefined) {
    if (options.profile !== undefined || options.region !== undefined) {
      throw new UserInputError('--from reads files; --profile and --region are for a live scan: use one or the other');
    }
    return { kind: 'files', dir: options.from };
  }
  if (options.org) return { kind: 'org', org: { ...orgScanRequestOf(options), ...advisor } };
  return {
    kind: 'live',
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...advisor,
  };
}

export async function runScan(ctx: CommandContext, options: ScanOptions): Promise<number> {
  // Flags are checked before a possibly long collection.
  const cloudTrail = wantsCloudTrail(options) ? cloudTrailOptionsOf(options, ctx.io) : null;
  const source = sourceOf(options);
  // A live scan can take minutes: an output that cannot be written must fail now, not at the end.
  if (options.output !== undefined && options.output !== STDOUT) resolveOutputFile(options.output);
  const config = resolveConfig({});
  const result = await scanEstate(
    {
      source,
      cloudTrail,
      output: options.output ?? null,
      storePath: storePathOf(options.store),
      config,
    },
    {
      now: ctx.now,
      notes: ctx.io,
      write: (path, text) => writeOutput(ctx.io, path, text),
      ...(source.kind === 'org'
        ? {
            progress: createProgress(ctx.io, {
              label: 'accounts',
              quiet: Boolean(options.quiet),
              clock: () => performance.now(),
            }),
          }
        : {}),
    },
  );
  const summary = summarizeSnapshot(result.snapshot, ctx.now, config.thresholds);
  // With `-o -` stdout carries the snapshot, so the summary goes to stderr.
  const print = result.outputPath === STDOUT ? ctx.io.log : ctx.io.out;
  print(ctx.io.json ? JSON.stringify(scanJson(result, summary), null, 2) : renderSummary(summary, ctx.io));
  reportProblems(result.snapshot, ctx.io);
  ctx.io.log(paint(ctx.io, 'dim', `saved scan ${result.scanId} in ${result.storePath}`));
  if (result.outputPath !== null && result.outputPath !== STDOUT)
    ctx.io.log(paint(ctx.io, 'dim', `snapshot written to ${result.outputPath}`));
  try {
    await ctx.io.settle?.();
  } catch (error) {
    if (error instanceof OutputError)
      throw error.withNote(`the scan itself is saved as ${result.scanId} in ${result.storePath}`);
    throw error;
  }
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
      'read AWS CLI output files from DIR, one sub-folder per account (`roleshift export-script` prints the commands)',
    )
    .option(
      '-o, --output <file>',
      'also write the snapshot JSON to FILE (- for stdout; the summary then goes to stderr)',
    )
    .option(
      '--access-advisor [scope]',
      'also read IAM access advisor (one report job per principal): users (default) or users-and-roles; with --org also the Organizations access report',
    )
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
  roleshift scan --access-advisor                 # plus each user's services last accessed

Exit codes: 0 ok, 2 bad input (nothing written) or output that could not be written,
            3 scanned with gaps (something could not be read: the counts are minimums).`,
    );
  program.addCommand(
    withGlobalOptions(addOrgOptions(addCloudTrailOptions(command))).action(
      actionOf<ScanOptions>((ctx, options) => runScan(ctx, options)),
    ),
  );
}
