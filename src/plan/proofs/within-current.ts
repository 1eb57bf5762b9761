/**
 * Proof (b): nothing the replacement allows is denied to the user today. Every action its Allow
 * statements name (expanded over the real action catalogue) is asked on every resource they name
 * and every resource CloudTrail showed for it: where the replacement may allow it, the user must
 * not be denied it. Actions that every statement of both sides matches alike are asked once for
 * all (`action-classes.ts`); a failing proof still lists its failures request by request. A mirror of the user's own policies, without a boundary to lose and with no
 * condition whose answer differs between the user and the role, is the user: nothing to ask.
 * Nor is there when the only difference is a key the role lacks that only Allow statements'
 * Resource reads: those statements then grant the role nothing.
 */
import type { IamCatalog } from '../../policy/action-catalog.js';
import type { NormalizedStatement } from '../../policy/document.js';
import {
  allLayers,
  decide,
  EVERY_RESOURCE,
  type EvaluationLayers,
  type ResourceQuery,
  type Verdict,
} from '../../policy/evaluator/decide.js';
import { unreadSignature, type CompiledStatement, type PolicyLayer } from '../../policy/evaluator/compile.js';
import type { Evaluator } from '../../policy/evaluator/evaluator.js';
import type { ContextKnowledge } from '../../policy/evaluator/knowledge.js';
import { plainText, resolveVariables } from '../../policy/evaluator/variables.js';
import type { StrategyContext } from '../strategies/context.js';
import type { ProofCheck } from '../types.js';
import {
  actionCounts,
  namedServices,
  serviceClasses,
  splitsService,
  type ActionClass,
  type ServiceClasses,
} from './action-classes.js';
import type { Replacement } from './replacement.js';
import {
  checkOf,
  describeQuery,
  describeVerdict,
  FAILURES_LISTED,
  resourcesOfAction,
  takesNoResource,
} from './requests.js';
import { innerTable } from '../../inner-table.js';

/**
 * Whether a context key the replacement lacks (a role session has no `aws:username`) can only take
 * permissions away: every statement that reads it is an Allow that reads it in its Resource alone,
 * so without a value the statement names nothing (the self-service group on `user/${aws:username}`).
 */
function lostKeyOnlyNarrows(replacement: Replacement, key: string): boolean {
  if (replacement.knowledge.lookup(key)?.kind !== 'absent') return false;
  return replacement.layers.identity.statements.every(
    ({ compiled }) =>
      !compiled.contextKeys.includes(key) ||
      (compiled.statement.effect === 'Allow' && !compiled.conditionKeys.includes(key)),
  );
}

/** Whether the replacement is the user as far as any verdict goes, or can only be narrower. */
function sameAsUser(evaluator: Evaluator, replacement: Replacement): boolean {
  if (!replacement.mirrorsUser || evaluator.layers(replacement.user).boundary !== null) return false;
  const userKnowledge = evaluator.knowledge(replacement.user);
  return replacement.layers.identity.contextKeys.every(
    (key) =>
      JSON.stringify(userKnowledge.lookup(key)) === JSON.stringify(replacement.knowledge.lookup(key)) ||
      lostKeyOnlyNarrows(replacement, key),
  );
}

/** The catalogue actions an Allow statement may grant. */
function actionsOf(
  catalog: IamCatalog,
  actions: readonly string[] | null,
  notActions: readonly string[] | null,
): string[] {
  if (actions !== null) return [...new Set(actions.flatMap((pattern) => catalog.expand(pattern).map((a) => a.name)))];
  const excluded = new Set((notActions ?? []).flatMap((pattern) => catalog.expand(pattern).map((a) => a.name)));
  return catalog.services.flatMap((service) =>
    catalog.actionsOf(service).flatMap((action) => (excluded.has(action.name) ? [] : [action.name])),
  );
}

/** Expansions per catalogue and statement: statements are shared by text, and a ReadOnlyAccess-sized one names thousands of actions. */
const expanded = new WeakMap<IamCatalog, WeakMap<NormalizedStatement, StatementActions>>();

interface StatementActions {
  /** In the order the statement names them. */
  list: readonly string[];
  set: ReadonlySet<string>;
}

function statementActions(catalog: IamCatalog, statement: NormalizedStatement): StatementActions {
  const byStatement = innerTable(expanded, catalog, WeakMap);
  let actions = byStatement.get(statement);
  if (actions === undefined) {
    const list = actionsOf(catalog, statement.actions, statement.notActions);
    actions = { list, set: new Set(list) };
    byStatement.set(statement, actions);
  }
  return actions;
}

