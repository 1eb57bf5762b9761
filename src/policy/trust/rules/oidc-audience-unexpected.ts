import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-audience-unexpected',
  title: "OIDC audience is not the provider's usual value",
  severity: 'low',
  rationale:
    'An audience that the CI system does not request by default means every job must override it, or the role cannot be assumed.',
  remediation:
    'Use the audience the CI system requests for AWS (sts.amazonaws.com for GitHub Actions) or make every workflow request this one.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
