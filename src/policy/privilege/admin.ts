/**
 * Full administrator, decided by the evaluator rather than by spotting `"*"` in a document:
 * every action of every service in the real catalogue on every resource. A Deny beside
 * AdministratorAccess, a NotAction allow-list, a permissions boundary all count. Services that no
 * statement of the principal names behave alike, so one action stands for each of them; the
 * services that some statement names are checked action by action.
 */
import type { CatalogAction, IamCatalog } from '../action-catalog.js';
import {
  buildLayer,
  listSignature,
  type CompiledStatement,
  unreadSignature,
  type PolicyLayer,
  type SourcedStatement,
} from '../evaluator/compile.js';
import { lowerCaseOnce } from '../evaluator/lower-case.js';
import {
  allLayers,
  decide,
  EVERY_RESOURCE,
  statementRef,
  type EvaluationLayers,
  type StatementRef,
  type Undecided,
  type Verdict,
} from '../evaluator/decide.js';
import type { Evaluator } from '../evaluator/evaluator.js';
import type { ContextKnowledge } from '../evaluator/knowledge.js';
import type { Principal } from '../evaluator/principals.js';
import type { Tri } from '../tri.js';
import { innerTable } from '../../inner-table.js';

export interface AdminException {
  /** A whole service (`iam:*`) or one action (`s3:DeleteBucket`). */
  what: string;
  /** Why: a Deny, no Allow (NotAction), the boundary. */
  causes: Verdict['causes'];
}

export interface AdminAssessment {
  /** `yes`: every action on every resource; `maybe`: only under conditions the scan cannot settle. */
  admin: Tri;
  /**
   * `full`: administrator; `all-but`: an Allow of every service on `*` that something narrows
   * (NotAction, a Deny, a boundary) in fewer than half of the services, listed in `exceptions`;
   * `none`: no such Allow, or one narrowed in most services.
   */
  level: 'full' | 'all-but' | 'none';
  exceptions: AdminException[];
  /** What SCPs take away or make conditional; an SCP limits every principal of the account alike, so it does not lower the level. */
  scpLimits: AdminException[];
  /** The identity statements that grant every service. */
  grants: StatementRef[];
  undecided: Undecided[];
  unread: Verdict['unread'];
}

const broadGrantsOf = new WeakMap<PolicyLayer, StatementRef[]>();

/**
 * Identity Allow statements that can name every service on every resource. Asked for every
 * principal, and identity layers are shared by principals with the same policies: kept per layer.
 */
function broadGrants(layers: EvaluationLayers): StatementRef[] {
  let grants = broadGrantsOf.get(layers.identity);
  if (grants === undefined) {
    grants = layers.identity.statements
      .filter(
        (s) => s.compiled.statement.effect === 'Allow' && s.compiled.services === null && s.compiled.everyResource,
      )
      .map(statementRef);
    broadGrantsOf.set(layers.identity, grants);
  }
  return grants;
}

/**
 * Which services an unconditional Allow of every resource already grants whole: `*`, or every
 * service a NotAction statement does not name. Another Allow on such a service changes nothing.
 */
function wholeServiceGrant(identity: PolicyLayer): (service: string) => boolean {
  const excludedPerStatement: Array<Set<string>> = [];
  for (const { compiled } of identity.statements) {
    const { statement } = compiled;
    if (statement.effect !== 'Allow' || compiled.services !== null || !compiled.everyResource) continue;
    if (statement.conditions.length > 0) continue;
    if (statement.actions?.includes('*')) return () => true;
    const excluded = new Set<string>();
    let usable = statement.notActions !== null;
    for (const pattern of statement.notActions ?? []) {
      const service = pattern.slice(0, Math.max(0, pattern.indexOf(':'))).toLowerCase();
      if (service === '' || /[*?]/.test(service)) usable = false;
      excluded.add(service);
    }
    if (usable) excludedPerStatement.push(excluded);
  }
  return (service) => excludedPerStatement.some((excluded) => !excluded.has(service));
}

const statementServices = new WeakMap<CompiledStatement, string[] | 'all'>();

/** `patternServices` of a compiled statement's Action or NotAction, kept: every assessment reads the same statements. */
function servicesNamedBy(compiled: CompiledStatement): string[] | 'all' {
  let services = statementServices.get(compiled);
  if (services === undefined) {
    services = patternServices(compiled.statement.actions ?? compiled.statement.notActions ?? []);
    statementServices.set(compiled, services);
  }
  return services;
}

