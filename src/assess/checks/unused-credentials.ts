import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import { keyIdleDays, passwordIdleDays } from '../../model/idle.js';

/** CIS 1.12 / IAM.22: credentials unused for `thresholds.unusedCredentialDays` (45 by default) days or more. */
export const rule: CheckDefinition = {
  id: 'unused-credentials',
  title: 'Credentials unused for too long',
  severity: 'medium',
  rationale:
    'A password or key nobody uses still works for whoever finds it. Disabling unused credentials shrinks the attack surface without breaking anyone.',
  remediation: 'Deactivate the unused key or remove the console password (roleshift remediate can do it reversibly).',
  references: {
    cis: ['1.12'],
    securityHub: ['IAM.22', 'IAM.8'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html'],
  },
  parameters: (config) => ({ unusedCredentialDays: config.thresholds.unusedCredentialDays }),
  evaluate: (snapshot, { now, config }) => {
    const limit = config.thresholds.unusedCredentialDays;
    return eachUser(snapshot)
      .filter(({ user }) => user.password.enabled || user.accessKeys.some((k) => k.status === 'Active'))
      .map(({ account, user }) => {
        const stale: string[] = [];
        if (user.password.enabled) {
          const days = passwordIdleDays(user, now);
          if (days !== null && days >= limit)
            stale.push(
              `password ${user.password.lastUsed.state === 'never' ? 'never used, set' : 'unused for'} ${days} days${user.password.lastUsed.state === 'never' ? ' ago' : ''}`,
            );
        }
        user.accessKeys.forEach((key) => {
          if (key.status !== 'Active') return;
          const days = keyIdleDays(key, user.createDate, now);
          const name = key.id ?? `key ${key.slot}`;
          if (days !== null && days >= limit)
            stale.push(
              `${name} ${key.lastUsed.state === 'never' ? `never used, created ${days} days ago` : `unused for ${days} days`}`,
            );
        });
        const subject = userSubject(account, user);
        return stale.length > 0
          ? failed(subject, `unused for ${limit}+ days: ${stale.join('; ')}`)
          : passed(subject, `every credential used within ${limit} days`);
      });
  },
};