/** A Resource pattern as the replacement sees it: plain text, every resource (a variable left open), or nothing (no value). */
function resolvedPattern(pattern: string, knowledge: ContextKnowledge): string | typeof EVERY_RESOURCE | null {
  const resolved = resolveVariables(pattern, knowledge);
  if (resolved.kind !== 'text') return resolved.kind === 'no-value' ? null : EVERY_RESOURCE;
  return plainText(resolved.text);
}

/**
 * The resources CloudTrail showed for each catalogue action, each once, among those a request for
 * it can name (an S3 PutObject event lists its bucket too).
 */
function seenByAction(ctx: StrategyContext): Map<string, readonly string[]> {
  const seen = new Map<string, readonly string[]>();
  const byLowerCase = new Map((ctx.usage?.actions ?? []).map((usage) => [usage.action.toLowerCase(), usage.resources]));
  for (const [lower, arns] of byLowerCase) {
    const entry = ctx.catalog.action(lower);
    const resources = entry === undefined ? [] : [...new Set(resourcesOfAction(ctx.catalog, entry.name, arns))];
    if (entry !== undefined && resources.length > 0) seen.set(entry.name, resources);
  }
  return seen;
}

/**
 * Which statements of each layer match an action, as text: `decide` reads the action only to pick
 * these, so two actions with the same text get the same verdict on the same resource. A
 * replacement that mirrors ReadOnlyAccess names thousands of actions that fall into a few dozen
 * such groups.
 */
function matchingStatements(layers: EvaluationLayers, action: string, ids: Map<object, number>): string {
  const idOf = (statement: object): number => {
    let id = ids.get(statement);
    if (id === undefined) {
      id = ids.size;
      ids.set(statement, id);
    }
    return id;
  };
  return allLayers(layers)
    .map((layer) => layer.forAction(action).map(idOf).join(','))
    .join('/');
}

function layersSignature(layers: EvaluationLayers): string {
  return [layers.identity, layers.boundary, ...layers.scps.map((level) => level.layer)]
    .map((layer) => (layer === null ? '-' : `${layer.signature}${unreadSignature(layer)}`))
    .join('|');
}

/**
 * Everything proof (b) reads: both sides' statements and sources, what their statements read
 * from each side's context, and the resources CloudTrail showed. Group members whose
 * replacements are the same (a mirror of the group's policies) share one answer.
 */
function proofKey(ctx: StrategyContext, replacement: Replacement): string {
  const { evaluator } = ctx;
  const userLayers = evaluator.layers(replacement.user);
  const userKnowledge = evaluator.knowledge(replacement.user);
  const keys = new Set<string>();
  for (const layers of [replacement.layers, userLayers])
    for (const layer of [layers.identity, layers.boundary, ...layers.scps.map((level) => level.layer)])
      for (const key of layer?.contextKeys ?? []) keys.add(key);
  const context = [...keys]
    .sort()
    .map(
      (key) =>
        `${key}=${JSON.stringify(replacement.knowledge.lookup(key))}/${JSON.stringify(userKnowledge.lookup(key))}`,
    );
  const seen = (ctx.usage?.actions ?? []).map((usage) => [usage.action, usage.resources]);
  return JSON.stringify([layersSignature(replacement.layers), layersSignature(userLayers), context, seen]);
}

const answered = new WeakMap<Evaluator, Map<string, ProofCheck>>();

export function proveWithinCurrent(ctx: StrategyContext, replacement: Replacement): ProofCheck {
  const { evaluator } = ctx;
  if (sameAsUser(evaluator, replacement))
    return checkOf(
      0,
      [],
      ["the replacement has the user's own policies and the user has no boundary: it allows nothing the user may not"],
    );
  const known = innerTable(answered, evaluator, Map);
  const key = proofKey(ctx, replacement);
  let check = known.get(key);
  if (check === undefined) {
    check = checkEveryRequest(ctx, replacement);
    known.set(key, check);
  }
  return check;
}

interface ProofState {
  userLayers: EvaluationLayers;
  /** Every layer of both sides. */
  layers: readonly PolicyLayer[];
  /** The user's verdict where the replacement may allow, by (statements matching on both sides, resource); null where it does not. */
  answers: Map<string, Verdict | null>;
  ids: Map<object, number>;
  /** The classes of a service's actions for this proof; the same objects throughout it. */
  classesOf: (service: string) => ServiceClasses;
  /** Each class's matching statements on both sides, as `matchingStatements` writes them. */
  matching: Map<ActionClass, string>;
}

