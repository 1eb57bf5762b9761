import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';

/** CIS 1.13: more than one active access key. */
export const rule: CheckDefinition = {
  id: 'multiple-active-keys',
  title: 'More than one active access key',
  severity: 'medium',
  rationale:
    'Two active keys double the exposure and usually mean a rotation that was never finished: the old key still works.',
  remediation: 'Find which key is still used (last used date) and deactivate the other.',
  references: {
    cis: ['1.13'],
    securityHub: [],
    links: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
    ],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    eachUser(snapshot)
      .filter(({ user }) => user.accessKeys.length > 0)
      .map(({ account, user }) => {
        const active = user.accessKeys.filter((k) => k.status === 'Active');
        const subject = userSubject(account, user);
        return active.length > 1
          ? failed(subject, `has ${active.length} active access keys`)
          : passed(subject, 'at most one active key');
      }),
};
