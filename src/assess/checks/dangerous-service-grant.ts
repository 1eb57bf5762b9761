import type { CheckDefinition, CheckResult } from '../check.js';
import {
  failed,
  groupSubject,
  passed,
  policySubject,
  roleSubject,
  userSubject,
  type Subject,
} from '../../model/rule.js';
import type { Account, Group, InlinePolicy, Role, User } from '../../model/snapshot.js';
import type { IamCatalog } from '../../policy/action-catalog.js';
import { dangerousGrantsOf } from '../service-grants.js';

const CLOUDSHELL_FULL_ACCESS = 'arn:aws:iam::aws:policy/AWSCloudShellFullAccess';

/** What a user, group or role is granted through its inline policies and AWSCloudShellFullAccess. */
function principalGrants(
  entity: { inlinePolicies: InlinePolicy[]; attachedPolicies: Array<{ arn: string }> },
  catalog: IamCatalog,
): {
  grants: string[];
  unreadable: string[];
} {
  const grants: string[] = [];
  const unreadable: string[] = [];
  for (const inline of entity.inlinePolicies) {
    const found = dangerousGrantsOf(inline.document, catalog);
    if (found === null) unreadable.push(`inline policy ${inline.name}`);
    else grants.push(...found.map((label) => `${label} (inline policy ${inline.name})`));
  }
  if (entity.attachedPolicies.some((policy) => policy.arn.endsWith(':policy/AWSCloudShellFullAccess')))
    grants.push(`cloudshell:* (${CLOUDSHELL_FULL_ACCESS})`);
  return { grants, unreadable };
}

function principalResult(subject: Subject, entity: Parameters<typeof principalGrants>[0], catalog: IamCatalog) {
  const { grants, unreadable } = principalGrants(entity, catalog);
  if (grants.length > 0) return failed(subject, `grants ${grants.join(', ')}`);
  const unread = unreadable.length > 0 ? ` (not parsed: ${unreadable.join(', ')})` : '';
  return passed(subject, `no dangerous service-wide grant inline or through AWSCloudShellFullAccess${unread}`);
}

function principalsOf(account: Account): Array<[Subject, User | Group | Role]> {
  return [
    ...account.users.map((user): [Subject, User] => [userSubject(account, user), user]),
    ...account.groups.map((group): [Subject, Group] => [groupSubject(account, group), group]),
    ...account.roles
      .filter((role) => !role.path.startsWith('/aws-service-role/'))
      .map((role): [Subject, Role] => [roleSubject(account, role), role]),
  ];
}

/**
 * Prowler's iam_policy_no_full_access_to_{cloudtrail,kms}, iam_inline_policy_* twins,
 * iam_policy_no_wildcard_marketplace_subscribe, iam_no_custom_policy_permissive_role_assumption and
 * iam_policy_cloudshell_admin_not_attached; Security Hub IAM.21.
 */
export const rule: CheckDefinition = {
  id: 'dangerous-service-grant',
  title: 'Dangerous service-wide grant (cloudtrail:*, kms:*, cloudshell:*, Subscribe or AssumeRole on *)',
  severity: 'high',
  rationale:
    "cloudtrail:* lets its holder stop and delete the audit trail, kms:* lets it decrypt or schedule the deletion of every key, CloudShell full access gives a shell with the holder's credentials, aws-marketplace:Subscribe on * buys software on the account, and sts:AssumeRole on * reaches every role that trusts the account.",
  remediation:
    'Replace the wildcard with the actions and resources the principal needs (roleshift plan derives them from activity); detach AWSCloudShellFullAccess from those who do not need a shell.',
  references: {
    cis: [],
    securityHub: ['IAM.21'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, { permissions: { catalog } }) => {
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      for (const [subject, entity] of principalsOf(account)) out.push(principalResult(subject, entity, catalog));
      for (const policy of account.policies) {
        if (policy.awsManaged || policy.document === null) continue;
        const grants = dangerousGrantsOf(policy.document, catalog);
        if (grants === null) continue;
        const subject = policySubject(account, policy);
        out.push(
          grants.length > 0
            ? failed(subject, `customer managed policy grants ${grants.join(', ')}`)
            : passed(subject, 'customer managed policy without a dangerous service-wide grant'),
        );
      }
    }
    return out;
  },
};
