import type { CheckContext, CheckDefinition, CheckResult } from '../check.js';
import { eachUser, isAdministrator } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import type { Account, User } from '../../model/snapshot.js';
import { listed } from '../../policy/describe.js';

/** The groups of the user that the evaluator finds administrators (AdministratorAccess or any other path). */
function adminGroupsOf(account: Account, user: User, context: CheckContext): string[] {
  const groups = new Map(account.groups.map((group) => [group.name, group]));
  return user.groups.filter((name) => {
    const group = groups.get(name);
    return group !== undefined && isAdministrator(context, group.arn);
  });
}

function verdict(account: Account, user: User, context: CheckContext): CheckResult | null {
  const adminGroups = adminGroupsOf(account, user, context);
  if (adminGroups.length === 0) return null;
  const subject = userSubject(account, user);
  const groups = `administrator group${adminGroups.length === 1 ? '' : 's'} ${listed(adminGroups)}`;
  return user.mfaActive
    ? passed(subject, `member of ${groups} with MFA`)
    : failed(subject, `member of ${groups} without MFA`);
}

/** Prowler iam_administrator_access_with_mfa: every member of a group with administrator rights has MFA. */
export const rule: CheckDefinition = {
  id: 'admin-group-member-without-mfa',
  title: 'Member of an administrator group without MFA',
  severity: 'high',
  rationale:
    'A group with administrator rights (decided by the evaluator, not by the name of an attached policy) hands them to every member; one member signing in or calling with a password or key alone turns a leaked credential into the loss of the account.',
  remediation:
    'Require MFA for the member or remove the user from the group; better, keep administrator rights behind a role assumed with MFA or through IAM Identity Center.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, context) =>
    eachUser(snapshot)
      .map(({ account, user }) => verdict(account, user, context))
      .filter((result): result is CheckResult => result !== null),
};
