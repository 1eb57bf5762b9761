/**
 * A principal's policies, gathered from the snapshot into the layers AWS evaluates: identity
 * policies (inline and managed, a user's groups' too, each with where it came from), the
 * permissions boundary, and the SCPs on the account's path from the organization root. A policy
 * the snapshot lacks is kept as unread, never skipped.
 */
import { findManagedPolicy } from '../../model/managed-policies.js';
import type { Account, AttachedPolicy, Group, InlinePolicy, Snapshot } from '../../model/snapshot.js';
import { buildLayer, type LayerPolicy, type PolicyLayer, type PolicySource } from './compile.js';
import type { EvaluationLayers, ScpLevel } from './decide.js';
import { isServiceLinkedRole, type Principal, type PrincipalIndex } from './principals.js';
import { wellKnownPolicyDocument } from './well-known.js';
import { innerTable } from '../../inner-table.js';

function source(kind: PolicySource['kind'], name: string, arn: string | null, group: string | null): PolicySource {
  return { kind, name, arn, group, attachedTo: null };
}

function managedPolicy(
  snapshot: Snapshot,
  account: Account,
  attached: AttachedPolicy,
  kind: PolicySource['kind'],
  group: string | null,
): LayerPolicy {
  const document =
    findManagedPolicy(snapshot, account, attached.arn)?.document ?? wellKnownPolicyDocument(attached.arn);
  return { source: source(kind, attached.name, attached.arn, group), document };
}

function ownPolicies(
  snapshot: Snapshot,
  account: Account,
  holder: { inlinePolicies: InlinePolicy[]; attachedPolicies: AttachedPolicy[] },
  group: string | null,
): LayerPolicy[] {
  const inlineKind = group === null ? 'inline' : 'group-inline';
  const managedKind = group === null ? 'managed' : 'group-managed';
  return [
    ...holder.inlinePolicies.map((p) => ({ source: source(inlineKind, p.name, null, group), document: p.document })),
    ...holder.attachedPolicies.map((p) => managedPolicy(snapshot, account, p, managedKind, group)),
  ];
}

const groupPolicies = new WeakMap<Snapshot, WeakMap<Account, WeakMap<Group, readonly LayerPolicy[]>>>();

/** A group's policies as they reach its members: the same for every member, so found once per group. */
function policiesOfGroup(snapshot: Snapshot, account: Account, group: Group): readonly LayerPolicy[] {
  const byAccount = innerTable(groupPolicies, snapshot, WeakMap);
  const byGroup = innerTable(byAccount, account, WeakMap);
  let policies = byGroup.get(group);
  if (policies === undefined) {
    policies = ownPolicies(snapshot, account, group, group.name);
    byGroup.set(group, policies);
  }
  return policies;
}

function identityPolicies(snapshot: Snapshot, index: PrincipalIndex, principal: Principal): LayerPolicy[] {
  const { account } = principal;
  if (principal.kind === 'group') return [...policiesOfGroup(snapshot, account, principal.group)];
  if (principal.kind === 'role') return ownPolicies(snapshot, account, principal.role, null);
  const policies = ownPolicies(snapshot, account, principal.user, null);
  for (const name of principal.user.groups) {
    const group = index.group(principal.accountId, name);
    if (group) policies.push(...policiesOfGroup(snapshot, account, group));
    // A group the snapshot lacks: its policies are unknown, which the verdict must say.
    else
      policies.push({
        source: source('group-managed', name, null, name),
        document: null,
        missing: `group ${name} is not in the snapshot`,
      });
  }
  return policies;
}

function boundaryLayer(snapshot: Snapshot, principal: Principal): PolicyLayer | null {
  const boundary =
    principal.kind === 'user'
      ? principal.user.permissionsBoundary
      : principal.kind === 'role'
        ? principal.role.permissionsBoundary
        : null;
  if (!boundary) return null;
  const found = findManagedPolicy(snapshot, principal.account, boundary.arn);
  const name = found?.name ?? boundary.arn.split('/').pop() ?? boundary.arn;
  return buildLayer([
    {
      source: source('boundary', name, boundary.arn, null),
      document: found?.document ?? wellKnownPolicyDocument(boundary.arn),
    },
  ]);
}

const accountScps = new WeakMap<Snapshot, Map<string, ScpLevel[]>>();

/** One empty list for every principal no SCP governs, so that principals with the same policies have the same layers. */
const NO_SCPS: readonly ScpLevel[] = Object.freeze([]);

/**
 * The SCP levels that govern the principal: none when the organization was not scanned, for the
 * management account, for service-linked roles, and for accounts outside the scanned organization.
 * The same for every other principal of the account, so built once per account.
 */
function scpLevels(snapshot: Snapshot, principal: Principal): readonly ScpLevel[] {
  const organization = snapshot.organization;
  if (!organization || organization.scps.length === 0) return NO_SCPS;
  if (principal.accountId === organization.managementAccountId || isServiceLinkedRole(principal)) return NO_SCPS;
  const byAccount = innerTable(accountScps, snapshot, Map);
  let levels = byAccount.get(principal.accountId);
  if (levels === undefined) {
    levels = accountScpLevels(snapshot, principal.accountId);
    byAccount.set(principal.accountId, levels);
  }
  return levels;
}

function accountScpLevels(snapshot: Snapshot, accountId: string): ScpLevel[] {
  const organization = snapshot.organization;
  if (!organization) return [];
  const member = organization.accounts.find((a) => a.accountId === accountId);
  if (!member) return [];
  if (member.ouIds.length === 0) {
    const unknownPath: LayerPolicy = {
      source: { kind: 'scp', name: 'organization path', arn: null, group: null, attachedTo: accountId },
      document: null,
      missing: "the account's place in the organization was not read",
    };
    return [{ target: accountId, layer: buildLayer([unknownPath]) }];
  }
  const levels: ScpLevel[] = [];
  for (const target of [...member.ouIds, accountId]) {
    const attached = organization.scps.filter((scp) => scp.targets.some((t) => t.targetId === target));
    // Every level has an SCP while SCPs are enabled (FullAWSAccess by default); none read: no limit known.
    if (attached.length === 0) continue;
    const policies = attached.map((scp) => ({
      source: { kind: 'scp' as const, name: scp.name, arn: scp.arn, group: null, attachedTo: target },
      document: scp.document,
    }));
    levels.push({ target, layer: buildLayer(policies) });
  }
  return levels;
}

/** Every layer of policy that decides what the principal may do. */
export function principalLayers(snapshot: Snapshot, index: PrincipalIndex, principal: Principal): EvaluationLayers {
  return {
    identity: buildLayer(identityPolicies(snapshot, index, principal)),
    boundary: boundaryLayer(snapshot, principal),
    scps: scpLevels(snapshot, principal),
  };
}
