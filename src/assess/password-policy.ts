/**
 * What the password-policy checks share: one verdict per account whose policy was read. An
 * account without a policy fails every one of them (IAM's defaults: 8 characters, no complexity,
 * no reuse prevention, no expiry); an account whose policy could not be read gets no verdict,
 * since the gap already says so and a guess either way would be a lie.
 */
import { accountSubject, failed, passed, type RuleResult } from '../model/rule.js';
import type { Account, PasswordPolicy, Snapshot } from '../model/snapshot.js';

export type SetPasswordPolicy = Extract<PasswordPolicy, { state: 'set' }>;

/** A shortfall of a set policy, or null when it meets the rule. */
export type PolicyShortfall = (policy: SetPasswordPolicy) => string | null;

export const NO_PASSWORD_POLICY_MESSAGE =
  'the account has no password policy: IAM defaults apply (8 characters, no complexity, reuse or expiry rules)';

export function judgePasswordPolicies(snapshot: Snapshot, shortfall: PolicyShortfall, met: string): RuleResult[] {
  return snapshot.accounts.flatMap((account: Account) => {
    const policy = account.passwordPolicy;
    if (policy === null || policy === undefined) return [];
    const subject = accountSubject(account);
    if (policy.state === 'none') return [failed(subject, NO_PASSWORD_POLICY_MESSAGE)];
    const problem = shortfall(policy);
    return [problem === null ? passed(subject, met) : failed(subject, problem)];
  });
}
