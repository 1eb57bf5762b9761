import type { CheckDefinition, CheckResult } from '../check.js';
import { failed, passed, rootSubject } from '../../model/rule.js';

/** CIS 1.6 / IAM.6: the root user's MFA is not a hardware device. */
export const rule: CheckDefinition = {
  id: 'root-hardware-mfa',
  title: 'Root user has no hardware MFA',
  severity: 'high',
  rationale:
    'A virtual MFA lives on a phone or laptop that can be lost, cloned or compromised with its owner; a hardware key or passkey kept apart protects the account when that happens.',
  remediation: 'Register a FIDO security key or hardware TOTP token for the root user and remove the virtual device.',
  references: {
    cis: ['1.6'],
    securityHub: ['IAM.6'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_fido.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) => {
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      const root = account.root;
      if (!root) continue;
      const subject = rootSubject(account, root);
      if (!root.mfaActive) out.push(failed(subject, 'the root user has no MFA at all'));
      else if (root.hardwareMfa === false) out.push(failed(subject, 'the root user uses a virtual MFA device'));
      // hardwareMfa null: the source cannot tell (files without list-virtual-mfa-devices); no verdict.
      else if (root.hardwareMfa === true) out.push(passed(subject, 'root uses a hardware MFA device'));
    }
    return out;
  },
};
