/**
 * The one assessment pipeline: estate in, classifications, findings, plan and KPIs out. Every
 * command that shows any of them (findings, plan, generate, report, serve, remediate, and the
 * KPIs stored by scan for history) calls this, so they can never disagree about the same estate.
 */
import { loadActionCatalog } from '../activity/actions.js';
import type { ActivityEvidence } from '../assess/activity-evidence.js';
import type { CheckContext } from '../assess/check.js';
import { classifyUsers } from '../assess/classify.js';
import type { ExceptionEntry } from '../assess/exceptions.js';
import {
  computeKpis,
  creationTimes,
  exceptionReviews,
  kpisToRecord,
  remediationsFromJournal,
  type JournalEntry,
} from '../assess/kpis.js';
import { runChecks, trustFindings } from '../assess/run-checks.js';
import { usageToActivityEvidence } from '../assess/usage-evidence.js';
import type { RoleshiftConfig } from '../config.js';
import type { Classification } from '../model/classification.js';
import type { Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Usage } from '../model/usage.js';
import { planMigration, type PlanException } from '../plan/plan.js';
import type { MigrationPlan, UsageByUser } from '../plan/types.js';
import { usageByUser } from '../plan/usage.js';

/** Everything the assessment of one estate depends on; nothing else is read. */
export interface Estate {
  snapshot: Snapshot;
  config: RoleshiftConfig;
  /** The exceptions register; null when there is none (then no user counts as registered). */
  exceptions: ExceptionEntry[] | null;
  /** The remediation journal; null when nothing was ever remediated. */
  journal: readonly JournalEntry[] | null;
  /** Creation times of users the journal deleted, read from earlier scans (`ACCOUNT/USER` → ISO). */
  earlierCreationTimes: ReadonlyMap<string, string>;
  /** The secret every ExternalId derives from (see `seed.ts`). */
  externalIdSeed: string;
  /** The clock of the whole run. */
  now: Date;
}

export interface Assessment {
  classifications: Classification[];
  /** Failures and errors of the checks and the trust rules (passes are not kept: no output shows them). */
  findings: Finding[];
  plan: MigrationPlan;
  /** The score of this estate, as `Store.saveScan` keeps it. */
  kpis: Record<string, number>;
  /** Whether CloudTrail usage narrowed the replacement policies (else they mirror current ones). */
  leastPrivilege: boolean;
}

/** The planner's view of the register. */
function planExceptions(exceptions: readonly ExceptionEntry[] | null): PlanException[] {
  return (exceptions ?? []).map((entry) => ({
    accountId: entry.account,
    userName: entry.user,
    reason: entry.reason,
    expires: entry.expires,
  }));
}

/** Least-privilege facts per user from the scan's CloudTrail usage, with the IAM data of the actions seen. */
async function plannedUsage(usage: Usage | undefined): Promise<UsageByUser | undefined> {
  if (usage === undefined) return undefined;
  const actions = usage.principals.flatMap((principal) => principal.actions.map((action) => action.action));
  return usageByUser(usage, await loadActionCatalog(actions));
}

function kpisOf(estate: Estate, classifications: Classification[]): Record<string, number> {
  // The current snapshot knows most users; earlier scans fill in the ones deleted since.
  const times = new Map([...estate.earlierCreationTimes, ...creationTimes(estate.snapshot)]);
  return kpisToRecord(
    computeKpis({
      snapshot: estate.snapshot,
      now: estate.now,
      classify: () => classifications,
      exceptions: exceptionReviews(estate.exceptions ?? []),
      remediations: remediationsFromJournal(estate.journal ?? [], times),
    }),
  );
}

function checkContext(estate: Estate, classifications: Classification[], activity?: ActivityEvidence): CheckContext {
  return {
    now: estate.now,
    config: estate.config,
    classifications,
    exceptions: estate.exceptions,
    ...(activity === undefined ? {} : { usage: activity }),
  };
}

export async function assessEstate(estate: Estate): Promise<Assessment> {
  const { snapshot, config, now } = estate;
  const activity = snapshot.usage === undefined ? undefined : usageToActivityEvidence(snapshot.usage);
  const classifications = classifyUsers(snapshot, activity === undefined ? { config } : { config, activity });
  const checks = runChecks(snapshot, checkContext(estate, classifications, activity));
  const trust = trustFindings(snapshot);
  const usage = await plannedUsage(snapshot.usage);
  const plan = planMigration(snapshot, {
    classifications,
    usage,
    exceptions: planExceptions(estate.exceptions),
    config,
    now,
    externalIdSeed: estate.externalIdSeed,
  });
  return {
    classifications,
    findings: [...checks, ...trust],
    plan,
    kpis: kpisOf(estate, classifications),
    leastPrivilege: usage !== undefined,
  };
}
