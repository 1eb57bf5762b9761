import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-subject-tenant-wide',
  title: 'OIDC subject admits a whole organisation or group',
  severity: 'medium',
  rationale:
    'An organisation-wide subject trusts every repository or project there, including new ones and ones with weaker branch protection.',
  remediation:
    'Name the repository / project (and branch or environment) that needs the role; split roles per repository.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
