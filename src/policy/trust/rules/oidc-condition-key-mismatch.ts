import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-condition-key-mismatch',
  title: 'Condition key names a different issuer than the trusted provider',
  severity: 'low',
  rationale:
    'A condition on a key the request never carries either always or never passes, which is rarely what the author meant.',
  remediation: "Prefix the condition keys with the trusted provider's URL exactly as in its ARN.",
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
