import type { CheckDefinition } from '../check.js';
import { judgePasswordPolicies } from '../password-policy.js';

const REMEMBERED = 24;

/** CIS 1.9 / IAM.16: the account password policy prevents reusing the last 24 passwords. */
export const rule: CheckDefinition = {
  id: 'password-policy-reuse',
  title: 'Password policy lets users reuse recent passwords',
  severity: 'medium',
  rationale:
    'A user who may set a password used before can answer a forced change with the leaked one; remembering 24 previous passwords makes a changed password a new one.',
  remediation:
    'Prevent reuse of the last 24 passwords: aws iam update-account-password-policy --password-reuse-prevention 24 (repeat the other settings you keep: the call replaces the whole policy).',
  references: {
    cis: ['1.9'],
    securityHub: ['IAM.16', 'IAM.7'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html'],
  },
  parameters: () => ({ remembered: REMEMBERED }),
  evaluate: (snapshot) =>
    judgePasswordPolicies(
      snapshot,
      (policy) =>
        policy.reusePrevention !== null && policy.reusePrevention >= REMEMBERED
          ? null
          : policy.reusePrevention === null
            ? 'the password policy does not prevent password reuse'
            : `the password policy remembers only ${policy.reusePrevention} previous passwords (fewer than ${REMEMBERED})`,
      `the password policy prevents reuse of the last ${REMEMBERED} passwords`,
    ),
};
