/**
 * Questions about what a set of policies adds up to, beyond one request, each answered by asking
 * the one evaluator rather than by reading statements: the requests that stand for everything a
 * principal's Allow statements can grant (to probe a claimed control such as a source-address
 * restriction), the services a principal may use whole on every resource, and whether a set of
 * policies denies every action on every resource whatever a request carries.
 *
 * The catalogue's actions are asked in groups that every statement treats alike
 * (`actionGroups`): one verdict stands for each group, so a `*` costs a few hundred questions,
 * not twenty thousand.
 */
import type { CatalogAction, IamCatalog } from './action-catalog.js';
import { sampleOf } from './escalation/requirements.js';
import { decide, statementRef, type EvaluationLayers, type StatementRef, type Verdict } from './evaluator/decide.js';
import type { Evaluator } from './evaluator/evaluator.js';
import { partialKnowledge, type ContextKnowledge } from './evaluator/knowledge.js';
import type { Principal } from './evaluator/principals.js';
import { plainText, resolveVariables } from './evaluator/variables.js';
import { actionGroups } from './privilege/admin.js';

/** One request standing for a group of actions an Allow statement names, on one of its resources. */
export interface GrantProbe {
  action: string;
  /** A Resource pattern of the statement taken as the resource (`*` for every resource). */
  resource: string;
  statement: StatementRef;
}

/** Stands for actions of services the catalogue does not know yet: a `*` covers them too. */
const UNCATALOGUED_ACTION = 'roleshift-uncatalogued-service:AnyAction';

/** The catalogue's actions an Allow or Deny statement can name, by service; `*` and NotAction reach every service. */
function catalogueActionsOf(
  catalog: IamCatalog,
  services: ReadonlySet<string> | null,
  matches: (lower: string) => boolean,
): Map<string, CatalogAction[]> {
  const out = new Map<string, CatalogAction[]>();
  for (const service of services ?? catalog.services) {
    const named = catalog.actionsOf(service).filter((action) => matches(action.name.toLowerCase()));
    if (named.length > 0) out.set(service, named);
  }
  return out;
}

/** One action per group of `actions` that every statement of the layers treats alike. */
function representatives(layers: EvaluationLayers, byService: ReadonlyMap<string, CatalogAction[]>): string[] {
  const out: string[] = [];
  for (const [service, actions] of byService)
    for (const group of actionGroups(layers, service, actions)) out.push((group[0] as CatalogAction).name);
  return out;
}

/** The Resource patterns of a statement as resources to ask about: variables resolved for the principal. */
function probeResources(patterns: readonly string[] | null, knowledge: ContextKnowledge): string[] {
  if (patterns === null) return ['*'];
  return patterns.flatMap((pattern) => {
    const resolved = resolveVariables(pattern, knowledge);
    if (resolved.kind === 'no-value') return [];
    return [resolved.kind === 'text' ? plainText(resolved.text) : pattern];
  });
}

/**
 * Requests that stand for everything the identity Allow statements can grant: for each statement,
 * one action per group the statements treat alike (and every action name the catalogue does not
 * know, as written), on each of its Resource patterns. Asking the evaluator about each, with a
 * context key set one way or the other, tells whether a control holds for every grant.
 */
export function grantProbes(layers: EvaluationLayers, catalog: IamCatalog, knowledge: ContextKnowledge): GrantProbe[] {
  const probes = new Map<string, GrantProbe>();
  for (const sourced of layers.identity.statements) {
    const { compiled } = sourced;
    const { statement } = compiled;
    if (statement.effect !== 'Allow') continue;
    const named = catalogueActionsOf(catalog, compiled.services, (lower) => compiled.matchesAction(lower));
    const actions = [
      ...representatives(layers, named),
      ...(statement.actions ?? []).filter((pattern) => !/[*?]/.test(pattern) && catalog.action(pattern) === undefined),
    ];
    if (compiled.matchesAction(UNCATALOGUED_ACTION.toLowerCase())) actions.push(UNCATALOGUED_ACTION);
    const ref = statementRef(sourced);
    for (const resource of probeResources(statement.resources, knowledge))
      for (const action of actions) {
        const key = `${action.toLowerCase()}|${resource}`;
        if (!probes.has(key)) probes.set(key, { action, resource, statement: ref });
      }
  }
  return [...probes.values()];
}

export interface WholeService {
  service: string;
  /** The verdict on one of its actions on every resource: the statements that grant it. */
  verdict: Verdict;
}

/** Services some identity Allow statement can name, in catalogue order. */
function grantedServices(layers: EvaluationLayers, catalog: IamCatalog): string[] {
  const named = new Set<string>();
  for (const { compiled } of layers.identity.statements) {
    if (compiled.statement.effect !== 'Allow') continue;
    if (compiled.services === null) return [...catalog.services];
    for (const service of compiled.services) named.add(service);
  }
  return catalog.services.filter((service) => named.has(service));
}

/**
 * The services every action of which the principal may call on every resource (allowed, or
 * allowed under conditions the scan cannot settle): `s3:*` on `*`, or every S3 action listed one
 * by one, unless a Deny or the boundary takes one away.
 */
export function servicesGrantedWhole(evaluator: Evaluator, catalog: IamCatalog, principal: Principal): WholeService[] {
  const layers = evaluator.layers(principal);
  const out: WholeService[] = [];
  for (const service of grantedServices(layers, catalog)) {
    const groups = actionGroups(layers, service, catalog.actionsOf(service));
    let granted: Verdict | null = null;
    for (const group of groups) {
      const verdict = evaluator.evaluateEveryResource(principal, (group[0] as CatalogAction).name);
      if (verdict.decision === 'denied') {
        granted = null;
        break;
      }
      granted ??= verdict;
    }
    if (granted !== null) out.push({ service, verdict: granted });
  }
  return out;
}

/** `*` and one sample ARN of every resource type the group's actions are authorized against. */
function resourcesOf(catalog: IamCatalog, group: readonly CatalogAction[]): string[] {
  const out = new Set(['*']);
  for (const action of group)
    for (const type of action.resourceTypes) {
      const format = catalog.resourceArnFormat(action.service, type.name);
      if (format !== undefined) out.add(sampleOf(format, '111122223333'));
    }
  return [...out];
}

/**
 * Whether the layers deny every action of the catalogue (and of services it does not know yet),
 * on `*` and on a sample ARN of each resource type, with nothing known about the request: a
 * Deny that a condition could lift proves nothing. `open` lists the actions that are not denied.
 */
export function deniesEverything(layers: EvaluationLayers, catalog: IamCatalog): { proven: boolean; open: string[] } {
  const knowledge = partialKnowledge({});
  const open: string[] = [];
  const ask = (action: string, resource: string) => {
    if (decide(layers, { action, resource, knowledge }).decision !== 'denied') open.push(`${action} on ${resource}`);
  };
  ask(UNCATALOGUED_ACTION, '*');
  for (const service of catalog.services)
    for (const group of actionGroups(layers, service, catalog.actionsOf(service)))
      for (const resource of resourcesOf(catalog, group)) ask((group[0] as CatalogAction).name, resource);
  return { proven: open.length === 0, open };
}
