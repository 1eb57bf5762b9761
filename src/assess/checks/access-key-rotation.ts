import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import { daysSince } from '../../model/when.js';

/** CIS 1.14 / IAM.3: an active access key older than `thresholds.keyRotationDays` (90 by default). */
export const rule: CheckDefinition = {
  id: 'access-key-rotation',
  title: 'Active access key not rotated',
  severity: 'medium',
  rationale:
    'The older a key, the more places it has been copied to; rotation bounds how long a leaked key stays useful.',
  remediation:
    'Replace the key with a role (the goal), or create a new key, switch the consumer to it and deactivate the old one.',
  references: {
    cis: ['1.14'],
    securityHub: ['IAM.3'],
    links: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
    ],
  },
  parameters: (config) => ({ keyRotationDays: config.thresholds.keyRotationDays }),
  evaluate: (snapshot, { now, config }) => {
    const limit = config.thresholds.keyRotationDays;
    return eachUser(snapshot)
      .filter(({ user }) => user.accessKeys.some((k) => k.status === 'Active'))
      .map(({ account, user }) => {
        const old = user.accessKeys
          .filter((k) => k.status === 'Active')
          .map((k) => ({ name: k.id ?? `key ${k.slot}`, days: daysSince(k.lastRotated, now) }))
          .filter((k): k is { name: string; days: number } => k.days !== null && k.days > limit);
        const subject = userSubject(account, user);
        return old.length > 0
          ? failed(
              subject,
              `active key older than ${limit} days: ${old.map((k) => `${k.name} (${k.days} days)`).join(', ')}`,
            )
          : passed(subject, `active keys younger than ${limit} days`);
      });
  },
};
