/**
 * For checks that ask whether someone in each account holds an AWS managed policy (CIS 1.17's
 * support role, the security audit role): the users, groups and roles it is attached to.
 */
import { accountSubject, failed, passed, type RuleResult } from '../model/rule.js';
import type { Account, Snapshot } from '../model/snapshot.js';

function holdersOf(account: Account, policyName: string): string[] {
  const arn = `arn:aws:iam::aws:policy/${policyName}`;
  const holds = (entity: { attachedPolicies: ReadonlyArray<{ arn: string }> }) =>
    entity.attachedPolicies.some((policy) => policy.arn === arn || policy.arn.endsWith(`:aws:policy/${policyName}`));
  return [
    ...account.users.filter(holds).map((user) => `user ${user.name}`),
    ...account.groups.filter(holds).map((group) => `group ${group.name}`),
    ...account.roles.filter(holds).map((role) => `role ${role.name}`),
  ];
}

/** One result per account: passed naming the holders, or failed when nobody holds the policy. */
export function judgeAwsPolicyHeld(snapshot: Snapshot, policyName: string): RuleResult[] {
  return snapshot.accounts.map((account) => {
    const holders = holdersOf(account, policyName);
    const subject = accountSubject(account);
    return holders.length === 0
      ? failed(subject, `no user, group or role has ${policyName} attached`)
      : passed(subject, `${policyName} is attached to ${holders.join(', ')}`);
  });
}
