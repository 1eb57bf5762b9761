import type { CheckDefinition, CheckResult } from '../check.js';
import { eachUser, isAdministrator } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import type { Account, User } from '../../model/snapshot.js';

/**
 * The verdict on one administrator's MFA devices. Virtual devices are listed account-wide; a user
 * whose MFA is on but who has no device listed is one whose devices could not be read (the source
 * lacks the virtual device list), so there is no verdict.
 */
function verdict(account: Account, user: User): CheckResult | null {
  const subject = userSubject(account, user);
  if (!user.mfaActive) return failed(subject, 'administrator with no MFA device at all');
  if (user.mfaDevices.length === 0) return null;
  const virtual = user.mfaDevices.filter((device) => device.kind === 'virtual');
  if (virtual.length > 0) return failed(subject, 'administrator whose MFA is a virtual device');
  return passed(subject, 'administrator with a hardware MFA device');
}

/** Prowler iam_user_hardware_mfa_enabled, for the users whose loss costs the account: administrators. */
export const rule: CheckDefinition = {
  id: 'admin-hardware-mfa',
  title: 'Administrator without hardware MFA',
  severity: 'medium',
  rationale:
    'A virtual MFA lives on the same phone or laptop an attacker may already hold; for a user with administrator rights (by any path, groups included, decided by the evaluator) a FIDO key or hardware token kept apart is what stops a phished password from becoming the account.',
  remediation:
    'Register a FIDO security key or hardware TOTP token for the user and remove the virtual device; better, move the person to IAM Identity Center and delete the IAM user.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_fido.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, context) =>
    eachUser(snapshot)
      .filter(({ user }) => isAdministrator(context, user.arn))
      .map(({ account, user }) => verdict(account, user))
      .filter((result): result is CheckResult => result !== null),
};
