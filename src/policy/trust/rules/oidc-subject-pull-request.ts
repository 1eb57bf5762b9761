import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-subject-pull-request',
  title: 'OIDC trust admits pull_request runs',
  severity: 'medium',
  rationale: 'Pull-request workflows run code proposed by contributors before review.',
  remediation:
    'Do not give pull-request workflows a role that can change anything; use an environment-pinned subject for deployments.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