/** The service prefixes of Action / NotAction patterns; `all` when one has a wildcard in its service part. */
function patternServices(patterns: readonly string[]): string[] | 'all' {
  const out: string[] = [];
  for (const pattern of patterns) {
    if (pattern === '*') continue;
    const colon = pattern.indexOf(':');
    const service = colon < 0 ? pattern : pattern.slice(0, colon);
    if (colon < 0 || /[*?]/.test(service)) return 'all';
    out.push(service.toLowerCase());
  }
  return out;
}

/** The services a layer's statements name, `all` when a pattern has a wildcard in its service part; `grantOnly` leaves out identity Allows of services granted whole. */
function addNamedBy(named: Set<string>, layer: PolicyLayer, grantOnly: ((service: string) => boolean) | null): boolean {
  for (const { compiled } of layer.statements) {
    const granted = grantOnly !== null && compiled.statement.effect === 'Allow' && compiled.statement.actions !== null;
    const services = servicesNamedBy(compiled);
    if (services === 'all') return false;
    for (const service of services) if (!granted || !grantOnly(service)) named.add(service);
  }
  return true;
}

const namedByIdentity = new WeakMap<PolicyLayer, ReadonlySet<string> | 'all'>();
const namedByLayers = new WeakMap<EvaluationLayers, ReadonlySet<string> | 'all'>();

/** `addNamedBy` of an identity layer, kept per layer: a ReadOnlyAccess-sized statement names hundreds of services. */
function namedByIdentityLayer(identity: PolicyLayer): ReadonlySet<string> | 'all' {
  let named = namedByIdentity.get(identity);
  if (named === undefined) {
    const set = new Set<string>();
    named = addNamedBy(set, identity, wholeServiceGrant(identity)) ? set : 'all';
    namedByIdentity.set(identity, named);
  }
  return named;
}

/**
 * Services whose actions may not all behave alike for this principal: those a Deny, a NotAction,
 * a boundary, an SCP or an Allow beyond the whole-service grants names; `all` when a pattern has a
 * wildcard in its service part. Kept per layers object (shared by principals with the same policies).
 */
function namedServices(layers: EvaluationLayers): ReadonlySet<string> | 'all' {
  let named = namedByLayers.get(layers);
  if (named === undefined) {
    const identity = namedByIdentityLayer(layers.identity);
    const others = [...(layers.boundary ? [layers.boundary] : []), ...layers.scps.map((l) => l.layer)];
    const set = new Set(identity === 'all' ? [] : identity);
    named = identity !== 'all' && others.every((layer) => addNamedBy(set, layer, null)) ? set : 'all';
    namedByLayers.set(layers, named);
  }
  return named;
}

/** Whether only SCPs deny the request, or keep it open: they limit every principal of the account alike. */
function onlyScp(verdict: Verdict): boolean {
  if (verdict.causes.length === 0 || !verdict.causes.every((c) => c === 'scp' || c === 'explicit-deny')) return false;
  const deciding = verdict.decision === 'denied' ? verdict.statements : verdict.undecided.map((u) => u.statement);
  return deciding.every((s) => s.source.kind === 'scp');
}

interface ServiceOutcome {
  denied: AdminException[];
  scp: AdminException[];
  open: Verdict[];
}

/** Answers "is this action allowed on every resource?" for one principal. */
type EveryResourceCheck = (action: string) => Verdict;

/** Stands for every service no statement names: they all get this one verdict. */
const UNNAMED_SERVICE_ACTION = 'roleshift-unnamed-service:AnyAction';

/**
 * The service's actions in groups that every statement of every layer treats alike (the same
 * statements match each of them): one verdict stands for each group. Conditions and the resource
 * (every resource) do not depend on the action, so the statements that match decide it.
 */
export function actionGroups(
  layers: EvaluationLayers,
  service: string,
  actions: readonly CatalogAction[],
): CatalogAction[][] {
  // Each statement splits the classes of actions into those it matches and those it does not:
  // numbers instead of a text of matches per action, which was most of the assessment's garbage.
  const classes = new Int32Array(actions.length);
  let count = 1;
  for (const layer of allLayers(layers)) {
    for (const { compiled } of layer.forService(service)) {
      const matches = matchesOf(compiled, actions);
      const matched = new Map<number, number>();
      matches.forEach((match, index) => {
        if (match === 0) return;
        const before = classes[index] as number;
        let after = matched.get(before);
        if (after === undefined) {
          after = count++;
          matched.set(before, after);
        }
        classes[index] = after;
      });
    }
  }
  const groups = new Map<number, CatalogAction[]>();
  actions.forEach((action, index) => {
    const id = classes[index] as number;
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [action]);
    else group.push(action);
  });
  return [...groups.values()];
}

