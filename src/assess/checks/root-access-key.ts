import type { CheckDefinition, CheckResult } from '../check.js';
import { failed, passed, rootSubject } from '../../model/rule.js';

/** CIS 1.4 / IAM.4: the root user has an access key. */
export const rule: CheckDefinition = {
  id: 'root-access-key',
  title: 'Root user has an active access key',
  severity: 'critical',
  rationale:
    'A root access key is a permanent credential with unrestricted access to the account that no IAM policy or permission boundary can limit; a leak of it is the loss of the account.',
  remediation:
    'Sign in as root, open Security credentials, and delete every root access key; use roles for automation.',
  references: {
    cis: ['1.4'],
    securityHub: ['IAM.4'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) => {
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      const root = account.root;
      if (!root) continue;
      const active = root.accessKeys.filter((k) => k.status === 'Active');
      const subject = rootSubject(account, root);
      if (active.length > 0)
        out.push(
          failed(subject, `the root user has ${active.length} active access key${active.length > 1 ? 's' : ''}`),
        );
      else if (root.accessKeys.length === 0 && root.accessKeysPresent === true)
        out.push(failed(subject, 'the account summary reports root access keys'));
      else out.push(passed(subject, 'no active root access key'));
    }
    return out;
  },
};
