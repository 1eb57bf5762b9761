import type { Snapshot, User } from './snapshot.js';

/**
 * When AWS finds a user's access key published on the internet it attaches an AWS managed
 * quarantine policy to that user (`AWSCompromisedKeyQuarantine`, then `...V2`, `...V3`): the key
 * is known to be leaked, so the user is acted on before anything else roleshift reports.
 */
const QUARANTINE_POLICY = /^arn:aws[\w-]*:iam::aws:policy\/AWSCompromisedKeyQuarantine(V\d+)?$/;

/** The quarantine policies AWS attached to the user, by name; empty when none. */
export function quarantinePolicies(user: User): string[] {
  return user.attachedPolicies.filter((policy) => QUARANTINE_POLICY.test(policy.arn)).map((policy) => policy.name);
}

/** ARNs of every quarantined user of the snapshot. */
export function quarantinedUsers(snapshot: Pick<Snapshot, 'accounts'>): Set<string> {
  return new Set(
    snapshot.accounts.flatMap((account) =>
      account.users.filter((user) => quarantinePolicies(user).length > 0).map((user) => user.arn),
    ),
  );
}

/**
 * Checks whose findings come before every other, whatever their account: a leaked key that AWS
 * already caught is the first line of any report (`sortFindings`).
 */
export const FIRST_CHECKS: readonly string[] = ['compromised-key-quarantine'];
