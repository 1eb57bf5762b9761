import type { Usage } from '../model/usage.js';
import type { UsageByUser } from './types.js';

/**
 * The planner's usage facts from the snapshot's CloudTrail usage: per IAM user, every call it was
 * seen making (least privilege and the proofs read them) and the public address ranges it came
 * from. Users CloudTrail never saw get no entry, so the plan says it mirrors their current policies.
 */
export function usageByUser(usage: Usage): UsageByUser {
  const since = usage.source.since ? Date.parse(usage.source.since) : null;
  const until = usage.source.until ? Date.parse(usage.source.until) : null;
  const windowDays =
    since !== null && until !== null ? Math.max(1, Math.round((until - since) / 86_400_000)) : undefined;
  const result: UsageByUser = {};
  for (const principal of usage.principals) {
    if (principal.type !== 'IAMUser' || principal.userName === null) continue;
    // Addresses are kept as /24 (IPv6 /48) groups: a source condition on those ranges.
    const sourceIps = principal.addresses
      .filter((address) => address.kind === 'public')
      .map((address) => address.group);
    result[principal.arn] = {
      actions: principal.actions,
      sourceIps: [...new Set(sourceIps)].sort(),
      ...(windowDays !== undefined ? { windowDays } : {}),
    };
  }
  return result;
}
