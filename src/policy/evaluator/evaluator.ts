/**
 * The one IAM evaluator: for a principal of the snapshot (user, group, role), an action and a
 * resource, is the request allowed, denied, or allowed only under conditions the scan cannot
 * settle, and which statements decided. Each principal's policies are compiled once and kept;
 * managed policies are compiled once for every principal that shares them.
 *
 * What it cannot know, and therefore never assumes: resource-based policies of other accounts
 * (and resource policies in general: the snapshot holds only role trust policies), session
 * policies, session tags, resource control policies, and context keys only a request carries
 * (source IP, MFA, requested region, request and resource tags). Conditions on those keep a
 * verdict `conditional`.
 */
import type { Snapshot } from '../../model/snapshot.js';
import { decide, EVERY_RESOURCE, type EvaluationLayers, type Verdict } from './decide.js';
import { partialKnowledge, withKnowledge, type ContextKnowledge } from './knowledge.js';
import { principalLayers } from './layers.js';
import { principalKnowledge } from './principal-context.js';
import { principalIndex, type Principal } from './principals.js';
import { accountOfArn } from './arn.js';

/** Context keys the caller knows about one request, e.g. `{ 'iam:PassedToService': 'ec2.amazonaws.com' }`. */
export type RequestKeys = Record<string, string | readonly string[]>;

export interface Evaluator {
  readonly snapshot: Snapshot;
  readonly now: Date;
  /** Every user, group and role of the snapshot. */
  principals(): readonly Principal[];
  principal(arn: string): Principal | undefined;
  /** The principal's compiled layers of policy (memoised). */
  layers(principal: Principal): EvaluationLayers;
  /** What is known about the principal's own requests (memoised). */
  knowledge(principal: Principal): ContextKnowledge;
  /** The verdict on one request; `resource` is an ARN, or `*` for actions that take none. */
  evaluate(principal: Principal, action: string, resource: string, keys?: RequestKeys): Verdict;
  /** Whether the action is allowed on every resource: an Allow on `*` that no Deny narrows. */
  evaluateEveryResource(principal: Principal, action: string, keys?: RequestKeys): Verdict;
}

interface Compiled {
  layers: EvaluationLayers;
  knowledge: ContextKnowledge;
}

/** Keys a request on `resource` carries that the snapshot can tell: its account, and an IAM principal's tags. */
function resourceKeys(snapshot: Snapshot, resource: string): { keys: RequestKeys; tagged: boolean } {
  const keys: Record<string, string> = {};
  const account = accountOfArn(resource);
  if (account) keys['aws:ResourceAccount'] = account;
  const target = principalIndex(snapshot).byArn.get(resource);
  const tags = target?.kind === 'user' ? target.user.tags : target?.kind === 'role' ? target.role.tags : undefined;
  for (const [key, value] of Object.entries(tags ?? {})) {
    keys[`aws:ResourceTag/${key}`] = value;
    keys[`iam:ResourceTag/${key}`] = value;
  }
  return { keys, tagged: tags !== undefined };
}

/**
 * The principal's knowledge with one request's own keys over it. Built on the first lookup only:
 * most statements have no condition and no variable, so most requests never need it.
 */
function requestKnowledge(
  base: ContextKnowledge,
  build: () => { keys: RequestKeys; tagged: boolean },
): ContextKnowledge {
  let merged: ContextKnowledge | undefined;
  return {
    lookup(key) {
      if (merged === undefined) {
        const { keys, tagged } = build();
        const closedPrefixes = tagged ? ['aws:ResourceTag/', 'iam:ResourceTag/'] : [];
        merged = withKnowledge(base, partialKnowledge({ values: keys, closedPrefixes }));
      }
      return merged.lookup(key);
    },
  };
}

/** Builds the evaluator for a snapshot; `now` stands for the time of every request it judges. */
export function createEvaluator(snapshot: Snapshot, options: { now: Date }): Evaluator {
  const index = principalIndex(snapshot);
  const compiled = new Map<string, Compiled>();
  const compile = (principal: Principal): Compiled => {
    let found = compiled.get(principal.arn);
    if (found === undefined) {
      found = {
        layers: principalLayers(snapshot, index, principal),
        knowledge: principalKnowledge(snapshot, principal, options.now),
      };
      compiled.set(principal.arn, found);
    }
    return found;
  };
  return {
    snapshot,
    now: options.now,
    principals: () => index.all,
    principal: (arn) => index.byArn.get(arn),
    layers: (principal) => compile(principal).layers,
    knowledge: (principal) => compile(principal).knowledge,
    evaluate(principal, action, resource, keys = {}) {
      const { layers, knowledge } = compile(principal);
      const request = requestKnowledge(knowledge, () => {
        const known = resourceKeys(snapshot, resource);
        return { keys: { ...known.keys, ...keys }, tagged: known.tagged };
      });
      return decide(layers, { action, resource, knowledge: request });
    },
    evaluateEveryResource(principal, action, keys = {}) {
      const { layers, knowledge } = compile(principal);
      const request =
        Object.keys(keys).length === 0 ? knowledge : requestKnowledge(knowledge, () => ({ keys, tagged: false }));
      return decide(layers, { action, resource: EVERY_RESOURCE, knowledge: request });
    },
  };
}
