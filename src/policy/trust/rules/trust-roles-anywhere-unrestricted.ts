import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-roles-anywhere-unrestricted',
  title: 'IAM Roles Anywhere trust not tied to a trust anchor and certificate subject',
  severity: 'high',
  rationale:
    'Without a trust anchor and a certificate-subject condition, any certificate from any anchor in the account can assume the role.',
  remediation:
    'Add ArnEquals aws:SourceArn = the trust anchor ARN and a StringEquals aws:PrincipalTag/x509Subject/CN (or OU) condition for the expected certificates.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html'],
  },
});
