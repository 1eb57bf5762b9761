import { parseUserRef } from '../../model/user-ref.js';
import { Command, Option } from 'commander';
import { DEFAULT_REGIONS, renderAthenaDdl } from '../../activity/athena-ddl.js';
import { loadActionCatalog } from '../../activity/actions.js';
import { usageToActivityEvidence } from '../../activity/evidence.js';
import {
  computeKpis,
  creationTimes,
  type KpiInput,
  deletedUsers,
  exceptionReviews,
  kpisToRecord,
  remediationsFromJournal,
} from '../../activity/kpis.js';
import { buildLeastPrivilegePolicy } from '../../activity/least-privilege.js';
import { classifyUsers } from '../../assess/classify.js';
import { DEFAULT_CONFIG, type RoleshiftConfig } from '../../config.js';
import {
  addUsageToSnapshot,
  assertCloudTrailLocation,
  collectUsage,
  parseWindowDate,
  type CloudTrailOptions,
} from '../../activity/scan.js';
import { EXIT, UserInputError } from '../../errors.js';
import type { Snapshot } from '../../model/snapshot.js';
import type { Usage } from '../../model/usage.js';
import { allOperations, ensureJournalTables } from '../../remediate/journal.js';
import { DEFAULT_STORE_PATH, openStore, type Store } from '../../store/store.js';
import { readExceptionsRegister, resolveConfig } from '../config-file.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { storePathOf } from '../estate.js';

/** The CloudTrail flags, shared by `scan` and `activity`. */
export interface CloudTrailFlags {
  cloudtrail?: string;
  since?: string;
  until?: string;
  engine?: 'duckdb' | 'athena';
  athenaDatabase?: string;
  athenaTable?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  athenaRegion?: string;
  store?: string;
}

export function addCloudTrailOptions(command: Command): Command {
  return command
    .option(
      '--cloudtrail <path|s3-url>',
      'read CloudTrail logs (a file, a folder, or s3://BUCKET/PREFIX) for usage facts',
    )
    .option('--since <date>', 'only CloudTrail events from this day or instant on (YYYY-MM-DD or ISO-8601)')
    .option('--until <date>', 'only CloudTrail events up to this day (inclusive) or instant')
    .addOption(
      new Option('--engine <engine>', 'where the CloudTrail queries run')
        .choices(['duckdb', 'athena'])
        .default('duckdb'),
    )
    .option('--athena-database <name>', 'Athena database of the CloudTrail table (see `roleshift activity athena-ddl`)')
    .option('--athena-table <name>', 'Athena CloudTrail table')
    .option('--athena-workgroup <name>', 'Athena workgroup')
    .option('--athena-output <s3-url>', 'Athena query result location (unless the workgroup sets one)')
    .option('--athena-region <region>', 'region of the Athena table');
}

/** True when the flags ask for CloudTrail at all. */
export function wantsCloudTrail(flags: CloudTrailFlags): boolean {
  return flags.cloudtrail !== undefined || flags.engine === 'athena';
}

function cloudTrailOptionsFrom(ctx: CommandContext, flags: CloudTrailFlags): CloudTrailOptions {
  const engine = flags.engine ?? 'duckdb';
  if (engine === 'athena' && (flags.athenaDatabase === undefined || flags.athenaTable === undefined)) {
    throw new UserInputError(
      '--engine athena needs --athena-database and --athena-table (create the table with `roleshift activity athena-ddl`)',
    );
  }
  if (engine === 'duckdb' && flags.cloudtrail === undefined)
    throw new UserInputError('give --cloudtrail PATH|s3://BUCKET/PREFIX, or --engine athena');
  return {
    cloudtrail: flags.cloudtrail,
    since: parseWindowDate('--since', flags.since),
    until: parseWindowDate('--until', flags.until),
    engine,
    athena:
      engine === 'athena'
        ? {
            database: flags.athenaDatabase ?? '',
            table: flags.athenaTable ?? '',
            workgroup: flags.athenaWorkgroup,
            outputLocation: flags.athenaOutput,
            client: flags.athenaRegion === undefined ? {} : { region: flags.athenaRegion },
          }
        : undefined,
    log: (line) => ctx.io.log(line),
  };
}

