import type { CheckDefinition } from '../check.js';
import { reviewOverdueDays } from '../exceptions.js';
import { exceptionResult, exceptionSubject } from '../exception-subject.js';

/** roleshift: an exception whose periodic review is late. */
export const rule: CheckDefinition = {
  id: 'exception-review-overdue',
  title: 'Exception review is overdue',
  severity: 'low',
  rationale:
    'The reasons for an exception change (the vendor adds OIDC, the workload moves); a regular review is what keeps an exception from becoming permanent.',
  remediation: 'Have the owner review the exception and update lastReviewed in the register.',
  references: { cis: [], securityHub: [], links: [] },
  parameters: (config) => ({ exceptionsFile: config.exceptionsFile }),
  evaluate: (snapshot, { exceptions, now }) =>
    (exceptions ?? [])
      .filter((entry) => entry.reviewEveryDays !== null)
      .map((entry) => {
        const overdue = reviewOverdueDays(entry, now);
        const subject = exceptionSubject(snapshot, entry);
        if (overdue === null) return exceptionResult('pass', subject, 'review is up to date');
        const text = Number.isFinite(overdue)
          ? `${overdue} days overdue (every ${entry.reviewEveryDays} days, last ${entry.lastReviewed})`
          : 'never reviewed';
        return exceptionResult('fail', subject, `review ${text}; owner ${entry.owner}`);
      }),
};
