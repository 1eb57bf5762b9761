import {
  GenerateOrganizationsAccessReportCommand,
  GetOrganizationsAccessReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { OrgAccessReport } from '../model/access-advisor.js';
import type { Organization } from '../model/organization.js';
import type { Gap } from '../model/snapshot.js';
import { byService, normalizeOrganizationsAccessReportPage } from './access-advisor-shape.js';
import { runReportJobs, type JobTiming } from './access-jobs.js';
import { compare } from './gaad.js';

/**
 * IAM's Organizations access report, read from the management account with `scan --org
 * --access-advisor`: one `GenerateOrganizationsAccessReport` job per root, OU and scanned account,
 * polled with `GetOrganizationsAccessReport` by the same job runner as access advisor
 * (access-jobs.ts). An entity whose report fails is absent, with a gap naming its entity path;
 * one whose pages could not all be read is kept and marked incomplete.
 */

export interface OrgEntity {
  entityPath: string;
  entity: OrgAccessReport['entity'];
  targetId: string;
}

/** GetOrganizationsAccessReport answers at most 1,000 services a page; AWS has fewer than 500. */
const PAGE_SIZE = 1000;

/**
 * The entities to report on: the root, every OU above a scanned account, and each scanned member
 * account. An OU with no scanned account under it has no principals the scan looked at, so it is
 * left out; so is the management account's own report, since SCPs do not limit it.
 */
export function reportEntities(organization: Organization, scannedAccountIds: ReadonlySet<string>): OrgEntity[] {
  const entities = new Map<string, OrgEntity>();
  for (const account of organization.accounts) {
    if (!scannedAccountIds.has(account.accountId) || account.ouIds.length === 0) continue;
    const [rootId, ...ouIds] = account.ouIds as [string, ...string[]];
    const parts = [organization.id, rootId];
    entities.set(parts.join('/'), { entityPath: parts.join('/'), entity: 'root', targetId: rootId });
    for (const ouId of ouIds) {
      parts.push(ouId);
      entities.set(parts.join('/'), { entityPath: parts.join('/'), entity: 'ou', targetId: ouId });
    }
    if (account.accountId === organization.managementAccountId) continue;
    const accountPath = [...parts, account.accountId].join('/');
    entities.set(accountPath, { entityPath: accountPath, entity: 'account', targetId: account.accountId });
  }
  return [...entities.values()].sort((a, b) => compare(a.entityPath, b.entityPath));
}

/** Every entity's report, started at once and polled until each finishes. */
export async function collectOrganizationsAccessReports(
  iam: IAMClient,
  entities: readonly OrgEntity[],
  timing: JobTiming = {},
): Promise<{ reports: OrgAccessReport[]; gaps: Gap[] }> {
  const { reports, gaps } = await runReportJobs(
    {
      startApi: 'iam:GenerateOrganizationsAccessReport',
      getApi: 'iam:GetOrganizationsAccessReport',
      label: (entity: OrgEntity) => entity.entityPath,
      async start(entity) {
        const answer = await iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: entity.entityPath }));
        if (!answer.JobId) throw new Error('GenerateOrganizationsAccessReport returned no JobId');
        return answer.JobId;
      },
      async page(jobId, marker) {
        const answer = await iam.send(
          new GetOrganizationsAccessReportCommand({
            JobId: jobId,
            MaxItems: PAGE_SIZE,
            ...(marker === undefined ? {} : { Marker: marker }),
          }),
        );
        return normalizeOrganizationsAccessReportPage(answer, 'iam:GetOrganizationsAccessReport');
      },
    },
    entities,
    timing,
  );
  const read: OrgAccessReport[] = reports
    .map((report) => ({
      ...report.subject,
      generatedAt: report.generatedAt,
      complete: report.complete,
      servicesAllowed: report.totals.allowed,
      servicesNotAccessed: report.totals.notAccessed,
      services: byService(report.items),
    }))
    .sort((a, b) => compare(a.entityPath, b.entityPath));
  return { reports: read, gaps };
}
