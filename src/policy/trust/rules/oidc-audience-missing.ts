import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-audience-missing',
  title: 'OIDC trust does not check the audience',
  severity: 'low',
  rationale:
    "Pinning aud in the role keeps tokens minted for other audiences of the same provider out, independent of the provider's client-id list.",
  remediation: "Add StringEquals on the provider's aud claim (sts.amazonaws.com for GitHub Actions).",
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
