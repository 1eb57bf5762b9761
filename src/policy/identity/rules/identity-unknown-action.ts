import { permissionsPolicyRule } from '../rule.js';

export const rule = permissionsPolicyRule({
  id: 'identity-unknown-action',
  title: 'Action matches no IAM action',
  severity: 'low',
  rationale:
    'An action name that matches no IAM action grants nothing; the policy does less than it reads, and often a typo hides the intended grant.',
  remediation: 'Correct the action name (service prefix and action as in the Service Authorization Reference).',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
});
