import type { RoleshiftConfig } from '../config.js';
import type { Classification } from '../model/classification.js';
import { quarantinedUsers, quarantinePolicies } from '../model/quarantine.js';
import { SharedValues, sharedTexts } from '../model/shared-values.js';
import type { Account, Snapshot, User } from '../model/snapshot.js';
import { daysSince } from '../model/when.js';
import type { IamCatalog } from '../policy/action-catalog.js';
import { createEvaluator, type Evaluator } from '../policy/evaluator/evaluator.js';
import { permissionSetName, shortHash } from './names.js';
import { ownershipTags } from './ownership.js';
import { proofBlockers, proveReplacement } from './proofs/prove.js';
import type { StrategyContext, StrategyResult } from './strategies/context.js';
import { registeredException } from './strategies/exception.js';
import { planByClass, STRATEGIES, strategyDefinition } from './strategies/registry.js';
import type {
  CliProfilesArtifact,
  MigrationPlan,
  PlannedPermissions,
  MigrationRisk,
  Prerequisite,
  Strategy,
  UsageByUser,
  UserPlan,
} from './types.js';

/** An entry of the exceptions register, as far as the planner needs it. */
export interface PlanException {
  accountId?: string | null;
  userName?: string | null;
  userArn?: string | null;
  reason: string;
  /** ISO date; null: no expiry. */
  expires?: string | null;
}

