import type { PrincipalAccess } from '../model/access-advisor.js';
import { roleSubject, userSubject, type Subject } from '../model/rule.js';
import type { Account, Snapshot, User } from '../model/snapshot.js';

/** One principal's access advisor report with what a result names and, for a user, the user. */
export interface AdvisedPrincipal {
  account: Account;
  access: PrincipalAccess;
  subject: Subject;
  user: User | null;
}

/** Every principal of the snapshot that has an access advisor report (`scan --access-advisor`). */
export function advisedPrincipals(snapshot: Snapshot): AdvisedPrincipal[] {
  return snapshot.accounts.flatMap((account) => {
    const users = new Map(account.users.map((user) => [user.arn, user]));
    const roles = new Map(account.roles.map((role) => [role.arn, role]));
    return (account.accessAdvisor?.principals ?? []).flatMap((access): AdvisedPrincipal[] => {
      const user = users.get(access.arn);
      const role = roles.get(access.arn);
      if (user) return [{ account, access, subject: userSubject(account, user), user }];
      if (role) return [{ account, access, subject: roleSubject(account, role), user: null }];
      return [];
    });
  });
}
