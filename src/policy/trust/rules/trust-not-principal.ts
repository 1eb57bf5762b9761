import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-not-principal',
  title: 'Allow with NotPrincipal in a trust policy',
  severity: 'critical',
  rationale: 'Allow with NotPrincipal grants the role to every principal that is not listed, in every account.',
  remediation: 'Replace NotPrincipal with an explicit Principal list: Allow + NotPrincipal trusts everyone not listed.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
  },
});
