import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-unparseable',
  title: 'Trust policy cannot be parsed',
  severity: 'high',
  rationale: 'A trust policy that cannot be parsed cannot be reviewed; IAM rejects it or it was damaged in transit.',
  remediation: 'Fix the policy document so that IAM accepts it; until then nobody can tell who may assume the role.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
  },
});
