import { attachmentRule } from '../rule.js';

export const rule = attachmentRule({
  id: 'identity-admin-managed-policy',
  title: 'Administrator managed policy attached',
  severity: 'high',
  rationale: 'An attached AdministratorAccess or IAMFullAccess policy makes the holder an administrator.',
  remediation:
    'Replace the AWS-managed administrator policy with a least-privilege policy for what the principal does.',
  references: {
    cis: ['1.16'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
});
