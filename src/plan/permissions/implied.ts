/**
 * The actions a user's calls imply beyond themselves (`activity/implied-actions.ts`), on the
 * resources the calls named: the role a CreateChangeSet passed, the role inside the instance
 * profile a RunInstances attached, the KMS key of an encrypted object. A value roleshift cannot
 * turn into a resource, or calls whose values were not all kept, leave the grant incomplete: the
 * usage source then keeps the current grant's scope for it rather than guess.
 */
import {
  impliedActionsOf,
  parseReference,
  type ImpliedActionEntry,
  type ReferenceKind,
} from '../../activity/implied-actions.js';
import type { Account } from '../../model/snapshot.js';
import type { ActionUsage } from '../../model/usage.js';

export interface ImpliedGrant {
  /** `iam:PassRole`, `kms:Decrypt`... */
  action: string;
  /** For a role: the service it is passed to (`iam:PassedToService`); null otherwise. */
  passedTo: string | null;
  /** The resources the calls named, resolved to ARNs. */
  resources: string[];
  /** False when some call's value is unknown or names nothing roleshift can resolve. */
  complete: boolean;
  /** The calls that imply it, e.g. `cloudformation:CreateChangeSet`. */
  calls: string[];
  /** Why the grant is incomplete, one line each. */
  gaps: string[];
}

function lastSegment(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}

/** A role by ARN, or by name in the user's account (with its path when the scan has the role). */
function roleArns(account: Account, value: string): string[] {
  if (value.startsWith('arn:')) return value.includes(':role/') ? [value] : [];
  const role = account.roles.find((candidate) => candidate.name === value);
  return [role?.arn ?? `arn:aws:iam::${account.accountId}:role/${value}`];
}

/** The roles an instance profile (by ARN or name) holds, from the scan's roles. */
function profileRoles(account: Account, value: string): string[] {
  const name = lastSegment(value);
  return account.roles
    .filter((role) => role.instanceProfiles.some((profile) => lastSegment(profile) === name))
    .map((role) => role.arn);
}

/** A KMS key ARN; aliases and bare key ids name no key a policy can be scoped to. */
function keyArns(value: string): string[] {
  return /^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key\/.+/.test(value) ? [value] : [];
}

const RESOLVE: Record<ReferenceKind, (account: Account, value: string) => string[]> = {
  role: roleArns,
  'instance-profile': profileRoles,
  'kms-key': (_account, value) => keyArns(value),
};

/** The resources a call's kept values name, and why that list may fall short. */
export function namedResources(
  entry: ImpliedActionEntry,
  usage: ActionUsage,
  account: Account,
): { resources: Set<string>; gaps: string[] } {
  const resources = new Set<string>();
  const gaps: string[] = [];
  if (usage.requestValuesIncomplete === true)
    gaps.push(`not every ${entry.call} call's ${entry.parameters.join(' / ')} was kept`);
  for (const text of usage.requestValues ?? []) {
    const reference = parseReference(text);
    if (reference === null || !entry.parameters.includes(reference.parameter)) continue;
    const resolved = RESOLVE[entry.names](account, reference.value);
    if (resolved.length === 0)
      gaps.push(`${entry.call} named ${entry.names} ${reference.value}, which is not in the scan`);
    for (const arn of resolved) resources.add(arn);
  }
  return { resources, gaps };
}

function grantsOfCall(entry: ImpliedActionEntry, usage: ActionUsage, account: Account): ImpliedGrant[] {
  const { resources, gaps } = namedResources(entry, usage, account);
  if (resources.size === 0 && gaps.length === 0) return [];
  return entry.implies.map((action) => ({
    action,
    passedTo: entry.names === 'kms-key' ? null : (entry.passedTo ?? null),
    resources: [...resources].sort(),
    complete: gaps.length === 0,
    calls: [entry.call],
    gaps,
  }));
}

/** What the successful calls imply, merged per action (and service a role is passed to). */
export function impliedGrants(actions: readonly ActionUsage[], account: Account): ImpliedGrant[] {
  const merged = new Map<string, ImpliedGrant>();
  for (const usage of actions) {
    const entry = impliedActionsOf(usage.action);
    if (entry === undefined || !usage.mapped || (usage.events > 0 && usage.errors >= usage.events)) continue;
    for (const grant of grantsOfCall(entry, usage, account)) {
      const key = `${grant.action}|${grant.passedTo ?? ''}`;
      const known = merged.get(key);
      merged.set(
        key,
        known === undefined
          ? grant
          : {
              ...known,
              resources: [...new Set([...known.resources, ...grant.resources])].sort(),
              complete: known.complete && grant.complete,
              calls: [...new Set([...known.calls, ...grant.calls])].sort(),
              gaps: [...known.gaps, ...grant.gaps],
            },
      );
    }
  }
  return [...merged.values()].sort((a, b) => (`${a.action}|${a.passedTo}` < `${b.action}|${b.passedTo}` ? -1 : 1));
}

/** A call allowed only with the values it was seen naming, under the condition key that carries them. */
export interface ConditionPin {
  /** `cloudformation:CreateChangeSet` */
  call: string;
  /** `cloudformation:RoleArn` */
  key: string;
  /** The role ARNs every call named. */
  values: string[];
}

/**
 * Calls that can be held to the roles they pass: every successful call named one (a call without
 * it would act with whatever role the stack already has), and roleshift resolved every value. A
 * CreateChangeSet held to its role cannot be used to run an existing stack's more powerful role.
 */
export function conditionPins(actions: readonly ActionUsage[], account: Account): ConditionPin[] {
  const pins: ConditionPin[] = [];
  for (const usage of actions) {
    const entry = impliedActionsOf(usage.action);
    if (entry?.conditionKey === undefined || !usage.mapped || usage.requestValuesOnEveryCall !== true) continue;
    if (usage.requestValuesIncomplete === true) continue;
    const { resources, gaps } = namedResources(entry, usage, account);
    if (gaps.length === 0 && resources.size > 0)
      pins.push({ call: usage.action, key: entry.conditionKey, values: [...resources].sort() });
  }
  return pins;
}