function classOfAction(state: ProofState, action: string): ActionClass | undefined {
  return state.classesOf(action.slice(0, Math.max(0, action.indexOf(':'))).toLowerCase()).classOf.get(action);
}

/** Which statements of both sides match the action (of `cls` when known): found once per class of actions. */
function matchingKey(
  replacement: Replacement,
  state: ProofState,
  action: string,
  cls = classOfAction(state, action),
): string {
  const both = (lower: string) =>
    `${matchingStatements(replacement.layers, lower, state.ids)}#${matchingStatements(state.userLayers, lower, state.ids)}`;
  if (cls === undefined) return both(action.toLowerCase());
  let key = state.matching.get(cls);
  if (key === undefined) {
    key = both(cls.representative.toLowerCase());
    state.matching.set(cls, key);
  }
  return key;
}

/** The user's verdict today on a request the replacement may allow; null when the replacement denies it. */
function todayIfAllowed(
  ctx: StrategyContext,
  replacement: Replacement,
  state: ProofState,
  action: string,
  resource: ResourceQuery,
  cls?: ActionClass,
): Verdict | null {
  const key = `${matchingKey(replacement, state, action, cls)}#${describeQuery(resource)}`;
  let today = state.answers.get(key);
  if (today === undefined) {
    const planned = decide(replacement.layers, { action, resource, knowledge: replacement.knowledge });
    today =
      planned.decision === 'denied'
        ? null
        : typeof resource === 'string'
          ? ctx.evaluator.evaluate(replacement.user, action, resource)
          : ctx.evaluator.evaluateEveryResource(replacement.user, action);
    state.answers.set(key, today);
  }
  return today;
}

/** Proof (b) itself: every request the replacement's statements name, against the user today. */
function checkEveryRequest(ctx: StrategyContext, replacement: Replacement): ProofCheck {
  const userLayers = ctx.evaluator.layers(replacement.user);
  const layers = [...allLayers(replacement.layers), ...allLayers(userLayers)];
  const classes = new Map<string, ServiceClasses>();
  const classesOf = (service: string): ServiceClasses => {
    let found = classes.get(service);
    if (found === undefined) {
      found = classesFor(ctx, layers, service);
      classes.set(service, found);
    }
    return found;
  };
  const state: ProofState = { userLayers, layers, answers: new Map(), ids: new Map(), classesOf, matching: new Map() };
  const grants = grantsOf(ctx, replacement);
  const seen = seenByAction(ctx);
  // Most proofs pass: then a few questions per service tell it, and how many requests they stand for.
  const grouped = groupedPass(ctx, replacement, state, { grants, seen });
  if (!grouped.denied) return checkOf(grouped.checked, [], []);
  return requestByRequest(ctx, replacement, state, { grants, seen });
}

/** An Allow statement of the replacement, in the order the proof reads them. */
interface Grant {
  /** Its actions in the order it names them. */
  list: readonly string[];
  actions: ReadonlySet<string>;
  services: ReadonlySet<string> | null;
  /** Whether its Action / NotAction matches the action (lower case). */
  matches: (action: string) => boolean;
  /** Its Resource patterns as the replacement sees them; those that name nothing left out. */
  patterns: ReadonlyArray<string | typeof EVERY_RESOURCE>;
}

/** What both passes read: the grants, and the resources CloudTrail showed per action. */
interface ProofRequests {
  grants: readonly Grant[];
  seen: ReadonlyMap<string, readonly string[]>;
}

function grantsOf(ctx: StrategyContext, replacement: Replacement): Grant[] {
  return replacement.layers.identity.statements.flatMap(({ compiled }) => {
    const { statement } = compiled;
    if (statement.effect !== 'Allow') return [];
    const patterns = (statement.resources ?? ['*']).flatMap((pattern) => {
      const resolved = resolvedPattern(pattern, replacement.knowledge);
      return resolved === null ? [] : [resolved];
    });
    const { list, set } = statementActions(ctx.catalog, statement);
    return [{ list, actions: set, services: compiled.services, matches: compiled.matchesAction, patterns }];
  });
}

/** The query a Resource pattern makes for a class: `*` means every resource, unless its actions take no other. */
function queryOf(pattern: string | typeof EVERY_RESOURCE, cls: ActionClass): ResourceQuery {
  if (pattern !== '*') return pattern;
  return cls.noResource ? '*' : EVERY_RESOURCE;
}

