import type { CheckDefinition } from '../check.js';
import { classificationOf, eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';

/** roleshift: a break-glass user must be a locked door: no keys, hardware MFA. */
export const rule: CheckDefinition = {
  id: 'break-glass-hygiene',
  title: 'Break-glass user has an access key or no hardware MFA',
  severity: 'high',
  rationale:
    'A break-glass user exists for the day everything else fails; it is powerful by design, so it must be usable only by a person holding a physical key, and never by a script with a stored access key.',
  remediation:
    'Delete its access keys and register a FIDO security key (kept in a safe) as its only MFA device; alert on every sign-in.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/whitepapers/latest/organizing-your-aws-environment/break-glass-access.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, context) =>
    eachUser(snapshot).flatMap(({ account, user }) => {
      if (classificationOf(context, user.arn)?.class !== 'break-glass') return [];
      const problems: string[] = [];
      const active = user.accessKeys.filter((k) => k.status === 'Active').length;
      if (active > 0) problems.push(`${active} active access key${active > 1 ? 's' : ''}`);
      if (!user.mfaDevices.some((d) => d.kind === 'hardware'))
        problems.push(user.mfaActive ? 'only a virtual MFA device' : 'no MFA device');
      const subject = userSubject(account, user);
      return [
        problems.length > 0
          ? failed(subject, `break-glass user with ${problems.join(' and ')}`)
          : passed(subject, 'hardware MFA and no keys'),
      ];
    }),
};
