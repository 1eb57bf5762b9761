import type { CheckDefinition } from '../check.js';
import { judgeAwsPolicyHeld } from '../held-policies.js';

const SUPPORT_POLICY_NAME = 'AWSSupportAccess';

/** CIS 1.17 / IAM.18: someone can manage incidents with AWS Support (AWSSupportAccess attached). */
export const rule: CheckDefinition = {
  id: 'support-role',
  title: 'No role to manage incidents with AWS Support',
  severity: 'low',
  rationale:
    'During an incident someone must be able to open and follow AWS Support cases without the root user or an administrator; CIS asks for a role with AWSSupportAccess for that.',
  remediation:
    'Create a role that your incident responders assume (through IAM Identity Center ideally) and attach arn:aws:iam::aws:policy/AWSSupportAccess to it.',
  references: {
    cis: ['1.17'],
    securityHub: ['IAM.18'],
    links: ['https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) => judgeAwsPolicyHeld(snapshot, SUPPORT_POLICY_NAME),
};
