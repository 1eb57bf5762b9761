/** The `scan --org` flags, turned into the org scan request. */
import { Option, type Command } from 'commander';
import type { OrgScanRequest } from '../app/scan.js';
import { UserInputError } from '../errors.js';

/** Accounts in flight at most; the scan starts at 8 and grows while nothing throttles (bench/README.md). */
const DEFAULT_CONCURRENCY = 64;

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

function parseConcurrency(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    throw new UserInputError(`--concurrency ${raw}: give a whole number from 1 to 64`);
  }
  return value;
}

export function orgScanRequestOf(flags: OrgFlags & { profile?: string; region?: string }): OrgScanRequest {
  return {
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    region: flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    roleName: flags.roleName ?? 'RoleshiftAudit',
    ...(flags.externalId === undefined ? {} : { externalId: flags.externalId }),
    filters: {
      accounts: flags.accounts ?? [],
      excludeAccounts: flags.excludeAccounts ?? [],
      ous: flags.ous ?? [],
    },
    concurrency: parseConcurrency(flags.concurrency ?? String(DEFAULT_CONCURRENCY)),
    rolesAnywhereRegions: flags.rolesAnywhereRegions ?? [],
    resume: Boolean(flags.resume),
  };
}
