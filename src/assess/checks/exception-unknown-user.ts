import type { CheckDefinition, CheckResult } from '../check.js';
import { exceptionResult, exceptionSubject } from '../exception-subject.js';

/** roleshift: a register entry for a user that no longer exists in a scanned account. */
export const rule: CheckDefinition = {
  id: 'exception-unknown-user',
  title: 'Exception names a user that does not exist',
  severity: 'low',
  rationale:
    'A stale entry makes the register untrustworthy, and would silently cover a new user created later under the same name.',
  remediation: 'Remove the entry from the register (the user is gone: one exception fewer).',
  references: { cis: [], securityHub: [], links: [] },
  parameters: (config) => ({ exceptionsFile: config.exceptionsFile }),
  evaluate: (snapshot, { exceptions }) => {
    const out: CheckResult[] = [];
    for (const entry of exceptions ?? []) {
      const account = snapshot.accounts.find((a) => a.accountId === entry.account);
      // An account that was not scanned says nothing about the entry.
      if (!account) continue;
      const exists = account.users.some((u) => u.name === entry.user);
      out.push(
        exists
          ? exceptionResult('pass', exceptionSubject(snapshot, entry), 'user exists')
          : exceptionResult(
              'fail',
              exceptionSubject(snapshot, entry),
              `no user ${entry.user} in account ${entry.account}`,
            ),
      );
    }
    return out;
  },
};