/**
 * Usage through the store's connection, so a re-run reads only new log files. The store is
 * opened only for the DuckDB engine; Athena keeps nothing locally.
 */
async function withStoreConnection<T>(
  flags: CloudTrailFlags,
  options: CloudTrailOptions,
  run: (options: CloudTrailOptions) => Promise<T>,
): Promise<T> {
  if (options.engine === 'athena') return run(options);
  const store = await openStore(storePathOf(flags.store));
  try {
    return await run({ ...options, connection: store.connection });
  } finally {
    store.close();
  }
}

/**
 * The scan command's hook. Flags are checked now, before a possibly long collection; the
 * returned step adds usage facts when CloudTrail flags were given, else returns the snapshot.
 */
export function prepareCloudTrail(
  ctx: CommandContext,
  flags: CloudTrailFlags,
): (snapshot: Snapshot) => Promise<Snapshot> {
  if (!wantsCloudTrail(flags)) return async (snapshot) => snapshot;
  const options = cloudTrailOptionsFrom(ctx, flags);
  assertCloudTrailLocation(options.cloudtrail);
  return (snapshot) =>
    withStoreConnection(flags, options, (withConnection) => addUsageToSnapshot(snapshot, withConnection));
}

/**
 * The KPIs stored with a scan (`Store.saveScan(snapshot, { kpis })`), classified the same way
 * the findings are, with CloudTrail evidence when the scan read it.
 */
export function kpisForScan(
  snapshot: Snapshot,
  now: Date,
  config: RoleshiftConfig = DEFAULT_CONFIG,
  registers: Pick<KpiInput, 'exceptions' | 'remediations'> = {},
): Record<string, number> {
  const activity = snapshot.usage === undefined ? undefined : usageToActivityEvidence(snapshot.usage);
  return kpisToRecord(
    computeKpis({ snapshot, now, classify: (s) => classifyUsers(s, { config, activity }), ...registers }),
  );
}

/**
 * The creation times of the journal's deleted users. A deleted user is gone from the new
 * snapshot, so the stored scans are read newest first until every one is found (usually the
 * latest scan already has them all).
 */
async function creationTimesOfDeleted(
  store: Store,
  snapshot: Snapshot,
  deleted: ReadonlyArray<{ accountId: string; userName: string }>,
): Promise<Map<string, string>> {
  const times = creationTimes(snapshot);
  const missing = (): boolean => deleted.some((user) => !times.has(`${user.accountId}/${user.userName}`));
  const scans = missing() ? await store.listScans() : [];
  for (const summary of [...scans].reverse()) {
    if (!missing()) break;
    const stored = await store.getScan(summary.scanId);
    if (stored === null) continue;
    for (const [key, at] of creationTimes(stored.snapshot)) if (!times.has(key)) times.set(key, at);
  }
  return times;
}

/**
 * `kpisForScan` with the registers filled in: the exceptions register (`exceptionsFile` of the
 * resolved config, when present) for review ages, and the store's remediation journal for the
 * time from CreateUser to deletion. Call before `saveScan`.
 */
export async function kpisForStoredScan(
  snapshot: Snapshot,
  now: Date,
  store: Store,
  config: RoleshiftConfig = resolveConfig({}),
): Promise<Record<string, number>> {
  const exceptions = exceptionReviews(readExceptionsRegister(undefined, config) ?? []);
  await ensureJournalTables(store.connection);
  const journal = await allOperations(store.connection);
  const times = await creationTimesOfDeleted(store, snapshot, deletedUsers(journal));
  return kpisForScan(snapshot, now, config, { exceptions, remediations: remediationsFromJournal(journal, times) });
}

