/**
 * Proof (b): nothing the replacement allows is denied to the user today. Every action its Allow
 * statements name (expanded over the real action catalogue) is asked on every resource they name
 * and every resource CloudTrail showed for it: where the replacement may allow it, the user must
 * not be denied it. A mirror of the user's own policies, without a boundary to lose and with no
 * condition whose answer differs between the user and the role, is the user: nothing to ask.
 * Nor is there when the only difference is a key the role lacks that only Allow statements'
 * Resource reads: those statements then grant the role nothing.
 */
import type { IamCatalog } from '../../policy/action-catalog.js';
import type { NormalizedStatement } from '../../policy/document.js';
import {
  decide,
  EVERY_RESOURCE,
  type EvaluationLayers,
  type ResourceQuery,
  type Verdict,
} from '../../policy/evaluator/decide.js';
import { unreadSignature, type PolicyLayer } from '../../policy/evaluator/compile.js';
import type { Evaluator } from '../../policy/evaluator/evaluator.js';
import type { ContextKnowledge } from '../../policy/evaluator/knowledge.js';
import { plainText, resolveVariables } from '../../policy/evaluator/variables.js';
import type { StrategyContext } from '../strategies/context.js';
import type { ProofCheck } from '../types.js';
import { serviceClasses, splitsService, type ActionClass, type ServiceClasses } from './action-classes.js';
import type { Replacement } from './replacement.js';
import { checkOf, describeQuery, describeVerdict, FAILURES_LISTED, queryFor, resourcesOfAction } from './requests.js';

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
  let byStatement = expanded.get(catalog);
  if (byStatement === undefined) {
    byStatement = new WeakMap();
    expanded.set(catalog, byStatement);
  }
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

/** The resources CloudTrail showed per action (lower case). */
function seenResources(ctx: StrategyContext): Map<string, readonly string[]> {
  return new Map((ctx.usage?.actions ?? []).map((usage) => [usage.action.toLowerCase(), usage.resources]));
}

/**
 * Every (action, resource) the replacement's Allow statements name, with the resources seen for
 * the action, each once, in statement order: made as they are asked, so a proof that has failed
 * often enough stops without naming the rest.
 */
function* requests(ctx: StrategyContext, replacement: Replacement): Generator<[string, ResourceQuery]> {
  const seen = seenResources(ctx);
  const asked = new Set<string>();
  const first = (action: string, query: ResourceQuery): boolean => {
    const key = `${action}|${describeQuery(query)}`;
    if (asked.has(key)) return false;
    asked.add(key);
    return true;
  };
  for (const { compiled } of replacement.layers.identity.statements) {
    const { statement } = compiled;
    if (statement.effect !== 'Allow') continue;
    const patterns = (statement.resources ?? ['*']).map((pattern) => resolvedPattern(pattern, replacement.knowledge));
    for (const action of statementActions(ctx.catalog, statement).list) {
      for (const pattern of patterns) {
        const query = typeof pattern === 'string' ? queryFor(ctx.catalog, action, pattern) : pattern;
        if (query !== null && first(action, query)) yield [action, query];
      }
      for (const arn of resourcesOfAction(ctx.catalog, action, seen.get(action.toLowerCase()) ?? []))
        if (first(action, arn)) yield [action, arn];
    }
  }
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
  const levels = [layers.identity, ...(layers.boundary ? [layers.boundary] : []), ...layers.scps.map((s) => s.layer)];
  return levels.map((layer) => layer.forAction(action).map(idOf).join(',')).join('/');
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
  let known = answered.get(evaluator);
  if (known === undefined) {
    known = new Map();
    answered.set(evaluator, known);
  }
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
  /** The user's verdict where the replacement may allow, by (statements matching on both sides, resource); null where it does not. */
  answers: Map<string, Verdict | null>;
  ids: Map<object, number>;
  /** The classes of a service's actions for this proof; the same objects throughout it. */
  classesOf: (service: string) => ServiceClasses;
  /** Each class's matching statements on both sides, as `matchingStatements` writes them. */
  matching: Map<ActionClass, string>;
}

/** Which statements of both sides match the action: found once per class of actions. */
function matchingKey(replacement: Replacement, state: ProofState, lower: string): string {
  const both = (action: string) =>
    `${matchingStatements(replacement.layers, action, state.ids)}#${matchingStatements(state.userLayers, action, state.ids)}`;
  const cls = state.classesOf(lower.slice(0, Math.max(0, lower.indexOf(':')))).classOf.get(lower);
  if (cls === undefined) return both(lower);
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
): Verdict | null {
  const key = `${matchingKey(replacement, state, action.toLowerCase())}#${describeQuery(resource)}`;
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
  const state: ProofState = { userLayers, answers: new Map(), ids: new Map(), classesOf, matching: new Map() };
  // Most proofs pass: then a few questions per service tell it, and how many requests they stand for.
  const grouped = groupedPass(ctx, replacement, state);
  if (!grouped.denied) return checkOf(grouped.checked, [], []);
  return requestByRequest(ctx, replacement, state);
}

