/**
 * `sts:AssumeRole` edges, from both sides: the role's trust policy must let the caller in
 * (named by ARN or unique id, its whole account, or any principal), and, unless the trust names
 * the caller itself within its own account, the caller's own policies must allow
 * `sts:AssumeRole` on the role (IAM User Guide, "Policy evaluation logic": a same-account
 * resource-based policy naming the principal grants access without an identity-based Allow; an
 * explicit Deny, an SCP, and for role sessions a permissions boundary still apply). Trust
 * conditions are decided with what is known about the caller.
 */
import { decideConditions } from '../condition.js';
import { normalizePolicy, statementCoversAction, type NormalizedStatement } from '../document.js';
import type { PolicyLayer } from '../evaluator/compile.js';
import type { Verdict } from '../evaluator/decide.js';
import type { Evaluator } from '../evaluator/evaluator.js';
import { principalIndex, uniqueIdOf, type Principal } from '../evaluator/principals.js';
import { allOf, anyOf, type Tri } from '../tri.js';
import { principalAccount } from '../trust/principals.js';
import { innerTable } from '../../inner-table.js';

export type RolePrincipal = Extract<Principal, { kind: 'role' }>;

/** Who a trust policy statement lets in. */
export type Trusted =
  | { kind: 'principal'; arn: string }
  | { kind: 'account'; accountId: string }
  | { kind: 'public' }
  | { kind: 'service'; service: string }
  | { kind: 'federated'; provider: string };

interface TrustGrant {
  trusted: Trusted;
  statement: NormalizedStatement;
}

interface RoleTrust {
  role: RolePrincipal;
  grants: TrustGrant[];
  denies: NormalizedStatement[];
  /** Why the trust policy could not be read, when it could not. */
  error: string | null;
}

/** One way into a role, with whether it holds: `maybe` when conditions the scan cannot settle decide. */
export interface AssumeAccess {
  role: RolePrincipal;
  trusted: Trusted;
  result: Tri;
  /** The caller's own verdict on `sts:AssumeRole` for the role, when it was needed or consulted. */
  identity: Verdict | null;
}

const ASSUME = 'sts:AssumeRole';
const FEDERATED_ASSUME = ['sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'];

function trustedOf(statement: NormalizedStatement): Trusted[] {
  if (statement.notPrincipals) return [{ kind: 'public' }];
  const principals = statement.principals ?? {};
  const out: Trusted[] = [];
  for (const value of principals.AWS ?? []) {
    if (value === '*') out.push({ kind: 'public' });
    else if (/^\d{12}$/.test(value) || /:root$/.test(value))
      out.push({ kind: 'account', accountId: principalAccount(value) ?? value });
    else out.push({ kind: 'principal', arn: value });
  }
  for (const service of principals.Service ?? []) out.push({ kind: 'service', service });
  for (const provider of principals.Federated ?? []) out.push({ kind: 'federated', provider });
  return out;
}

function readTrust(role: RolePrincipal): RoleTrust {
  const parsed = normalizePolicy(role.role.trustPolicy);
  if (!parsed.ok) return { role, grants: [], denies: [], error: parsed.error };
  const grants: TrustGrant[] = [];
  const denies: NormalizedStatement[] = [];
  for (const statement of parsed.policy.statements) {
    if (statementCoversAction(statement, ASSUME)) {
      if (statement.effect === 'Deny') denies.push(statement);
      else for (const trusted of trustedOf(statement)) grants.push({ trusted, statement });
      continue;
    }
    // An identity provider's users come in through their own actions; they can assume the role too.
    if (statement.effect !== 'Allow' || !FEDERATED_ASSUME.some((a) => statementCoversAction(statement, a))) continue;
    for (const trusted of trustedOf(statement)) if (trusted.kind === 'federated') grants.push({ trusted, statement });
  }
  return { role, grants, denies, error: null };
}

/** `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION` → the role it is a session of, keyed by account and name. */
function sessionRoleKey(arn: string): string | null {
  const match = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return match ? `${match[1]}/${match[2]}` : null;
}

export interface TrustIndex {
  trustOf(role: RolePrincipal): RoleTrust;
  /**
   * Roles whose trust policy may let this caller in (by name, id, session, account or to anyone).
   * Callers that no trust policy names get one shared list per account: do not change it.
   */
  candidates(caller: Principal): readonly RolePrincipal[];
}

function add(map: Map<string, Set<RolePrincipal>>, key: string, role: RolePrincipal): void {
  const set = map.get(key) ?? new Set();
  set.add(role);
  map.set(key, set);
}

