import type { Account, ManagedPolicy, Snapshot } from './snapshot.js';

const indexes = new WeakMap<readonly ManagedPolicy[], Map<string, ManagedPolicy>>();

function indexOf(policies: readonly ManagedPolicy[]): Map<string, ManagedPolicy> {
  let index = indexes.get(policies);
  if (index === undefined) {
    index = new Map(policies.map((policy) => [policy.arn, policy]));
    indexes.set(policies, index);
  }
  return index;
}

/**
 * The managed policy an account attaches, by ARN: the account's own list first (customer managed
 * policies, and AWS managed ones in snapshots that keep them per account), then the scan-wide list
 * of AWS managed policies. Indexed once per list, so lookups over 100,000 users stay linear.
 */
export function findManagedPolicy(
  snapshot: Pick<Snapshot, 'awsManagedPolicies'>,
  account: Pick<Account, 'policies'>,
  arn: string,
): ManagedPolicy | undefined {
  return (
    indexOf(account.policies).get(arn) ??
    (snapshot.awsManagedPolicies ? indexOf(snapshot.awsManagedPolicies).get(arn) : undefined)
  );
}
