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
import { buildLayer, listSignature, unreadSignature, type PolicyLayer, type SourcedStatement } from './compile.js';
import { lowerCaseOnce } from './lower-case.js';
import { allLayers, decide, EVERY_RESOURCE, type EvaluationLayers, type Verdict } from './decide.js';
import { partialKnowledge, withKnowledge, type ContextKnowledge } from './knowledge.js';
import { principalLayers } from './layers.js';
import { principalKnowledge } from './principal-context.js';
import { principalIndex, type Principal } from './principals.js';
import { accountOfArn } from './arn.js';
import { innerTable } from '../../inner-table.js';

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
  /**
   * The views of several actions as one token, equal when every one of them is. For principals
   * with the same layers whose statements for those actions read nothing from the context, it is
   * found once for all of them.
   */
  viewOfAll(principal: Principal, actions: readonly string[]): string;
}

interface Compiled {
  layers: EvaluationLayers;
  knowledge: ContextKnowledge;
  /** The view token of each action asked about whose statements read the context; made on the first such action. */
  views: Map<string, string> | null;
  /** What the knowledge says of each set of keys asked about (many actions read the same keys); made on first use. */
  known: Map<readonly string[], string> | null;
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

/** What a view reads from the layers alone: their statements for the action, and the keys those read. */
interface LayersView {
  /** Interned: views reading the same keys hand out the same array, so a principal's known values are found once per set. */
  keys: readonly string[];
  /** Equal for two layers whose statements for the action are the same: the view's own when `keys` is empty. */
  token: string;
}

const listKeys = new WeakMap<readonly SourcedStatement[], readonly string[]>();

/** The context keys a list of statements reads, kept per list (a layer hands out one list per action). */
function keysOfList(list: readonly SourcedStatement[]): readonly string[] {
  let keys = listKeys.get(list);
  if (keys === undefined) {
    keys = [...new Set(list.flatMap((s) => s.compiled.contextKeys))];
    listKeys.set(list, keys);
  }
  return keys;
}

/** The sorted context keys the layers' statements for the action read. */
function layersKeys(all: readonly PolicyLayer[], action: string): string[] {
  const keys = new Set<string>();
  for (const layer of all) for (const key of keysOfList(layer.forAction(action))) keys.add(key);
  return [...keys].sort();
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

/**
 * Short tokens for views, per evaluator: a view's full text lists every statement and key it
 * depends on, and questions are keyed by a short token for it. A layer's part of a view (its
 * statements for an action) has its own token, so that a view's text is a few tokens.
 */
class ViewTokens {
  private readonly tokens = new Map<string, string>();
  /** Sets of context keys by their text, so that each set is one array. */
  private readonly keySets = new Map<string, readonly string[]>();
  private readonly partTokens = new Map<string, string>();
  private readonly layerParts = new Map<string, WeakMap<PolicyLayer, Map<string, string>>>();
  private readonly layersViews = new Map<EvaluationLayers, Map<string, LayersView>>();
  private readonly viewsByToken = new Map<string, LayersView>();

  token(text: string): string {
    let token = this.tokens.get(text);
    if (token === undefined) {
      token = `v${this.tokens.size}`;
      this.tokens.set(text, token);
    }
    return token;
  }

  /** The view of principals with these layers, before what their knowledge says of its keys. */
  ofLayers(layers: EvaluationLayers, accountId: string, action: string): LayersView {
    const byAction = innerTable(this.layersViews, layers, Map);
    let found = byAction.get(action);
    if (found === undefined) {
      let text = `${accountId}|${this.part('i', layers.identity, action)}`;
      if (layers.boundary) text += `|${this.part('b', layers.boundary, action)}`;
      for (const level of layers.scps) text += `|${this.part('s', level.layer, action)}`;
      const token = this.token(text);
      // The same text names the same statements, so the same keys: one view object per token.
      found = this.viewsByToken.get(token);
      if (found === undefined) {
        found = { keys: this.internKeys(layersKeys(allLayers(layers), action)), token };
        this.viewsByToken.set(token, found);
      }
      byAction.set(action, found);
    }
    return found;
  }

  private internKeys(keys: readonly string[]): readonly string[] {
    const text = keys.join(',');
    let found = this.keySets.get(text);
    if (found === undefined) {
      found = keys;
      this.keySets.set(text, found);
    }
    return found;
  }

  private part(kind: string, layer: PolicyLayer, action: string): string {
    const byLayer = innerTable(this.layerParts, kind, WeakMap);
    const byAction = innerTable(byLayer, layer, Map);
    let token = byAction.get(action);
    if (token === undefined) {
      const text = `${kind}:${listSignature(layer.forAction(action))}${unreadSignature(layer)}`;
      token = this.partTokens.get(text);
      if (token === undefined) {
        token = `p${this.partTokens.size}`;
        this.partTokens.set(text, token);
      }
      byAction.set(action, token);
    }
    return token;
  }
}

/** Builds the evaluator for a snapshot; `now` stands for the time of every request it judges. */
export function createEvaluator(snapshot: Snapshot, options: { now: Date }): Evaluator {
  const index = principalIndex(snapshot);
  // By the principal object (the index holds one per principal): a lookup on every question.
  const compiled = new Map<Principal, Compiled>();
  const verdicts = new Map<string, Verdict>();
  const views = new ViewTokens();
  const layerTuples = new Map<string, EvaluationLayers>();
  const compile = (principal: Principal): Compiled => {
    let found = compiled.get(principal);
    if (found === undefined) {
      found = {
        layers: sharedLayers(layerTuples, principal.accountId, principalLayers(snapshot, index, principal)),
        knowledge: principalKnowledge(snapshot, principal, options.now),
        views: null,
        known: null,
      };
      compiled.set(principal, found);
    }
    return found;
  };
  const knownOf = (found: Compiled, keys: readonly string[]): string => {
    found.known ??= new Map();
    let text = found.known.get(keys);
    if (text === undefined) {
      text = knownText(keys, found.knowledge);
      found.known.set(keys, text);
    }
    return text;
  };
  const view = (principal: Principal, action: string): string => {
    const lower = lowerCaseOnce(action);
    const found = compile(principal);
    const shared = views.ofLayers(found.layers, principal.accountId, lower);
    // Statements that read no context key: the view is the layers' own, kept once for every principal with them.
    if (shared.keys.length === 0) return shared.token;
    found.views ??= new Map();
    let token = found.views.get(lower);
    if (token === undefined) {
      // The layers' token stands for their whole text, which starts with the account id, never with `#`.
      token = views.token(`#${shared.token}#${knownOf(found, shared.keys)}`);
      found.views.set(lower, token);
    }
    return token;
  };
  // Per layers and list of actions: the joined token when no statement for them reads the context, else null.
  const sharedViewsOfAll = new Map<EvaluationLayers, Map<readonly string[], string | null>>();
  const viewOfAll = (principal: Principal, actions: readonly string[]): string => {
    const { layers } = compile(principal);
    const byActions = innerTable(sharedViewsOfAll, layers, Map);
    let shared = byActions.get(actions);
    if (shared === undefined) {
      const parts = actions.map((action) => views.ofLayers(layers, principal.accountId, lowerCaseOnce(action)));
      shared = parts.every((part) => part.keys.length === 0) ? parts.map((part) => part.token).join('|') : null;
      byActions.set(actions, shared);
    }
    return shared ?? actions.map((action) => view(principal, action)).join('|');
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
      const lower = lowerCaseOnce(action);
      const own = Object.keys(keys).length === 0 ? '' : `|${requestKeysText(keys)}`;
      return remember(`${view(principal, lower)}|${lower}|${resource}${own}`, ask);
    },
    view,
    viewOfAll,
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
