import type { ActionUsage } from '../model/usage.js';
import type { ActionCatalog } from './actions.js';

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export interface LeastPrivilegePolicy {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export type NotNarrowedReason =
  | 'no-resource-level-permissions'
  | 'no-resource-in-cloudtrail'
  | 'resources-do-not-match-action'
  | 'too-many-resources';

export interface LeastPrivilegeResult {
  /** Null when no observed call needs a permission (nothing to grant). */
  policy: LeastPrivilegePolicy | null;
  /** Granted on `*` (for one action, never `*` on `*`), and why. */
  notNarrowed: Array<{ action: string; reason: NotNarrowedReason }>;
  /**
   * Granted on whole buckets: the action touched more objects than are kept, in these buckets
   * only, so every object of each is granted (wider than observed, far narrower than `*`).
   */
  perBucket: Array<{ action: string; resources: string[] }>;
  /** Observed but not granted, and why. */
  leftOut: Array<{ action: string; reason: 'not-an-iam-action' | 'only-failed' | 'needs-no-permission' }>;
}

/** Calls every principal may make whatever its policy says. */
const NEEDS_NO_PERMISSION = new Set(['sts:GetCallerIdentity']);

function patternToRegex(pattern: string): RegExp {
  // Path-like variables (object keys, user names with paths) may contain '/', the others not.
  const source = pattern
    .split(/(\$\{[^}]+\})/)
    .map((part) => {
      const variable = /^\$\{([^}]+)\}$/.exec(part);
      if (variable === null) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const name = variable[1] ?? '';
      return /ObjectName|Key|Path|WithPath|ResourcePath/i.test(name) ? '.+' : '[^:/]+';
    })
    .join('');
  return new RegExp(`^${source}$`);
}

function sidFor(service: string, index: number): string {
  const base = service
    .replace(/[^A-Za-z0-9]/g, ' ')
    .replace(/(^|\s)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())
    .replace(/\s/g, '');
  return index === 0 ? base : `${base}${index + 1}`;
}

/**
 * A permissions policy from observed usage: one statement per service and resource set, every
 * action named (no wildcards), resources narrowed to the ARNs CloudTrail showed when the action
 * supports resource-level permissions, or to their buckets when the objects were too many to
 * keep. Calls that only ever failed are not granted: granting what was denied would widen
 * access, not preserve it.
 */
export function buildLeastPrivilegePolicy(
  actions: readonly ActionUsage[],
  catalog: ActionCatalog,
): LeastPrivilegeResult {
  const notNarrowed: LeastPrivilegeResult['notNarrowed'] = [];
  const leftOut: LeastPrivilegeResult['leftOut'] = [];
  const perBucket: LeastPrivilegeResult['perBucket'] = [];
  // service → resource-set key → actions
  const grouped = new Map<string, Map<string, { resources: string[]; actions: Set<string> }>>();

  for (const usage of [...actions].sort((a, b) => (a.action < b.action ? -1 : 1))) {
    if (!usage.mapped) {
      leftOut.push({ action: usage.action, reason: 'not-an-iam-action' });
      continue;
    }
    if (NEEDS_NO_PERMISSION.has(usage.action)) {
      leftOut.push({ action: usage.action, reason: 'needs-no-permission' });
      continue;
    }
    if (usage.events > 0 && usage.errors >= usage.events) {
      leftOut.push({ action: usage.action, reason: 'only-failed' });
      continue;
    }
    const info = catalog.get(usage.action);
    let resources: string[] = ['*'];
    const observed = usage.resourcesTruncated === true ? usage.resourcePatterns : usage.resources;
    if (info === undefined || info.resourceArnPatterns.length === 0) {
      notNarrowed.push({ action: usage.action, reason: 'no-resource-level-permissions' });
    } else if (observed === undefined) {
      // Narrowing to the kept sample would deny the rest of what the user really touches.
      notNarrowed.push({ action: usage.action, reason: 'too-many-resources' });
    } else if (observed.length === 0) {
      notNarrowed.push({ action: usage.action, reason: 'no-resource-in-cloudtrail' });
    } else {
      const patterns = info.resourceArnPatterns.map(patternToRegex);
      const matching = observed.filter((arn) => patterns.some((pattern) => pattern.test(arn)));
      if (matching.length === 0) notNarrowed.push({ action: usage.action, reason: 'resources-do-not-match-action' });
      else resources = [...new Set(matching)].sort();
      if (matching.length > 0 && usage.resourcesTruncated === true) perBucket.push({ action: usage.action, resources });
    }
    const service = usage.action.split(':')[0] ?? usage.action;
    const byResources = grouped.get(service) ?? new Map<string, { resources: string[]; actions: Set<string> }>();
    const key = resources.join('\n');
    const entry = byResources.get(key) ?? { resources, actions: new Set<string>() };
    entry.actions.add(usage.action);
    byResources.set(key, entry);
    grouped.set(service, byResources);
  }

  const statements: PolicyStatement[] = [];
  for (const service of [...grouped.keys()].sort()) {
    const entries = [...(grouped.get(service)?.values() ?? [])].sort((a, b) =>
      a.resources.join() < b.resources.join() ? -1 : 1,
    );
    entries.forEach((entry, index) => {
      statements.push({
        Sid: sidFor(service, index),
        Effect: 'Allow',
        Action: [...entry.actions].sort(),
        Resource: entry.resources,
      });
    });
  }
  return {
    policy: statements.length === 0 ? null : { Version: '2012-10-17', Statement: statements },
    notNarrowed,
    perBucket,
    leftOut,
  };
}
