import type {
  AccessKeyUsage,
  ActionUsage,
  AddressGroup,
  ConsoleLogins,
  FederatedSession,
  PrincipalUsage,
  Usage,
  UsageSource,
  UserAgentFamily,
} from '../model/usage.js';
import type { MappedAction } from './actions.js';
import { addressGroup } from './address.js';
import { parseReference } from './implied-actions.js';
import { RESOURCES_PER_ACTION, type QueryName, type UsageRows } from './queries.js';
import { userAgentFamily } from './user-agent.js';

export type UsageResultSet = { [N in QueryName]: Array<UsageRows[N]> };

const NO_KEY = '';

/**
 * An action while rows are added: every pattern is known only while none of its rows had too
 * many. The sets are made when a first value comes: an Organization has hundreds of thousands of
 * actions, most without resources or request values.
 */
type TrackedAction = ActionUsage & {
  resourceSet: Set<string> | null;
  patternSet: Set<string> | null;
  patternsComplete: boolean;
  valueSet: Set<string> | null;
  valuesUnknown: boolean;
  /** Successful calls that named a value, per parameter: an event names at most one value of each. */
  valueEvents: Map<string, number> | null;
};

/** `set` with `values` added; a new set when there was none. */
function withValues(set: Set<string> | null, values: readonly string[]): Set<string> | null {
  if (values.length === 0) return set;
  const target = set ?? new Set<string>();
  for (const value of values) target.add(value);
  return target;
}

function sortedValues(set: Set<string> | null): string[] {
  return set === null ? [] : [...set].sort();
}

interface Facets {
  events: number;
  firstSeen: string;
  lastSeen: string;
  actions: Map<string, TrackedAction>;
  addresses: Map<string, AddressGroup>;
  userAgents: Map<string, UserAgentFamily>;
  regions: Set<string>;
  errors: Map<string, number>;
}

function emptyFacets(): Facets {
  return {
    events: 0,
    firstSeen: '',
    lastSeen: '',
    actions: new Map(),
    addresses: new Map(),
    userAgents: new Map(),
    regions: new Set(),
    errors: new Map(),
  };
}

function byText<T>(pick: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (pick(a) < pick(b) ? -1 : pick(a) > pick(b) ? 1 : 0);
}

function finishFacets(facets: Facets): Omit<AccessKeyUsage, 'accessKeyId' | 'principalArn'> {
  return {
    events: facets.events,
    firstSeen: facets.firstSeen,
    lastSeen: facets.lastSeen,
    actions: [...facets.actions.values()]
      .map(({ resourceSet, patternSet, patternsComplete, valueSet, valuesUnknown, valueEvents, ...action }) => ({
        ...action,
        resources: sortedValues(resourceSet).slice(0, RESOURCES_PER_ACTION),
        ...(action.resourcesTruncated === true && patternsComplete && (patternSet?.size ?? 0) <= RESOURCES_PER_ACTION
          ? { resourcePatterns: sortedValues(patternSet) }
          : {}),
        ...requestValuesOf(valueSet, valuesUnknown),
        ...(!valuesUnknown && namedOnEveryCall(valueEvents, action.events - action.errors)
          ? { requestValuesOnEveryCall: true }
          : {}),
      }))
      .sort(byText((action) => action.action)),
    addresses: [...facets.addresses.values()].sort(
      (a, b) => b.events - a.events || byText<AddressGroup>((x) => x.group)(a, b),
    ),
    userAgents: [...facets.userAgents.values()].sort(
      (a, b) => b.events - a.events || byText<UserAgentFamily>((x) => x.family)(a, b),
    ),
    regions: [...facets.regions].sort(),
    errors: Object.fromEntries([...facets.errors.entries()].sort(byText(([code]) => code))),
  };
}

/** Whether one parameter was named by every successful call (the role every CreateChangeSet passed). */
function namedOnEveryCall(valueEvents: ReadonlyMap<string, number> | null, succeeded: number): boolean {
  return succeeded > 0 && valueEvents !== null && [...valueEvents.values()].some((events) => events >= succeeded);
}