/** The requests one class stands for, by text: every Resource of every grant naming it; null when none names it. */
function classQueries(grants: readonly Grant[], service: string, cls: ActionClass): Map<string, ResourceQuery> | null {
  let queries: Map<string, ResourceQuery> | null = null;
  for (const grant of grants) {
    if (grant.services !== null && !grant.services.has(service)) continue;
    if (!grant.actions.has(cls.representative)) continue;
    queries ??= new Map();
    for (const pattern of grant.patterns) {
      const query = queryOf(pattern, cls);
      queries.set(describeQuery(query), query);
    }
  }
  return queries;
}

/** The service's classes for this proof: split only by the statements of either side that name some of its actions. */
function classesFor(ctx: StrategyContext, layers: readonly PolicyLayer[], service: string): ServiceClasses {
  return serviceClasses(
    ctx.catalog,
    service,
    layers.flatMap((layer) => layerSplitters(layer, service)),
  );
}

const splittersByLayer = new WeakMap<PolicyLayer, Map<string, readonly CompiledStatement[]>>();

/** The layer's statements that split the service; layers are shared by principals with the same policies. */
function layerSplitters(layer: PolicyLayer, service: string): readonly CompiledStatement[] {
  const byService = innerTable(splittersByLayer, layer, Map);
  let found = byService.get(service);
  if (found === undefined) {
    found = layer
      .forService(service)
      .map(({ compiled }) => compiled)
      .filter((compiled) => splitsService(compiled, service));
    byService.set(service, found);
  }
  return found;
}

/**
 * Every request of the proof, asked once per class of actions and resource: whether the user is
 * denied any of them today, and how many requests they are (as `requestByRequest` counts them).
 */
function groupedPass(
  ctx: StrategyContext,
  replacement: Replacement,
  state: ProofState,
  { grants, seen }: ProofRequests,
): { checked: number; denied: boolean } {
  const named = namedServices(state.layers);
  const everyService = grants.some((grant) => grant.services === null);
  const services = everyService
    ? ctx.catalog.services.filter((service) => named === 'all' || named.has(service))
    : [...new Set(grants.flatMap((grant) => [...(grant.services ?? [])]))];
  const unnamed = everyService && named !== 'all' ? ctx.catalog.services.filter((service) => !named.has(service)) : [];
  const deniedToday = (action: string, resource: ResourceQuery, cls?: ActionClass): boolean =>
    todayIfAllowed(ctx, replacement, state, action, resource, cls)?.decision === 'denied';
  let checked = unnamed.length === 0 ? 0 : unnamedPass(grants, unnamed, deniedToday, ctx.catalog);
  if (checked < 0) return { checked, denied: true };
  for (const service of services) {
    for (const cls of state.classesOf(service).classes) {
      const queries = classQueries(grants, service, cls);
      if (queries === null) continue;
      checked += cls.actions.length * queries.size;
      for (const query of queries.values())
        if (deniedToday(cls.representative, query, cls)) return { checked, denied: true };
    }
  }
  // The resources CloudTrail showed for an action, beyond those its statements name; its service
  // may be one of those asked through the stand-in above.
  for (const [action, arns] of seen) {
    const service = action.slice(0, Math.max(0, action.indexOf(':'))).toLowerCase();
    const cls = classOfAction(state, action);
    const queries = cls === undefined ? null : classQueries(grants, service, cls);
    if (queries === null) continue;
    for (const arn of arns) {
      if (queries.has(arn)) continue;
      checked += 1;
      if (deniedToday(action, arn, cls)) return { checked, denied: true };
    }
  }
  return { checked, denied: false };
}

/** Stands for every service no statement of either side names: they all get its verdicts. */
const UNNAMED_SERVICE_ACTION = 'roleshift-unnamed-service:AnyAction';

/**
 * The services no statement names, asked once through a stand-in action per kind of action (one
 * taking a resource, one taking only `*`): every statement matches all of them alike, and the
 * grants naming them (`*`, NotAction) give each the same Resource patterns. The requests they
 * stand for, or -1 when the user is denied one of them today.
 */
function unnamedPass(
  grants: readonly Grant[],
  unnamed: readonly string[],
  deniedToday: (action: string, resource: ResourceQuery) => boolean,
  catalog: IamCatalog,
): number {
  const sizes = { resource: 0, noResource: 0 };
  for (const service of unnamed) {
    const counts = actionCounts(catalog, service);
    sizes.resource += counts.resource;
    sizes.noResource += counts.noResource;
  }
  const covering = grants.filter(
    (grant) => grant.services === null && grant.matches(UNNAMED_SERVICE_ACTION.toLowerCase()),
  );
  let checked = 0;
  for (const noResource of [false, true]) {
    const actions = noResource ? sizes.noResource : sizes.resource;
    if (actions === 0) continue;
    const standIn: ActionClass = { representative: UNNAMED_SERVICE_ACTION, actions: [], noResource };
    const queries = new Map(
      covering
        .flatMap((grant) => grant.patterns.map((pattern) => queryOf(pattern, standIn)))
        .map((query) => [describeQuery(query), query]),
    );
    checked += actions * queries.size;
    for (const query of queries.values()) if (deniedToday(UNNAMED_SERVICE_ACTION, query)) return -1;
  }
  return checked;
}

