/**
 * Where a replacement's permissions come from. Each source is one file and may decline a user (no
 * usage facts, no access-advisor data...); the first that answers is used, and the current
 * policies always answer. To add one (access advisor), write it beside these and list it here.
 */
import type { Account, Snapshot, User } from '../../model/snapshot.js';
import type { IamCatalog } from '../../policy/action-catalog.js';
import type { Evaluator } from '../../policy/evaluator/evaluator.js';
import type { PlannedPermissions, UserUsage } from '../types.js';

/** What a source may read about the user; a strategy's context has all of it. */
export interface PermissionInput {
  snapshot: Snapshot;
  account: Account;
  user: User;
  usage: UserUsage | undefined;
  evaluator: Evaluator;
  catalog: IamCatalog;
}

export interface PermissionSource {
  id: PlannedPermissions['source'];
  /** The permissions this source gives the user's replacement, or null when it has nothing to say. */
  permissions(input: PermissionInput): PlannedPermissions | null;
}