function requestValuesOf(values: ReadonlySet<string> | null, unknown: boolean): Partial<ActionUsage> {
  const size = values?.size ?? 0;
  const incomplete = unknown || size > RESOURCES_PER_ACTION;
  return {
    ...(values !== null && size > 0 ? { requestValues: [...values].sort().slice(0, RESOURCES_PER_ACTION) } : {}),
    ...(incomplete ? { requestValuesIncomplete: true } : {}),
  };
}

function gitHubSubject(subject: string | null): { repository: string | null; ref: string | null } {
  if (subject === null) return { repository: null, ref: null };
  const match = /^repo:([^:]+\/[^:]+):(ref|environment|pull_request)(?::(.+))?$/.exec(subject);
  if (match === null) return { repository: null, ref: null };
  const ref =
    match[2] === 'ref'
      ? (match[3] ?? null)
      : match[2] === 'environment'
        ? `environment:${match[3] ?? ''}`
        : 'pull_request';
  return { repository: match[1] ?? null, ref };
}

function federatedFromRows(rows: Array<UsageRows['federation']>): FederatedSession[] {
  return rows
    .filter((row) => row.provider !== null)
    .map((row) => ({
      kind: row.event_name === 'AssumeRoleWithSAML' ? ('saml' as const) : ('web-identity' as const),
      provider: row.provider ?? '',
      subject: row.subject,
      ...gitHubSubject(row.subject),
      roleArn: row.role_arn,
      events: row.events,
      firstSeen: row.first_seen,
      lastSeen: row.last_seen,
    }));
}

/** Identity Center sessions show as assumed-role principals of `AWSReservedSSO_*` roles. */
function identityCenterSessions(principals: PrincipalUsage[]): FederatedSession[] {
  const sessions: FederatedSession[] = [];
  for (const principal of principals) {
    const match = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/(AWSReservedSSO_[^/]+)\/(.+)$/.exec(principal.arn);
    if (match === null) continue;
    sessions.push({
      kind: 'identity-center',
      provider: match[2] ?? '',
      subject: match[3] ?? null,
      repository: null,
      ref: null,
      roleArn: principal.sessionIssuerArn,
      events: principal.events,
      firstSeen: principal.firstSeen,
      lastSeen: principal.lastSeen,
    });
  }
  return sessions;
}

/**
 * The resources query's JSON columns, from either engine: arrays of text. Anything else is a
 * query bug, and dropping a sample would narrow a least-privilege policy below what was used.
 */
function jsonTextArray(text: string | null, what: string): string[] {
  if (text === null || text === '') return [];
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new Error(`the resources query returned ${text.slice(0, 80)}, not a JSON array of ${what}`);
  return value as string[];
}

/** The facets being summed while rows are added: per principal, per access key, and who is who. */
interface Tally {
  byKey: Map<string, Facets>;
  byPrincipal: Map<string, Facets>;
  principalInfo: Map<string, UsageRows['summary']>;
  keyPrincipal: Map<string, string>;
}

function facetsOf(map: Map<string, Facets>, id: string): Facets {
  let facets = map.get(id);
  if (facets === undefined) {
    facets = emptyFacets();
    map.set(id, facets);
  }
  return facets;
}

/** A row counts for its principal and for its access key: the facets both sums go to. */
function facetsFor(tally: Tally, row: { principal: string | null; access_key_id: string | null }): Facets[] {
  const out: Facets[] = [];
  if (row.principal !== null) out.push(facetsOf(tally.byPrincipal, row.principal));
  if (row.access_key_id !== null && row.access_key_id !== NO_KEY) out.push(facetsOf(tally.byKey, row.access_key_id));
  return out;
}

function addSummaries(tally: Tally, rows: UsageResultSet['summary']): void {
  for (const row of rows) {
    if (row.principal !== null) {
      const known = tally.principalInfo.get(row.principal);
      tally.principalInfo.set(
        row.principal,
        known === undefined ? row : { ...known, identity_type: known.identity_type ?? row.identity_type },
      );
    }
    if (row.access_key_id !== null && row.principal !== null) tally.keyPrincipal.set(row.access_key_id, row.principal);
    for (const facets of facetsFor(tally, row)) {
      facets.events += row.events;
      if (facets.firstSeen === '' || row.first_seen < facets.firstSeen) facets.firstSeen = row.first_seen;
      if (row.last_seen > facets.lastSeen) facets.lastSeen = row.last_seen;
    }
  }
}

