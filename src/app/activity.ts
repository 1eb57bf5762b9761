/**
 * `activity`: CloudTrail usage per principal, the least-privilege policy of one IAM user from its
 * observed usage, and the Athena table for an organization trail.
 */
import { loadActionCatalog } from '../activity/actions.js';
import { DEFAULT_REGIONS, renderAthenaDdl } from '../activity/athena-ddl.js';
import { buildLeastPrivilegePolicy, type LeastPrivilegeResult } from '../activity/least-privilege.js';
import { collectUsage, type CloudTrailOptions } from '../activity/scan.js';
import { UserInputError } from '../errors.js';
import type { Usage } from '../model/usage.js';
import { parseUserRef } from '../model/user-ref.js';
import type { Notes } from './ports.js';
import { withStoreConnection } from './scan.js';

/** Usage facts, ingested through the store so a re-run reads only new log files. */
export function readUsage(options: CloudTrailOptions, storePath: string): Promise<Usage> {
  return withStoreConnection(storePath, options, collectUsage);
}

/** Log files that could not be read are named: their events are missing from every figure. */
export function reportUnreadable(usage: Usage, notes: Notes): void {
  for (const file of usage.source.unreadable)
    notes.warn(`cloudtrail: ${file.file} could not be read (${file.problem}); its events are missing`);
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

/** The policy for the role replacing one IAM user, from what CloudTrail saw it do. */
export async function leastPrivilegeFor(
  options: CloudTrailOptions,
  storePath: string,
  user: string,
  notes: Notes,
): Promise<{ user: string; result: LeastPrivilegeResult }> {
  const usage = await readUsage(options, storePath);
  reportUnreadable(usage, notes);
  const matches = usage.principals.filter((p) => p.type === 'IAMUser' && matchesUser(p.arn, user));
  const [principal] = matches;
  if (principal === undefined)
    throw new UserInputError(
      `--user ${user}: no CloudTrail events of this IAM user in the logs read; check the name and the --since/--until window`,
    );
  if (matches.length > 1)
    throw new UserInputError(`--user ${user} matches ${matches.length} users in several accounts: give the full ARN`);
  const catalog = await loadActionCatalog(principal.actions.map((a) => a.action));
  return { user: principal.arn, result: buildLeastPrivilegePolicy(principal.actions, catalog) };
}

export interface AthenaTableRequest {
  bucket: string;
  orgId?: string;
  accounts: string[];
  /** Every commercial region when none is given. */
  regions: string[];
  startDay: string;
  database: string;
  table: string;
}

/** CREATE TABLE with partition projection for a CloudTrail bucket. */
export function athenaTableDdl(request: AthenaTableRequest): string {
  return renderAthenaDdl({
    database: request.database,
    table: request.table,
    location: request.bucket,
    orgId: request.orgId,
    accounts: request.accounts,
    regions: request.regions.length === 0 ? DEFAULT_REGIONS : request.regions,
    startDay: request.startDay,
  });
}
