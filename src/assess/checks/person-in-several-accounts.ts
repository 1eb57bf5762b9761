import type { CheckDefinition, CheckResult } from '../check.js';
import { classificationOf } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';

/** roleshift: one person with IAM users in several accounts (identity sprawl). */
export const rule: CheckDefinition = {
  id: 'person-in-several-accounts',
  title: 'One person has IAM users in several accounts',
  severity: 'low',
  rationale:
    'Each extra IAM user is another password and key set to protect and to remember when the person leaves; one identity with access to several accounts is what IAM Identity Center gives.',
  remediation:
    'Give the person one Identity Center user with a permission set per account, then retire the IAM users one by one.',
  references: {
    cis: ['1.21'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-accounts.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot, context) => {
    const accountsOf = new Map<string, Set<string>>();
    for (const c of context.classifications) {
      if (c.personKey === null) continue;
      accountsOf.set(c.personKey, (accountsOf.get(c.personKey) ?? new Set()).add(c.accountId));
    }
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      for (const user of account.users) {
        const c = classificationOf(context, user.arn);
        if (!c || c.personKey === null) continue;
        const accounts = [...(accountsOf.get(c.personKey) ?? [])].sort();
        const subject = userSubject(account, user);
        out.push(
          accounts.length > 1
            ? failed(
                subject,
                `the same person (${c.personKey}) has IAM users in ${accounts.length} accounts: ${accounts.join(', ')}`,
              )
            : passed(subject, 'one account only'),
        );
      }
    }
    return out;
  },
};
