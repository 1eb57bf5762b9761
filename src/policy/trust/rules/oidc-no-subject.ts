import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'oidc-no-subject',
  title: 'OIDC trust does not restrict the subject',
  severity: 'critical',
  rationale:
    'Without a subject condition a role federated with a shared OIDC issuer can be assumed by any customer of that issuer: any GitHub repository, any Terraform Cloud organization.',
  remediation:
    "Add a StringEquals (or narrow StringLike) condition on the provider's sub claim naming the exact repository / project and branch or environment.",
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html'],
  },
});
