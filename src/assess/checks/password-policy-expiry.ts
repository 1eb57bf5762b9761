import type { CheckDefinition } from '../check.js';
import { judgePasswordPolicies } from '../password-policy.js';

const MAX_AGE_DAYS = 90;

/** IAM.17 (CIS v1.2 1.11): passwords expire within 90 days. */
export const rule: CheckDefinition = {
  id: 'password-policy-expiry',
  title: 'Passwords do not expire within 90 days',
  severity: 'low',
  rationale:
    'Security Hub IAM.17 and PCI DSS ask that passwords expire; NIST SP 800-63B and CIS v3 no longer do, so this is low severity and evidence for the auditors who still require it.',
  remediation:
    'aws iam update-account-password-policy --max-password-age 90 (repeat the other settings you keep: the call replaces the whole policy).',
  references: {
    cis: [],
    securityHub: ['IAM.17', 'IAM.7'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html'],
  },
  parameters: () => ({ maxAgeDays: MAX_AGE_DAYS }),
  evaluate: (snapshot) =>
    judgePasswordPolicies(
      snapshot,
      (policy) =>
        policy.maxAgeDays === null
          ? 'passwords never expire'
          : policy.maxAgeDays > MAX_AGE_DAYS
            ? `passwords expire after ${policy.maxAgeDays} days (more than ${MAX_AGE_DAYS})`
            : null,
      `passwords expire within ${MAX_AGE_DAYS} days`,
    ),
};
