import type { CheckDefinition } from '../check.js';
import { accountSubject, failed, passed } from '../../model/rule.js';
import type { Account } from '../../model/snapshot.js';

const SUPPORT_POLICY_NAME = 'AWSSupportAccess';

/** The users, groups and roles of the account that have AWSSupportAccess attached. */
function supportPrincipals(account: Account): string[] {
  const holds = (entity: { attachedPolicies: ReadonlyArray<{ arn: string }> }) =>
    entity.attachedPolicies.some((policy) => policy.arn.endsWith(`:policy/${SUPPORT_POLICY_NAME}`));
  return [
    ...account.users.filter(holds).map((user) => `user ${user.name}`),
    ...account.groups.filter(holds).map((group) => `group ${group.name}`),
    ...account.roles.filter(holds).map((role) => `role ${role.name}`),
  ];
}

/** CIS 1.17 / IAM.18: someone can manage incidents with AWS Support (AWSSupportAccess attached). */
export const rule: CheckDefinition = {
  id: 'support-role',
  title: 'No role to manage incidents with AWS Support',
  severity: 'low',
  rationale:
    'During an incident someone must be able to open and follow AWS Support cases without the root user or an administrator; CIS asks for a role with AWSSupportAccess for that.',
  remediation:
    'Create a role that your incident responders assume (through IAM Identity Center ideally) and attach arn:aws:iam::aws:policy/AWSSupportAccess to it.',
  references: {
    cis: ['1.17'],
    securityHub: ['IAM.18'],
    links: ['https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    snapshot.accounts.map((account) => {
      const holders = supportPrincipals(account);
      const subject = accountSubject(account);
      return holders.length === 0
        ? failed(subject, `no user, group or role has ${SUPPORT_POLICY_NAME} attached`)
        : passed(subject, `${SUPPORT_POLICY_NAME} is attached to ${holders.join(', ')}`);
    }),
};