function reportUnreadable(ctx: CommandContext, usage: Usage): void {
  for (const file of usage.source.unreadable)
    ctx.io.warn(`cloudtrail: ${file.file} could not be read (${file.problem}); its events are missing`);
}

/** Log values are attacker-influenced (session names, token subjects): no terminal control codes. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function renderUsageText(usage: Usage): string {
  const events = usage.principals.reduce((sum, principal) => sum + principal.events, 0);
  const lines = [
    `${events} events from ${usage.source.origin} (${usage.source.filesRead} files read now, ${usage.source.filesSkipped} ingested before)`,
  ];
  for (const principal of usage.principals.filter((p) => p.type === 'IAMUser')) {
    const agents = principal.userAgents.map((a) => `${a.family} ${a.events}`).join(', ');
    const errors = Object.entries(principal.errors)
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    lines.push(
      `${principal.arn}: ${principal.events} events ${principal.firstSeen} .. ${principal.lastSeen}; ${principal.actions.length} actions; agents: ${agents}${errors === '' ? '' : `; errors: ${errors}`}`,
    );
  }
  for (const session of usage.federatedSessions) {
    lines.push(
      `${session.kind} ${session.provider}${session.subject === null ? '' : ` ${session.subject}`}${session.roleArn === null ? '' : ` -> ${session.roleArn}`}: ${session.events} events`,
    );
  }
  return lines.map(printable).join('\n');
}

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

/** `--user` as ACCOUNT_ID/USER_NAME or an ARN (any path) pins the account; a bare name matches in any account. */
function matchesUser(arn: string, user: string): boolean {
  if (/^\d{12}\/|^arn:/.test(user)) {
    const wanted = parseUserRef(user);
    const seen = /^arn:aws[a-z-]*:iam::\d{12}:user\//.test(arn) ? parseUserRef(arn) : null;
    return seen !== null && seen.accountId === wanted.accountId && seen.userName === wanted.userName;
  }
  return arn.endsWith(`:user/${user}`) || arn.endsWith(`/${user}`);
}

