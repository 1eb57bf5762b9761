import type { CheckDefinition } from '../check.js';
import { isExpired } from '../exceptions.js';
import { exceptionResult, exceptionSubject } from '../exception-subject.js';

/** roleshift: an accepted exception past its expiry date. */
export const rule: CheckDefinition = {
  id: 'exception-expired',
  title: 'Exception has expired',
  severity: 'medium',
  rationale: 'An exception is a time-boxed acceptance of risk; past its expiry nobody has accepted the risk any more.',
  remediation: 'Migrate the user, or have its owner review the exception and set a new expiry.',
  references: { cis: [], securityHub: [], links: [] },
  parameters: (config) => ({ exceptionsFile: config.exceptionsFile }),
  evaluate: (snapshot, { exceptions, now }) =>
    (exceptions ?? []).map((entry) =>
      isExpired(entry, now)
        ? exceptionResult(
            'fail',
            exceptionSubject(snapshot, entry),
            `the exception expired on ${entry.expires} (owner ${entry.owner})`,
          )
        : exceptionResult('pass', exceptionSubject(snapshot, entry), `valid until ${entry.expires}`),
    ),
};
