import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-set-operator-single-valued',
  title: 'ForAllValues / IfExists on a single-valued OIDC claim',
  severity: 'medium',
  rationale:
    'ForAllValues and IfExists are true when the key is absent; on single-valued claims they turn a requirement into an option.',
  remediation:
    'Use plain StringEquals / StringLike on sub, aud and iss: ForAllValues and IfExists pass when the claim is absent.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
