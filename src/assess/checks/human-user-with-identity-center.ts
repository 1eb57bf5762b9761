import type { CheckDefinition, CheckResult } from '../check.js';
import { classificationOf } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import type { Account, Snapshot } from '../../model/snapshot.js';

function identityCenterServes(snapshot: Snapshot, account: Account): boolean {
  if (account.identityCenter.inUse) return true;
  return snapshot.identityCenterInstance?.assignments.some((a) => a.accountId === account.accountId) ?? false;
}

/**
 * CIS 1.21: people should sign in through central identity. Tested on the users themselves (the
 * classification says which are people), not on whether a SAML provider exists.
 */
export const rule: CheckDefinition = {
  id: 'human-user-with-identity-center',
  title: 'Person signs in as an IAM user where IAM Identity Center is in use',
  severity: 'medium',
  rationale:
    'Where IAM Identity Center already serves the account, an IAM user for a person is a second, unmanaged identity: it survives the person leaving, skips central MFA and session limits, and holds long-lived credentials.',
  remediation:
    'Assign the person a permission set in IAM Identity Center with the same rights, then retire the IAM user (roleshift plan / remediate).',
  references: {
    cis: ['1.21'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, context) => {
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      if (!identityCenterServes(snapshot, account)) continue;
      for (const user of account.users) {
        const c = classificationOf(context, user.arn);
        const subject = userSubject(account, user);
        if (c?.class === 'human')
          out.push(
            failed(
              subject,
              `a person (confidence ${c.confidence}) with an IAM user although IAM Identity Center serves this account`,
            ),
          );
        else out.push(passed(subject, `classified ${c?.class ?? 'unknown'}, not a person`));
      }
    }
    return out;
  },
};