function addActions(tally: Tally, rows: UsageResultSet['actions'], actionMap: ReadonlyMap<string, MappedAction>): void {
  for (const row of rows) {
    const mapped = actionMap.get(`${row.event_source}|${row.event_name}`) ?? {
      action: `${row.event_source.replace(/\.amazonaws\.com$/, '')}:${row.event_name}`,
      mapped: false,
    };
    for (const facets of facetsFor(tally, row)) {
      const action = facets.actions.get(mapped.action) ?? {
        action: mapped.action,
        mapped: mapped.mapped,
        events: 0,
        errors: 0,
        resources: [],
        resourcesTruncated: false,
        resourceSet: null,
        patternSet: null,
        patternsComplete: true,
        valueSet: null,
        valuesUnknown: false,
        valueEvents: null,
      };
      action.events += row.events;
      action.errors += row.errors;
      facets.actions.set(mapped.action, action);
    }
  }
}

function addResources(
  tally: Tally,
  rows: UsageResultSet['resources'],
  actionMap: ReadonlyMap<string, MappedAction>,
): void {
  for (const row of rows) {
    const mapped = actionMap.get(`${row.event_source}|${row.event_name}`);
    if (mapped === undefined) continue;
    const sample = jsonTextArray(row.resources, 'ARNs').filter((arn) => arn.startsWith('arn:'));
    const patterns = jsonTextArray(row.patterns, 'patterns');
    for (const facets of facetsFor(tally, row)) {
      const action = facets.actions.get(mapped.action);
      if (action === undefined) continue;
      action.resourceSet = withValues(action.resourceSet, sample);
      if (row.distinct_resources > RESOURCES_PER_ACTION || (action.resourceSet?.size ?? 0) > RESOURCES_PER_ACTION)
        action.resourcesTruncated = true;
      if (row.distinct_patterns > RESOURCES_PER_ACTION) action.patternsComplete = false;
      action.patternSet = withValues(action.patternSet, patterns);
    }
  }
}

/** Request values of the principal's calls (never per access key: least privilege is per principal). */
function addReferences(
  tally: Tally,
  rows: UsageResultSet['references'],
  actionMap: ReadonlyMap<string, MappedAction>,
): void {
  for (const row of rows) {
    const mapped = actionMap.get(`${row.event_source}|${row.event_name}`);
    if (mapped === undefined || row.principal === null) continue;
    const action = tally.byPrincipal.get(row.principal)?.actions.get(mapped.action);
    if (action === undefined) continue;
    if (row.reference === null) {
      action.valuesUnknown = true;
      continue;
    }
    action.valueSet = withValues(action.valueSet, [row.reference]);
    const parameter = parseReference(row.reference)?.parameter ?? row.reference;
    action.valueEvents ??= new Map<string, number>();
    action.valueEvents.set(parameter, (action.valueEvents.get(parameter) ?? 0) + row.events);
  }
}

function addErrors(tally: Tally, rows: UsageResultSet['errors']): void {
  for (const row of rows) {
    for (const facets of facetsFor(tally, row))
      facets.errors.set(row.error_code, (facets.errors.get(row.error_code) ?? 0) + row.events);
  }
}

function addAgents(tally: Tally, rows: UsageResultSet['agents']): void {
  for (const row of rows) {
    const family = userAgentFamily(row.user_agent);
    for (const facets of facetsFor(tally, row)) {
      const entry = facets.userAgents.get(family) ?? {
        family,
        events: 0,
        example: (row.user_agent ?? '').slice(0, 200),
      };
      entry.events += row.events;
      facets.userAgents.set(family, entry);
    }
  }
}

