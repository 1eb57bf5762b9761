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
import { buildLayer, listSignature, lowerCaseAction, unreadSignature, type PolicyLayer } from './compile.js';
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
   * Equal for two principals of one account whose statements that match the action (identity,
   * boundary, SCPs, with their sources and unread policies) and whatever those statements read
   * from the context are the same: every question about the action then has the same answer for
   * both. Per action rather than per service, so that a statement reading `${aws:username}`
   * (a self-service policy on `iam:CreateAccessKey`) sets users apart only for the actions it
   * names. A short token, so that callers can key their own caches by it.
   */
  view(principal: Principal, action: string): string;
}

interface Compiled {
  layers: EvaluationLayers;
  knowledge: ContextKnowledge;
  /** The view token of each action asked about whose statements read the context. */
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

function layerView(kind: string, layer: PolicyLayer, action: string): string {
  return `${kind}:${listSignature(layer.forAction(action))}${unreadSignature(layer)}`;
}

/** What a view reads from the layers alone: their statements for the action, and the keys those read. */
interface LayersView {
  text: string;
  keys: readonly string[];
  /** The view's token when `keys` is empty: then every principal with these layers has this view. */
  token: string | null;
}

function layersView(layers: EvaluationLayers, accountId: string, action: string): LayersView {
  const all = [layers.identity, ...(layers.boundary ? [layers.boundary] : []), ...layers.scps.map((l) => l.layer)];
  const keys = [
    ...new Set(all.flatMap((layer) => layer.forAction(action).flatMap((s) => s.compiled.contextKeys))),
  ].sort();
  const parts = [
    layerView('i', layers.identity, action),
    ...(layers.boundary ? [layerView('b', layers.boundary, action)] : []),
    ...layers.scps.map((level) => layerView('s', level.layer, action)),
  ];
  return { text: `${accountId}|${parts.join('|')}#`, keys, token: null };
}

/** The rest of a view: what the principal's knowledge says of each key the statements read. */
function knownText(keys: readonly string[], knowledge: ContextKnowledge): string {
  return keys.map((key) => `${key}=${JSON.stringify(knowledge.lookup(key) ?? null)}`).join(';');
}

let nextObjectId = 1;
const objectIds = new WeakMap<object, number>();

/** A number for an object (a layer, a list of SCP levels), to key a cache by several objects at once. */
function objectId(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(value, id);
  }
  return id;
}

/**
 * One layers object for every principal of an account with the same identity layer, boundary and
 * SCP levels (members of the same groups with the same policies), so what depends on the layers
 * alone (views, admin assessments) is found once for all of them.
 */
function sharedLayers(
  shared: Map<string, EvaluationLayers>,
  accountId: string,
  layers: EvaluationLayers,
): EvaluationLayers {
  const key = `${accountId}|${objectId(layers.identity)}|${layers.boundary ? objectId(layers.boundary) : 0}|${objectId(layers.scps)}`;
  let found = shared.get(key);
  if (found === undefined) {
    found = layers;
    shared.set(key, found);
  }
  return found;
}

const keyTexts = new WeakMap<RequestKeys, string>();

/** A request's own keys as text, for a cache key; the same keys object is asked about many times. */
function requestKeysText(keys: RequestKeys): string {
  let text = keyTexts.get(keys);
  if (text === undefined) {
    text = JSON.stringify(Object.entries(keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    keyTexts.set(keys, text);
  }
  return text;
}

/** Builds the evaluator for a snapshot; `now` stands for the time of every request it judges. */
export function createEvaluator(snapshot: Snapshot, options: { now: Date }): Evaluator {
  const index = principalIndex(snapshot);
  // By the principal object (the index holds one per principal): a lookup on every question.
  const compiled = new Map<Principal, Compiled>();
  const verdicts = new Map<string, Verdict>();
  // A view's full text lists every statement and key it depends on; questions are keyed by a short token for it.
  const viewTokens = new Map<string, string>();
  const layerTuples = new Map<string, EvaluationLayers>();
  const layersViews = new Map<EvaluationLayers, Map<string, LayersView>>();
  const compile = (principal: Principal): Compiled => {
    let found = compiled.get(principal);
    if (found === undefined) {
      found = {
        layers: sharedLayers(layerTuples, principal.accountId, principalLayers(snapshot, index, principal)),
        knowledge: principalKnowledge(snapshot, principal, options.now),
        views: new Map(),
      };
      compiled.set(principal, found);
    }
    return found;
  };
  const tokenOf = (text: string): string => {
    let token = viewTokens.get(text);
    if (token === undefined) {
      token = `v${viewTokens.size}`;
      viewTokens.set(text, token);
    }
    return token;
  };
  const viewOfLayers = (layers: EvaluationLayers, accountId: string, action: string): LayersView => {
    let byAction = layersViews.get(layers);
    if (byAction === undefined) {
      byAction = new Map();
      layersViews.set(layers, byAction);
    }
    let found = byAction.get(action);
    if (found === undefined) {
      found = layersView(layers, accountId, action);
      if (found.keys.length === 0) found.token = tokenOf(found.text);
      byAction.set(action, found);
    }
    return found;
  };
  const view = (principal: Principal, action: string): string => {
    const lower = lowerCaseAction(action);
    const found = compile(principal);
    const shared = viewOfLayers(found.layers, principal.accountId, lower);
    // Statements that read no context key: the view is the layers' own, kept once for every principal with them.
    if (shared.token !== null) return shared.token;
    let token = found.views.get(lower);
    if (token === undefined) {
      token = tokenOf(shared.text + knownText(shared.keys, found.knowledge));
      found.views.set(lower, token);
    }
    return token;
  };
  const remember = (key: string, ask: () => Verdict): Verdict => {
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = ask();
      if (verdicts.size > 200_000) verdicts.clear();
      verdicts.set(key, verdict);
    }
    return verdict;
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
      // Principals that see an action alike get the same answer: group members ask once. The
      // request's own keys override what the view knows, so they are part of the question.
      const lower = lowerCaseAction(action);
      const own = Object.keys(keys).length === 0 ? '' : `|${requestKeysText(keys)}`;
      return remember(`${view(principal, lower)}|${lower}|${resource}${own}`, ask);
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