/** The failures in the order a reader follows the policy, each request once, stopping at the twentieth. */
function requestByRequest(ctx: StrategyContext, replacement: Replacement, state: ProofState): ProofCheck {
  const failures: string[] = [];
  let checked = 0;
  for (const [action, resource] of requests(ctx, replacement)) {
    checked += 1;
    const today = todayIfAllowed(ctx, replacement, state, action, resource);
    if (today === null || today.decision !== 'denied') continue;
    failures.push(
      `${action} on ${describeQuery(resource)}: the replacement allows it, the user is denied it today (${describeVerdict(today)})`,
    );
    // The verdict is settled and the list full: a mirror that lost its boundary would name every
    // action of the catalogue the boundary caps, at a tenth of a second per user.
    if (failures.length === FAILURES_LISTED)
      return checkOf(checked, failures, [
        `stopped after the first ${FAILURES_LISTED} requests the replacement allows and the user may not make: there may be more`,
      ]);
  }
  return checkOf(checked, failures, []);
}

/** An Allow statement of the replacement as the grouped pass reads it. */
interface Grant {
  actions: ReadonlySet<string>;
  services: ReadonlySet<string> | null;
  /** Its Resource patterns as the replacement sees them; those that name nothing left out. */
  patterns: ReadonlyArray<string | typeof EVERY_RESOURCE>;
}

function grantsOf(ctx: StrategyContext, replacement: Replacement): Grant[] {
  return replacement.layers.identity.statements.flatMap(({ compiled }) => {
    const { statement } = compiled;
    if (statement.effect !== 'Allow') return [];
    const patterns = (statement.resources ?? ['*']).flatMap((pattern) => {
      const resolved = resolvedPattern(pattern, replacement.knowledge);
      return resolved === null ? [] : [resolved];
    });
    return [{ actions: statementActions(ctx.catalog, statement).set, services: compiled.services, patterns }];
  });
}

/** The requests one class stands for, by text: every Resource of every grant naming it; null when none names it. */
function classQueries(grants: readonly Grant[], service: string, cls: ActionClass): Map<string, ResourceQuery> | null {
  let queries: Map<string, ResourceQuery> | null = null;
  for (const grant of grants) {
    if (grant.services !== null && !grant.services.has(service)) continue;
    if (!grant.actions.has(cls.representative)) continue;
    queries ??= new Map();
    for (const pattern of grant.patterns) {
      const query = pattern !== '*' ? pattern : cls.noResource ? '*' : EVERY_RESOURCE;
      queries.set(describeQuery(query), query);
    }
  }
  return queries;
}

function allLayers(layers: EvaluationLayers): PolicyLayer[] {
  return [layers.identity, ...(layers.boundary ? [layers.boundary] : []), ...layers.scps.map((level) => level.layer)];
}

/** The service's classes for this proof: split only by the statements of either side that name some of its actions. */
function classesFor(ctx: StrategyContext, layers: readonly PolicyLayer[], service: string): ServiceClasses {
  const splitters = layers
    .flatMap((layer) => layer.forService(service))
    .map(({ compiled }) => compiled)
    .filter((compiled) => splitsService(compiled, service));
  return serviceClasses(ctx.catalog, service, splitters);
}

/**
 * Every request of the proof, asked once per class of actions and resource: whether the user is
 * denied any of them today, and how many requests they are (as `requests` names them).
 */
function groupedPass(
  ctx: StrategyContext,
  replacement: Replacement,
  state: ProofState,
): { checked: number; denied: boolean } {
  const grants = grantsOf(ctx, replacement);
  const services = grants.some((grant) => grant.services === null)
    ? ctx.catalog.services
    : [...new Set(grants.flatMap((grant) => [...(grant.services ?? [])]))];
  const queriesOf = new Map<ActionClass, Map<string, ResourceQuery>>();
  const deniedToday = (action: string, resource: ResourceQuery): boolean =>
    todayIfAllowed(ctx, replacement, state, action, resource)?.decision === 'denied';
  let checked = 0;
  for (const service of services) {
    for (const cls of state.classesOf(service).classes) {
      const queries = classQueries(grants, service, cls);
      if (queries === null) continue;
      queriesOf.set(cls, queries);
      checked += cls.actions.length * queries.size;
      for (const query of queries.values())
        if (deniedToday(cls.representative, query)) return { checked, denied: true };
    }
  }
  // The resources CloudTrail showed for an action, beyond those its statements name.
  for (const [lower, arns] of seenResources(ctx)) {
    const entry = ctx.catalog.action(lower);
    const cls = entry && state.classesOf(lower.slice(0, lower.indexOf(':'))).classOf.get(lower);
    const queries = cls && queriesOf.get(cls);
    if (entry === undefined || queries === undefined) continue;
    for (const arn of new Set(resourcesOfAction(ctx.catalog, entry.name, arns))) {
      if (queries.has(arn)) continue;
      checked += 1;
      if (deniedToday(entry.name, arn)) return { checked, denied: true };
    }
  }
  return { checked, denied: false };
}
