/**
 * The one shape of every rule roleshift reports on: the estate checks, the trust-policy rules, the
 * permissions-policy rules and lint's own rules. Metadata beside a pure `evaluate` that returns
 * pass and fail results; `src/assess/registry.ts` lists every rule and `src/assess/run-rules.ts`
 * runs them, turning a rule that throws into an `error` finding.
 */
import type { RoleshiftConfig } from '../config.js';
import type { Finding, References, Severity } from './finding.js';
import type { Account, Group, ManagedPolicy, Role, Root, User } from './snapshot.js';

/** What a result is about: a user, group, role, policy, account, root, register entry or file. */
export type Subject = Pick<Finding, 'accountId' | 'resourceType' | 'resourceArn' | 'resourceName'>;

/** What renderers that describe rules (SARIF, the report) need to know about one rule. */
export interface RuleMetadata {
  /** Kebab-case, equal to the rule's file name. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters, for people reading a report. */
  rationale: string;
  remediation: string;
  /** CIS AWS Foundations and Security Hub ids, and documentation links. */
  references: References;
}

/** One verdict of a rule on one subject. A pass is evidence that the rule held. */
export interface RuleResult extends Subject {
  status: 'pass' | 'fail';
  message: string;
  /** A result may be graver or milder than the rule's default (e.g. an org-wide trust). */
  severity?: Severity;
  location?: Finding['location'];
}

/**
 * A rule over `Target` (a snapshot, a policy document, an attachment...) in a run's `Context`.
 * `evaluate` is pure: the clock, the config and the registers come in through the context.
 */
export interface Rule<Target, Context> extends RuleMetadata {
  /** The thresholds the rule reads, resolved from the config (shown in reports and docs). */
  parameters: (config: RoleshiftConfig) => Record<string, number | string>;
  evaluate: (target: Target, context: Context) => RuleResult[];
}

/** For rules that read no setting. */
export function noParameters(): Record<string, number | string> {
  return {};
}

export function passed(subject: Subject, message: string): RuleResult {
  return { status: 'pass', ...subject, message };
}

export function failed(
  subject: Subject,
  message: string,
  extra: Pick<RuleResult, 'severity' | 'location'> = {},
): RuleResult {
  return { status: 'fail', ...subject, message, ...extra };
}

const userSubjects = new WeakMap<User, Subject>();

/**
 * Made once per user and shared by every check (results copy it): at 100,000 users each check
 * built its own, and every finding kept its own copy of the `ACCOUNT/USER` name.
 */
export function userSubject(account: Account, user: User): Subject {
  const known = userSubjects.get(user);
  if (known !== undefined && known.accountId === account.accountId) return known;
  const subject: Subject = {
    accountId: account.accountId,
    resourceType: 'user',
    resourceArn: user.arn,
    resourceName: `${account.accountId}/${user.name}`,
  };
  userSubjects.set(user, subject);
  return subject;
}

export function groupSubject(account: Account, group: Group): Subject {
  return {
    accountId: account.accountId,
    resourceType: 'group',
    resourceArn: group.arn,
    resourceName: `${account.accountId}/${group.name}`,
  };
}

/** A role is named as IAM names it: trust findings have always shown the bare role name. */
export function roleSubject(account: Account, role: Role): Subject {
  return { accountId: account.accountId, resourceType: 'role', resourceArn: role.arn, resourceName: role.name };
}

export function policySubject(account: Account, policy: ManagedPolicy): Subject {
  return {
    accountId: account.accountId,
    resourceType: 'policy',
    resourceArn: policy.arn,
    resourceName: `${account.accountId}/${policy.name}`,
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

/** A whole snapshot: where a rule that could not run on the estate is reported. */
export const SNAPSHOT_SUBJECT: Subject = {
  accountId: null,
  resourceType: 'snapshot',
  resourceArn: null,
  resourceName: 'snapshot',
};

/** A policy document to judge, wherever it came from (a scanned role, a file given to lint). */
export interface PolicyTarget {
  /** The document as written: an object, JSON text or URL-encoded JSON. */
  document: unknown;
  /** What a result is about: the role, or the resource named in the file. */
  subject: Subject;
  /** Where the document starts in its file; null for a scanned document. */
  location: Finding['location'];
  /** Where a JSON pointer into the document is in its file; null for a scanned document. */
  locate: (pointer: string) => Finding['location'];
  /** Variables and references left as written because they cannot be resolved offline. */
  unresolved: readonly string[];
}

/** A managed policy attached by ARN (in a template, a plan or a scan). */
export interface AttachmentTarget {
  policyArn: string;
  /** The policy's document when the file holds it (saved account details list AWS managed policies). */
  document?: unknown;
  subject: Subject;
  location: Finding['location'];
}
