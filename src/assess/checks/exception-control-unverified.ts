import type { CheckDefinition, CheckResult } from '../check.js';
import { verifyControls } from '../exceptions.js';
import { exceptionResult, exceptionSubject } from '../exception-subject.js';

/** roleshift: an exception whose claimed compensating controls are not in place. */
export const rule: CheckDefinition = {
  id: 'exception-control-unverified',
  title: 'Exception claims a compensating control that is not in place',
  severity: 'medium',
  rationale:
    'An exception is accepted because of its compensating controls (a source-address restriction, a scoped policy, rotation); a control that exists only in the register protects nothing.',
  remediation:
    'Put the claimed control in place (e.g. an aws:SourceIp condition on the user policy) or correct the register.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html'],
  },
  parameters: (config) => ({ exceptionsFile: config.exceptionsFile }),
  evaluate: (snapshot, { exceptions, now }) => {
    const out: CheckResult[] = [];
    for (const entry of exceptions ?? []) {
      const account = snapshot.accounts.find((a) => a.accountId === entry.account);
      const user = account?.users.find((u) => u.name === entry.user);
      if (!account || !user) continue;
      const subject = exceptionSubject(snapshot, entry);
      const verdicts = verifyControls(entry, snapshot, account, user, now);
      if (verdicts.length === 0) {
        out.push({
          ...exceptionResult('fail', subject, 'the exception claims no compensating control'),
          severity: 'low',
        });
        continue;
      }
      const unverified = verdicts.filter((v) => !v.verified);
      out.push(
        unverified.length > 0
          ? exceptionResult(
              'fail',
              subject,
              `claimed control not in place: ${unverified.map((v) => `${v.control}: ${v.detail}`).join('; ')}`,
            )
          : exceptionResult('pass', subject, `controls verified: ${verdicts.map((v) => v.control).join(', ')}`),
      );
    }
    return out;
  },
};
