import {
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { AccessAdvisor, AccessAdvisorScope, PrincipalAccess } from '../model/access-advisor.js';
import type { Gap } from '../model/snapshot.js';
import { byService, normalizeServiceLastAccessedPage } from './access-advisor-shape.js';
import { runReportJobs, type JobTiming } from './access-jobs.js';
import { compare, type Gaad } from './gaad.js';

/**
 * IAM access advisor for one account: a `GenerateServiceLastAccessedDetails` job at action level
 * for every principal, started at once and polled with `GetServiceLastAccessedDetails` until each
 * completes (access-jobs.ts). A principal whose report fails is absent, with a gap naming it; one
 * whose pages could not all be read is kept and marked incomplete.
 */

export interface AccessAdvisorOptions extends JobTiming {
  scope: AccessAdvisorScope;
}

export interface AdvisorPrincipal {
  arn: string;
  kind: PrincipalAccess['kind'];
}

/** GetServiceLastAccessedDetails answers at most 1,000 services a page; AWS has fewer than 500. */
const PAGE_SIZE = 1000;

/** The principals of the scope, from the authorization details just read. */
export function advisorPrincipals(gaad: Gaad, scope: AccessAdvisorScope): AdvisorPrincipal[] {
  const users = gaad.users.map((user) => ({ arn: user.arn, kind: 'user' as const }));
  // A service-linked role's permissions are its service's to change, not the account's.
  const roles =
    scope === 'users-and-roles'
      ? gaad.roles
          .filter((role) => !role.path.startsWith('/aws-service-role/'))
          .map((role) => ({ arn: role.arn, kind: 'role' as const }))
      : [];
  return [...users, ...roles].sort((a, b) => compare(a.arn, b.arn));
}

/** Every job of one account's access advisor, started at once and polled until each finishes. */
export async function collectAccessAdvisor(
  iam: IAMClient,
  principals: readonly AdvisorPrincipal[],
  options: AccessAdvisorOptions,
): Promise<{ advisor: AccessAdvisor; gaps: Gap[] }> {
  const { reports, gaps } = await runReportJobs(
    {
      startApi: 'iam:GenerateServiceLastAccessedDetails',
      getApi: 'iam:GetServiceLastAccessedDetails',
      label: (principal: AdvisorPrincipal) => principal.arn,
      async start(principal) {
        const answer = await iam.send(
          new GenerateServiceLastAccessedDetailsCommand({ Arn: principal.arn, Granularity: 'ACTION_LEVEL' }),
        );
        if (!answer.JobId) throw new Error('GenerateServiceLastAccessedDetails returned no JobId');
        return answer.JobId;
      },
      async page(jobId, marker) {
        const answer = await iam.send(
          new GetServiceLastAccessedDetailsCommand({
            JobId: jobId,
            MaxItems: PAGE_SIZE,
            ...(marker === undefined ? {} : { Marker: marker }),
          }),
        );
        return normalizeServiceLastAccessedPage(answer, 'iam:GetServiceLastAccessedDetails');
      },
    },
    principals,
    options,
  );
  const read: PrincipalAccess[] = reports
    .map((report) => ({
      arn: report.subject.arn,
      kind: report.subject.kind,
      generatedAt: report.generatedAt,
      complete: report.complete,
      services: byService(report.items),
    }))
    .sort((a, b) => compare(a.arn, b.arn));
  return { advisor: { principals: read }, gaps };
}
