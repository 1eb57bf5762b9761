import { Command } from 'commander';
import { athenaTableDdl, leastPrivilegeFor, readUsage, reportUnreadable } from '../../app/activity.js';
import { cloudTrailOptionsOf } from '../../app/cloudtrail.js';
import { EXIT } from '../../errors.js';
import { renderUsageText } from '../../report/usage-text.js';
import { addCloudTrailOptions, type CloudTrailFlags } from '../cloudtrail-flags.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { DEFAULT_STORE_PATH, storePathOf } from '../estate.js';

interface DdlFlags {
  bucket: string;
  orgId?: string;
  accounts: string;
  regions?: string;
  start: string;
  athenaDatabase: string;
  athenaTable: string;
}

interface LeastPrivilegeFlags extends CloudTrailFlags {
  user: string;
}

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

async function runUsage(ctx: CommandContext, flags: CloudTrailFlags): Promise<number> {
  const usage = await readUsage(cloudTrailOptionsOf(flags, ctx.io), storePathOf(flags.store));
  ctx.io.out(ctx.io.json ? JSON.stringify(usage, null, 2) : renderUsageText(usage));
  reportUnreadable(usage, ctx.io);
  return EXIT.ok;
}

async function runLeastPrivilege(ctx: CommandContext, flags: LeastPrivilegeFlags): Promise<number> {
  const { user, result } = await leastPrivilegeFor(
    cloudTrailOptionsOf(flags, ctx.io),
    storePathOf(flags.store),
    flags.user,
    ctx.io,
  );
  if (ctx.io.json) {
    ctx.io.out(JSON.stringify({ user, ...result }, null, 2));
    return EXIT.ok;
  }
  ctx.io.out(result.policy === null ? '{}' : JSON.stringify(result.policy, null, 2));
  for (const item of result.notNarrowed) ctx.io.log(`not narrowed: ${item.action} on * (${item.reason})`);
  for (const item of result.perBucket)
    ctx.io.log(
      `per bucket: ${item.action} on ${item.resources.join(', ')} (more objects than are kept; every object of these buckets)`,
    );
  for (const item of result.leftOut) ctx.io.log(`left out: ${item.action} (${item.reason})`);
  return EXIT.ok;
}

async function runAthenaDdl(ctx: CommandContext, flags: DdlFlags): Promise<number> {
  ctx.io.out(
    athenaTableDdl({
      bucket: flags.bucket,
      ...(flags.orgId === undefined ? {} : { orgId: flags.orgId }),
      accounts: commaList(flags.accounts),
      regions: commaList(flags.regions),
      startDay: flags.start,
      database: flags.athenaDatabase,
      table: flags.athenaTable,
    }),
  );
  return EXIT.ok;
}

function usageCommand(): Command {
  return addCloudTrailOptions(
    new Command('usage').description('Read CloudTrail and show usage per IAM user (--json: the full usage facts).'),
  )
    .option('--store <file>', `the roleshift store that remembers ingested files (default ${DEFAULT_STORE_PATH})`)
    .addHelpText(
      'after',
      `
Examples:
  roleshift activity usage --cloudtrail ./cloudtrail/ --since 2026-08-01
  roleshift activity usage --cloudtrail s3://trail-bucket/AWSLogs/ --json > usage.json
  roleshift activity usage --athena-database default --athena-table cloudtrail_logs --athena-output s3://results/`,
    )
    .action(actionOf<CloudTrailFlags>(runUsage));
}

function leastPrivilegeCommand(): Command {
  return addCloudTrailOptions(
    new Command('least-privilege').description(
      'Print the permissions policy for the role replacing an IAM user, from its observed CloudTrail usage.',
    ),
  )
    .requiredOption('--user <user>', 'the IAM user: ACCOUNT_ID/USER_NAME, its ARN, or a name found in one account only')
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`)
    .addHelpText(
      'after',
      `
Examples:
  roleshift activity least-privilege --user ci-deploy --cloudtrail ./cloudtrail/
  roleshift activity least-privilege --user arn:aws:iam::123456789012:user/ci-deploy --cloudtrail s3://trail-bucket/ --json`,
    )
    .action(actionOf<LeastPrivilegeFlags>(runLeastPrivilege));
}

function athenaDdlCommand(): Command {
  return new Command('athena-ddl')
    .description('Print CREATE TABLE (with partition projection) for a CloudTrail bucket, for --engine athena.')
    .requiredOption('--bucket <s3-url>', 's3://BUCKET[/PREFIX] where AWSLogs/ is')
    .option('--org-id <id>', 'organization trail: the o-... id in the key layout')
    .requiredOption('--accounts <ids>', 'comma-separated account ids whose logs are in the bucket')
    .option('--regions <names>', 'comma-separated regions (default: all commercial regions)')
    .option('--start <YYYY/MM/DD>', 'first day of logs', '2024/01/01')
    .option('--athena-database <name>', 'database', 'default')
    .option('--athena-table <name>', 'table', 'cloudtrail_logs')
    .addHelpText(
      'after',
      `
Examples:
  roleshift activity athena-ddl --bucket s3://trail-bucket --accounts 111111111111,222222222222
  roleshift activity athena-ddl --bucket s3://org-trail --org-id o-a1b2c3d4e5 --accounts 111111111111 --regions eu-west-1,us-east-1`,
    )
    .action(actionOf<DdlFlags>(runAthenaDdl));
}

export function register(program: Command): void {
  const activity = new Command('activity').description(
    'CloudTrail usage: who uses each credential, least-privilege policies from usage, Athena setup.',
  );
  activity.addHelpText(
    'after',
    `
Examples:
  roleshift activity usage --cloudtrail ./cloudtrail/      # who used which key, from CloudTrail files
  roleshift activity least-privilege --user ci-deploy --cloudtrail ./cloudtrail/
  roleshift activity athena-ddl --bucket s3://trail-bucket --accounts 111111111111`,
  );
  for (const sub of [usageCommand(), leastPrivilegeCommand(), athenaDdlCommand()])
    activity.addCommand(withGlobalOptions(sub));
  program.addCommand(activity);
}
