import type { CheckDefinition, CheckResult } from '../check.js';
import { failed, passed, rootSubject } from '../../model/rule.js';
import { daysSince } from '../../model/when.js';

/** CIS 1.7: the root user was used recently. */
export const rule: CheckDefinition = {
  id: 'root-recent-use',
  title: 'Root user used recently',
  severity: 'high',
  rationale:
    'Day-to-day use of root means its password (and MFA) are handled often and its actions bypass every IAM guardrail; root is for the few tasks that need it.',
  remediation:
    'Find out who used root and why (CloudTrail, userIdentity.type = Root); give them a role for that work and lock root away.',
  references: {
    cis: ['1.7'],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html'],
  },
  parameters: (config) => ({ rootRecentUseDays: config.thresholds.rootRecentUseDays }),
  evaluate: (snapshot, { now, config }) => {
    const limit = config.thresholds.rootRecentUseDays;
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      const root = account.root;
      if (!root) continue;
      const uses = [
        { what: 'password', when: root.passwordLastUsed },
        ...root.accessKeys.map((k) => ({ what: `access key ${k.slot}`, when: k.lastUsed })),
      ]
        .map((u) => ({ ...u, days: daysSince(u.when, now) }))
        .filter((u): u is typeof u & { days: number } => u.days !== null && u.days <= limit);
      const subject = rootSubject(account, root);
      if (uses.length > 0) {
        const text = uses.map((u) => `${u.what} ${u.days === 0 ? 'today' : `${u.days} days ago`}`).join(', ');
        out.push(failed(subject, `root was used within ${limit} days: ${text}`));
      } else out.push(passed(subject, `root not used within ${limit} days`));
    }
    return out;
  },
};
