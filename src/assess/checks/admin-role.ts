import type { CheckDefinition, CheckResult } from '../check.js';
import { principalSubject } from '../check.js';
import type { Severity } from '../../model/finding.js';
import { failed, passed } from '../../model/rule.js';
import { describeAdmin, describeAssumers } from '../../policy/describe.js';
import type { Assumer } from '../../policy/escalation/assume-role.js';
import { isServiceLinkedRole } from '../../policy/evaluator/principals.js';

/** How many of the principals that can assume a role the message names. */
const SHOWN = 10;

/**
 * How grave an administrator role is depends on who can reach it: anyone at all (critical),
 * principals of this or another account (high), only a service or an identity provider's users
 * (medium), nobody the trust policy names (low).
 */
function severityOf(assumers: readonly Assumer[]): Severity {
  if (assumers.some((a) => a.kind === 'outside' && a.trusted.kind === 'public' && !a.conditional)) return 'critical';
  const principals = assumers.some(
    (a) =>
      a.kind === 'principal' ||
      a.trusted.kind === 'account' ||
      a.trusted.kind === 'principal' ||
      a.trusted.kind === 'public',
  );
  if (principals) return 'high';
  return assumers.length > 0 ? 'medium' : 'low';
}

/** roleshift: a role with administrator rights, reported with who can assume it. */
export const rule: CheckDefinition = {
  id: 'admin-role',
  title: 'Role with administrator rights, and who can assume it',
  severity: 'high',
  rationale:
    'An administrator role is as dangerous as the weakest principal that can assume it: a user with a leaked key, another account, any AWS principal, or an identity provider with a loose subject. OrganizationAccountAccessRole, Identity Center administrator roles and roles created for automation are often administrators; this lists each with the principals of the scan whose own policies and the trust let them in, and every party outside the scan the trust names.',
  remediation:
    'Narrow the role to what its users do, or narrow who can assume it (named principals, an ExternalId, MFA, aws:PrincipalOrgID); review the trust-policy findings of the same role.',
  references: {
    cis: ['1.16'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html'],
  },
  parameters: () => ({}),
  evaluate: (_snapshot, { permissions }) => {
    const out: CheckResult[] = [];
    for (const principal of permissions.evaluator.principals()) {
      // Only its service can act as a service-linked role, with policies AWS maintains.
      if (principal.kind !== 'role' || isServiceLinkedRole(principal)) continue;
      const assessment = permissions.privileges.of(principal.arn);
      if (assessment === undefined) continue;
      const subject = principalSubject(principal);
      if (assessment.admin.level === 'none') {
        out.push(passed(subject, 'not an administrator'));
        continue;
      }
      // Only the names shown are described: a role its whole account may assume can have thousands.
      const all = assessment.assumableBy;
      const who = describeAssumers(all.slice(0, SHOWN), principal.accountId);
      const more = all.length > SHOWN ? ` and ${all.length - SHOWN} more` : '';
      const reach =
        who.length > 0 ? `can be assumed by ${who.join(', ')}${more}` : 'no principal or party can assume it';
      out.push(
        failed(subject, `administrator role (${describeAdmin(assessment.admin)}); ${reach}`, {
          severity: severityOf(assessment.assumableBy),
        }),
      );
    }
    return out;
  },
};
