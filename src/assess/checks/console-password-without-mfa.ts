import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';

/** CIS 1.10 / IAM.5: a user with a console password has no MFA. */
export const rule: CheckDefinition = {
  id: 'console-password-without-mfa',
  title: 'Console password without MFA',
  severity: 'high',
  rationale: 'A password alone is phished, guessed or reused; with console access it opens everything the user may do.',
  remediation: 'Require MFA for the user (or better, move the person to IAM Identity Center and delete the IAM user).',
  references: {
    cis: ['1.10'],
    securityHub: ['IAM.5'],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    eachUser(snapshot)
      .filter(({ user }) => user.password.enabled)
      .map(({ account, user }) =>
        user.mfaActive
          ? passed(userSubject(account, user), 'console password with MFA')
          : failed(userSubject(account, user), 'has a console password and no MFA device'),
      ),
};
