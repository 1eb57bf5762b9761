import type { UserClass } from '../model/classification.js';
import type { Tag } from './plan-steps.js';
import type { PlannedArtifact, ReadinessFact } from './readiness.js';

/**
 * What roleshift knows about a user before switching it off. Every field can be unknown
 * (null): an unknown is reported, never read as "safe".
 */
export interface SafetyFacts {
  userClass: UserClass | null;
  /** Where the class came from, for the message (`plan`, `classifier`, `tag roleshift:class`, `name`). */
  classSource: string;
  /** The reason of a registered exception covering the user. */
  exception: string | null;
  /** From the migration plan: no blockers and every prerequisite met. Null without a plan. */
  replacementReady: boolean | null;
  readinessDetail: string;
  /** The replacement read live (deployed as planned, used since, old key quiet); empty when not read. */
  live: readonly ReadinessFact[];
}

export interface SafetyVerdict {
  allowed: boolean;
  /** Why the user is refused (empty when allowed). */
  refusals: string[];
  /** What --force overrode, said out loud. */
  overridden: string[];
  notes: string[];
}

/** Break-glass users, registered exceptions and users without a ready replacement are refused unless forced. */
export function checkSafety(facts: SafetyFacts, force: boolean): SafetyVerdict {
  const problems: string[] = [];
  const notes: string[] = [];
  if (facts.userClass === 'break-glass') problems.push(`it is a break-glass user (${facts.classSource})`);
  if (facts.exception !== null) problems.push(`it has a registered exception: ${facts.exception}`);
  if (facts.replacementReady === false) problems.push(`its replacement is not ready: ${facts.readinessDetail}`);
  if (facts.replacementReady === null) notes.push(`replacement readiness not checked: ${facts.readinessDetail}`);
  for (const fact of facts.live) {
    if (fact.status === 'failed') problems.push(`its replacement is not ready: ${fact.detail}`);
    if (fact.status === 'unknown') notes.push(`readiness unknown: ${fact.detail}`);
    if (fact.status === 'ok') notes.push(`ready: ${fact.detail}`);
  }
  if (facts.userClass === null)
    notes.push('no classification available; break-glass detection used tags and name only');
  if (force) return { allowed: true, refusals: [], overridden: problems, notes };
  return { allowed: problems.length === 0, refusals: problems, overridden: [], notes };
}

const BREAK_GLASS_NAME = /break[-_.]?glass|emergency[-_.]?(access|admin)/i;

/**
 * The class when no classifier output is at hand: the explicit override tag, else the name.
 * Only break-glass matters here, so nothing else is guessed.
 */
export function classFromTagsAndName(
  userName: string,
  tags: readonly Tag[],
  overrideTagKey: string,
): { userClass: UserClass | null; source: string } {
  const override = tags.find((tag) => tag.Key === overrideTagKey)?.Value;
  if (override === 'break-glass') return { userClass: 'break-glass', source: `tag ${overrideTagKey}` };
  if (BREAK_GLASS_NAME.test(userName)) return { userClass: 'break-glass', source: 'name' };
  return { userClass: null, source: 'tags and name' };
}

/** The fields of a migration plan entry (`roleshift plan --format json`) that decide safety. */
export interface PlanEntryFacts {
  accountId: string;
  userName: string;
  class: UserClass;
  strategy: string;
  blockers: string[];
  prerequisites: Array<{ id: string; description: string; met: boolean | null }>;
  exception: { reason: string; expires: string | null } | null;
  /** What the plan deploys (roles, assignments, profiles): checked live before a start. */
  artifacts?: PlannedArtifact[];
}

/** Ready means: no blockers and no prerequisite known to be unmet; unknown prerequisites are said, not assumed. */
export function factsFromPlanEntry(entry: PlanEntryFacts, classSource: string): SafetyFacts {
  const unmet = entry.prerequisites.filter((prerequisite) => prerequisite.met === false);
  const unknown = entry.prerequisites.filter((prerequisite) => prerequisite.met === null);
  let replacementReady: boolean | null = true;
  let readinessDetail = `${entry.strategy}: no blockers, prerequisites met`;
  if (entry.blockers.length > 0 || unmet.length > 0) {
    replacementReady = false;
    readinessDetail = [...entry.blockers, ...unmet.map((prerequisite) => `${prerequisite.description} (not met)`)].join(
      '; ',
    );
  } else if (unknown.length > 0) {
    replacementReady = null;
    readinessDetail = `roleshift cannot verify: ${unknown.map((prerequisite) => prerequisite.description).join('; ')}`;
  }
  return {
    userClass: entry.class,
    classSource,
    exception: entry.exception?.reason ?? null,
    replacementReady,
    readinessDetail,
    live: [],
  };
}

/**
 * The safety check for each user as read live: facts from the plan (or the estate's plan) when
 * the user is in it, else tags and name only; the live override tag always counts, since it
 * may be newer than the scan.
 */
export function safetyFor(options: {
  entries: ReadonlyMap<string, PlanEntryFacts> | null;
  classSource: string;
  overrideTagKey: string;
  force: boolean;
  missingReason: string;
}): (
  state: { accountId: string; userName: string; tags: readonly Tag[] },
  live?: readonly ReadinessFact[],
) => SafetyVerdict {
  return (state, readiness = []) => {
    const entry = options.entries?.get(`${state.accountId}/${state.userName}`);
    const live = classFromTagsAndName(state.userName, state.tags, options.overrideTagKey);
    const facts: SafetyFacts = entry
      ? factsFromPlanEntry(entry, options.classSource)
      : {
          userClass: live.userClass,
          classSource: live.source,
          exception: null,
          replacementReady: null,
          readinessDetail: options.missingReason,
          live: [],
        };
    facts.live = readiness;
    if (live.userClass === 'break-glass' && facts.userClass !== 'break-glass') {
      facts.userClass = 'break-glass';
      facts.classSource = live.source;
    }
    return checkSafety(facts, options.force);
  };
}
