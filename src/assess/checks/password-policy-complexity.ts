import type { CheckDefinition } from '../check.js';
import { judgePasswordPolicies, type SetPasswordPolicy } from '../password-policy.js';

const CLASSES: ReadonlyArray<[keyof SetPasswordPolicy, string]> = [
  ['requireUppercase', 'an uppercase letter'],
  ['requireLowercase', 'a lowercase letter'],
  ['requireNumbers', 'a number'],
  ['requireSymbols', 'a symbol'],
];

/** IAM.11-IAM.14 (CIS v1.2 1.5-1.8): the password policy requires every character class. */
export const rule: CheckDefinition = {
  id: 'password-policy-complexity',
  title: 'Password policy does not require every character class',
  severity: 'low',
  rationale:
    'Requiring uppercase, lowercase, numbers and symbols widens the space an attacker must guess; auditors working from CIS v1.2, PCI DSS or Security Hub IAM.7 ask for all four.',
  remediation:
    'aws iam update-account-password-policy --require-uppercase-characters --require-lowercase-characters --require-numbers --require-symbols (repeat the other settings you keep: the call replaces the whole policy).',
  references: {
    cis: [],
    securityHub: ['IAM.11', 'IAM.12', 'IAM.13', 'IAM.14', 'IAM.7'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    judgePasswordPolicies(
      snapshot,
      (policy) => {
        const missing = CLASSES.filter(([flag]) => policy[flag] !== true).map(([, label]) => label);
        return missing.length === 0 ? null : `the password policy does not require ${missing.join(', ')}`;
      },
      'the password policy requires uppercase, lowercase, numbers and symbols',
    ),
};
