import type { CheckDefinition } from '../check.js';
import { classificationOf, eachUser, MACHINE_CLASSES } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';

/** roleshift: software does not need a console password. */
export const rule: CheckDefinition = {
  id: 'machine-user-console-password',
  title: 'Machine user has a console password',
  severity: 'high',
  rationale:
    'A pipeline, workload or vendor integration calls APIs with keys; a console password on it is an unmonitored human door into a non-human identity, usually shared and without MFA.',
  remediation:
    'Delete the login profile (aws iam delete-login-profile --user-name USER); if someone signs in with it, give that person their own identity.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, context) =>
    eachUser(snapshot).flatMap(({ account, user }) => {
      const c = classificationOf(context, user.arn);
      if (!c || !MACHINE_CLASSES.has(c.class)) return [];
      const subject = userSubject(account, user);
      return [
        user.password.enabled
          ? failed(subject, `classified ${c.class} but has a console password`)
          : passed(subject, `${c.class} user without a console password`),
      ];
    }),
};
