import type { CheckDefinition, CheckResult } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, policySubject, userSubject } from '../../model/rule.js';
import { normalizePolicy } from '../../policy/document.js';
import { describeSource, fullAdminSources, isFullAdminStatement, userPolicies } from '../permissions.js';

/** CIS 1.16 / IAM.1: full administrator (`*` on `*`) by any path, and customer policies granting it. */
export const rule: CheckDefinition = {
  id: 'full-admin-access',
  title: 'Full administrator rights ("*" on "*")',
  severity: 'high',
  rationale:
    'An IAM user with "*" on "*" turns a leaked password or key into the loss of the account; a customer policy granting it spreads that power to whoever it is attached to. Groups count: admin through a group is admin.',
  remediation:
    'Grant the tasks the user actually performs (roleshift plan derives them from activity); keep administrator rights behind a role assumed with MFA or through IAM Identity Center.',
  references: {
    cis: ['1.16'],
    securityHub: ['IAM.1'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) => {
    const out: CheckResult[] = eachUser(snapshot).map(({ account, user }) => {
      const policies = userPolicies(snapshot, account, user);
      const sources = fullAdminSources(policies);
      const subject = userSubject(account, user);
      if (sources.length > 0)
        return failed(subject, `full administrator through ${sources.map(describeSource).join(', ')}`);
      const unread = policies.unreadable.map((u) => describeSource(u.source));
      return passed(
        subject,
        unread.length > 0
          ? `no "*" on "*" grant in the policies read (not read: ${unread.join(', ')})`
          : 'no "*" on "*" grant',
      );
    });
    for (const account of snapshot.accounts) {
      for (const policy of account.policies) {
        if (policy.awsManaged || policy.document === null) continue;
        const parsed = normalizePolicy(policy.document);
        const subject = policySubject(account, policy);
        if (parsed.ok && parsed.policy.statements.some(isFullAdminStatement)) {
          const attached =
            policy.attachmentCount === null
              ? ''
              : ` (attached ${policy.attachmentCount} time${policy.attachmentCount === 1 ? '' : 's'})`;
          out.push(failed(subject, `customer managed policy allows "*" on "*"${attached}`));
        } else out.push(passed(subject, 'customer managed policy without "*" on "*"'));
      }
    }
    return out;
  },
};
