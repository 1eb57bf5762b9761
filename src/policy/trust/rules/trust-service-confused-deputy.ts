import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-service-confused-deputy',
  title: 'Service principal without aws:SourceArn / aws:SourceAccount',
  severity: 'low',
  rationale:
    'Services that take a role ARN without iam:PassRole can be pointed at your role from another account unless aws:SourceAccount / aws:SourceArn pin it.',
  remediation:
    'Add StringEquals aws:SourceAccount (and ArnLike aws:SourceArn) so the service assumes the role only for your own resources.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html'],
  },
});
