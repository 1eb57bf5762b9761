import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-saml-no-audience',
  title: 'SAML trust without SAML:aud',
  severity: 'medium',
  rationale: 'Without SAML:aud an assertion issued for another service provider can be replayed to AWS.',
  remediation: 'Add StringEquals SAML:aud = https://signin.aws.amazon.com/saml (or the regional sign-in endpoint).',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html'],
  },
});
