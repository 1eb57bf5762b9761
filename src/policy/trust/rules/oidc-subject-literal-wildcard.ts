import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-subject-literal-wildcard',
  title: 'StringEquals compares * and ? literally',
  severity: 'low',
  rationale:
    'StringEquals treats * and ? as plain characters: the value matches nothing, and the obvious fix (StringLike) may open it wide.',
  remediation: 'Use StringLike for patterns, or spell out the exact subject with StringEquals.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
