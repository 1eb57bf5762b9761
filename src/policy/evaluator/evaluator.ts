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
import type { PolicyDocument, Snapshot } from '../../model/snapshot.js';
import { buildLayer, sourceKey, statementsSignature, type PolicyLayer, type SourcedStatement } from './compile.js';
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
  /**
   * Equal for two principals of one account whose statements for the service (identity, boundary,
   * SCPs, with their sources and unread policies) and whatever those statements read from the
   * context are the same: every question about the service then has the same answer for both.
   * A short token, so that callers can key their own caches by it.
   */
  view(principal: Principal, service: string): string;
}

interface Compiled {
  layers: EvaluationLayers;
  knowledge: ContextKnowledge;
  /** The view token of each service asked about. */
  views: Map<string, string>;
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

const listSignatures = new WeakMap<readonly SourcedStatement[], string>();

function listSignature(list: readonly SourcedStatement[]): string {
  let signature = listSignatures.get(list);
  if (signature === undefined) {
    signature = statementsSignature(list);
    listSignatures.set(list, signature);
  }
  return signature;
}

function layerView(kind: string, layer: PolicyLayer, service: string): string {
  const unread = layer.unread.length === 0 ? '' : `!${layer.unread.map((u) => sourceKey(u.source)).join(',')}`;
  return `${kind}:${listSignature(layer.forService(service))}${unread}`;
}

function viewOf(layers: EvaluationLayers, knowledge: ContextKnowledge, accountId: string, service: string): string {
  const all = [layers.identity, ...(layers.boundary ? [layers.boundary] : []), ...layers.scps.map((l) => l.layer)];
  const keys = [
    ...new Set(all.flatMap((layer) => layer.forService(service).flatMap((s) => s.compiled.contextKeys))),
  ].sort();
  const known = keys.map((key) => `${key}=${JSON.stringify(knowledge.lookup(key) ?? null)}`).join(';');
  const parts = [
    layerView('i', layers.identity, service),
    ...(layers.boundary ? [layerView('b', layers.boundary, service)] : []),
    ...layers.scps.map((level) => layerView('s', level.layer, service)),
  ];
  return `${accountId}|${parts.join('|')}#${known}`;
}

/** Builds the evaluator for a snapshot; `now` stands for the time of every request it judges. */
export function createEvaluator(snapshot: Snapshot, options: { now: Date }): Evaluator {
  const index = principalIndex(snapshot);
  // By the principal object (the index holds one per principal): a lookup on every question.
  const compiled = new Map<Principal, Compiled>();
  const verdicts = new Map<string, Verdict>();
  // A view's full text lists every statement and key it depends on; questions are keyed by a short token for it.
  const viewTokens = new Map<string, string>();
  const compile = (principal: Principal): Compiled => {
    let found = compiled.get(principal);
    if (found === undefined) {
      found = {
        layers: principalLayers(snapshot, index, principal),
        knowledge: principalKnowledge(snapshot, principal, options.now),
        views: new Map(),
      };
      compiled.set(principal, found);
    }
    return found;
  };
  const view = (principal: Principal, service: string): string => {
    const found = compile(principal);
    let token = found.views.get(service);
    if (token === undefined) {
      const text = viewOf(found.layers, found.knowledge, principal.accountId, service);
      token = viewTokens.get(text);
      if (token === undefined) {
        token = `v${viewTokens.size}`;
        viewTokens.set(text, token);
      }
      found.views.set(service, token);
    }
    return token;
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
      const ask = () => {
        const request = requestKnowledge(knowledge, () => {
          const known = resourceKeys(snapshot, resource);
          return { keys: { ...known.keys, ...keys }, tagged: known.tagged };
        });
        return decide(layers, { action, resource, knowledge: request });
      };
      if (Object.keys(keys).length > 0) return ask();
      // Principals that see a service alike get the same answer: group members ask once.
      const lower = action.toLowerCase();
      const key = `${view(principal, lower.slice(0, lower.indexOf(':')))}|${lower}|${resource}`;
      let verdict = verdicts.get(key);
      if (verdict === undefined) {
        verdict = ask();
        if (verdicts.size > 200_000) verdicts.clear();
        verdicts.set(key, verdict);
      }
      return verdict;
    },
    view,
    evaluateEveryResource(principal, action, keys = {}) {
      const { layers, knowledge } = compile(principal);
      const request =
        Object.keys(keys).length === 0 ? knowledge : requestKnowledge(knowledge, () => ({ keys, tagged: false }));
      return decide(layers, { action, resource: EVERY_RESOURCE, knowledge: request });
    },
  };
}

/**
 * Layers for policies that are not in the snapshot (a planned replacement, a file given to
 * `lint`), to ask `decide` about them the same way as about a scanned principal.
 */
export function documentLayers(
  identity: readonly PolicyDocument[],
  boundary: PolicyDocument | null = null,
): EvaluationLayers {
  const layer = (documents: readonly PolicyDocument[], kind: 'document' | 'boundary') =>
    buildLayer(
      documents.map((document, i) => ({
        source: { kind, name: `${kind} ${i + 1}`, arn: null, group: null, attachedTo: null },
        document,
      })),
    );
  return { identity: layer(identity, 'document'), boundary: boundary ? layer([boundary], 'boundary') : null, scps: [] };
}
