import { SNAPSHOT_SCHEMA_VERSION, SnapshotSchema, type Snapshot } from '../model/snapshot.js';
import { TOOL_VERSION } from '../version.js';
import { collectAccount } from './account.js';
import { createAccountClients, resolveScanCredentials, staleReportWarnings } from './clients.js';
import { scanOrganization, type OrgCheckpoint, type OrgProgress } from './org-scan.js';
import type { AccountFilters } from './select-accounts.js';

export interface OrgSnapshotOptions {
  profile?: string;
  region: string;
  roleName: string;
  externalId?: string;
  filters: AccountFilters;
  concurrency: number;
  rolesAnywhereRegions: string[];
  now: () => Date;
  log?: (line: string) => void;
  checkpoint?: OrgCheckpoint;
  onProgress?: (progress: OrgProgress) => void;
}

/**
 * `roleshift scan --org`: the whole Organization as one Snapshot. Each account is collected
 * exactly as the single-account scan does, with credentials from the audit role.
 */
export async function collectOrganizationSnapshot(options: OrgSnapshotOptions): Promise<Snapshot> {
  const startedAt = options.now();
  const credentials = await resolveScanCredentials(options.profile);
  const result = await scanOrganization({
    credentials,
    region: options.region,
    roleName: options.roleName,
    ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
    filters: options.filters,
    concurrency: options.concurrency,
    rolesAnywhereRegions: options.rolesAnywhereRegions,
    clientConfig: { retryMode: 'adaptive', maxAttempts: 8 },
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    collectAccount: async (accountCredentials, accountId) => {
      const clients = createAccountClients({ region: options.region, credentials: accountCredentials });
      try {
        return await collectAccount(clients, {
          now: options.now,
          accountId,
          ...(options.log ? { log: options.log } : {}),
        });
      } finally {
        clients.iam.destroy();
        clients.sts.destroy();
      }
    },
  });
  const warnings = [...result.warnings, ...staleReportWarnings(result.accounts, options.now())];
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return SnapshotSchema.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collection: {
      source: 'live',
      startedAt: startedAt.toISOString(),
      finishedAt: options.now().toISOString(),
      toolVersion: TOOL_VERSION,
      apiCalls: result.apiCalls,
      origin: [
        `organization ${result.organization?.id ?? 'unknown'}`,
        options.profile === undefined ? 'default credential chain' : `profile ${options.profile}`,
        `role ${options.roleName}`,
        ...(endpoint ? [`endpoint ${endpoint}`] : []),
      ].join(', '),
      warnings,
    },
    accounts: result.accounts,
    gaps: result.gaps,
    ...(result.organization ? { organization: result.organization } : {}),
    ...(result.identityCenterInstance ? { identityCenterInstance: result.identityCenterInstance } : {}),
    rolesAnywhere: result.rolesAnywhere,
  });
}
