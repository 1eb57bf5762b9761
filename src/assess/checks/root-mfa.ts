import type { CheckDefinition, CheckResult } from '../check.js';
import { failed, passed, rootSubject } from '../../model/rule.js';

/** CIS 1.5 / IAM.9: the root user has no MFA. */
export const rule: CheckDefinition = {
  id: 'root-mfa',
  title: 'Root user has no MFA',
  severity: 'critical',
  rationale: 'Without MFA, the root password alone gives full control of the account, including closing it.',
  remediation: 'Sign in as root and register an MFA device (preferably a hardware key) under Security credentials.',
  references: {
    cis: ['1.5'],
    securityHub: ['IAM.9'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) => {
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      if (!account.root) continue;
      const subject = rootSubject(account, account.root);
      out.push(
        account.root.mfaActive ? passed(subject, 'root has MFA') : failed(subject, 'the root user has no MFA device'),
      );
    }
    return out;
  },
};
