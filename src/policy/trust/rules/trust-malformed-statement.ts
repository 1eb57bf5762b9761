import { trustRule } from '../rule.js';

export const rule = trustRule({
  id: 'trust-malformed-statement',
  title: 'Trust policy statement is malformed',
  severity: 'medium',
  rationale:
    'A trust-policy statement without a Principal, or without any trust action, is broken: IAM rejects it or it grants nothing.',
  remediation:
    'Give every Allow statement of a trust policy a Principal and the sts:AssumeRole* action it is meant to allow.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
  },
});