export function register(program: Command): void {
  const activity = new Command('activity').description(
    'CloudTrail usage: who uses each credential, least-privilege policies from usage, Athena setup.',
  );

  const usage = addCloudTrailOptions(
    new Command('usage').description('Read CloudTrail and show usage per IAM user (--json: the full usage facts).'),
  )
    .option('--store <file>', `the roleshift store that remembers ingested files (default ${DEFAULT_STORE_PATH})`)
    .action(
      actionOf<CloudTrailFlags>(async (ctx, flags) => {
        const result = await withStoreConnection(flags, cloudTrailOptionsFrom(ctx, flags), collectUsage);
        ctx.io.out(ctx.io.json ? JSON.stringify(result, null, 2) : renderUsageText(result));
        reportUnreadable(ctx, result);
        return EXIT.ok;
      }),
    );

  const leastPrivilege = addCloudTrailOptions(
    new Command('least-privilege').description(
      'Print the permissions policy for the role replacing an IAM user, from its observed CloudTrail usage.',
    ),
  )
    .requiredOption('--user <user>', 'the IAM user: ACCOUNT_ID/USER_NAME, its ARN, or a name found in one account only')
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`)
    .action(
      actionOf<LeastPrivilegeFlags>(async (ctx, flags) => {
        const result = await withStoreConnection(flags, cloudTrailOptionsFrom(ctx, flags), collectUsage);
        reportUnreadable(ctx, result);
        const matches = result.principals.filter((p) => p.type === 'IAMUser' && matchesUser(p.arn, flags.user));
        if (matches.length === 0)
          throw new UserInputError(
            `--user ${flags.user}: no CloudTrail events of this IAM user in the logs read; check the name and the --since/--until window`,
          );
        if (matches.length > 1)
          throw new UserInputError(
            `--user ${flags.user} matches ${matches.length} users in several accounts: give the full ARN`,
          );
        const principal = matches[0];
        if (principal === undefined) return EXIT.usage;
        const policy = buildLeastPrivilegePolicy(
          principal.actions,
          await loadActionCatalog(principal.actions.map((a) => a.action)),
        );
        if (ctx.io.json) {
          ctx.io.out(JSON.stringify({ user: principal.arn, ...policy }, null, 2));
        } else {
          ctx.io.out(policy.policy === null ? '{}' : JSON.stringify(policy.policy, null, 2));
          for (const item of policy.notNarrowed) ctx.io.log(`not narrowed: ${item.action} on * (${item.reason})`);
          for (const item of policy.perBucket)
            ctx.io.log(
              `per bucket: ${item.action} on ${item.resources.join(', ')} (more objects than are kept; every object of these buckets)`,
            );
          for (const item of policy.leftOut) ctx.io.log(`left out: ${item.action} (${item.reason})`);
        }
        return EXIT.ok;
      }),
    );

  const ddl = new Command('athena-ddl')
    .description('Print CREATE TABLE (with partition projection) for a CloudTrail bucket, for --engine athena.')
    .requiredOption('--bucket <s3-url>', 's3://BUCKET[/PREFIX] where AWSLogs/ is')
    .option('--org-id <id>', 'organization trail: the o-... id in the key layout')
    .requiredOption('--accounts <ids>', 'comma-separated account ids whose logs are in the bucket')
    .option('--regions <names>', 'comma-separated regions (default: all commercial regions)')
    .option('--start <YYYY/MM/DD>', 'first day of logs', '2024/01/01')
    .option('--athena-database <name>', 'database', 'default')
    .option('--athena-table <name>', 'table', 'cloudtrail_logs')
    .action(
      actionOf<DdlFlags>(async (ctx, flags) => {
        ctx.io.out(
          renderAthenaDdl({
            database: flags.athenaDatabase,
            table: flags.athenaTable,
            location: flags.bucket,
            orgId: flags.orgId,
            accounts: flags.accounts
              .split(',')
              .map((a) => a.trim())
              .filter((a) => a !== ''),
            regions:
              flags.regions === undefined
                ? DEFAULT_REGIONS
                : flags.regions
                    .split(',')
                    .map((r) => r.trim())
                    .filter((r) => r !== ''),
            startDay: flags.start,
          }),
        );
        return EXIT.ok;
      }),
    );

  usage.addHelpText(
    'after',
    `
Examples:
  roleshift activity usage --cloudtrail ./cloudtrail/ --since 2026-08-01
  roleshift activity usage --cloudtrail s3://trail-bucket/AWSLogs/ --json > usage.json
  roleshift activity usage --athena-database default --athena-table cloudtrail_logs --athena-output s3://results/`,
  );
  leastPrivilege.addHelpText(
    'after',
    `
Examples:
  roleshift activity least-privilege --user ci-deploy --cloudtrail ./cloudtrail/
  roleshift activity least-privilege --user arn:aws:iam::123456789012:user/ci-deploy --cloudtrail s3://trail-bucket/ --json`,
  );
  ddl.addHelpText(
    'after',
    `
Examples:
  roleshift activity athena-ddl --bucket s3://trail-bucket --accounts 111111111111,222222222222
  roleshift activity athena-ddl --bucket s3://org-trail --org-id o-abc123 --accounts 111111111111 --regions eu-west-1,us-east-1`,
  );
  activity.addHelpText(
    'after',
    `
Examples:
  roleshift activity usage --cloudtrail ./cloudtrail/      # who used which key, from CloudTrail files
  roleshift activity least-privilege --user ci-deploy --cloudtrail ./cloudtrail/
  roleshift activity athena-ddl --bucket s3://trail-bucket --accounts 111111111111`,
  );
  for (const sub of [usage, leastPrivilege, ddl]) activity.addCommand(withGlobalOptions(sub));
  program.addCommand(activity);
}
