/**
 * Proof (a): the replacement allows every call CloudTrail showed the user making, on the
 * resources the calls named, and every action such a call implies (the role it passes, the key
 * it uses). A call seen without its resource is checked on the scope the user holds it on today.
 */
import type { ActionUsage } from '../../model/usage.js';
import { decide, type ResourceQuery } from '../../policy/evaluator/decide.js';
import { partialKnowledge, withKnowledge } from '../../policy/evaluator/knowledge.js';
import { grantedScope } from '../permissions/granted-scope.js';
import { impliedActionsOf } from '../../activity/implied-actions.js';
import { impliedGrants, namedResources } from '../permissions/implied.js';
import type { StrategyContext } from '../strategies/context.js';
import type { ProofCheck } from '../types.js';
import type { Replacement } from './replacement.js';
import {
  checkOf,
  describeQuery,
  describeVerdict,
  notApplicable,
  queryFor,
  resourcesOfAction,
  takesNoResource,
} from './requests.js';

/** Calls any principal may make whatever its policies say (STS answers who is calling). */
const NEEDS_NO_PERMISSION = new Set(['sts:GetCallerIdentity']);

/** Calls a replacement must allow: mapped to an IAM action, needing one, and not only ever denied. */
function grantable(usage: ActionUsage): boolean {
  return usage.mapped && !NEEDS_NO_PERMISSION.has(usage.action) && !(usage.events > 0 && usage.errors >= usage.events);
}

/** The resources to ask about for one observed call. */
function queriesOf(ctx: StrategyContext, usage: ActionUsage): ResourceQuery[] {
  if (takesNoResource(ctx.catalog, usage.action)) return ['*'];
  const seen = usage.resourcesTruncated === true ? (usage.resourcePatterns ?? usage.resources) : usage.resources;
  const named = resourcesOfAction(ctx.catalog, usage.action, seen);
  if (named.length > 0) return named;
  const scope = grantedScope(ctx.evaluator, ctx.user.arn, usage.action);
  return scope.kind === 'patterns' ? scope.patterns : [queryFor(ctx.catalog, usage.action, '*')];
}

/**
 * The condition values a call was seen with (`cloudformation:RoleArn` = the role it passed), one
 * request each, so a replacement that holds the call to those values is asked as the calls were made.
 */
function keyedRequests(ctx: StrategyContext, usage: ActionUsage): Array<Record<string, string>> {
  const entry = impliedActionsOf(usage.action);
  const key = entry?.conditionKey;
  if (entry === undefined || key === undefined) return [];
  return [...namedResources(entry, usage, ctx.account).resources].map((value) => ({ [key]: value }));
}

export function proveObservedAllowed(ctx: StrategyContext, replacement: Replacement): ProofCheck {
  const observed = (ctx.usage?.actions ?? []).filter(grantable);
  if (observed.length === 0)
    return notApplicable('CloudTrail showed no call of this user that needs a permission: nothing observed to check');
  const failures: string[] = [];
  const notes: string[] = [];
  let checked = 0;
  const ask = (action: string, resource: ResourceQuery, keys: Record<string, string> = {}): void => {
    checked += 1;
    const knowledge =
      Object.keys(keys).length === 0
        ? replacement.knowledge
        : withKnowledge(replacement.knowledge, partialKnowledge({ values: keys }));
    const verdict = decide(replacement.layers, { action, resource, knowledge });
    if (verdict.decision === 'denied')
      failures.push(`${action} on ${describeQuery(resource)}: denied to the replacement (${describeVerdict(verdict)})`);
  };
  for (const usage of observed) {
    const keyed = keyedRequests(ctx, usage);
    for (const resource of queriesOf(ctx, usage)) {
      if (keyed.length === 0) ask(usage.action, resource);
      for (const keys of keyed) ask(usage.action, resource, keys);
    }
  }
  for (const grant of impliedGrants(observed, ctx.account)) {
    const keys: Record<string, string> = grant.passedTo ? { 'iam:PassedToService': grant.passedTo } : {};
    for (const resource of grant.resources) ask(grant.action, resource, keys);
    if (!grant.complete) notes.push(`${grant.action}: ${grant.gaps.join('; ')}`);
  }
  const skipped = (ctx.usage?.actions ?? []).length - observed.length;
  if (skipped > 0)
    notes.push(`${skipped} call(s) not checked: not IAM actions, needing no permission, or only ever denied`);
  return checkOf(checked, failures, notes);
}
