/**
 * The shape of one check: metadata beside a pure `evaluate`. Checks return pass and fail results
 * so tests can assert both sets; runChecks keeps the failures as Findings.
 */
import type { RoleshiftConfig } from '../config.js';
import type { Classification } from '../model/classification.js';
import type { Finding, References, Severity } from '../model/finding.js';
import type { Account, Root, Snapshot, User } from '../model/snapshot.js';
import type { ActivityEvidence } from './activity-evidence.js';
import type { ExceptionEntry } from './exceptions.js';

export interface CheckContext {
  /** The clock of the whole run; checks never read it themselves. */
  now: Date;
  config: RoleshiftConfig;
  classifications: Classification[];
  /** The exceptions register; null when there is none (then no user counts as registered). */
  exceptions: ExceptionEntry[] | null;
  /** Activity facts per user when CloudTrail was read. */
  usage?: ActivityEvidence;
  /** ARNs of users with a migration under way (a plan applied or a remediation started). */
  migrating?: ReadonlySet<string>;
}

export type ResourceType = Finding['resourceType'];

export interface CheckResult {
  status: 'pass' | 'fail';
  accountId: string | null;
  resourceType: ResourceType;
  resourceArn: string | null;
  resourceName: string;
  message: string;
  /** A result may be graver or milder than the check's default (e.g. an org-wide trust). */
  severity?: Severity;
  location?: Finding['location'];
}

export interface CheckDefinition {
  /** Kebab-case, equal to the file name under src/assess/checks/. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters, for people reading a report. */
  rationale: string;
  remediation: string;
  references: References;
  /** The thresholds this check reads, resolved from the config (shown in reports and docs). */
  parameters: (config: RoleshiftConfig) => Record<string, number | string>;
  evaluate: (snapshot: Snapshot, context: CheckContext) => CheckResult[];
}

type Subject = Pick<CheckResult, 'accountId' | 'resourceType' | 'resourceArn' | 'resourceName'>;

export function userSubject(account: Account, user: User): Subject {
  return {
    accountId: account.accountId,
    resourceType: 'user',
    resourceArn: user.arn,
    resourceName: `${account.accountId}/${user.name}`,
  };
}

export function rootSubject(account: Account, root: Root): Subject {
  return {
    accountId: account.accountId,
    resourceType: 'root',
    resourceArn: root.arn,
    resourceName: `${account.accountId}/<root>`,
  };
}

export function accountSubject(account: Account): Subject {
  return {
    accountId: account.accountId,
    resourceType: 'account',
    resourceArn: null,
    resourceName: account.alias ? `${account.accountId} (${account.alias})` : account.accountId,
  };
}

export function passed(subject: Subject, message: string): CheckResult {
  return { status: 'pass', ...subject, message };
}

export function failed(
  subject: Subject,
  message: string,
  extra: Pick<CheckResult, 'severity' | 'location'> = {},
): CheckResult {
  return { status: 'fail', ...subject, message, ...extra };
}

/** Every (account, user) pair in snapshot order. */
export function eachUser(snapshot: Snapshot): Array<{ account: Account; user: User }> {
  return snapshot.accounts.flatMap((account) => account.users.map((user) => ({ account, user })));
}

const classificationIndex = new WeakMap<readonly Classification[], Map<string, Classification>>();

/** A user's classification; indexed once per run so checks over 10,000 users stay linear. */
export function classificationOf(context: CheckContext, userArn: string): Classification | undefined {
  let index = classificationIndex.get(context.classifications);
  if (index === undefined) {
    index = new Map(context.classifications.map((c) => [c.userArn, c]));
    classificationIndex.set(context.classifications, index);
  }
  return index.get(userArn);
}

export const MACHINE_CLASSES = new Set(['ci-cd', 'workload', 'third-party']);
