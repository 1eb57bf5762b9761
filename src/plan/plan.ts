import type { RoleshiftConfig } from '../config.js';
import type { Classification } from '../model/classification.js';
import type { Snapshot } from '../model/snapshot.js';
import { quarantinedUsers, quarantinePolicies } from '../model/quarantine.js';
import { daysSince } from '../model/when.js';
import { permissionSetName, shortHash } from './names.js';
import { ownershipTags } from './ownership.js';
import { planByClass, type StrategyResult } from './strategies.js';
import type {
  CliProfilesArtifact,
  MigrationPlan,
  PlannedPermissions,
  MigrationRisk,
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
}

const STRATEGY_BASE_RISK: Record<Strategy, number> = {
  'keep-break-glass': 0,
  exception: 1,
  'identity-center': 1,
  'oidc-federation': 2,
  'compute-role': 2,
  'external-id-role': 3,
  'roles-anywhere': 3,
  investigate: 5,
};

export const STRATEGIES = Object.keys(STRATEGY_BASE_RISK) as Strategy[];

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
  let score = STRATEGY_BASE_RISK[result.strategy];
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

/** One person, one ~/.aws/config: every account where they have a user gets a profile. */
function mergePersonProfiles(users: UserPlan[]): void {
  const byPerson = new Map<string, CliProfilesArtifact['profiles']>();
  for (const user of users) {
    for (const artifact of user.artifacts) {
      if (artifact.kind !== 'cli-profiles') continue;
      const profiles = byPerson.get(artifact.personKey) ?? [];
      for (const profile of artifact.profiles) {
        if (
          !profiles.some(
            (existing) =>
              existing.accountId === profile.accountId && existing.permissionSetName === profile.permissionSetName,
          )
        ) {
          profiles.push(profile);
        }
      }
      byPerson.set(artifact.personKey, profiles);
    }
  }
  for (const profiles of byPerson.values()) {
    profiles.sort((a, b) => compare(a.accountId, b.accountId) || compare(a.permissionSetName, b.permissionSetName));
    // Two permission sets in one account need two profile names.
    for (const profile of profiles) {
      if (profiles.filter((other) => other.name === profile.name).length > 1)
        profile.name = `${profile.name}-${profile.permissionSetName}`;
    }
  }
  for (const user of users) {
    for (const artifact of user.artifacts) {
      if (artifact.kind === 'cli-profiles')
        artifact.profiles = (byPerson.get(artifact.personKey) ?? []).map((profile) => ({ ...profile }));
    }
  }
}

/**
 * The migration plan: for every classified IAM user, what replaces it, in which order, what must
 * be true first and what to create. Pure: the clock and the ExternalId seed come in as inputs.
 */
export function planMigration(snapshot: Snapshot, options: PlanOptions): MigrationPlan {
  const region = options.region ?? snapshot.identityCenterInstance?.region ?? 'us-east-1';
  const byArn = new Map(options.classifications.map((classification) => [classification.userArn, classification]));
  const users: UserPlan[] = [];
  for (const account of snapshot.accounts) {
    for (const user of account.users) {
      // A user the classifier did not cover still gets a plan: "investigate", never silence.
      const classification: Classification = byArn.get(user.arn) ?? {
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
      const ownership = ownershipTags(user, options.config);
      const exception = findException(options.exceptions ?? [], account.accountId, user.name, user.arn);
      const expired = exception?.expires
        ? exception.expires.slice(0, 10) < options.now.toISOString().slice(0, 10)
        : false;
      const base: StrategyResult =
        exception && !expired
          ? {
              strategy: 'exception',
              target: `Covered by the exceptions register: ${exception.reason}`,
              prerequisites: [],
              blockers: [],
              steps: [
                `Keep the user until the exception is reviewed${exception.expires ? ` (expires ${exception.expires.slice(0, 10)})` : ''}.`,
              ],
              artifacts: [],
              permissions: null,
            }
          : planByClass({
              snapshot,
              account,
              user,
              classification,
              usage: options.usage?.[user.arn],
              config: options.config,
              now: options.now,
              externalIdSeed: options.externalIdSeed,
              ownership,
              region,
            });
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
      users.push({
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
        ownershipTags: ownership,
        permissionsNote: base.permissions?.note ?? null,
        exception: exception && !expired ? { reason: exception.reason, expires: exception.expires ?? null } : null,
      });
    }
  }
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
  return { planDate: options.now.toISOString().slice(0, 10), externalIdSeed: options.externalIdSeed, users, summary };
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
