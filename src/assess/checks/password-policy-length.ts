import type { CheckDefinition } from '../check.js';
import { judgePasswordPolicies } from '../password-policy.js';

const MINIMUM = 14;

/** CIS 1.8 / IAM.15: the account password policy requires at least 14 characters. */
export const rule: CheckDefinition = {
  id: 'password-policy-length',
  title: 'Password policy allows passwords shorter than 14 characters',
  severity: 'medium',
  rationale:
    'Every IAM user with a console password is protected by its length first; IAM accepts 8 characters unless the account policy says more, and short passwords fall to guessing and credential stuffing.',
  remediation:
    'Set a minimum password length of 14 or more: aws iam update-account-password-policy --minimum-password-length 14 (repeat the other settings you keep: the call replaces the whole policy).',
  references: {
    cis: ['1.8'],
    securityHub: ['IAM.15', 'IAM.7'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html'],
  },
  parameters: () => ({ minimumLength: MINIMUM }),
  evaluate: (snapshot) =>
    judgePasswordPolicies(
      snapshot,
      (policy) =>
        policy.minimumLength !== null && policy.minimumLength >= MINIMUM
          ? null
          : `the password policy requires ${policy.minimumLength ?? 'the default 8'} characters (fewer than ${MINIMUM})`,
      `the password policy requires at least ${MINIMUM} characters`,
    ),
};