function buildTrustIndex(evaluator: Evaluator): TrustIndex {
  const trusts = new Map<string, RoleTrust>();
  // Roles by the account they trust, and by what names one caller (an ARN, a unique id, a role's sessions).
  const byAccount = new Map<string, Set<RolePrincipal>>();
  const byName = new Map<string, Set<RolePrincipal>>();
  const everyone: RolePrincipal[] = [];
  for (const principal of evaluator.principals()) {
    if (principal.kind !== 'role') continue;
    const trust = readTrust(principal);
    trusts.set(principal.arn, trust);
    for (const { trusted } of trust.grants) {
      if (trusted.kind === 'public') everyone.push(principal);
      else if (trusted.kind === 'account') add(byAccount, trusted.accountId, principal);
      else if (trusted.kind === 'principal') add(byName, sessionRoleKey(trusted.arn) ?? trusted.arn, principal);
    }
  }
  // The roles open to anyone, and those trusting the whole account: the same for every caller of an account alike.
  const shared = new Map<string | null, { roles: readonly RolePrincipal[]; set: ReadonlySet<RolePrincipal> }>();
  const sharedCandidates = (accountId: string | null) => {
    let found = shared.get(accountId);
    if (found === undefined) {
      const set = new Set<RolePrincipal>(everyone);
      for (const role of accountId === null ? [] : (byAccount.get(accountId) ?? [])) set.add(role);
      found = { roles: [...set], set };
      shared.set(accountId, found);
    }
    return found;
  };
  return {
    trustOf: (role) => trusts.get(role.arn) ?? readTrust(role),
    candidates(caller) {
      // Trust in a whole account needs the caller's own Allow of sts:AssumeRole; most principals have none.
      const common = sharedCandidates(mayCallAssumeRole(evaluator, caller) ? caller.accountId : null);
      const own = ownTrustNames(caller).filter((name) => byName.has(name));
      // A caller no trust policy names, and not among the roles it may assume: the account's shared list.
      if (own.length === 0 && !common.set.has(caller as RolePrincipal)) return common.roles;
      const found = new Set<RolePrincipal>(common.roles);
      for (const name of own) for (const role of byName.get(name) ?? []) found.add(role);
      found.delete(caller as RolePrincipal);
      return [...found];
    },
  };
}

/** What a trust policy names this caller by: its ARN, its unique id, and a role's sessions. */
function ownTrustNames(caller: Principal): string[] {
  const names: string[] = [];
  if (caller.kind !== 'group') names.push(caller.arn);
  const id = uniqueIdOf(caller);
  if (id) names.push(id);
  if (caller.kind === 'role') names.push(`${caller.accountId}/${caller.name}`);
  return names;
}

const indexes = new WeakMap<Evaluator, TrustIndex>();

/** The trust policies of every role of the evaluator's snapshot, read and indexed once. */
export function trustIndex(evaluator: Evaluator): TrustIndex {
  let index = indexes.get(evaluator);
  if (index === undefined) {
    index = buildTrustIndex(evaluator);
    indexes.set(evaluator, index);
  }
  return index;
}

/** Whether a trust entry names this caller: `maybe` for a session ARN (its session name is the caller's choice). */
function names(trusted: Trusted, caller: Principal): Tri {
  if (trusted.kind === 'public') return 'yes';
  if (trusted.kind === 'account') return trusted.accountId === caller.accountId ? 'yes' : 'no';
  if (trusted.kind !== 'principal' || caller.kind === 'group') return 'no';
  const id = uniqueIdOf(caller);
  if (trusted.arn === caller.arn || (id !== null && trusted.arn === id)) return 'yes';
  return caller.kind === 'role' && sessionRoleKey(trusted.arn) === `${caller.accountId}/${caller.name}`
    ? 'maybe'
    : 'no';
}

/** The identity side: needed unless the trust names the caller itself in its own account. */
function identitySide(verdict: Verdict, trusted: Trusted, caller: Principal, role: RolePrincipal): Tri {
  const namedHere = (trusted.kind === 'principal' || trusted.kind === 'public') && caller.accountId === role.accountId;
  if (!namedHere) return verdict.decision === 'allowed' ? 'yes' : verdict.decision === 'denied' ? 'no' : 'maybe';
  const blocking = verdict.causes.filter(
    (cause) => cause === 'explicit-deny' || cause === 'scp' || (cause === 'boundary' && caller.kind === 'role'),
  );
  if (blocking.length === 0) return 'yes';
  return verdict.decision === 'denied' ? 'no' : 'maybe';
}

