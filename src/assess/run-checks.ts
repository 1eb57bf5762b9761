/**
 * The assessment of a scanned estate: the checks over the snapshot and the trust rules over the
 * trust policy of every role, all through the one runner, so a rule that throws becomes an
 * `error` finding and never stops the others.
 */
import type { Finding } from '../model/finding.js';
import { roleSubject, SNAPSHOT_SUBJECT, type PolicyTarget } from '../model/rule.js';
import type { Snapshot } from '../model/snapshot.js';
import type { TrustContext } from '../policy/trust/issue.js';
import { SERVICE_LINKED_PATH } from '../policy/trust/analyze.js';
import type { TrustRule } from '../policy/trust/rule.js';
import type { CheckContext, CheckDefinition } from './check.js';
import { RULES } from './registry.js';
import { runRules, type RuleItem, type RuleRun } from './run-rules.js';

export type { CheckContext } from './check.js';

/** The checks over the snapshot: failures and errors, and the passes as evidence. */
export function runCheckRules(
  snapshot: Snapshot,
  context: CheckContext,
  checks: readonly CheckDefinition[] = RULES.estate,
  options: { keepPasses?: boolean } = {},
): RuleRun {
  return runRules(checks, [{ target: snapshot, context, subject: SNAPSHOT_SUBJECT }], options);
}

/** Findings (failures and errors) of every check, in registry order. */
export function runChecks(
  snapshot: Snapshot,
  context: CheckContext,
  checks: readonly CheckDefinition[] = RULES.estate,
): Finding[] {
  return runCheckRules(snapshot, context, checks, { keepPasses: false }).findings;
}

/** Accounts scanned together, plus every member of the Organization when the scan read it. */
function organizationAccounts(snapshot: Snapshot): string[] {
  const ids = new Set(snapshot.accounts.map((a) => a.accountId));
  for (const member of snapshot.organization?.accounts ?? []) ids.add(member.accountId);
  return [...ids];
}

/** Every role's trust policy, except service-linked roles: AWS owns those and nobody can change them. */
function roleTrustItems(snapshot: Snapshot): Array<RuleItem<PolicyTarget, TrustContext>> {
  const organizationAccountIds = organizationAccounts(snapshot);
  return snapshot.accounts.flatMap((account) => {
    const context: TrustContext = { accountId: account.accountId, organizationAccountIds };
    return account.roles
      .filter((role) => !role.path.startsWith(SERVICE_LINKED_PATH))
      .map((role) => {
        const subject = roleSubject(account, role);
        const target: PolicyTarget = {
          document: role.trustPolicy,
          subject,
          location: null,
          locate: () => null,
          unresolved: [],
        };
        return { target, context, subject };
      });
  });
}

/** The trust rules over every role of the snapshot. */
export function runTrustRules(
  snapshot: Snapshot,
  rules: readonly TrustRule[] = RULES.trustPolicy,
  options: { keepPasses?: boolean } = {},
): RuleRun {
  return runRules(rules, roleTrustItems(snapshot), options);
}

/** One finding per trust issue of every role in the snapshot (and one per rule that threw). */
export function trustFindings(snapshot: Snapshot, rules: readonly TrustRule[] = RULES.trustPolicy): Finding[] {
  return runTrustRules(snapshot, rules, { keepPasses: false }).findings;
}
