import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-whole-account',
  title: 'Role trusts a whole account',
  severity: 'low',
  rationale:
    'Trusting an account root delegates the decision to every identity policy in that account that allows sts:AssumeRole.',
  remediation:
    'Trust the specific role or user ARNs that need the role instead of the account root, or add an aws:PrincipalArn condition.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
  },
});
