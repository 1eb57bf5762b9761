/**
 * The explicit registry of checks, in report order. Adding a check means adding its file and its
 * line here: no directory walking, no registration as an import side effect.
 */
import type { CheckDefinition } from '../check.js';
import { check as accessKeyAtInitialSetup } from './access-key-at-initial-setup.js';
import { check as accessKeyRotation } from './access-key-rotation.js';
import { check as breakGlassHygiene } from './break-glass-hygiene.js';
import { check as consolePasswordWithoutMfa } from './console-password-without-mfa.js';
import { check as exceptionControlUnverified } from './exception-control-unverified.js';
import { check as exceptionExpired } from './exception-expired.js';
import { check as exceptionReviewOverdue } from './exception-review-overdue.js';
import { check as exceptionUnknownUser } from './exception-unknown-user.js';
import { check as fullAdminAccess } from './full-admin-access.js';
import { check as humanUserWithIdentityCenter } from './human-user-with-identity-center.js';
import { check as machineUserConsolePassword } from './machine-user-console-password.js';
import { check as multipleActiveKeys } from './multiple-active-keys.js';
import { check as personInSeveralAccounts } from './person-in-several-accounts.js';
import { check as rootAccessKey } from './root-access-key.js';
import { check as rootHardwareMfa } from './root-hardware-mfa.js';
import { check as rootMfa } from './root-mfa.js';
import { check as rootRecentUse } from './root-recent-use.js';
import { check as staleCredentialReport } from './stale-credential-report.js';
import { check as unregisteredUser } from './unregistered-user.js';
import { check as unusedCredentials } from './unused-credentials.js';
import { check as userAttachedPolicies } from './user-attached-policies.js';
import { check as userPrivilegeEscalation } from './user-privilege-escalation.js';

export const CHECKS: readonly CheckDefinition[] = [
  rootAccessKey,
  rootMfa,
  rootHardwareMfa,
  rootRecentUse,
  consolePasswordWithoutMfa,
  accessKeyAtInitialSetup,
  unusedCredentials,
  multipleActiveKeys,
  accessKeyRotation,
  userAttachedPolicies,
  fullAdminAccess,
  humanUserWithIdentityCenter,
  machineUserConsolePassword,
  personInSeveralAccounts,
  userPrivilegeEscalation,
  breakGlassHygiene,
  staleCredentialReport,
  unregisteredUser,
  exceptionExpired,
  exceptionReviewOverdue,
  exceptionControlUnverified,
  exceptionUnknownUser,
];

export function checkById(id: string): CheckDefinition | undefined {
  return CHECKS.find((c) => c.id === id);
}
