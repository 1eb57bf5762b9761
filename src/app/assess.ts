/**
 * The one assessment pipeline: estate in, classifications, findings, plan and KPIs out. Every
 * command that shows any of them (findings, plan, generate, report, serve, remediate) calls this,
 * and `scan` stores the KPIs of `scoreEstate`, its first half, so they can never disagree about
 * the same estate.
 */
import type { ActivityEvidence } from '../assess/activity-evidence.js';
import type { CheckContext } from '../assess/check.js';
import { classifyUsers } from '../assess/classify.js';
import type { ExceptionEntry } from '../assess/exceptions.js';
import { analyzeEstatePermissions, type EstatePermissions } from '../assess/permissions.js';
import {
  computeKpis,
  creationTimes,
  exceptionReviews,
  kpisToRecord,
  remediationsFromJournal,
  type JournalEntry,
} from '../assess/kpis.js';
import { RULES } from '../assess/registry.js';
import { runCheckRules, runTrustRules } from '../assess/run-checks.js';
import { usageToActivityEvidence } from '../assess/usage-evidence.js';
import type { RoleshiftConfig } from '../config.js';
import type { Classification } from '../model/classification.js';
import type { Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { planMigration, type PlanException } from '../plan/plan.js';
import type { MigrationPlan } from '../plan/types.js';
import { usageByUser } from '../plan/usage.js';
import { loadIamCatalog, type IamCatalog } from '../policy/action-catalog.js';
import type { Evaluator } from '../policy/evaluator/evaluator.js';

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
  /** Failures and errors of the checks and the trust rules. */
  findings: Finding[];
  /** The checks that held, per resource; empty unless asked for (`keepPasses`). */
  passed: Finding[];
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

function kpisOf(estate: Estate, classifications: Classification[]): Record<string, number> {
  const journal = estate.journal ?? [];
  // The current snapshot knows most users; earlier scans fill in the ones deleted since. Only the
  // journal's deletions read them: without a journal, 100,000 users' times are not worth indexing.
  const times =
    journal.length === 0
      ? new Map<string, string>()
      : new Map([...estate.earlierCreationTimes, ...creationTimes(estate.snapshot)]);
  return kpisToRecord(
    computeKpis({
      snapshot: estate.snapshot,
      now: estate.now,
      classify: () => classifications,
      exceptions: exceptionReviews(estate.exceptions ?? []),
      remediations: remediationsFromJournal(journal, times),
    }),
  );
}

/**
 * The evaluator and the privilege analysis, built once on the first check that asks for them. Built
 * inside that check, a failure becomes the `error` finding of each check that needs them (their
 * result is unknown, not clean) instead of stopping every other check.
 */
function lazyPermissions(estate: Estate, catalog: IamCatalog): () => EstatePermissions {
  let built: { permissions: EstatePermissions } | { error: unknown } | undefined;
  return () => {
    if (built === undefined) {
      try {
        built = { permissions: analyzeEstatePermissions(estate.snapshot, catalog, estate.now) };
      } catch (error) {
        built = { error };
      }
    }
    if ('error' in built) throw built.error;
    return built.permissions;
  };
}

/**
 * The checks' evaluator for the planner too: its principals' layers, request knowledge and admin
 * verdicts are then worked out once, not again for every user's plan. When it could not be
 * built the planner builds its own, which fails as loudly as before.
 */
function sharedEvaluator(permissions: () => EstatePermissions): { evaluator?: Evaluator } {
  try {
    return { evaluator: permissions().evaluator };
  } catch {
    return {};
  }
}

function checkContext(
  estate: Estate,
  classifications: Classification[],
  extra: { permissions: () => EstatePermissions; activity: ActivityEvidence | undefined },
): CheckContext {
  const { permissions } = extra;
  return {
    now: estate.now,
    config: estate.config,
    classifications,
    exceptions: estate.exceptions,
    ...(extra.activity === undefined ? {} : { usage: extra.activity }),
    get permissions() {
      return permissions();
    },
  };
}

/** Usage as the classifier and the checks read it; undefined without CloudTrail. */
function activityOf(snapshot: Snapshot): ActivityEvidence | undefined {
  return snapshot.usage === undefined ? undefined : usageToActivityEvidence(snapshot.usage);
}

function classificationsOf(estate: Estate, activity: ActivityEvidence | undefined): Classification[] {
  const { config } = estate;
  return classifyUsers(estate.snapshot, activity === undefined ? { config } : { config, activity });
}

/**
 * The KPIs alone, as `scan` stores them: the same classifications and KPIs `assessEstate` returns
 * (they read nothing else), without the checks and the plan, which at 100,000 users took seconds
 * and more than half of an Organization scan's peak memory (bench/README.md, collect).
 */
export function scoreEstate(estate: Estate): Record<string, number> {
  return kpisOf(estate, classificationsOf(estate, activityOf(estate.snapshot)));
}

/**
 * `keepPasses` keeps the checks that held (`findings --include-passed`); at 100,000 users they
 * outnumber the findings, and no other output shows them.
 */
export async function assessEstate(estate: Estate, options: { keepPasses?: boolean } = {}): Promise<Assessment> {
  const { snapshot, config, now } = estate;
  const activity = activityOf(snapshot);
  const classifications = classificationsOf(estate, activity);
  // The action catalogue is loaded once per process, here at the edge, and handed down.
  const catalog = await loadIamCatalog();
  const keepPasses = options.keepPasses ?? false;
  const permissions = lazyPermissions(estate, catalog);
  const context = checkContext(estate, classifications, { permissions, activity });
  const checks = runCheckRules(snapshot, context, RULES.estate, { keepPasses });
  const trust = runTrustRules(snapshot, RULES.trustPolicy, { keepPasses });
  const usage = snapshot.usage === undefined ? undefined : usageByUser(snapshot.usage);
  const plan = planMigration(snapshot, {
    classifications,
    usage,
    exceptions: planExceptions(estate.exceptions),
    config,
    now,
    externalIdSeed: estate.externalIdSeed,
    catalog,
    ...sharedEvaluator(permissions),
  });
  return {
    classifications,
    findings: [...checks.findings, ...trust.findings],
    passed: [...checks.passed, ...trust.passed],
    plan,
    kpis: kpisOf(estate, classifications),
    leastPrivilege: usage !== undefined,
  };
}