const statementMatches = new WeakMap<readonly CatalogAction[], WeakMap<CompiledStatement, Uint8Array>>();

/**
 * Which of the actions (a service's, from the catalogue) the statement's Action or NotAction
 * matches, one byte each. Kept per statement and list of actions: the same statements
 * (AdministratorAccess, a Deny beside it, PowerUserAccess) reach hundreds of assessments.
 */
function matchesOf(compiled: CompiledStatement, actions: readonly CatalogAction[]): Uint8Array {
  const byStatement = innerTable(statementMatches, actions, WeakMap);
  let matches = byStatement.get(compiled);
  if (matches === undefined) {
    const found = new Uint8Array(actions.length);
    actions.forEach((action, index) => {
      if (compiled.matchesAction(lowerCaseOnce(action.name))) found[index] = 1;
    });
    matches = found;
    byStatement.set(compiled, matches);
  }
  return matches;
}

const catalogGroups = new WeakMap<IamCatalog, Map<string, CatalogAction[][]>>();

/**
 * `actionGroups` of every catalogue action of the service, shared by every principal whose
 * statements for the service say the same (by content: which statements match an action does
 * not depend on where they come from).
 */
export function serviceActionGroups(
  catalog: IamCatalog,
  layers: EvaluationLayers,
  service: string,
): readonly CatalogAction[][] {
  const cache = innerTable(catalogGroups, catalog, Map);
  let key = service;
  for (const layer of allLayers(layers)) key += `|${idsSignature(layer.forService(service))}`;
  let groups = cache.get(key);
  if (groups === undefined) {
    groups = actionGroups(layers, service, catalog.actionsOf(service));
    if (cache.size > 50_000) cache.clear();
    cache.set(key, groups);
  }
  return groups;
}

function record(outcome: ServiceOutcome, verdict: Verdict, what: string): void {
  if (verdict.decision === 'allowed') return;
  if (onlyScp(verdict)) outcome.scp.push({ what, causes: verdict.causes });
  else if (verdict.decision === 'conditional') outcome.open.push(verdict);
  else outcome.denied.push({ what, causes: verdict.causes });
}

/** Every action of one service some statement names, on every resource. */
function checkService(
  check: EveryResourceCheck,
  catalog: IamCatalog,
  layers: EvaluationLayers,
  service: string,
): ServiceOutcome {
  const outcome: ServiceOutcome = { denied: [], scp: [], open: [] };
  const groups = serviceActionGroups(catalog, layers, service);
  const verdicts = groups.map((group) => check((group[0] as CatalogAction).name));
  if (
    groups.length > 0 &&
    verdicts.every((v) => v.decision === 'denied' && onlyScp(v) === onlyScp(verdicts[0] as Verdict))
  ) {
    record(outcome, verdicts[0] as Verdict, `${service}:*`);
    return outcome;
  }
  groups.forEach((group, index) => {
    const verdict = verdicts[index] as Verdict;
    if (verdict.decision === 'conditional') record(outcome, verdict, `${service}:*`);
    else if (verdict.decision === 'denied') for (const action of group) record(outcome, verdict, action.name);
  });
  return outcome;
}

const assessments = new WeakMap<Evaluator, Map<string, AdminAssessment>>();

/**
 * What makes two principals' assessments equal: the same statements from the same sources, and
 * the same knowledge for every context key their conditions read. Every question of the
 * assessment is about every resource at once, which never matches a Resource pattern, so the
 * variables there (`user/${aws:username}`) cannot change it: principals that differ only in
 * them (every user with a self-service policy) share one assessment.
 */
function assessmentKey(layers: EvaluationLayers, knowledge: ContextKnowledge): string {
  const { signature, keys } = layersKey(layers);
  const known = keys.map((key) => `${key}=${JSON.stringify(knowledge.lookup(key) ?? null)}`);
  return `${signature}#${known.join(';')}`;
}

const layersKeys = new WeakMap<EvaluationLayers, { signature: string; keys: readonly string[] }>();

/** The layers' part of an assessment key; the evaluator shares one layers object among principals with the same policies. */
function layersKey(layers: EvaluationLayers): { signature: string; keys: readonly string[] } {
  let found = layersKeys.get(layers);
  if (found === undefined) {
    const all = allLayers(layers);
    found = {
      signature: all.map((layer) => layer.signature).join('|'),
      keys: [...new Set(all.flatMap((layer) => layer.conditionKeys))].sort(),
    };
    layersKeys.set(layers, found);
  }
  return found;
}

