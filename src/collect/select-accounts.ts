import type { Gap } from '../model/snapshot.js';
import type { OrgAccount } from '../model/organization.js';

export interface AccountFilters {
  /** Only these account ids (empty: all). */
  accounts: string[];
  excludeAccounts: string[];
  /** Only accounts under one of these OUs, by OU id (`ou-...`) or by name anywhere on the path. */
  ous: string[];
}

export interface AccountSelection {
  selected: OrgAccount[];
  /** Accounts that were asked for but cannot be scanned (suspended, unknown id): shown as gaps. */
  gaps: Gap[];
}

/**
 * Which accounts an org scan visits. A suspended or closed account the user did not exclude is a
 * gap, not a silent skip: the user must see that its users are unknown.
 */
export function selectAccounts(all: OrgAccount[], filters: AccountFilters): AccountSelection {
  const known = new Set(all.map((account) => account.accountId));
  const gaps: Gap[] = filters.accounts
    .filter((id) => !known.has(id))
    .map((id) => ({
      accountId: id,
      region: null,
      api: 'organizations:ListAccounts',
      errorCode: 'AccountNotFound',
      message: `account ${id} was asked for with --accounts but is not in the organization`,
    }));
  const excluded = new Set(filters.excludeAccounts);
  const wanted = new Set(filters.accounts);
  const ous = filters.ous.map((ou) => ou.toLowerCase());
  const selected: OrgAccount[] = [];
  for (const account of [...all].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    if (excluded.has(account.accountId)) continue;
    if (wanted.size > 0 && !wanted.has(account.accountId)) continue;
    if (ous.length > 0) {
      const onPath = [...account.ouIds, ...account.ouPath].map((part) => part.toLowerCase());
      if (!ous.some((ou) => onPath.includes(ou))) continue;
    }
    if (account.status !== 'ACTIVE') {
      gaps.push({
        accountId: account.accountId,
        region: null,
        api: 'organizations:ListAccounts',
        errorCode: `Account${account.status.charAt(0)}${account.status.slice(1).toLowerCase()}`,
        message: `account ${account.accountId} (${account.name}) is ${account.status}: its IAM users were not read`,
      });
      continue;
    }
    selected.push(account);
  }
  return { selected, gaps };
}
