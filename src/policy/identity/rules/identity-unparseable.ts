import { permissionsPolicyRule } from '../rule.js';

export const rule = permissionsPolicyRule({
  id: 'identity-unparseable',
  title: 'Policy document cannot be parsed',
  severity: 'high',
  rationale: 'A policy that cannot be parsed cannot be reviewed.',
  remediation: 'Fix the policy document so that IAM accepts it.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
});
