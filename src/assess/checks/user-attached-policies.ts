import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';

/** CIS 1.15 / IAM.2: policies attached directly to a user rather than through groups. */
export const rule: CheckDefinition = {
  id: 'user-attached-policies',
  title: 'Policies attached directly to a user',
  severity: 'low',
  rationale:
    'Permissions granted user by user drift apart and are hard to review; groups (or better, roles) keep them in one place.',
  remediation: 'Move the permissions to a group or, for the migration, to the role that replaces this user.',
  references: {
    cis: ['1.15'],
    securityHub: ['IAM.2'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    eachUser(snapshot).map(({ account, user }) => {
      const names = [
        ...user.attachedPolicies.map((p) => p.name),
        ...user.inlinePolicies.map((p) => `${p.name} (inline)`),
      ];
      const subject = userSubject(account, user);
      return names.length > 0
        ? failed(subject, `policies attached to the user: ${names.join(', ')}`)
        : passed(subject, 'permissions only through groups');
    }),
};
