import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-subject-wildcard-tenant',
  title: 'OIDC subject wildcard admits other organisations',
  severity: 'critical',
  rationale: 'A wildcard in the owner / organisation part of a subject matches organisations anyone can register.',
  remediation: 'Spell out the organisation / owner in the subject; put wildcards, if any, only after it.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
