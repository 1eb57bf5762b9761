import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import type { User } from '../../model/snapshot.js';
import { daysSince } from '../../model/when.js';

/**
 * Days a credential has gone unused, CIS-style: from its last use, or when it was never used,
 * from when it was set (password change, key rotation). A key created and never used is as
 * stale as one that stopped being used; counting it as fine (as Prowler does) hides the
 * forgotten keys. Null when the dates are unknown.
 */
export function idleDays(kind: 'password' | 'key', user: User, index: number, now: Date): number | null {
  if (kind === 'password') {
    const p = user.password;
    if (p.lastUsed.state === 'at') return daysSince(p.lastUsed, now);
    if (p.lastUsed.state === 'unknown') return null;
    return daysSince(p.lastChanged, now) ?? daysSince(user.createDate, now);
  }
  const key = user.accessKeys[index];
  if (!key) return null;
  if (key.lastUsed.state === 'at') return daysSince(key.lastUsed, now);
  if (key.lastUsed.state === 'unknown') return null;
  return daysSince(key.lastRotated, now) ?? daysSince(user.createDate, now);
}

/** CIS 1.12 / IAM.22: credentials unused for 45 days or more. */
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
          const days = idleDays('password', user, 0, now);
          if (days !== null && days >= limit)
            stale.push(
              `password ${user.password.lastUsed.state === 'never' ? 'never used, set' : 'unused for'} ${days} days${user.password.lastUsed.state === 'never' ? ' ago' : ''}`,
            );
        }
        user.accessKeys.forEach((key, index) => {
          if (key.status !== 'Active') return;
          const days = idleDays('key', user, index, now);
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
