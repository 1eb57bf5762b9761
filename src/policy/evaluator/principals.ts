/**
 * The principals of a snapshot the evaluator answers for: users, groups (as "any member with
 * only this group's policies") and roles, in every account, indexed by ARN once.
 */
import type { Account, Group, Role, Snapshot, User } from '../../model/snapshot.js';

export type Principal =
  | { kind: 'user'; arn: string; name: string; accountId: string; account: Account; user: User }
  | { kind: 'group'; arn: string; name: string; accountId: string; account: Account; group: Group }
  | { kind: 'role'; arn: string; name: string; accountId: string; account: Account; role: Role };

export interface PrincipalIndex {
  all: readonly Principal[];
  byArn: ReadonlyMap<string, Principal>;
  /** Groups by account and name, for a user's group list. */
  group(accountId: string, name: string): Group | undefined;
  /** Every principal of one account (none for an account the snapshot lacks). */
  inAccount(accountId: string): readonly Principal[];
  /** A user or role by its unique id (`AIDA...`, `AROA...`), as trust policies show deleted principals. */
  byUniqueId: ReadonlyMap<string, Principal>;
}

const indexes = new WeakMap<Snapshot, PrincipalIndex>();

function buildIndex(snapshot: Snapshot): PrincipalIndex {
  const all: Principal[] = [];
  const groups = new Map<string, Group>();
  for (const account of snapshot.accounts) {
    const accountId = account.accountId;
    for (const user of account.users)
      all.push({ kind: 'user', arn: user.arn, name: user.name, accountId, account, user });
    for (const group of account.groups) {
      all.push({ kind: 'group', arn: group.arn, name: group.name, accountId, account, group });
      groups.set(`${accountId}/${group.name}`, group);
    }
    for (const role of account.roles)
      all.push({ kind: 'role', arn: role.arn, name: role.name, accountId, account, role });
  }
  const byAccount = new Map<string, Principal[]>();
  for (const principal of all) {
    const list = byAccount.get(principal.accountId) ?? [];
    list.push(principal);
    byAccount.set(principal.accountId, list);
  }
  return {
    all,
    byArn: new Map(all.map((principal) => [principal.arn, principal])),
    group: (accountId, name) => groups.get(`${accountId}/${name}`),
    inAccount: (accountId) => byAccount.get(accountId) ?? [],
    byUniqueId: new Map(all.flatMap((p) => (uniqueIdOf(p) ? [[uniqueIdOf(p) as string, p] as const] : []))),
  };
}

/** The snapshot's principals, indexed once per snapshot object. */
export function principalIndex(snapshot: Snapshot): PrincipalIndex {
  let index = indexes.get(snapshot);
  if (index === undefined) {
    index = buildIndex(snapshot);
    indexes.set(snapshot, index);
  }
  return index;
}

/** The unique id IAM gives a user or role; null for groups and when the source lacks it. */
export function uniqueIdOf(principal: Principal): string | null {
  if (principal.kind === 'user') return principal.user.userId;
  return principal.kind === 'role' ? principal.role.roleId : null;
}

/** Service-linked roles (path `/aws-service-role/`): AWS owns them, SCPs do not apply to them. */
export function isServiceLinkedRole(principal: Principal): boolean {
  return principal.kind === 'role' && principal.role.path.startsWith('/aws-service-role/');
}
