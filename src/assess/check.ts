/**
 * What an estate check reads besides the snapshot, and the helpers checks share. A check is a
 * rule (`src/model/rule.ts`) over the snapshot: metadata beside a pure `evaluate` returning pass
 * and fail results, so tests can assert both sets.
 */
import type { RoleshiftConfig } from '../config.js';
import type { Classification } from '../model/classification.js';
import { groupSubject, roleSubject, userSubject, type Rule, type RuleResult, type Subject } from '../model/rule.js';
import type { Account, Snapshot, User } from '../model/snapshot.js';
import type { Principal } from '../policy/evaluator/principals.js';
import type { ActivityEvidence } from './activity-evidence.js';
import type { ExceptionEntry } from './exceptions.js';
import type { EstatePermissions } from './permissions.js';

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
  /** The evaluator and the privilege analysis of the snapshot, built once per assessment. */
  permissions: EstatePermissions;
}

/** An estate check: a rule over the whole snapshot in the run's context. */
export type CheckDefinition = Rule<Snapshot, CheckContext>;
export type CheckResult = RuleResult;

const userPairs = new WeakMap<readonly Account[], ReadonlyArray<{ account: Account; user: User }>>();

/** Every (account, user) pair in snapshot order; built once per snapshot, shared by every check. */
export function eachUser(snapshot: Snapshot): ReadonlyArray<{ account: Account; user: User }> {
  let pairs = userPairs.get(snapshot.accounts);
  if (pairs === undefined) {
    pairs = snapshot.accounts.flatMap((account) => account.users.map((user) => ({ account, user })));
    userPairs.set(snapshot.accounts, pairs);
  }
  return pairs;
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

/** What a result about a user, group or role of the evaluator is about. */
export function principalSubject(principal: Principal): Subject {
  if (principal.kind === 'user') return userSubject(principal.account, principal.user);
  return principal.kind === 'group'
    ? groupSubject(principal.account, principal.group)
    : roleSubject(principal.account, principal.role);
}

/** True when the evaluator finds administrator rights for the principal by any path (its policies, its groups). */
export function isAdministrator(context: CheckContext, arn: string): boolean {
  const admin = context.permissions.privileges.of(arn)?.admin;
  return admin !== undefined && admin.level !== 'none';
}
