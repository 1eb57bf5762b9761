/**
 * The proof of one replacement, before anyone deploys it: (a) the calls CloudTrail showed and what
 * they imply are allowed, (b) nothing is allowed that the user is denied today, (c) the trust
 * policy passes roleshift's trust analysis. A failed check becomes a plan blocker with its reason.
 */
import type { StrategyContext, StrategyResult } from '../strategies/context.js';
import type { ProofCheck, ReplacementProof, RoleArtifact, Strategy } from '../types.js';
import { proveObservedAllowed } from './observed-allowed.js';
import { replacementOf } from './replacement.js';
import { notApplicable } from './requests.js';
import { proveTrust } from './trust.js';
import { proveWithinCurrent } from './within-current.js';

/** Strategies that keep the IAM user: the replacement's requests are the user's own. */
const KEEPS_USER: ReadonlySet<Strategy> = new Set(['exception', 'aws-login']);

function rolesOf(result: StrategyResult): RoleArtifact[] {
  return result.artifacts.filter((artifact): artifact is RoleArtifact => artifact.kind === 'role');
}

/** The proof of a strategy's replacement; null when it grants no permissions (nothing to prove). */
export function proveReplacement(ctx: StrategyContext, result: StrategyResult): ReplacementProof | null {
  if (result.permissions === null) return null;
  const roles = rolesOf(result);
  const replacement = replacementOf(ctx, result.permissions, roles[0] ?? null, KEEPS_USER.has(result.strategy));
  const unknownUser = notApplicable('the user is not in the scan the evaluator reads');
  const observedAllowed = replacement ? proveObservedAllowed(ctx, replacement) : unknownUser;
  const withinCurrent = replacement ? proveWithinCurrent(ctx, replacement) : unknownUser;
  const trust = proveTrust(ctx, roles);
  const failed = [observedAllowed, withinCurrent, trust].some((check) => check.status === 'failed');
  return { verdict: failed ? 'failed' : 'proven', observedAllowed, withinCurrent, trust };
}

function blockerOf(what: string, check: ProofCheck): string[] {
  if (check.status !== 'failed') return [];
  const more = check.failures.length > 1 ? ' (more in the proof)' : '';
  return [`Proof failed: ${what}: ${check.failures[0] ?? ''}${more}.`];
}

/** The blockers a failed proof puts on the plan: the replacement is not to be deployed as it is. */
export function proofBlockers(proof: ReplacementProof | null): string[] {
  if (proof === null) return [];
  return [
    ...blockerOf('an observed call would be denied', proof.observedAllowed),
    ...blockerOf('the replacement allows what the user may not do today', proof.withinCurrent),
    ...blockerOf("the trust policy fails roleshift's trust analysis", proof.trust),
  ];
}
