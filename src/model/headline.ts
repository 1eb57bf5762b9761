/**
 * The headline counts of a snapshot: users with long-lived credentials (the number to drive to
 * zero) and what they hold. Stored with every scan, shown by the summary, history and report.
 */
import type { AccessKey, Account, Snapshot, User } from './snapshot.js';

/** The counts stored with every scan and shown by `roleshift history`: the score over time. */
export interface HeadlineCounts {
  accounts: number;
  users: number;
  /** Users with a console password or an active access key: the number to drive to zero. */
  usersWithLongLivedCredentials: number;
  usersWithPassword: number;
  usersWithActiveKeys: number;
  activeKeys: number;
  rootKeys: number;
  gaps: number;
}

export interface LongLivedSplit {
  /** Users holding any long-lived credential: the number the migration drives to zero. */
  total: number;
  passwordOnly: number;
  keysOnly: number;
  both: number;
}

export function activeKeys(keys: readonly AccessKey[]): AccessKey[] {
  return keys.filter((key) => key.status === 'Active');
}

/**
 * Root keys in one account. The credential report lists them; when only GetAccountSummary could
 * be read we know there is at least one, so that counts as one rather than zero.
 */
export function countRootKeys(account: Account): number {
  const root = account.root;
  if (root === null) return 0;
  const listed = activeKeys(root.accessKeys).length;
  if (listed > 0) return listed;
  return root.accessKeys.length === 0 && root.accessKeysPresent === true ? 1 : 0;
}

export function splitLongLived(users: readonly User[]): LongLivedSplit {
  const split: LongLivedSplit = { total: 0, passwordOnly: 0, keysOnly: 0, both: 0 };
  for (const user of users) {
    const password = user.password.enabled;
    const keys = activeKeys(user.accessKeys).length > 0;
    if (password && keys) split.both += 1;
    else if (password) split.passwordOnly += 1;
    else if (keys) split.keysOnly += 1;
  }
  split.total = split.both + split.passwordOnly + split.keysOnly;
  return split;
}

export function countHeadline(snapshot: Snapshot): HeadlineCounts {
  const users = snapshot.accounts.flatMap((account) => account.users);
  return {
    accounts: snapshot.accounts.length,
    users: users.length,
    usersWithLongLivedCredentials: splitLongLived(users).total,
    usersWithPassword: users.filter((user) => user.password.enabled).length,
    usersWithActiveKeys: users.filter((user) => activeKeys(user.accessKeys).length > 0).length,
    activeKeys: users.reduce((sum, user) => sum + activeKeys(user.accessKeys).length, 0),
    rootKeys: snapshot.accounts.reduce((sum, account) => sum + countRootKeys(account), 0),
    gaps: snapshot.gaps.length,
  };
}
