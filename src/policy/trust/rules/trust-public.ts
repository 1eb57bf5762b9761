import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-public',
  title: 'Role can be assumed by any AWS principal',
  severity: 'critical',
  rationale: 'A role that any AWS principal can assume gives its permissions to anyone with an AWS account.',
  remediation:
    'Name the trusted accounts or roles in Principal, or add aws:PrincipalOrgID / aws:PrincipalAccount / aws:SourceArn conditions.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
  },
});
