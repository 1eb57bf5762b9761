import type { CheckDefinition, CheckResult } from '../check.js';
import { accountSubject, failed, passed } from '../../model/rule.js';
import { whenToDate } from '../../model/when.js';

/** roleshift: the credential report is cached by AWS; an old one makes every credential finding lag. */
export const rule: CheckDefinition = {
  id: 'stale-credential-report',
  title: 'Credential report is stale; results may lag',
  severity: 'low',
  rationale:
    'Last-used dates and key states come from the credential report, which AWS regenerates at most every 4 hours; findings based on an older one may miss a key created or used since.',
  remediation:
    'Run roleshift scan again (it asks for a fresh report), or generate one with aws iam generate-credential-report before exporting files.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html'],
  },
  parameters: (config) => ({ credentialReportMaxAgeHours: config.thresholds.credentialReportMaxAgeHours }),
  evaluate: (snapshot, { now, config }) => {
    const limit = config.thresholds.credentialReportMaxAgeHours;
    const out: CheckResult[] = [];
    for (const account of snapshot.accounts) {
      const subject = accountSubject(account);
      const generated = account.credentialReport ? whenToDate(account.credentialReport.generatedAt) : null;
      if (generated === null) {
        out.push(failed(subject, 'no dated credential report: password and key usage facts are missing or undated'));
        continue;
      }
      const hours = (now.getTime() - generated.getTime()) / 3_600_000;
      out.push(
        hours > limit
          ? failed(
              subject,
              `the credential report is ${hours >= 48 ? `${Math.floor(hours / 24)} days` : `${Math.floor(hours)} hours`} old (more than ${limit} hours)`,
            )
          : passed(subject, 'credential report is fresh'),
      );
    }
    return out;
  },
};
