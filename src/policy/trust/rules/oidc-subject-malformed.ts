import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-subject-malformed',
  title: 'OIDC subject value matches no token the provider issues',
  severity: 'low',
  rationale: 'A subject value that no token can carry grants nothing and usually hides a typo.',
  remediation: "Write the subject in the provider's format; the role cannot be assumed as written.",
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
