import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-subject-wildcard-narrow',
  title: 'OIDC subject wildcard admits any branch, context or phase',
  severity: 'low',
  rationale:
    'A wildcard over branches, contexts or run phases admits runs that need less review than the one the role was made for.',
  remediation:
    'Pin the subject to a protected branch (ref:refs/heads/main) or a deployment environment with required reviewers.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