/** What one grant asks of one class of actions: the requests no earlier grant asked, each with its denial. */
interface FreshRequests {
  fresh: Array<{ query: ResourceQuery; text: string; denial: Verdict | null }>;
  denies: boolean;
  /** Whether this is the first grant naming the class: its actions' seen resources are asked here. */
  first: boolean;
  /** Every request text asked of the class so far. */
  asked: ReadonlySet<string>;
}

function freshRequests(
  ctx: StrategyContext,
  replacement: Replacement,
  state: ProofState,
  grant: Grant,
  cls: ActionClass,
  askedOf: Map<ActionClass, Set<string>>,
): FreshRequests {
  const before = askedOf.get(cls);
  const asked = before ?? new Set<string>();
  askedOf.set(cls, asked);
  const fresh: FreshRequests['fresh'] = [];
  for (const pattern of grant.patterns) {
    const query = queryOf(pattern, cls);
    const text = describeQuery(query);
    if (asked.has(text)) continue;
    asked.add(text);
    const today = todayIfAllowed(ctx, replacement, state, cls.representative, query, cls);
    fresh.push({ query, text, denial: today?.decision === 'denied' ? today : null });
  }
  return { fresh, denies: fresh.some((request) => request.denial !== null), first: before === undefined, asked };
}

function failure(action: string, resource: ResourceQuery, today: Verdict): string {
  return `${action} on ${describeQuery(resource)}: the replacement allows it, the user is denied it today (${describeVerdict(today)})`;
}

/**
 * The failures in the order a reader follows the policy (statement, action, resource), each
 * request once, stopping at the twentieth. Requests are asked once per class of actions; only
 * the actions of a denied class, or with resources seen, are followed one request at a time.
 */
function requestByRequest(
  ctx: StrategyContext,
  replacement: Replacement,
  state: ProofState,
  { grants, seen }: ProofRequests,
): ProofCheck {
  const askedOf = new Map<ActionClass, Set<string>>();
  // Per action with resources seen: those asked, so a later statement naming one does not ask it again.
  const seenAsked = new Map<string, Set<string>>();
  const failures: string[] = [];
  let checked = 0;
  const ask = (action: string, resource: ResourceQuery, denial: Verdict | null): boolean => {
    checked += 1;
    if (denial !== null) failures.push(failure(action, resource, denial));
    return failures.length === FAILURES_LISTED;
  };
  for (const grant of grants) {
    const ofClass = new Map<ActionClass, FreshRequests>();
    for (const action of grant.list) {
      const cls = classOfAction(state, action) ?? singleton(ctx, action);
      let requests = ofClass.get(cls);
      if (requests === undefined) {
        requests = freshRequests(ctx, replacement, state, grant, cls, askedOf);
        ofClass.set(cls, requests);
      }
      const arns = seen.get(action);
      if (!requests.denies && arns === undefined) {
        checked += requests.fresh.length;
        continue;
      }
      const mine = seenAsked.get(action) ?? new Set<string>();
      seenAsked.set(action, mine);
      for (const { query, text, denial } of requests.fresh)
        if (!mine.has(text) && ask(action, query, denial)) return stopped(checked, failures);
      if (!requests.first || arns === undefined) continue;
      for (const arn of arns) {
        if (requests.asked.has(arn)) continue;
        mine.add(arn);
        const today = todayIfAllowed(ctx, replacement, state, action, arn, cls);
        if (ask(action, arn, today?.decision === 'denied' ? today : null)) return stopped(checked, failures);
      }
    }
  }
  return checkOf(checked, failures, []);
}

/** An action the catalogue's classes do not hold (none the statements name): a class of its own. */
function singleton(ctx: StrategyContext, action: string): ActionClass {
  return { representative: action, actions: [action], noResource: takesNoResource(ctx.catalog, action) };
}

/**
 * The verdict is settled and the list full: a mirror that lost its boundary would name every
 * action of the catalogue the boundary caps.
 */
function stopped(checked: number, failures: readonly string[]): ProofCheck {
  return checkOf(checked, failures, [
    `stopped after the first ${FAILURES_LISTED} requests the replacement allows and the user may not make: there may be more`,
  ]);
}
