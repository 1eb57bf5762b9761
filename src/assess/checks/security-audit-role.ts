import type { CheckDefinition } from '../check.js';
import { judgeAwsPolicyHeld } from '../held-policies.js';

const SECURITY_AUDIT_POLICY_NAME = 'SecurityAudit';

/** Prowler iam_securityaudit_role_created: auditors and tools read the account without write rights. */
export const rule: CheckDefinition = {
  id: 'security-audit-role',
  title: 'No principal with the SecurityAudit policy',
  severity: 'low',
  rationale:
    "Auditors, incident responders and security tools need to read configuration across services; without a role holding SecurityAudit they are handed broader rights, often an administrator's.",
  remediation:
    'Create a role for auditors and security tools (deploy/audit-role.yaml is a narrower one for roleshift) and attach arn:aws:iam::aws:policy/SecurityAudit to it.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/aws-managed-policy/latest/reference/SecurityAudit.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) => judgeAwsPolicyHeld(snapshot, SECURITY_AUDIT_POLICY_NAME),
};
