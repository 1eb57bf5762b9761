import type { CheckDefinition, CheckResult } from '../check.js';
import { principalSubject } from '../check.js';
import { failed, passed, policySubject } from '../../model/rule.js';
import type { Account, ManagedPolicy, Snapshot } from '../../model/snapshot.js';
import { describeAdmin, describeSource, listed } from '../../policy/describe.js';
import { holdersAdmin, policyHolders } from '../../policy/identity/holder.js';
import type { EstatePermissions } from '../permissions.js';

/** Users and groups: administrators by any path, decided by the evaluator. Roles are `admin-role`'s, with who can assume them. */
function principalResults(permissions: EstatePermissions): CheckResult[] {
  const out: CheckResult[] = [];
  for (const principal of permissions.evaluator.principals()) {
    if (principal.kind === 'role') continue;
    const admin = permissions.privileges.of(principal.arn)?.admin;
    if (admin === undefined) continue;
    const subject = principalSubject(principal);
    if (admin.level !== 'none') {
      const self = principal.kind === 'group' ? principal.name : undefined;
      const described = describeAdmin(admin, { sources: true, ...(self ? { self } : {}) });
      out.push(failed(subject, `${principal.kind} with administrator rights: ${described}`));
      continue;
    }
    const unread = [...new Set(admin.unread.map((u) => describeSource(u.source)))];
    out.push(
      passed(
        subject,
        unread.length > 0
          ? `no administrator rights in the policies read (not read: ${listed(unread)})`
          : 'no administrator rights',
      ),
    );
  }
  return out;
}

/** A customer managed policy judged on its own: whoever it is attached to, now or later, is an administrator. */
function policyResult(account: Account, policy: ManagedPolicy, permissions: EstatePermissions, now: Date) {
  const subject = policySubject(account, policy);
  const holders = policyHolders(policy.document, { accountId: account.accountId, now });
  const admin = holdersAdmin(holders, permissions.catalog);
  if (admin.level === 'none')
    return passed(subject, 'customer managed policy that does not make its holder an administrator');
  const count = policy.attachmentCount;
  const attached = count === null ? '' : ` (attached ${count} time${count === 1 ? '' : 's'})`;
  return failed(subject, `customer managed policy allows ${describeAdmin(admin)}${attached}`);
}

function policyResults(snapshot: Snapshot, permissions: EstatePermissions, now: Date): CheckResult[] {
  return snapshot.accounts.flatMap((account) =>
    account.policies
      .filter((policy) => !policy.awsManaged && policy.document !== null)
      .map((policy) => policyResult(account, policy, permissions, now)),
  );
}

/** CIS 1.16 / IAM.1: administrator rights by any path, and customer policies granting them. */
export const rule: CheckDefinition = {
  id: 'full-admin-access',
  title: 'Administrator rights (every action on every resource, or all but a few services)',
  severity: 'high',
  rationale:
    'An IAM user or group with administrator rights turns a leaked password or key into the loss of the account; a customer policy granting them spreads that power to whoever it is attached to. Decided by the evaluator over every path (inline, managed, through groups, the boundary): a Deny beside AdministratorAccess means not an administrator, and a NotAction allow-list that leaves out a few services still counts ("all but" those services).',
  remediation:
    'Grant the tasks the user actually performs (roleshift plan derives them from activity); keep administrator rights behind a role assumed with MFA or through IAM Identity Center.',
  references: {
    cis: ['1.16'],
    securityHub: ['IAM.1'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, { permissions, now }) => [
    ...principalResults(permissions),
    ...policyResults(snapshot, permissions, now),
  ],
};
