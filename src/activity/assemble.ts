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

/** An action while rows are added: every pattern is known only while none of its rows had too many. */
type TrackedAction = ActionUsage & {
  resourceSet: Set<string>;
  patternSet: Set<string>;
  patternsComplete: boolean;
  valueSet: Set<string>;
  valuesUnknown: boolean;
  /** Successful calls that named a value, per parameter: an event names at most one value of each. */
  valueEvents: Map<string, number>;
};

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
        resources: [...resourceSet].sort().slice(0, RESOURCES_PER_ACTION),
        ...(action.resourcesTruncated === true && patternsComplete && patternSet.size <= RESOURCES_PER_ACTION
          ? { resourcePatterns: [...patternSet].sort() }
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
function namedOnEveryCall(valueEvents: ReadonlyMap<string, number>, succeeded: number): boolean {
  return succeeded > 0 && [...valueEvents.values()].some((events) => events >= succeeded);
}

function requestValuesOf(values: ReadonlySet<string>, unknown: boolean): Partial<ActionUsage> {
  const incomplete = unknown || values.size > RESOURCES_PER_ACTION;
  return {
    ...(values.size > 0 ? { requestValues: [...values].sort().slice(0, RESOURCES_PER_ACTION) } : {}),
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
        resourceSet: new Set<string>(),
        patternSet: new Set<string>(),
        patternsComplete: true,
        valueSet: new Set<string>(),
        valuesUnknown: false,
        valueEvents: new Map<string, number>(),
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
      for (const arn of sample) action.resourceSet.add(arn);
      if (row.distinct_resources > RESOURCES_PER_ACTION || action.resourceSet.size > RESOURCES_PER_ACTION)
        action.resourcesTruncated = true;
      if (row.distinct_patterns > RESOURCES_PER_ACTION) action.patternsComplete = false;
      for (const pattern of patterns) action.patternSet.add(pattern);
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
    action.valueSet.add(row.reference);
    const parameter = parseReference(row.reference)?.parameter ?? row.reference;
    action.valueEvents.set(parameter, (action.valueEvents.get(parameter) ?? 0) + row.events);
  }
}

/** Errors, user agents, source addresses and regions: counted per facet. */
function addContext(tally: Tally, rows: UsageResultSet): void {
  for (const row of rows.errors) {
    for (const facets of facetsFor(tally, row))
      facets.errors.set(row.error_code, (facets.errors.get(row.error_code) ?? 0) + row.events);
  }
  for (const row of rows.agents) {
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
  for (const row of rows.addresses) {
    const group = addressGroup(row.source_ip);
    for (const facets of facetsFor(tally, row)) {
      const id = `${group.kind}|${group.group}`;
      const entry = facets.addresses.get(id) ?? { ...group, events: 0 };
      entry.events += row.events;
      facets.addresses.set(id, entry);
    }
  }
  for (const row of rows.regions) {
    if (row.region === null) continue;
    for (const facets of facetsFor(tally, row)) facets.regions.add(row.region);
  }
}

function consoleLoginsOf(rows: UsageResultSet['consoleLogins']): Map<string, ConsoleLogins> {
  const logins = new Map<string, ConsoleLogins>();
  for (const row of rows) {
    if (row.principal !== null)
      logins.set(row.principal, {
        total: row.total,
        withMfa: row.with_mfa,
        withoutMfa: row.without_mfa,
        failed: row.failed,
      });
  }
  return logins;
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

/**
 * Turns the query rows (either engine) into usage facts. Rows are grouped by (principal, access
 * key); a principal's facets are the sum over its keys, and a key's facets are its own rows.
 */
export function assembleUsage(
  rows: UsageResultSet,
  source: UsageSource,
  actionMap: ReadonlyMap<string, MappedAction>,
): Usage {
  const tally: Tally = { byKey: new Map(), byPrincipal: new Map(), principalInfo: new Map(), keyPrincipal: new Map() };
  addSummaries(tally, rows.summary);
  addActions(tally, rows.actions, actionMap);
  addResources(tally, rows.resources, actionMap);
  addReferences(tally, rows.references, actionMap);
  addContext(tally, rows);
  const principals = principalsOf(tally, consoleLoginsOf(rows.consoleLogins));
  const accessKeys: AccessKeyUsage[] = [...tally.byKey.entries()]
    .map(([accessKeyId, facets]) => ({
      accessKeyId,
      principalArn: tally.keyPrincipal.get(accessKeyId) ?? 'unknown',
      ...finishFacets(facets),
    }))
    .sort(byText((key) => key.accessKeyId));
  const federatedSessions = [...federatedFromRows(rows.federation), ...identityCenterSessions(principals)];
  return { source, principals, accessKeys, federatedSessions };
}
