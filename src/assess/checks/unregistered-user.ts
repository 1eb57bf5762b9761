import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import { findException } from '../exceptions.js';

/** roleshift: every IAM user with a long-lived credential is either on its way out or an accepted exception. */
export const rule: CheckDefinition = {
  id: 'unregistered-user',
  title: 'IAM user neither migrated nor registered as an exception',
  severity: 'low',
  rationale:
    'The goal is zero IAM users; each remaining one should be on a migration plan or consciously accepted with an owner and an expiry. Anything else is drift.',
  remediation:
    'Plan its replacement (roleshift plan USER), or add it to the exceptions register with a reason, owner, expiry and compensating controls.',
  references: { cis: [], securityHub: [], links: [] },
  parameters: (config) => ({ exceptionsFile: config.exceptionsFile }),
  evaluate: (snapshot, context) =>
    eachUser(snapshot).map(({ account, user }) => {
      const subject = userSubject(account, user);
      const longLived = user.password.enabled || user.accessKeys.some((k) => k.status === 'Active');
      if (!longLived) return passed(subject, 'no long-lived credential left');
      if (context.migrating?.has(user.arn)) return passed(subject, 'migration under way');
      if (findException(context.exceptions, account.accountId, user.name))
        return passed(subject, 'registered exception');
      return failed(subject, 'has long-lived credentials and is neither being migrated nor a registered exception');
    }),
};
