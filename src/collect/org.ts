import { credentialOrigin, liveSnapshotFrame } from './live-collection.js';
import { IAMClient } from '@aws-sdk/client-iam';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import { AccountSchema, SnapshotSchema, type Snapshot } from '../model/snapshot.js';
import { collectAccount, requestCredentialReport } from './account.js';
import { ApiCallCounter, createAwsClient, type AwsClientSettings } from '../aws/clients.js';
import { createAccountClients, resolveScanCredentials, staleReportWarnings } from './clients.js';
import { collectOrganizationsAccessReports, reportEntities } from './org-access-report.js';
import {
  scanOrganization,
  sortGaps,
  type Credentials,
  type OrgCheckpoint,
  type OrgProgress,
  type OrgScanClients,
} from './org-scan.js';
import { AdaptiveLimit } from '../pool.js';
import type { AccessAdvisorScope } from '../model/access-advisor.js';
import { createRolesAnywhereApi, readRolesAnywhere } from './roles-anywhere.js';
import type { AccountFilters } from './select-accounts.js';

export interface OrgSnapshotOptions {
  profile?: string;
  region: string;
  roleName: string;
  externalId?: string;
  filters: AccountFilters;
  /** The most accounts collected at once; fewer while the caller is throttled. */
  concurrency: number;
  rolesAnywhereRegions: string[];
  /** `--access-advisor`: whose IAM access advisor to read in every account; absent: none. */
  accessAdvisor?: AccessAdvisorScope;
  now: () => Date;
  log?: (line: string) => void;
  checkpoint?: OrgCheckpoint;
  onProgress?: (progress: OrgProgress) => void;
}

/** Accounts collected at once when a scan starts; the limit grows from here while nothing throttles. */
const INITIAL_CONCURRENCY = 8;

/**
 * Accounts in flight hold their authorization details in memory; past this heap size no new
 * account starts until one finishes, so a few very large accounts cannot add up past the
 * memory target (bench/README.md).
 */
const HEAP_BUDGET_BYTES = 512 * 2 ** 20;

function callerClients(settings: AwsClientSettings): OrgScanClients {
  return {
    sts: createAwsClient(STSClient, 'sts', settings),
    organizations: createAwsClient(OrganizationsClient, 'organizations', settings),
    ssoAdmin: createAwsClient(SSOAdminClient, 'sso', settings),
    identityStore: createAwsClient(IdentitystoreClient, 'identitystore', settings),
    iam: createAwsClient(IAMClient, 'iam', settings),
  };
}

/**
 * `roleshift scan --org`: the whole Organization as one Snapshot. Each account is collected
 * exactly as the single-account scan does, with credentials from the audit role. This is where
 * the scan's clients are built; `scanOrganization` only uses them.
 */
export async function collectOrganizationSnapshot(options: OrgSnapshotOptions): Promise<Snapshot> {
  const startedAt = options.now();
  const credentials = await resolveScanCredentials(options.profile);
  const counter = new ApiCallCounter();
  const limit = new AdaptiveLimit({
    initial: Math.min(INITIAL_CONCURRENCY, options.concurrency),
    max: options.concurrency,
  });
  const callerSettings: AwsClientSettings = {
    region: options.region,
    credentials,
    counter,
    // STS and Organizations limit the caller as a whole: fewer accounts at once is the answer.
    onThrottle: () => limit.throttled(),
  };
  const caller = callerClients(callerSettings);
  try {
    const result = await scanOrganization({
      clients: caller,
      credentials,
      region: options.region,
      roleName: options.roleName,
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
      filters: options.filters,
      limit,
      rolesAnywhereRegions: options.rolesAnywhereRegions,
      counter,
      canStart: () => process.memoryUsage().heapUsed < HEAP_BUDGET_BYTES,
      ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      openAccount: async (accountCredentials, accountId) => openAccount(accountCredentials, accountId, options),
      readRolesAnywhere: (accountCredentials, accountId, region) =>
        readRolesAnywhere(
          createRolesAnywhereApi({ region, credentials: accountCredentials, onCall: (api) => counter.add(api) }),
          accountId,
          region,
        ),
    });
    const withReports = options.accessAdvisor === undefined ? result : await addAccessReports(result, caller.iam);
    return organizationSnapshot({ ...withReports, apiCalls: counter.toRecord() }, options, startedAt);
  } finally {
    for (const client of Object.values(caller)) client.destroy();
  }
}

type OrgScanResult = Awaited<ReturnType<typeof scanOrganization>>;

/**
 * `--org --access-advisor`: the Organizations access report for the root, the OUs and the accounts
 * scanned, from the caller (AWS answers it only in the management account; elsewhere it is a gap).
 */
async function addAccessReports(result: OrgScanResult, iam: IAMClient): Promise<OrgScanResult> {
  if (result.organization === undefined) return result;
  const scanned = new Set(result.accounts.map((account) => account.accountId));
  const read = await collectOrganizationsAccessReports(iam, reportEntities(result.organization, scanned));
  return {
    ...result,
    organization: { ...result.organization, accessReports: read.reports },
    gaps: sortGaps([...result.gaps, ...read.gaps]),
  };
}

async function openAccount(credentials: Credentials, accountId: string, options: OrgSnapshotOptions) {
  const clients = createAccountClients({ region: options.region, credentials, accountId: () => accountId });
  const reportRequest = requestCredentialReport(clients);
  return {
    collect: async () => {
      const result = await collectAccount(clients, {
        now: options.now,
        accountId,
        reportRequest,
        ...(options.log ? { log: options.log } : {}),
        ...(options.accessAdvisor === undefined ? {} : { accessAdvisor: { scope: options.accessAdvisor } }),
      });
      // Validated as it arrives: the whole snapshot is never copied by one parse at the end.
      return result.account === null ? result : { ...result, account: AccountSchema.parse(result.account) };
    },
    close: () => clients.destroy(),
  };
}

/** Everything of the snapshot but its accounts, which are validated one by one as they arrive. */
const SnapshotFrame = SnapshotSchema.omit({ accounts: true });

function organizationSnapshot(result: OrgScanResult, options: OrgSnapshotOptions, startedAt: Date): Snapshot {
  const warnings = [...result.warnings, ...staleReportWarnings(result.accounts, options.now())];
  const { schemaVersion, collection, ...rest } = SnapshotFrame.parse({
    ...liveSnapshotFrame({
      startedAt,
      finishedAt: options.now(),
      apiCalls: result.apiCalls,
      origin: [
        `organization ${result.organization?.id ?? 'unknown'}`,
        credentialOrigin(options.profile),
        `role ${options.roleName}`,
      ],
      warnings,
    }),
    gaps: result.gaps,
    ...(result.organization ? { organization: result.organization } : {}),
    ...(result.rootAccess ? { rootAccess: result.rootAccess } : {}),
    ...(result.identityCenterInstance ? { identityCenterInstance: result.identityCenterInstance } : {}),
    rolesAnywhere: result.rolesAnywhere,
    ...(result.awsManagedPolicies.length > 0 ? { awsManagedPolicies: result.awsManagedPolicies } : {}),
  });
  return { schemaVersion, collection, accounts: result.accounts, ...rest };
}
