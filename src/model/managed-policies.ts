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

/**
 * Keeps AWS managed policies once per scan: they are the same in every account of a partition
 * (GAAD repeats each attached one in every account; moto repeats all 1,485). The first copy of
 * each, by ARN and default version, is kept here and taken out of every account that has the
 * same; an account that reports another default version (AWS published one mid-scan) keeps its
 * own copy, which `findManagedPolicy` then prefers. Attachment counts are per account, so the
 * shared copy has none.
 */
export class AwsManagedPolicyPool {
  private readonly byArn = new Map<string, ManagedPolicy>();

  /** The account without the AWS managed policies the pool now holds for it. */
  take<A extends Pick<Account, 'policies'>>(account: A): A {
    const kept = account.policies.filter((policy) => !policy.awsManaged || !this.holds(policy));
    return kept.length === account.policies.length ? account : { ...account, policies: kept };
  }

  /** Sorted by ARN, as every list of a snapshot is. */
  policies(): ManagedPolicy[] {
    return [...this.byArn.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  private holds(policy: ManagedPolicy): boolean {
    const pooled = this.byArn.get(policy.arn);
    if (pooled !== undefined && pooled.defaultVersionId !== policy.defaultVersionId) return false;
    // A source that left the document out must not hide the one another account gave.
    if (pooled === undefined || (pooled.document === null && policy.document !== null))
      this.byArn.set(policy.arn, { ...policy, attachmentCount: null });
    return true;
  }
}
