import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';

/** CIS 1.11: an access key created with the console login and never used. */
export const rule: CheckDefinition = {
  id: 'access-key-at-initial-setup',
  title: 'Console user has an access key that was never used',
  severity: 'low',
  rationale:
    'Keys handed out "just in case" when a login is created are forgotten in a download folder and outlive their purpose; a key nobody uses is pure exposure.',
  remediation:
    'Delete the unused key; let the person create one when needed, or better, use IAM Identity Center for CLI access.',
  references: {
    cis: ['1.11'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    eachUser(snapshot)
      .filter(({ user }) => user.password.enabled)
      .map(({ account, user }) => {
        const unused = user.accessKeys.filter((k) => k.status === 'Active' && k.lastUsed.state === 'never');
        const subject = userSubject(account, user);
        if (unused.length === 0) return passed(subject, 'no never-used active key beside the password');
        const names = unused.map((k) => k.id ?? `key ${k.slot}`).join(', ');
        return failed(subject, `has a console password and an active access key never used (${names})`);
      }),
};
