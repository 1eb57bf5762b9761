/**
 * Guards that `--force` cannot lift: remediation never switches off the credential it runs with,
 * nor the last credential that can administer an account. On AWS either would lock the operator
 * out before any rollback could run, so no flag may override them.
 */
import type { UserState } from './plan-steps.js';

/** Who roleshift runs as: `GetCallerIdentity` and the access key id of the credential in use. */
export interface CallerIdentity {
  accountId: string;
  arn: string;
  /** Null when the SDK could not tell (it always can for static keys). */
  accessKeyId: string | null;
}

/** One principal that can administer an account with a credential someone can use today. */
export interface AdminHolder {
  kind: 'user' | 'role';
  name: string;
  /** False: an administrator only under conditions or policies the scan could not settle or read. */
  certain: boolean;
}

export interface GuardContext {
  caller: CallerIdentity;
  /** Administrators per account (the app asks the evaluator); null when there is no snapshot to tell. */
  admins: ReadonlyMap<string, readonly AdminHolder[]> | null;
  /** `ACCOUNT/USER` of every user this command (or an earlier start still watching) switches off. */
  switchedOff: ReadonlySet<string>;
}

export interface GuardVerdict {
  refusals: string[];
  notes: string[];
}

/** The IAM user behind an ARN such as `arn:aws:iam::123456789012:user/path/name`; null for roles and root. */
export function callerUserName(arn: string): string | null {
  const match = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1] ?? null;
}

function isCaller(state: UserState, caller: CallerIdentity): string | null {
  const ownKey = state.accessKeys.find((key) => key.accessKeyId === caller.accessKeyId);
  if (ownKey)
    return `access key ${ownKey.accessKeyId} is the credential roleshift is running with: switching it off would lock you out before any rollback (run as another identity)`;
  if (state.accountId === caller.accountId && callerUserName(caller.arn) === state.userName)
    return `it is the identity roleshift is running as (${caller.arn}): switching it off would lock you out before any rollback (run as another identity)`;
  return null;
}

function lastAdmin(state: UserState, context: GuardContext): GuardVerdict {
  const admins = context.admins?.get(state.accountId);
  if (admins === undefined)
    return {
      refusals: [],
      notes: ['administrators of the account unknown (no snapshot of it): last-admin guard not checked'],
    };
  if (!admins.some((admin) => admin.kind === 'user' && admin.name === state.userName))
    return { refusals: [], notes: [] };
  // Only a certain administrator that stays on is a way back in.
  const others = admins.filter(
    (admin) =>
      admin.certain &&
      !(
        admin.kind === 'user' &&
        (admin.name === state.userName || context.switchedOff.has(`${state.accountId}/${admin.name}`))
      ),
  );
  if (others.length > 0) return { refusals: [], notes: [] };
  return {
    refusals: [
      `it is the last credential that can administer account ${state.accountId} (no other administrator user with a usable credential and no administrator role a person can assume): create another way in first`,
    ],
    notes: [],
  };
}

/** The refusals no flag lifts, and what could not be checked. */
export function checkGuards(state: UserState, context: GuardContext): GuardVerdict {
  const own = isCaller(state, context.caller);
  const last = lastAdmin(state, context);
  return { refusals: [...(own ? [own] : []), ...last.refusals], notes: last.notes };
}