function addAddresses(tally: Tally, rows: UsageResultSet['addresses']): void {
  for (const row of rows) {
    const group = addressGroup(row.source_ip);
    for (const facets of facetsFor(tally, row)) {
      const id = `${group.kind}|${group.group}`;
      const entry = facets.addresses.get(id) ?? { ...group, events: 0 };
      entry.events += row.events;
      facets.addresses.set(id, entry);
    }
  }
}

function addRegions(tally: Tally, rows: UsageResultSet['regions']): void {
  for (const row of rows) {
    if (row.region === null) continue;
    for (const facets of facetsFor(tally, row)) facets.regions.add(row.region);
  }
}

function addConsoleLogins(logins: Map<string, ConsoleLogins>, rows: UsageResultSet['consoleLogins']): void {
  for (const row of rows) {
    if (row.principal !== null)
      logins.set(row.principal, {
        total: row.total,
        withMfa: row.with_mfa,
        withoutMfa: row.without_mfa,
        failed: row.failed,
      });
  }
}

function principalsOf(tally: Tally, logins: ReadonlyMap<string, ConsoleLogins>): PrincipalUsage[] {
  return [...tally.byPrincipal.entries()]
    .map(([arn, facets]) => {
      const info = tally.principalInfo.get(arn);
      return {
        arn,
        type: info?.identity_type ?? 'Unknown',
        accountId: info?.account_id ?? null,
        userName: info?.user_name ?? null,
        sessionIssuerArn: info?.session_issuer_arn ?? null,
        consoleLogins: logins.get(arn) ?? { total: 0, withMfa: 0, withoutMfa: 0, failed: 0 },
        ...finishFacets(facets),
      };
    })
    .sort(byText((principal) => principal.arn));
}

type RowsOf<N extends QueryName> = Array<UsageRows[N]>;

/**
 * Turns the query rows (either engine) into usage facts, one query (or one part of one) at a
 * time, so that an Organization's rows never sit in memory all at once: at 16,000 principals
 * they were several hundred MB beside the facts built from them (bench/README.md). Rows are
 * grouped by (principal, access key); a principal's facets are the sum over its keys, and a
 * key's facets are its own rows. `summary` and `actions` come first: the others add to the
 * actions and principals those made.
 */
export class UsageAssembly {
  private readonly tally: Tally = {
    byKey: new Map(),
    byPrincipal: new Map(),
    principalInfo: new Map(),
    keyPrincipal: new Map(),
  };
  private readonly logins = new Map<string, ConsoleLogins>();
  private readonly federation: RowsOf<'federation'> = [];
  private readonly adders: { [N in QueryName]: (rows: RowsOf<N>) => void };

  constructor(actionMap: ReadonlyMap<string, MappedAction>) {
    const tally = this.tally;
    this.adders = {
      summary: (rows) => addSummaries(tally, rows),
      actions: (rows) => addActions(tally, rows, actionMap),
      resources: (rows) => addResources(tally, rows, actionMap),
      errors: (rows) => addErrors(tally, rows),
      agents: (rows) => addAgents(tally, rows),
      addresses: (rows) => addAddresses(tally, rows),
      regions: (rows) => addRegions(tally, rows),
      consoleLogins: (rows) => addConsoleLogins(this.logins, rows),
      references: (rows) => addReferences(tally, rows, actionMap),
      federation: (rows) => {
        for (const row of rows) this.federation.push(row);
      },
    };
  }

  add<N extends QueryName>(name: N, rows: RowsOf<N>): void {
    (this.adders[name] as (rows: RowsOf<N>) => void)(rows);
  }

  finish(source: UsageSource): Usage {
    const tally = this.tally;
    const principals = principalsOf(tally, this.logins);
    const accessKeys: AccessKeyUsage[] = [...tally.byKey.entries()]
      .map(([accessKeyId, facets]) => ({
        accessKeyId,
        principalArn: tally.keyPrincipal.get(accessKeyId) ?? 'unknown',
        ...finishFacets(facets),
      }))
      .sort(byText((key) => key.accessKeyId));
    const federatedSessions = [...federatedFromRows(this.federation), ...identityCenterSessions(principals)];
    return { source, principals, accessKeys, federatedSessions };
  }
}