/** Whether the principal is a full administrator, and if not quite, what it lacks. */
export function assessAdmin(evaluator: Evaluator, catalog: IamCatalog, principal: Principal): AdminAssessment {
  const layers = evaluator.layers(principal);
  // Most principals have no Allow of every service: nothing to compute, nothing to share.
  if (broadGrants(layers).length === 0) return notAdmin(layers);
  const cache = innerTable(assessments, evaluator, Map);
  const key = assessmentKey(layers, evaluator.knowledge(principal));
  let assessment = cache.get(key);
  if (assessment === undefined) {
    const knowledge = evaluator.knowledge(principal);
    assessment = assessLayers(catalog, layers, knowledge, (action) =>
      evaluator.evaluateEveryResource(principal, action),
    );
    cache.set(key, assessment);
  }
  return assessment;
}

const ADMINISTRATOR = buildLayer([
  {
    source: { kind: 'document', name: 'AdministratorAccess', arn: null, group: null, attachedTo: null },
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
]);

/**
 * What the principal would be with other identity policies: with AdministratorAccess attached
 * (`identity: 'administrator'`, which its boundary and SCPs still limit), or with its own policies
 * and no boundary (`identity: 'own', boundary: false`). Answers what an escalation gains.
 */
export function assessAdminIf(
  evaluator: Evaluator,
  catalog: IamCatalog,
  principal: Principal,
  change: { identity: 'administrator' | 'own'; boundary: boolean },
): AdminAssessment {
  const own = evaluator.layers(principal);
  const layers: EvaluationLayers = {
    identity: change.identity === 'administrator' ? ADMINISTRATOR : own.identity,
    boundary: change.boundary ? own.boundary : null,
    scps: own.scps,
  };
  const knowledge = evaluator.knowledge(principal);
  return assessLayers(catalog, layers, knowledge, (action) =>
    decide(layers, { action, resource: EVERY_RESOURCE, knowledge }),
  );
}

const notAdmins = new WeakMap<EvaluationLayers, AdminAssessment>();

/**
 * No Allow of every service: not an administrator, unless a policy the scan could not read is the
 * one that grants it. Most principals' answer, so made once per layers object.
 */
function notAdmin(layers: EvaluationLayers): AdminAssessment {
  let assessment = notAdmins.get(layers);
  if (assessment === undefined) {
    const unread = [...layers.identity.unread, ...(layers.boundary?.unread ?? [])];
    const admin: Tri = unread.length > 0 ? 'maybe' : 'no';
    assessment = { admin, level: 'none', exceptions: [], scpLimits: [], grants: [], undecided: [], unread };
    notAdmins.set(layers, assessment);
  }
  return assessment;
}

const serviceOutcomes = new WeakMap<IamCatalog, Map<string, ServiceOutcome>>();

const statementIds = new WeakMap<readonly SourcedStatement[], string>();

/** The statements of a list by content alone, without where they come from. */
function idsSignature(list: readonly SourcedStatement[]): string {
  let signature = statementIds.get(list);
  if (signature === undefined) {
    signature = list.map((s) => s.compiled.id).join(',');
    statementIds.set(list, signature);
  }
  return signature;
}

/**
 * What a service's outcome depends on: the statements of every layer that can name the service,
 * the unread policies, and what is known of the keys their conditions read. Every question is
 * about every resource, so nothing else can change it. Where each statement comes from shows
 * only in the verdicts an outcome keeps open (`withSources: false` leaves it out).
 */
function serviceKey(
  layers: EvaluationLayers,
  service: string,
  knowledge: ContextKnowledge,
  withSources: boolean,
): string {
  const part = (kind: string, layer: PolicyLayer) => {
    const list = layer.forService(service);
    return `${kind}:${withSources ? listSignature(list) : idsSignature(list)}${unreadSignature(layer)}`;
  };
  const parts = [
    part('i', layers.identity),
    ...(layers.boundary ? [part('b', layers.boundary)] : []),
    ...layers.scps.map((level) => part('s', level.layer)),
  ];
  const keys = [
    ...new Set(
      allLayers(layers).flatMap((layer) => layer.forService(service).flatMap((s) => s.compiled.conditionKeys)),
    ),
  ].sort();
  const known = keys.map((key) => `${key}=${JSON.stringify(knowledge.lookup(key) ?? null)}`);
  return `${withSources ? 'sourced' : 'content'}|${service}|${parts.join('|')}#${known.join(';')}`;
}

/**
 * A service some statement names, checked action by action, and shared: by principals whose
 * layers hold the same statements for the service; and, when the outcome keeps no verdict open
 * (denials and SCP limits name only the action and the causes), by principals whose statements
 * for it say the same whichever group or policy they come from (ReadOnlyAccess through each
 * team's group, beside the same PowerUserAccess).
 */
function namedServiceOutcome(
  check: EveryResourceCheck,
  catalog: IamCatalog,
  layers: EvaluationLayers,
  service: string,
  knowledge: ContextKnowledge,
): ServiceOutcome {
  const cache = innerTable(serviceOutcomes, catalog, Map);
  const byContent = serviceKey(layers, service, knowledge, false);
  const shared = cache.get(byContent);
  if (shared !== undefined) return shared;
  const bySource = serviceKey(layers, service, knowledge, true);
  let outcome = cache.get(bySource);
  if (outcome === undefined) {
    outcome = checkService(check, catalog, layers, service);
    if (cache.size > 50_000) cache.clear();
    cache.set(bySource, outcome);
    if (outcome.open.length === 0) cache.set(byContent, outcome);
  }
  return outcome;
}

const catalogOrders = new WeakMap<IamCatalog, ReadonlyMap<string, number>>();

/** Each catalogue service's place in `catalog.services`, to walk a few services in the catalogue's order. */
function catalogOrder(catalog: IamCatalog): ReadonlyMap<string, number> {
  let order = catalogOrders.get(catalog);
  if (order === undefined) {
    order = new Map(catalog.services.map((service, index) => [service, index]));
    catalogOrders.set(catalog, order);
  }
  return order;
}

/**
 * The services whose outcome must be looked at, in the catalogue's order: all of them, or, when
 * the stand-in action for the services no statement names is allowed (nothing to record for
 * them), only the named ones the catalogue holds.
 */
function servicesToWalk(
  catalog: IamCatalog,
  named: ReadonlySet<string> | 'all',
  uniform: Verdict | null,
): readonly string[] {
  if (named === 'all' || uniform?.decision !== 'allowed') return catalog.services;
  const order = catalogOrder(catalog);
  return [...named]
    .filter((service) => order.has(service))
    .sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
}

function assessLayers(
  catalog: IamCatalog,
  layers: EvaluationLayers,
  knowledge: ContextKnowledge,
  check: EveryResourceCheck,
): AdminAssessment {
  const grants = broadGrants(layers);
  if (grants.length === 0) return notAdmin(layers);
  const unread = [...layers.identity.unread, ...(layers.boundary?.unread ?? [])];
  const named = namedServices(layers);
  const uniform = named === 'all' ? null : check(UNNAMED_SERVICE_ACTION);
  const walked = servicesToWalk(catalog, named, uniform);
  // The services not walked are allowed whole by the stand-in's verdict.
  let untouched = catalog.services.length - walked.length;
  const lacking: ServiceOutcome = { denied: [], scp: [], open: [] };
  for (const service of walked) {
    const denied = lacking.denied.length;
    if (uniform !== null && named !== 'all' && !named.has(service)) record(lacking, uniform, `${service}:*`);
    else {
      const outcome = namedServiceOutcome(check, catalog, layers, service, knowledge);
      if (outcome.denied.length > 0) lacking.denied.push(...outcome.denied);
      if (outcome.scp.length > 0) lacking.scp.push(...outcome.scp);
      if (outcome.open.length > 0) lacking.open.push(...outcome.open);
    }
    if (lacking.denied.length === denied) untouched += 1;
  }
  const { denied: exceptions, scp: scpLimits, open } = lacking;
  // The stand-in's one verdict stands open for every service no statement names: its conditions once.
  const undecided = dedupeUndecided([...new Set(open)].flatMap((v) => v.undecided));
  const admin: Tri = exceptions.length > 0 ? 'no' : open.length > 0 ? 'maybe' : 'yes';
  // "All but a few": most services stay whole. A Deny of everything beside `*` leaves nothing.
  const level = exceptions.length === 0 ? 'full' : untouched * 2 >= catalog.services.length ? 'all-but' : 'none';
  return { admin, level, exceptions, scpLimits, grants, undecided, unread };
}

function dedupeUndecided(items: Undecided[]): Undecided[] {
  const seen = new Map<string, Undecided>();
  for (const item of items) {
    const key = `${item.statement.source.kind}|${item.statement.source.arn ?? item.statement.source.name}|${item.statement.source.group}|${item.statement.index}`;
    if (!seen.has(key)) seen.set(key, item);
  }
  return [...seen.values()];
}
