import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-cross-account-no-external-id',
  title: 'Cross-account trust without sts:ExternalId or MFA',
  severity: 'high',
  rationale:
    'A vendor account trusted without an ExternalId can be made to assume your role on behalf of its other customers (the confused deputy).',
  remediation:
    'For a third party, require the ExternalId they gave you (StringEquals sts:ExternalId); for people, require aws:MultiFactorAuthPresent; or restrict with aws:PrincipalOrgID.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html'],
  },
});