export interface PlanOptions {
  classifications: Classification[];
  exceptions?: PlanException[];
  usage?: UsageByUser;
  config: RoleshiftConfig;
  now: Date;
  /** Seed for the ExternalIds; recorded in the plan so they can be regenerated identically. */
  externalIdSeed: string;
  /** Default region for profiles and snippets. */
  region?: string;
  /** The IAM action catalogue (loaded once at the edge): admin verdicts and the proofs read it. */
  catalog: IamCatalog;
  /** The snapshot's evaluator, when the caller already has one; else one is made for the plan. */
  evaluator?: Evaluator;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function findException(
  exceptions: PlanException[],
  accountId: string,
  userName: string,
  userArn: string,
): PlanException | undefined {
  return exceptions.find(
    (entry) =>
      entry.userArn === userArn || (entry.userName === userName && (entry.accountId ?? accountId) === accountId),
  );
}

/** Migration risk: how likely switching this user over breaks something, and why. */
function assessRisk(
  result: StrategyResult,
  plan: { confidence: number; lastKeyUseDays: number | null },
): { score: number; level: MigrationRisk; reasons: string[] } {
  let score = strategyDefinition(result.strategy).baseRisk;
  const reasons: string[] = [`${result.strategy} (base ${score})`];
  if (result.blockers.length > 0) {
    score += 2 + result.blockers.length;
    reasons.push(`${result.blockers.length} blocker(s)`);
  }
  const unmet = result.prerequisites.filter((prerequisite) => prerequisite.met === false).length;
  if (unmet > 0) {
    score += unmet;
    reasons.push(`${unmet} prerequisite(s) not met`);
  }
  if (plan.confidence < 0.5) {
    score += 2;
    reasons.push(`low classification confidence (${plan.confidence.toFixed(2)})`);
  } else if (plan.confidence < 0.75) {
    score += 1;
    reasons.push(`medium classification confidence (${plan.confidence.toFixed(2)})`);
  }
  if (plan.lastKeyUseDays !== null && plan.lastKeyUseDays <= 7) {
    score += 2;
    reasons.push(`access key used ${plan.lastKeyUseDays} day(s) ago`);
  } else if (plan.lastKeyUseDays !== null && plan.lastKeyUseDays <= 30) {
    score += 1;
    reasons.push(`access key used ${plan.lastKeyUseDays} days ago`);
  }
  if (result.permissions?.admin) {
    score += 1;
    reasons.push('administrator permissions');
  }
  const level: MigrationRisk = score <= 2 ? 'low' : score <= 5 ? 'medium' : 'high';
  return { score, level, reasons };
}

/**
 * Permission sets live once per organization: two people whose mirrored permissions share a base
 * name but differ get distinct names, so no one silently gains another's permissions.
 */
/** What a permission set grants; where that came from (the note) does not make it different. */
function grantOf(permissions: PlannedPermissions): string {
  return JSON.stringify([
    permissions.awsManagedPolicyArns,
    permissions.customerManagedPolicies,
    permissions.inlinePolicy,
  ]);
}

function disambiguatePermissionSets(users: UserPlan[]): void {
  const contents = new Map<string, Set<string>>();
  for (const user of users) {
    for (const artifact of user.artifacts) {
      if (artifact.kind !== 'permission-set') continue;
      const set = contents.get(artifact.name) ?? new Set<string>();
      set.add(grantOf(artifact.permissions));
      contents.set(artifact.name, set);
    }
  }
  for (const user of users) {
    const renames = new Map<string, string>();
    for (const artifact of user.artifacts) {
      if (artifact.kind !== 'permission-set' || (contents.get(artifact.name)?.size ?? 0) <= 1) continue;
      const renamed = permissionSetName(`${artifact.name.slice(0, 24)}-${shortHash(grantOf(artifact.permissions), 6)}`);
      renames.set(artifact.name, renamed);
      artifact.name = renamed;
    }
    if (renames.size === 0) continue;
    for (const artifact of user.artifacts) {
      if (artifact.kind === 'account-assignment')
        artifact.permissionSetName = renames.get(artifact.permissionSetName) ?? artifact.permissionSetName;
      if (artifact.kind === 'cli-profiles') {
        for (const profile of artifact.profiles)
          profile.permissionSetName = renames.get(profile.permissionSetName) ?? profile.permissionSetName;
      }
    }
    user.steps = user.steps.map((step) => [...renames].reduce((text, [from, to]) => text.split(from).join(to), step));
    user.target = [...renames].reduce((text, [from, to]) => text.split(from).join(to), user.target);
  }
}

type CliProfile = CliProfilesArtifact['profiles'][number];

/** A person's profiles, each (account, permission set) once, found by a set rather than a scan. */
interface PersonProfiles {
  profiles: CliProfile[];
  seen: Set<string>;
}

/** Two permission sets in one account need two profile names: every name but the last of its kind gets the set's. */
function disambiguateProfileNames(profiles: readonly CliProfile[]): void {
  const count = new Map<string, number>();
  for (const profile of profiles) count.set(profile.name, (count.get(profile.name) ?? 0) + 1);
  for (const profile of profiles) {
    const times = count.get(profile.name) ?? 0;
    if (times <= 1) continue;
    count.set(profile.name, times - 1);
    profile.name = `${profile.name}-${profile.permissionSetName}`;
    count.set(profile.name, (count.get(profile.name) ?? 0) + 1);
  }
}

/**
 * One person, one ~/.aws/config: every account where they have a user gets a profile. The
 * person's IAM users share one list (in N accounts, N copies of N profiles would grow with N²).
 */
function mergePersonProfiles(users: UserPlan[]): void {
  const byPerson = new Map<string, PersonProfiles>();
  for (const user of users) {
    for (const artifact of user.artifacts) {
      if (artifact.kind !== 'cli-profiles') continue;
      let person = byPerson.get(artifact.personKey);
      if (person === undefined) {
        person = { profiles: [], seen: new Set() };
        byPerson.set(artifact.personKey, person);
      }
      for (const profile of artifact.profiles) {
        const id = JSON.stringify([profile.accountId, profile.permissionSetName]);
        if (person.seen.has(id)) continue;
        person.seen.add(id);
        person.profiles.push(profile);
      }
    }
  }
  for (const { profiles } of byPerson.values()) {
    profiles.sort((a, b) => compare(a.accountId, b.accountId) || compare(a.permissionSetName, b.permissionSetName));
    disambiguateProfileNames(profiles);
  }
  for (const user of users) {
    for (const artifact of user.artifacts) {
      if (artifact.kind === 'cli-profiles') artifact.profiles = byPerson.get(artifact.personKey)?.profiles ?? [];
    }
  }
}

/** What every user's plan shares: the options, the region, the evaluator and the classifications by ARN. */
interface PlanRun {
  snapshot: Snapshot;
  options: PlanOptions;
  region: string;
  evaluator: Evaluator;
  classificationOf: ReadonlyMap<string, Classification>;
  /** Risk reasons and prerequisites repeat from user to user: each distinct one is kept once. */
  shared: { texts: SharedValues<string>; prerequisites: SharedValues<Prerequisite> };
}

/** A user the classifier did not cover still gets a plan: "investigate", never silence. */
function unclassified(account: Account, user: User): Classification {
  return {
    accountId: account.accountId,
    userName: user.name,
    userArn: user.arn,
    class: 'unknown',
    ciProvider: null,
    runsOn: null,
    confidence: 0,
    evidence: [],
    personKey: null,
  };
}

function strategyContext(run: PlanRun, account: Account, user: User, classification: Classification): StrategyContext {
  const { options } = run;
  return {
    snapshot: run.snapshot,
    account,
    user,
    classification,
    usage: options.usage?.[user.arn],
    config: options.config,
    now: options.now,
    externalIdSeed: options.externalIdSeed,
    ownership: ownershipTags(user, options.config),
    region: run.region,
    evaluator: run.evaluator,
    catalog: options.catalog,
  };
}

/** One user's plan: its strategy's result, proven, with the blockers and the risk that follow. */
function planUser(run: PlanRun, account: Account, user: User): UserPlan {
  const { options } = run;
  const classification = run.classificationOf.get(user.arn) ?? unclassified(account, user);
  const ctx = strategyContext(run, account, user, classification);
  const exception = findException(options.exceptions ?? [], account.accountId, user.name, user.arn);
  const expired = exception?.expires ? exception.expires.slice(0, 10) < options.now.toISOString().slice(0, 10) : false;
  const planned: StrategyResult =
    exception && !expired ? registeredException(exception.reason, exception.expires ?? null) : planByClass(ctx);
  const proof = proveReplacement(ctx, planned);
  const base: StrategyResult = { ...planned, blockers: [...planned.blockers, ...proofBlockers(proof)] };
  const lastUse = user.accessKeys
    .filter((key) => key.status === 'Active')
    .map((key) => daysSince(key.lastUsed, options.now))
    .filter((days): days is number => days !== null);
  const risk = assessRisk(base, {
    confidence: classification.confidence,
    lastKeyUseDays: lastUse.length > 0 ? Math.min(...lastUse) : null,
  });
  if (expired && exception) risk.reasons.push(`exception expired on ${exception.expires?.slice(0, 10)}`);
  const quarantine = quarantinePolicies(user);
  if (quarantine.length > 0)
    risk.reasons.unshift(`AWS attached ${quarantine.join(', ')}: a key leaked, so this user goes first`);
  run.shared.texts.shareEach(risk.reasons);
  run.shared.prerequisites.shareEach(base.prerequisites);
  return {
    accountId: account.accountId,
    userName: user.name,
    userArn: user.arn,
    class: classification.class,
    ciProvider: classification.ciProvider,
    runsOn: classification.runsOn,
    confidence: classification.confidence,
    strategy: base.strategy,
    target: base.target,
    risk: risk.level,
    riskScore: risk.score,
    riskReasons: risk.reasons,
    prerequisites: base.prerequisites,
    blockers: base.blockers,
    steps: base.steps,
    artifacts: base.artifacts,
    ownershipTags: ctx.ownership,
    permissionsNote: base.permissions?.note ?? null,
    exception: exception && !expired ? { reason: exception.reason, expires: exception.expires ?? null } : null,
    proof,
  };
}

/**
 * The migration plan: for every classified IAM user, what replaces it, in which order, what must
 * be true first and what to create, each replacement proven with the evaluator. Pure: the clock,
 * the catalogue and the ExternalId seed come in as inputs.
 */
export function planMigration(snapshot: Snapshot, options: PlanOptions): MigrationPlan {
  const run: PlanRun = {
    snapshot,
    options,
    region: options.region ?? snapshot.identityCenterInstance?.region ?? 'us-east-1',
    evaluator: options.evaluator ?? createEvaluator(snapshot, { now: options.now }),
    classificationOf: new Map(
      options.classifications.map((classification) => [classification.userArn, classification]),
    ),
    shared: {
      texts: sharedTexts(),
      prerequisites: new SharedValues(
        (prerequisite) => prerequisite.description,
        (a, b) => a.id === b.id && a.met === b.met,
      ),
    },
  };
  const users: UserPlan[] = snapshot.accounts.flatMap((account) =>
    account.users.map((user) => planUser(run, account, user)),
  );
  disambiguatePermissionSets(users);
  mergePersonProfiles(users);
  // A user AWS quarantined for a leaked key goes first, whatever its risk: the key is already out.
  const quarantined = quarantinedUsers(snapshot);
  const first = (user: UserPlan) => (quarantined.has(user.userArn) ? 1 : 0);
  users.sort(
    (a, b) =>
      first(b) - first(a) ||
      a.riskScore - b.riskScore ||
      compare(a.accountId, b.accountId) ||
      compare(a.userName, b.userName),
  );
  const summary = Object.fromEntries(STRATEGIES.map((strategy) => [strategy, 0])) as Record<Strategy, number>;
  for (const user of users) summary[user.strategy] += 1;
  return { planDate: options.now.toISOString().slice(0, 10), users, summary };
}

/** Picks users by `ACCOUNT/NAME`, ARN, or bare name; throws nothing: unknown names are returned. */
export function selectUsers(plan: MigrationPlan, selectors: string[]): { plan: MigrationPlan; unknown: string[] } {
  if (selectors.length === 0) return { plan, unknown: [] };
  const matches = (user: UserPlan, selector: string): boolean =>
    selector === user.userArn || selector === `${user.accountId}/${user.userName}` || selector === user.userName;
  const unknown = selectors.filter((selector) => !plan.users.some((user) => matches(user, selector)));
  const users = plan.users.filter((user) => selectors.some((selector) => matches(user, selector)));
  const summary = Object.fromEntries(STRATEGIES.map((strategy) => [strategy, 0])) as Record<Strategy, number>;
  for (const user of users) summary[user.strategy] += 1;
  return { plan: { ...plan, users, summary }, unknown };
}
