import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-subject-abusable-claim',
  title: 'OIDC subject starts with a claim anyone can reproduce',
  severity: 'high',
  rationale:
    'A subject that does not start with the repository owner can be reproduced by any organisation through a custom subject template.',
  remediation:
    'Use a subject that starts with repo:OWNER/REPO (or repository_owner / repository_id in a custom template).',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
