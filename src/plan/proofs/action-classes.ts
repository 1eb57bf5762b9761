/**
 * The catalogue's actions of one service in classes that a proof's statements all treat alike,
 * as the admin assessment groups them: `decide` reads the action only to pick the statements
 * whose Action / NotAction match it, so two actions matched by the same statements, asked on the
 * same resource, get the same verdict. A statement that names a service only through `*` or
 * `svc:*` matches all of its actions or none; only statements that name some of its actions
 * (`s3:Get*`, `s3:DeleteBucket`, a NotAction naming one action, a wildcard in the service part)
 * split it. A wide mirror then costs a few questions per service instead of one per action.
 */
import type { IamCatalog } from '../../policy/action-catalog.js';
import type { CompiledStatement, PolicyLayer } from '../../policy/evaluator/compile.js';
import { takesNoResource } from './requests.js';
import { innerTable } from '../../inner-table.js';

export interface ActionClass {
  /** The first action of the class in catalogue order: its verdicts stand for every action of the class. */
  representative: string;
  /** In catalogue order. */
  actions: readonly string[];
  /** Whether its actions take no resource but `*`: a Resource of `*` is then asked as `*`, not as every resource. */
  noResource: boolean;
}

export interface ServiceClasses {
  classes: readonly ActionClass[];
  /** By the catalogue's action name. */
  classOf: ReadonlyMap<string, ActionClass>;
}

/**
 * The services an Action / NotAction list may split: where it names some of their actions but
 * not all. `all` when a pattern could split any service (`*:Get*`, or one without a colon).
 */
export function splitServices(patterns: readonly string[]): ReadonlySet<string> | 'all' {
  const split = new Set<string>();
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower === '*') continue;
    const colon = lower.indexOf(':');
    if (colon < 0) return 'all';
    // An action has one colon, so `svc:*` (even `s*:*`) matches a service's actions all or none.
    if (lower.slice(colon + 1) === '*') continue;
    const service = lower.slice(0, colon);
    if (/[*?]/.test(service)) return 'all';
    split.add(service);
  }
  return split;
}

/**
 * The services an Action / NotAction list names at all (`s3:*` too); `all` when a pattern's
 * service part has a wildcard or it has none. A service no statement names is matched by each
 * statement as every other such service is: wholly by `*`, wholly by a NotAction that names others.
 */
function namedByPatterns(patterns: readonly string[]): ReadonlySet<string> | 'all' {
  const named = new Set<string>();
  for (const pattern of patterns) {
    if (pattern === '*') continue;
    const colon = pattern.indexOf(':');
    const service = pattern.slice(0, Math.max(0, colon)).toLowerCase();
    if (colon < 0 || /[*?]/.test(service)) return 'all';
    named.add(service);
  }
  return named;
}

const namedByLayer = new WeakMap<PolicyLayer, ReadonlySet<string> | 'all'>();

/** The services some statement of the layers names; `all` when one may name any. */
export function namedServices(layers: readonly PolicyLayer[]): ReadonlySet<string> | 'all' {
  const named = new Set<string>();
  for (const layer of layers) {
    let ofLayer = namedByLayer.get(layer);
    if (ofLayer === undefined) {
      const perStatement = layer.statements.map(({ compiled }) =>
        namedByPatterns(compiled.statement.actions ?? compiled.statement.notActions ?? []),
      );
      ofLayer = perStatement.includes('all')
        ? 'all'
        : new Set(perStatement.flatMap((services) => [...(services as ReadonlySet<string>)]));
      namedByLayer.set(layer, ofLayer);
    }
    if (ofLayer === 'all') return 'all';
    for (const service of ofLayer) named.add(service);
  }
  return named;
}

/** How many of the service's actions take a resource, and how many take only `*`. */
export function actionCounts(catalog: IamCatalog, service: string): { resource: number; noResource: number } {
  const counts = { resource: 0, noResource: 0 };
  for (const { actions, noResource } of serviceClasses(catalog, service, []).classes)
    counts[noResource ? 'noResource' : 'resource'] += actions.length;
  return counts;
}

const splitsByStatement = new WeakMap<CompiledStatement, ReadonlySet<string> | 'all'>();

/** Whether the statement may match some actions of the service (lower case) and not others. */
export function splitsService(compiled: CompiledStatement, service: string): boolean {
  let split = splitsByStatement.get(compiled);
  if (split === undefined) {
    split = splitServices(compiled.statement.actions ?? compiled.statement.notActions ?? []);
    splitsByStatement.set(compiled, split);
  }
  return split === 'all' || split.has(service);
}

const classesByCatalog = new WeakMap<IamCatalog, Map<string, ServiceClasses>>();

/** Bounds the memo: distinct sets of splitting statements per service are few in a real estate. */
const CLASSES_KEPT = 20_000;

/**
 * The service's actions in classes that every statement of `splitters` (the statements that
 * split the service) matches alike, and that take a resource alike. Statements are shared by
 * text, so principals with the same splitting statements share the classes.
 */
export function serviceClasses(
  catalog: IamCatalog,
  service: string,
  splitters: readonly CompiledStatement[],
): ServiceClasses {
  const memo = innerTable(classesByCatalog, catalog, Map);
  const unique = [...new Map(splitters.map((compiled) => [compiled.id, compiled])).values()].sort(
    (a, b) => a.id - b.id,
  );
  const key = `${service}|${unique.map((compiled) => compiled.id).join(',')}`;
  let found = memo.get(key);
  if (found === undefined) {
    found = classify(catalog, service, unique);
    if (memo.size >= CLASSES_KEPT) memo.clear();
    memo.set(key, found);
  }
  return found;
}

function classify(catalog: IamCatalog, service: string, splitters: readonly CompiledStatement[]): ServiceClasses {
  const byKey = new Map<string, { representative: string; actions: string[]; noResource: boolean }>();
  const classOf = new Map<string, ActionClass>();
  for (const { name } of catalog.actionsOf(service)) {
    const lower = name.toLowerCase();
    const noResource = takesNoResource(catalog, name);
    let key = noResource ? 'n' : 'r';
    for (const compiled of splitters) key += compiled.matchesAction(lower) ? '1' : '0';
    let found = byKey.get(key);
    if (found === undefined) {
      found = { representative: name, actions: [], noResource };
      byKey.set(key, found);
    }
    found.actions.push(name);
    classOf.set(name, found);
  }
  return { classes: [...byKey.values()], classOf };
}