/** Every way `caller` may assume `role`, best first; empty when none can hold. */
export function assumeAccess(evaluator: Evaluator, caller: Principal, role: RolePrincipal): AssumeAccess[] {
  const trust = trustIndex(evaluator).trustOf(role);
  if (trust.error !== null || caller.arn === role.arn) return [];
  const knowledge = evaluator.knowledge(caller);
  const callsAssumeRole = mayCallAssumeRole(evaluator, caller);
  const denied = anyOf(
    trust.denies
      .filter((s) => s.principals === null || trustedOf(s).some((t) => names(t, caller) !== 'no'))
      .map((s) => decideConditions(s.conditions, knowledge)),
  );
  if (denied === 'yes') return [];
  let identity: Verdict | null = null;
  const out: AssumeAccess[] = [];
  for (const { trusted, statement } of trust.grants) {
    const named = names(trusted, caller);
    if (named === 'no') continue;
    // Trust in a whole account needs the caller's own Allow: without any, no need to look further.
    if (trusted.kind === 'account' && !callsAssumeRole) continue;
    const admitted = allOf([named, decideConditions(statement.conditions, knowledge)]);
    if (admitted === 'no') continue;
    identity ??= evaluator.evaluate(caller, ASSUME, role.arn);
    const result = allOf([
      admitted,
      identitySide(identity, trusted, caller, role),
      denied === 'maybe' ? 'maybe' : 'yes',
    ]);
    if (result !== 'no') out.push({ role, trusted, result, identity });
  }
  return out.sort((a, b) => rank(b.result) - rank(a.result));
}

function rank(value: Tri): number {
  return value === 'yes' ? 2 : value === 'maybe' ? 1 : 0;
}

/** Who can assume a role: principals of the snapshot with how, and what lies outside it. */
export type Assumer =
  | { kind: 'principal'; principal: Principal; access: AssumeAccess }
  /** An account, principal, service or identity provider the snapshot does not hold, or anyone at all. */
  | { kind: 'outside'; trusted: Trusted; conditional: boolean };

/** Whether some Allow of the identity policies names `sts:AssumeRole`; shared by every principal with the same policies. */
const callsAssumeRole = new WeakMap<PolicyLayer, boolean>();

/** The principals of the snapshot that may call `sts:AssumeRole` on something at all. */
function mayCallAssumeRole(evaluator: Evaluator, principal: Principal): boolean {
  const identity = evaluator.layers(principal).identity;
  let calls = callsAssumeRole.get(identity);
  if (calls === undefined) {
    calls = identity
      .forService('sts')
      .some((s) => s.compiled.statement.effect === 'Allow' && s.compiled.matchesAction('sts:assumerole'));
    callsAssumeRole.set(identity, calls);
  }
  return calls;
}

const accountCallers = new WeakMap<Evaluator, Map<string, Principal[]>>();

/** The users and roles of an account that may call `sts:AssumeRole`: every role trusting the account asks. */
function callersIn(evaluator: Evaluator, accountId: string): Principal[] {
  const byAccount = innerTable(accountCallers, evaluator, Map);
  let callers = byAccount.get(accountId);
  if (callers === undefined) {
    callers = principalIndex(evaluator.snapshot)
      .inAccount(accountId)
      .filter((p) => p.kind !== 'group' && mayCallAssumeRole(evaluator, p));
    byAccount.set(accountId, callers);
  }
  return callers;
}

function insideCandidates(evaluator: Evaluator, trusted: Trusted): Principal[] {
  const index = principalIndex(evaluator.snapshot);
  if (trusted.kind === 'account') return callersIn(evaluator, trusted.accountId);
  if (trusted.kind !== 'principal') return [];
  const named = index.byArn.get(trusted.arn) ?? index.byUniqueId.get(trusted.arn);
  if (named) return named.kind === 'group' ? [] : [named];
  const session = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(trusted.arn);
  if (!session) return [];
  return index.inAccount(session[1] ?? '').filter((p) => p.kind === 'role' && p.name === session[2]);
}

/**
 * Who can assume the role: each principal of the snapshot its trust policy lets in and whose own
 * policies allow it, and every trusted party the snapshot cannot look into (another account, any
 * AWS principal, a service, an identity provider).
 */
export function assumableBy(evaluator: Evaluator, role: RolePrincipal): Assumer[] {
  const trust = trustIndex(evaluator).trustOf(role);
  const out: Assumer[] = [];
  const seen = new Set<string>();
  for (const { trusted, statement } of trust.grants) {
    const inside = insideCandidates(evaluator, trusted);
    if (inside.length === 0 && trusted.kind !== 'account') {
      out.push({ kind: 'outside', trusted, conditional: statement.conditions.length > 0 });
      continue;
    }
    if (trusted.kind === 'account' && !evaluator.snapshot.accounts.some((a) => a.accountId === trusted.accountId)) {
      out.push({ kind: 'outside', trusted, conditional: statement.conditions.length > 0 });
      continue;
    }
    for (const principal of inside) {
      if (seen.has(principal.arn)) continue;
      const [access] = assumeAccess(evaluator, principal, role);
      if (access) {
        seen.add(principal.arn);
        out.push({ kind: 'principal', principal, access });
      }
    }
  }
  return out;
}
