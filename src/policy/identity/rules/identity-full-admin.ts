import { permissionsPolicyRule } from '../rule.js';

export const rule = permissionsPolicyRule({
  id: 'identity-full-admin',
  title: 'Policy grants every action on every resource',
  severity: 'high',
  rationale:
    'Full administrator rights (CIS 1.16) turn any leak of the holder\'s credentials into a full account compromise. Judged by the evaluator, not by spotting "*": a NotAction allow-list that leaves out a few services counts, a Deny beside "*" that takes most away does not.',
  remediation:
    'Grant only the actions and resources the principal uses (IAM Access Analyzer can generate a policy from CloudTrail activity).',
  references: {
    cis: ['1.16'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
});
