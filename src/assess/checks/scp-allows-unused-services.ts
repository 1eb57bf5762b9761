import type { CheckDefinition, CheckResult } from '../check.js';
import { accountSubject, failed, passed, type Subject } from '../../model/rule.js';
import {
  ACCESS_ADVISOR_WINDOW_DAYS,
  usedSince,
  windowStart,
  type OrgAccessReport,
} from '../../model/access-advisor.js';
import type { Snapshot } from '../../model/snapshot.js';

/** How many unused services a message names before it only counts the rest. */
const NAMED = 8;

function subjectOf(snapshot: Snapshot, report: OrgAccessReport): Subject {
  const account = snapshot.accounts.find((candidate) => candidate.accountId === report.targetId);
  if (account) return accountSubject(account);
  return { accountId: report.targetId, resourceType: 'account', resourceArn: null, resourceName: report.targetId };
}

function judge(snapshot: Snapshot, report: OrgAccessReport): CheckResult[] {
  const since = windowStart(report);
  if (since === null) return [];
  const subject = subjectOf(snapshot, report);
  const unused = report.services.filter((service) => !usedSince(service.lastAuthenticated, since));
  if (unused.length === 0) {
    // A report read only in part proves nothing about the services it did not list.
    return report.complete ? [passed(subject, `uses all ${report.services.length} service(s) its SCPs allow`)] : [];
  }
  const names = unused.map((service) => service.service);
  const shown = names.slice(0, NAMED).join(', ') + (names.length > NAMED ? ` and ${names.length - NAMED} more` : '');
  const never = unused.filter((service) => service.lastAuthenticated.state === 'never').length;
  const floor = report.complete ? '' : 'at least ';
  return [
    failed(
      subject,
      `${floor}${unused.length} of ${report.services.length} service(s) its SCPs allow unused by every principal in the account for ${ACCESS_ADVISOR_WINDOW_DAYS}+ days (${never} never used); an SCP allow-list for ${report.entityPath} would take away ${shown}`,
    ),
  ];
}

/**
 * Services the SCPs over a member account allow that no principal in it (root user, IAM user or
 * role) used for 90 days or more, from IAM's Organizations access report: what an SCP allow-list
 * would take away from that account, counted and named.
 */
export const rule: CheckDefinition = {
  id: 'scp-allows-unused-services',
  title: 'SCPs allow services an account has not used for 90 days or more (Organizations access report)',
  severity: 'low',
  rationale:
    'A service no one in an account uses but its SCPs still allow is room for a stolen credential or a mistaken grant. IAM records, per account of an Organization, the last use of every service its SCPs allow.',
  remediation:
    'Attach an SCP that allows only the services the account uses (or denies the unused ones) to the account or its OU; scan again with --org --access-advisor to confirm.',
  references: {
    cis: [],
    securityHub: [],
    links: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed-view-data-orgs.html',
      'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_strategies.html',
    ],
  },
  parameters: () => ({ unusedServiceDays: ACCESS_ADVISOR_WINDOW_DAYS }),
  evaluate: (snapshot) =>
    (snapshot.organization?.accessReports ?? [])
      .filter((report) => report.entity === 'account')
      .flatMap((report) => judge(snapshot, report)),
};
