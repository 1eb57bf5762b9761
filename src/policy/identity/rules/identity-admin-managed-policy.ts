import { attachmentRule } from '../rule.js';

export const rule = attachmentRule({
  id: 'identity-admin-managed-policy',
  title: 'Administrator managed policy attached',
  severity: 'high',
  rationale:
    'An attached AWS managed policy whose meaning is fixed (AdministratorAccess; IAMFullAccess, which lets the holder grant itself anything) makes the holder an administrator, judged by the same evaluator as any other policy.',
  remediation:
    'Replace the AWS-managed administrator policy with a least-privilege policy for what the principal does.',
  references: {
    cis: ['1.16'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
  },
});
