import { credentialOrigin, liveSnapshotFrame } from './live-collection.js';
import { STSClient } from '@aws-sdk/client-sts';
import { SnapshotSchema, type Snapshot } from '../model/snapshot.js';
import type { AccessAdvisorScope } from '../model/access-advisor.js';
import { collectAccount } from './account.js';
import { createAccountClients, resolveScanCredentials, staleReportWarnings } from './clients.js';

export interface LiveScanOptions {
  profile?: string;
  region?: string;
  now: () => Date;
  log?: (line: string) => void;
  /** `--access-advisor`: whose IAM access advisor to read; absent: none. */
  accessAdvisor?: AccessAdvisorScope;
}

/** IAM is global; without any configured region its calls go to us-east-1 like the AWS CLI's. */
const FALLBACK_REGION = 'us-east-1';

/** `--region`, else the SDK's own resolution (environment, then the profile's region), else us-east-1. */
async function resolveRegion(options: LiveScanOptions): Promise<string> {
  if (options.region !== undefined) return options.region;
  const probe = new STSClient(options.profile === undefined ? {} : { profile: options.profile });
  try {
    return await probe.config.region();
  } catch {
    return FALLBACK_REGION;
  } finally {
    probe.destroy();
  }
}

/**
 * Scans the account the default credential chain (or `profile`) leads to. Credentials that
 * cannot be found at all are a user error; every AWS call that fails after that is a gap.
 */
export async function collectLive(options: LiveScanOptions): Promise<Snapshot> {
  const startedAt = options.now();
  const region = await resolveRegion(options);
  const credentials = await resolveScanCredentials(options.profile);
  const clients = createAccountClients({
    region,
    credentials,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  });
  try {
    const result = await collectAccount(clients, {
      now: options.now,
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.accessAdvisor === undefined ? {} : { accessAdvisor: { scope: options.accessAdvisor } }),
    });
    const warnings = [
      ...result.warnings,
      ...staleReportWarnings(result.account === null ? [] : [result.account], options.now()),
    ];
    return SnapshotSchema.parse({
      ...liveSnapshotFrame({
        startedAt,
        finishedAt: options.now(),
        apiCalls: result.apiCalls,
        origin: [credentialOrigin(options.profile), `region ${region}`],
        warnings,
      }),
      accounts: result.account === null ? [] : [result.account],
      gaps: result.gaps,
    });
  } finally {
    clients.destroy();
  }
}
