import { Option, type Command } from 'commander';
import { UserInputError } from '../../errors.js';
import type { Snapshot } from '../../model/snapshot.js';
import { openOrgScanRun } from '../../store/org-checkpoint.js';
import { openStore } from '../../store/store.js';
import type { CommandContext } from '../command.js';
import { storePathOf } from '../estate.js';
import { createProgress } from '../progress.js';

export interface OrgFlags {
  org?: boolean;
  roleName?: string;
  externalId?: string;
  accounts?: string[];
  excludeAccounts?: string[];
  ous?: string[];
  concurrency?: string;
  rolesAnywhereRegions?: string[];
  resume?: boolean;
  quiet?: boolean;
}

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean),
];

export function addOrgOptions(command: Command): Command {
  return command
    .option(
      '--org',
      'scan every account of the AWS Organization (run from the management account or a delegated administrator)',
    )
    .option('--role-name <name>', 'role to assume in each account (--org)', 'RoleshiftAudit')
    .option('--external-id <id>', 'ExternalId the audit role requires (--org)')
    .option('--accounts <ids>', 'only these account ids, comma-separated (--org)', list)
    .option('--exclude-accounts <ids>', 'skip these account ids, comma-separated (--org)', list)
    .option('--ous <ous>', 'only accounts under these OUs, by id or name, comma-separated (--org)', list)
    .option(
      '--concurrency <n>',
      'at most this many accounts scanned at once; fewer while AWS throttles the caller (--org)',
      String(DEFAULT_CONCURRENCY),
    )
    .option(
      '--roles-anywhere-regions <regions>',
      'regions to read IAM Roles Anywhere trust anchors and profiles in, comma-separated (--org; default none)',
      list,
    )
    .option('--resume', 'continue the last interrupted --org scan without collecting finished accounts again')
    .addOption(new Option('--quiet', 'no progress output'));
}

/** Accounts in flight at most; the scan starts at 8 and grows while nothing throttles (bench/README.md). */
const DEFAULT_CONCURRENCY = 64;

function parseConcurrency(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    throw new UserInputError(`--concurrency ${raw}: give a whole number from 1 to 64`);
  }
  return value;
}

/**
 * `scan --org`. Finished accounts are committed to the store as they complete, so an
 * interrupted scan resumes with `--resume` where it stopped.
 */
export async function collectOrgSnapshot(
  ctx: CommandContext,
  options: OrgFlags & { profile?: string; region?: string; store?: string },
): Promise<Snapshot> {
  const concurrency = parseConcurrency(options.concurrency ?? String(DEFAULT_CONCURRENCY));
  const roleName = options.roleName ?? 'RoleshiftAudit';
  const filters = {
    accounts: options.accounts ?? [],
    excludeAccounts: options.excludeAccounts ?? [],
    ous: options.ous ?? [],
  };
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const rolesAnywhereRegions = options.rolesAnywhereRegions ?? [];
  const scope = JSON.stringify({
    roleName,
    externalId: options.externalId ?? null,
    filters,
    rolesAnywhereRegions,
    profile: options.profile ?? null,
  });
  const store = await openStore(storePathOf(options.store));
  try {
    const run = await openOrgScanRun(store, { scope, resume: Boolean(options.resume), now: ctx.now });
    if (options.resume) {
      ctx.io.log(
        run.resumed
          ? `resuming org scan ${run.runId}: ${run.alreadyFinished} account(s) already collected`
          : 'no interrupted org scan with these options to resume: starting a new one',
      );
    }
    const progress = createProgress(ctx.io, {
      label: 'accounts',
      quiet: Boolean(options.quiet),
      clock: () => performance.now(),
    });
    const { collectOrganizationSnapshot } = await import('../../collect/org.js');
    const snapshot = await collectOrganizationSnapshot({
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      region,
      roleName,
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
      filters,
      concurrency,
      rolesAnywhereRegions,
      now: () => ctx.now,
      checkpoint: run,
      onProgress: (state) =>
        progress.update({ done: state.done, total: state.total, failed: state.failed, item: state.accountId }),
    });
    progress.finish();
    await run.markFinished();
    return snapshot;
  } finally {
    store.close();
  }
}
