/**
 * Who can administer each account, for the remediation guard that never switches off the last
 * credential that can: decided by the effective-permissions evaluator, not by spotting "*".
 */
import type { Role, Snapshot, User } from '../model/snapshot.js';
import type { IamCatalog } from '../policy/action-catalog.js';
import type { Evaluator } from '../policy/evaluator/evaluator.js';
import { assessAdmin } from '../policy/privilege/admin.js';
import type { AdminHolder } from '../remediate/guards.js';

function usableCredential(user: User): boolean {
  return user.password.enabled || user.accessKeys.some((key) => key.status === 'Active');
}

/** A role a person or another account can assume (not one only an AWS service can). */
function assumableByPeople(role: Role): boolean {
  const statements = role.trustPolicy.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return list.some((statement) => {
    if (typeof statement !== 'object' || statement === null) return false;
    const { Effect, Principal } = statement as { Effect?: unknown; Principal?: unknown };
    if (Effect !== 'Allow') return false;
    if (Principal === '*') return true;
    return typeof Principal === 'object' && Principal !== null && ('AWS' in Principal || 'Federated' in Principal);
  });
}

/**
 * The administrators of every account of the snapshot, decided by the evaluator: users with a
 * password or an active key, and roles a person or another account can assume. Those that are
 * administrators only maybe are kept (and marked): they are protected, but never counted as the
 * way back in.
 */
export function administratorsByAccount(
  snapshot: Snapshot,
  evaluator: Evaluator,
  catalog: IamCatalog,
): Map<string, AdminHolder[]> {
  const byAccount = new Map<string, AdminHolder[]>();
  for (const account of snapshot.accounts) byAccount.set(account.accountId, []);
  for (const principal of evaluator.principals()) {
    if (principal.kind === 'group') continue;
    const usable = principal.kind === 'user' ? usableCredential(principal.user) : assumableByPeople(principal.role);
    if (!usable) continue;
    const admin = assessAdmin(evaluator, catalog, principal).admin;
    if (admin === 'no') continue;
    byAccount.get(principal.accountId)?.push({ kind: principal.kind, name: principal.name, certain: admin === 'yes' });
  }
  return byAccount;
}
