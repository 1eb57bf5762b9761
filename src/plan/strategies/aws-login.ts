/**
 * A person in a standalone account (no AWS Organization seen, no Identity Center): `aws login`
 * (AWS CLI 2.32.0 or later) turns the person's console sign-in into temporary credentials that the
 * CLI refreshes for up to 12 hours, so the access keys can go. The IAM user stays for the console
 * until the account joins an Organization with Identity Center; its permissions do not change.
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sign-in.html
 */
import { isIdentifier, shellWord } from '../../shell-quote.js';
import { placeholder } from '../trust-policies.js';
import { mirroredPermissions } from '../permissions/sources.js';
import { identityCenterState } from './identity-center.js';
import { switchOffStep, type StrategyContext, type StrategyDefinition, type StrategyResult } from './context.js';

/** Lets an IAM identity use the console's sign-in for local development (`aws login`). */
export const SIGN_IN_POLICY_ARN = 'arn:aws:iam::aws:policy/SignInLocalDevelopmentAccess';
const MINIMUM_CLI = '2.32.0';

/** A profile name is an INI section header: no brackets, spaces or newlines. */
function profileNameOf(accountId: string, userName: string): string {
  return `${accountId}-${userName}`.replace(/[^A-Za-z0-9_.@+-]+/g, '-');
}

/**
 * Only a standalone account: the scan saw no Organization, one account, and no Identity Center.
 * In an Organization, Identity Center is the way (its plan says to enable it).
 */
function standaloneWithoutIdentityCenter(ctx: StrategyContext): boolean {
  const { snapshot } = ctx;
  return snapshot.organization === undefined && snapshot.accounts.length === 1 && !identityCenterState(snapshot).inUse;
}

function planAwsLogin(ctx: StrategyContext): StrategyResult {
  const { user, account } = ctx;
  const profile = profileNameOf(account.accountId, user.name);
  const signInPolicy = user.attachedPolicies.some((policy) => policy.arn === SIGN_IN_POLICY_ARN);
  const activeKeys = user.accessKeys.filter((key) => key.status === 'Active').length;
  // The ARN goes into an INI file: one that is not an ARN (a newline, a bracket) is not printed.
  const session = isIdentifier('ARN', user.arn) ? user.arn : placeholder(`${user.name} user arn`);
  return {
    strategy: 'aws-login',
    target: `aws login with the console sign-in of ${user.name} (profile ${profile}); no access keys`,
    prerequisites: [
      {
        id: 'console-password',
        description: 'the user signs in to the console with a password',
        met: user.password.enabled,
      },
      { id: 'console-mfa', description: 'an MFA device for that console sign-in', met: user.mfaActive },
      { id: 'sign-in-policy', description: `${SIGN_IN_POLICY_ARN} attached to the user`, met: signInPolicy },
    ],
    blockers: [
      ...(user.password.enabled
        ? []
        : ['No console password: aws login signs in through the console; give the user one (with MFA) first.']),
      ...(user.mfaActive
        ? []
        : [
            'No MFA on the console sign-in: register an MFA device before the keys go, or aws login is a password alone.',
          ]),
      ...(session === user.arn
        ? []
        : ['The user ARN in the scan is not a valid ARN: fill the login_session placeholder in the profile.']),
    ],
    steps: [
      ...(signInPolicy
        ? []
        : [
            `Let the user use aws login: aws iam attach-user-policy --user-name ${shellWord(user.name)} --policy-arn ${SIGN_IN_POLICY_ARN}`,
          ]),
      `On the person's machine (AWS CLI ${MINIMUM_CLI}+): aws login --profile ${shellWord(profile)} (the browser sign-in asks for the password and MFA; the CLI refreshes the credentials for up to 12 hours).`,
      activeKeys === 0
        ? 'The user has no active access key: once aws login works, keep it that way.'
        : `Move every tool that used the ${activeKeys} active access key(s) to AWS_PROFILE=${shellWord(profile)}, then delete the keys from ~/.aws/credentials.`,
      'When the account joins an AWS Organization, enable IAM Identity Center and re-plan: the IAM user can then go too.',
      switchOffStep(ctx),
    ],
    artifacts: [
      {
        kind: 'config-change',
        accountId: account.accountId,
        userName: user.name,
        title: 'AWS CLI profile for aws login (~/.aws/config)',
        snippet: [`[profile ${profile}]`, `login_session = ${session}`, `region = ${ctx.region}`].join('\n'),
      },
    ],
    // The session carries the user's own permissions: nothing is granted that was not before.
    permissions: mirroredPermissions(ctx, "unchanged: aws login sessions carry the IAM user's own permissions"),
  };
}

export const strategy: StrategyDefinition = {
  id: 'aws-login',
  title: 'aws login: console sign-in (with MFA) gives the CLI temporary credentials; the access keys go',
  baseRisk: 1,
  classes: ['human'],
  applies: standaloneWithoutIdentityCenter,
  plan: planAwsLogin,
};
