/**
 * Privilege escalation as a graph over the snapshot's users, groups and roles. A principal
 * reaches administrator when it can give itself any permission (an escalation method on its own
 * user, group, role or policy), when it can act as a principal that reaches it (another user's
 * key or password, a group it joins, a role it assumes or passes to a service), or when it can
 * make another principal an administrator and then act as that one. Each principal keeps the
 * best it reaches and the step that got it there, so a finding names the path step by step.
 *
 * Scores order what is gained and how sure it is: full administrator (certain, then only under
 * conditions), then "everything but a few services" (certain, then conditional). Scores only
 * rise, so the search ends after a few rounds; only targets that score higher than the principal
 * are ever tried, which keeps the work near-linear in the number of principals.
 */
import type { Severity } from '../../model/finding.js';
import type { IamCatalog } from '../action-catalog.js';
import type { PolicyLayer } from '../evaluator/compile.js';
import type { Undecided } from '../evaluator/decide.js';
import type { Evaluator } from '../evaluator/evaluator.js';
import { isServiceLinkedRole, type Principal } from '../evaluator/principals.js';
import { assessAdmin, assessAdminIf, type AdminAssessment } from '../privilege/admin.js';
import { allOf, type Tri } from '../tri.js';
import { assumeAccess, type RolePrincipal } from './assume-role.js';
import type { EscalationMethod } from './method.js';
import { ESCALATION_METHODS } from './registry.js';
import { RequirementChecker } from './requirements.js';
import { TargetIndex, type Target } from './targets.js';
import { innerTable } from '../../inner-table.js';

/** One move along a path: who acts, with which actions, on what, to become whom. */
export interface EscalationStep {
  actor: string;
  method: string;
  title: string;
  actions: string[];
  /** The ARN acted on (a user, group, role, policy, or one the actor creates). */
  resource: string;
  /** The principal the actor acts as afterwards, or `administrator`. */
  becomes: string;
  /** `maybe`: holds only under conditions the scan cannot settle (listed in `undecided`). */
  result: Tri;
  /** What the step takes for granted that IAM data cannot show. */
  assumes: string | null;
  undecided: Undecided[];
}

export type EscalationGain = 'admin' | 'high-privilege' | 'grant-admin';

export interface EscalationFinding {
  principal: Principal;
  gains: EscalationGain;
  severity: Severity;
  /** False when a step holds only under conditions the scan cannot settle. */
  certain: boolean;
  steps: EscalationStep[];
  /** For `grant-admin`: the principals it can make administrators (it cannot act as them). */
  grantees: string[];
}

export interface EscalationAnalysis {
  findings: EscalationFinding[];
  /** The admin assessment of every principal, by ARN. */
  admin: ReadonlyMap<string, AdminAssessment>;
  /** The finding for one principal, if any. */
  finding(arn: string): EscalationFinding | undefined;
}

const ADMIN = 5;
const HIGH = 3;

/** A certain score, weakened to its conditional form when the step is only `maybe`. */
function weaken(score: number, result: Tri): number {
  return result === 'yes' ? score : score - (score % 2);
}

function scoreOf(assessment: AdminAssessment): number {
  if (assessment.level === 'full')
    return assessment.admin === 'yes' ? ADMIN : assessment.admin === 'maybe' ? ADMIN - 1 : 0;
  return assessment.level === 'all-but' ? HIGH : 0;
}

interface NodeState {
  score: number;
  base: number;
  /** Steps to the end of the path (0 for a principal that is an administrator itself). */
  length: number;
  step: EscalationStep | null;
  /** The principal the step leads to, whose own path continues the story; null at the end. */
  next: Principal | null;
  /** The count of path changes (`updates`) when this one's last changed: 0 while it is its own. */
  changed: number;
}

interface Edge {
  method: EscalationMethod;
  target: Target;
  result: Tri;
  actions: string[];
  undecided: Undecided[];
}

function stepOf(actor: Principal, edge: Edge, becomes: string): EscalationStep {
  return {
    actor: actor.arn,
    method: edge.method.id,
    title: edge.method.title,
    actions: edge.actions,
    resource: edge.target.arn,
    becomes,
    result: edge.result,
    assumes: edge.method.assumes ?? null,
    undecided: edge.undecided,
  };
}

/** The methods a principal can use at all, sorted by what they give. */
interface UsableMethods {
  own: EscalationMethod[];
  actsAs: EscalationMethod[];
  membership: EscalationMethod[];
}

class EscalationSearch {
  readonly state = new Map<Principal, NodeState>();
  readonly admin = new Map<string, AdminAssessment>();
  readonly grants = new Map<string, Edge[]>();
  private readonly checker: RequirementChecker;
  private readonly targetIndex: TargetIndex;
  private readonly usableCache = new Map<PolicyLayer, Map<Principal['kind'], UsableMethods>>();
  /** Target lists sorted by what they reach, valid for the current round. */
  private sortedThisRound = new Map<readonly Target[], readonly Target[]>();
  /** How many times a principal's path changed: what the order of a target list depends on. */
  private updates = 0;
  private readonly sortedAsOfUpdate = new WeakMap<readonly Target[], { updates: number; sorted: readonly Target[] }>();
  /** The principals whose path improved in the current round. */
  private improved: Principal[] = [];
  /** Per account, the principals that reach something: the only targets worth trying. */
  private readonly scored = new Map<string, Set<Principal>>();
  private readonly edgeCache = new Map<Principal, Map<EscalationMethod, Map<Target, Edge>>>();
  /** Bumped whenever a principal of the account reaches more or by a shorter path: what orders its targets. */
  private readonly accountVersions = new Map<string, number>();
  /** Per method and account, the account's reaching targets in order, as of an account version. */
  private readonly reachingTargets = new Map<
    EscalationMethod,
    Map<string, { version: number; targets: readonly Target[] }>
  >();

  constructor(
    private readonly evaluator: Evaluator,
    private readonly catalog: IamCatalog,
    private readonly methods: readonly EscalationMethod[],
  ) {
    this.checker = new RequirementChecker(evaluator, catalog);
    this.targetIndex = new TargetIndex(evaluator);
  }

  run(): void {
    for (const principal of this.evaluator.principals()) {
      const assessment = assessAdmin(this.evaluator, this.catalog, principal);
      this.admin.set(principal.arn, assessment);
      const base = scoreOf(assessment);
      this.state.set(principal, { score: base, base, length: 0, step: null, next: null, changed: 0 });
      if (base > 0) this.markScored(principal);
    }
    const actors = this.evaluator.principals().filter((p) => !isServiceLinkedRole(p));
    for (const principal of actors) this.ownGains(principal);
    for (const principal of actors) this.grantAndTakeOver(principal);
    this.propagate(actors);
    for (const principal of actors) this.membershipGrants(principal);
  }

  /**
   * Rounds of "act as a better-placed principal" until nothing improves. After the first round,
   * only principals that could use what changed are looked at again: those in an account where a
   * principal improved, and those a changed role trusts.
   */
  private propagate(actors: readonly Principal[]): void {
    let dirty: { accounts: Set<string>; roles: Set<string> } | null = null;
    for (;;) {
      this.improved = [];
      this.sortedThisRound = new Map();
      for (const actor of actors) if (dirty === null || this.affected(actor, dirty)) this.relax(actor);
      if (this.improved.length === 0) return;
      dirty = {
        accounts: new Set(this.improved.map((p) => p.accountId)),
        roles: new Set(this.improved.filter((p) => p.kind === 'role').map((p) => p.arn)),
      };
    }
  }

  private affected(actor: Principal, dirty: { accounts: Set<string>; roles: Set<string> }): boolean {
    if (dirty.accounts.has(actor.accountId)) return true;
    if (dirty.roles.size === 0) return false;
    const assume = this.usable(actor).actsAs.find((m) => m.target === 'trusting-role');
    return assume !== undefined && this.targetIndex.forActor(assume, actor).some((t) => dirty.roles.has(t.arn));
  }

  private markScored(principal: Principal): void {
    const set = this.scored.get(principal.accountId) ?? new Set<Principal>();
    set.add(principal);
    this.scored.set(principal.accountId, set);
    this.touch(principal.accountId);
  }

  private touch(accountId: string): void {
    this.accountVersions.set(accountId, (this.accountVersions.get(accountId) ?? 0) + 1);
  }

  score(principal: Principal): number {
    return this.state.get(principal)?.score ?? 0;
  }

  /** Steps from the principal to the end of its path. */
  length(principal: Principal): number {
    return this.state.get(principal)?.length ?? 0;
  }

  /** The methods the principal's identity policies could serve at all; principals sharing those policies share the answer. */
  private usable(actor: Principal): UsableMethods {
    const identity = this.evaluator.layers(actor).identity;
    const byKind = innerTable(this.usableCache, identity, Map);
    let usable = byKind.get(actor.kind);
    if (usable === undefined) {
      usable = { own: [], actsAs: [], membership: [] };
      for (const method of this.methods) {
        if (!method.actors.includes(actor.kind)) continue;
        if (method.target !== 'trusting-role' && !this.checker.mayUse(actor, method)) continue;
        if (method.gains === 'acts-as') usable.actsAs.push(method);
        else if (method.gains === 'membership') {
          usable.membership.push(method);
          // A user (or a group's member) joins the group itself; a role can only add others.
          if (actor.kind !== 'role') usable.actsAs.push(method);
        } else usable.own.push(method);
      }
      byKind.set(actor.kind, usable);
    }
    return usable;
  }

  private edge(actor: Principal, method: EscalationMethod, target: Target): Edge {
    if (method.target !== 'trusting-role' && !this.checker.targetScope(actor, method).matches(target.parsed))
      return { method, target, result: 'no', actions: [], undecided: [] };
    let byTarget = this.edgeCache.get(actor)?.get(method);
    if (byTarget === undefined) {
      const byMethod = this.edgeCache.get(actor) ?? new Map<EscalationMethod, Map<Target, Edge>>();
      byTarget = new Map();
      byMethod.set(method, byTarget);
      this.edgeCache.set(actor, byMethod);
    }
    let edge = byTarget.get(target);
    if (edge === undefined) {
      edge = this.computeEdge(actor, method, target);
      byTarget.set(target, edge);
    }
    return edge;
  }

  private computeEdge(actor: Principal, method: EscalationMethod, target: Target): Edge {
    const none: Edge = { method, target, result: 'no', actions: [], undecided: [] };
    if (method.target === 'trusting-role') {
      if (target.principal?.kind !== 'role') return none;
      const [access] = assumeAccess(this.evaluator, actor, target.principal as RolePrincipal);
      const undecided = access?.identity?.undecided ?? [];
      return { method, target, result: access?.result ?? 'no', actions: ['sts:AssumeRole'], undecided };
    }
    if (target.precondition === 'no') return none;
    // Held to named roles by its condition key, the method acts as those roles and no other.
    const pinned = this.checker.rolesPinned(actor, method);
    if (pinned !== null && !pinned.has(target.arn)) return none;
    const onAny = this.checker.checkAny(actor, method);
    if (onAny.result === 'no') return none;
    const onTarget = this.checker.checkTarget(actor, method, target.arn);
    const result = allOf([onAny.result, onTarget.result, target.precondition]);
    return {
      method,
      target,
      result,
      actions: [...onTarget.actions, ...onAny.actions],
      undecided: [...onTarget.undecided, ...onAny.undecided],
    };
  }

  /** Keeps the better of two paths: a higher score, or the same score in fewer steps. */
  private update(actor: Principal, score: number, step: EscalationStep, next: Principal | null): boolean {
    const node = this.state.get(actor);
    const length = next === null ? 1 : 1 + this.length(next);
    if (node === undefined || node.base >= ADMIN || score < node.score) return false;
    if (score === node.score && (node.step === null || length >= node.length)) return false;
    if (node.score === 0) this.markScored(actor);
    this.updates += 1;
    this.improved.push(actor);
    node.score = score;
    node.length = length;
    node.changed = this.updates;
    node.next = next;
    node.step = step;
    this.touch(actor.accountId);
    return true;
  }

  /** What giving itself permissions gains: administrator, unless a boundary it cannot lift limits it. */
  private ownAdminScore(actor: Principal, gains: EscalationMethod['gains']): number {
    const layers = this.evaluator.layers(actor);
    if (gains === 'unbounded') {
      if (!layers.boundary) return 0;
      return scoreOf(assessAdminIf(this.evaluator, this.catalog, actor, { identity: 'own', boundary: false }));
    }
    const full = layers.boundary
      ? scoreOf(assessAdminIf(this.evaluator, this.catalog, actor, { identity: 'administrator', boundary: true }))
      : ADMIN;
    return gains === 'maybe-admin' ? weaken(full, 'maybe') : full;
  }

  /** Methods on the actor's own user, group, role or policy, or on a principal it creates. */
  private ownGains(actor: Principal): void {
    // Already an administrator (perhaps under conditions): giving itself or others more adds nothing.
    if (this.score(actor) >= ADMIN - 1) return;
    for (const method of this.usable(actor).own) {
      if (this.checker.checkAny(actor, method).result === 'no') continue;
      const everyone = this.grantOnEveryone(actor, method);
      for (const target of this.targetIndex.forActor(method, actor)) {
        const own = this.targetIndex.isOwn(method, actor, target);
        if (!own && (method.gains === 'unbounded' || everyone)) continue;
        const edge = this.edge(actor, method, target);
        if (edge.result === 'no') continue;
        if (own) {
          const score = weaken(this.ownAdminScore(actor, method.gains), edge.result);
          this.update(actor, score, stepOf(actor, edge, 'administrator'), null);
        } else this.addGrant(actor, edge);
      }
    }
  }

  /**
   * A grant on a stand-in for "any user / group / role of the account", recorded once instead of
   * once per target: when it holds outright (a Resource of `*` or `user/*`), or when no statement
   * tells the targets apart (no named resources, no resource tags), so the stand-in's verdict,
   * even `no`, is every target's. True when the targets need no look one by one.
   */
  private grantOnEveryone(actor: Principal, method: EscalationMethod): boolean {
    if (method.gains === 'unbounded') return false;
    const probe = this.targetIndex.everyoneProbe(method, actor);
    if (probe === null) return false;
    const edge = this.edge(actor, method, probe);
    const uniform = this.checker.uniformOverTargets(actor, method, probe.arn);
    if (edge.result === 'yes' || (uniform && edge.result === 'maybe')) this.addGrant(actor, edge);
    return uniform || edge.result === 'yes';
  }

  private addGrant(actor: Principal, edge: Edge): void {
    const grants = this.grants.get(actor.arn) ?? [];
    grants.push(edge);
    this.grants.set(actor.arn, grants);
  }

  /** Grantees of a grant edge: the principal targeted, or everyone a policy is attached to. */
  private grantees(edge: Edge): readonly Principal[] {
    return edge.target.principal ? [edge.target.principal] : edge.target.holders;
  }

  /** Making another principal an administrator, then acting as it (AttachUserPolicy + CreateAccessKey...). */
  private grantAndTakeOver(actor: Principal): void {
    for (const grant of this.grants.get(actor.arn) ?? []) {
      for (const grantee of this.grantees(grant)) {
        if (this.score(actor) >= ADMIN) return;
        const takeOver = this.actAs(actor, grantee);
        if (takeOver === null) continue;
        const granted = stepOf(actor, grant, grantee.arn);
        const step: EscalationStep = {
          ...stepOf(actor, takeOver, 'administrator'),
          method: `${grant.method.id}+${takeOver.method.id}`,
          title: `${grant.method.title}, then ${takeOver.method.title.toLowerCase()}`,
          actions: [...granted.actions, ...takeOver.actions],
          result: allOf([grant.result, takeOver.result]),
          undecided: [...granted.undecided, ...takeOver.undecided],
        };
        this.update(actor, weaken(weaken(ADMIN, grant.result), takeOver.result), step, null);
      }
    }
  }

  /** The first way the actor can act as the given principal, if any. */
  private actAs(actor: Principal, wanted: Principal): Edge | null {
    for (const method of this.usable(actor).actsAs) {
      const target = this.targetIndex.find(method, actor, wanted.arn);
      if (!target) continue;
      const edge = this.edge(actor, method, target);
      if (edge.result !== 'no') return edge;
    }
    return null;
  }

  /**
   * The targets worth trying: for methods on the account's users, groups and roles, only those that
   * reach something (few); for service roles and trusting roles, the method's own short list.
   */
  private promising(actor: Principal, method: EscalationMethod): readonly Target[] {
    const target = method.target;
    // The roles trusting an actor are sorted when the actor asks, as when each actor had its own list
    // (callers no trust names now share one): a list sorted earlier in the round may be out of date.
    if (target === 'trusting-role') return this.sortByReach(this.targetIndex.forActor(method, actor));
    if (target !== 'user' && target !== 'group' && target !== 'role')
      return this.byReach(this.targetIndex.forActor(method, actor));
    const exact = this.checker.targetScope(actor, method).exact;
    const out: Target[] = [];
    if (exact !== null) {
      for (const arn of exact) {
        const found = this.targetIndex.find(method, actor, arn);
        if (found?.principal && this.score(found.principal) > 0) out.push(found);
      }
      return this.byReach(out);
    }
    return this.reachingInAccount(method, actor);
  }

  /**
   * The account's principals that reach something, as targets of the method, best first. The same
   * for every actor of the account, so built once until a principal of the account improves.
   */
  private reachingInAccount(method: EscalationMethod, actor: Principal): readonly Target[] {
    const version = this.accountVersions.get(actor.accountId) ?? 0;
    const byAccount = innerTable(this.reachingTargets, method, Map);
    const cached = byAccount.get(actor.accountId);
    if (cached !== undefined && cached.version === version) return cached.targets;
    const out: Target[] = [];
    for (const principal of this.scored.get(actor.accountId) ?? []) {
      const found = this.targetIndex.find(method, actor, principal.arn);
      if (found) out.push(found);
    }
    const targets = this.byReach(out);
    byAccount.set(actor.accountId, { version, targets });
    return targets;
  }

  /** Targets that reach the most first (then in the fewest steps); lists shared by many actors are sorted once per round. */
  private byReach(targets: readonly Target[]): readonly Target[] {
    let sorted = this.sortedThisRound.get(targets);
    if (sorted === undefined) {
      sorted = this.sortByReach(targets);
      this.sortedThisRound.set(targets, sorted);
    }
    return sorted;
  }

  /**
   * Targets that reach the most first, as of now: kept per list until the path of one of its
   * targets changes (`update`), since the order depends only on the targets' scores and path lengths.
   */
  private sortByReach(targets: readonly Target[]): readonly Target[] {
    const kept = this.sortedAsOfUpdate.get(targets);
    if (kept !== undefined && (kept.updates === this.updates || this.unchangedSince(targets, kept.updates))) {
      kept.updates = this.updates;
      return kept.sorted;
    }
    const sorted = this.rank(targets);
    this.sortedAsOfUpdate.set(targets, { updates: this.updates, sorted });
    return sorted;
  }

  private unchangedSince(targets: readonly Target[], updates: number): boolean {
    for (const { principal } of targets)
      if (principal !== null && (this.state.get(principal)?.changed ?? 0) > updates) return false;
    return true;
  }

  private rank(targets: readonly Target[]): Target[] {
    // Ranked once per target, not once per comparison: a stable sort of the same order gives the same list.
    const ranked = targets.map((target) => ({
      target,
      rank: target.principal ? this.score(target.principal) * 1000 - this.length(target.principal) : -1,
    }));
    return ranked.sort((a, b) => b.rank - a.rank).map((entry) => entry.target);
  }

  /** Tries every way to act as a better-placed principal; true when the actor's path improved. */
  private relax(actor: Principal): boolean {
    const node = this.state.get(actor);
    // An administrator, even only under conditions, is not explored further: its own conditions bind every step it takes.
    if (node === undefined || node.score >= ADMIN - 1) return false;
    let improved = false;
    for (const method of this.usable(actor).actsAs) {
      // A self-service key or password: the actor's own, which it already acts as.
      if (this.checker.ownUserOnly(actor, method)) continue;
      if (method.target !== 'trusting-role' && this.checker.checkAny(actor, method).result === 'no') continue;
      for (const target of this.promising(actor, method)) {
        const next = target.principal;
        if (next === null || next.arn === actor.arn) continue;
        const reach = this.score(next);
        // Sorted by reach: nothing further down can do better.
        if (reach === 0 || reach < node.score) break;
        if (reach === node.score && this.length(next) + 1 >= node.length) continue;
        if (this.targetIndex.isOwn(method, actor, target)) continue;
        const edge = this.edge(actor, method, target);
        if (edge.result === 'no') continue;
        if (this.update(actor, weaken(reach, edge.result), stepOf(actor, edge, next.arn), next)) {
          improved = true;
          // A certain administrator in one step: nothing scores higher, no path is shorter.
          if (node.score === ADMIN && node.length === 1) return true;
          // A certain step to the best-placed target: no other target of this method can do better.
          if (edge.result === 'yes') break;
        }
      }
    }
    return improved;
  }

  /** Handing membership of a group that reaches administrator to other users (AddUserToGroup). */
  private membershipGrants(actor: Principal): void {
    for (const method of this.usable(actor).membership) {
      for (const target of this.targetIndex.forActor(method, actor)) {
        if (target.principal === null || this.score(target.principal) < ADMIN - 1) continue;
        if (this.targetIndex.isOwn(method, actor, target)) continue;
        const edge = this.edge(actor, method, target);
        if (edge.result !== 'no') this.addGrant(actor, edge);
      }
    }
  }
}

function pathOf(search: EscalationSearch, from: Principal): EscalationStep[] {
  const steps: EscalationStep[] = [];
  const seen = new Set<Principal>();
  let current: Principal | null = from;
  while (current !== null && !seen.has(current)) {
    seen.add(current);
    const node = search.state.get(current);
    if (!node?.step) break;
    steps.push(node.step);
    current = node.next;
  }
  return steps;
}

function escalationFinding(search: EscalationSearch, principal: Principal): EscalationFinding | null {
  const node = search.state.get(principal);
  if (!node || node.score <= node.base || node.score < HIGH - 1) return null;
  const admin = node.score >= ADMIN - 1;
  return {
    principal,
    gains: admin ? 'admin' : 'high-privilege',
    severity: admin ? 'critical' : 'high',
    certain: node.score % 2 === 1,
    steps: pathOf(search, principal),
    grantees: [],
  };
}

function grantFinding(search: EscalationSearch, principal: Principal): EscalationFinding | null {
  const grants = search.grants.get(principal.arn) ?? [];
  if (grants.length === 0 || search.score(principal) >= ADMIN - 1) return null;
  const grantees = [
    ...new Set(
      grants.flatMap((g) => (g.target.principal ? [g.target.principal.arn] : g.target.holders.map((h) => h.arn))),
    ),
  ];
  const certain = grants.some((g) => g.result === 'yes');
  const shown = grants.filter((g) => g.result === 'yes' || !certain).slice(0, 1);
  return {
    principal,
    gains: 'grant-admin',
    severity: 'high',
    certain,
    steps: shown.map((g) => stepOf(principal, g, g.target.principal?.arn ?? g.target.arn)),
    grantees: grantees.sort(),
  };
}

/**
 * Every principal that can escalate: to administrator (critical), to "everything but a few
 * services" (high), or that can make other principals administrators without being able to act
 * as them (high). Principals that already are administrators are the admin check's, not here.
 */
export function analyzeEscalation(
  evaluator: Evaluator,
  catalog: IamCatalog,
  options: { methods?: readonly EscalationMethod[] } = {},
): EscalationAnalysis {
  const search = new EscalationSearch(evaluator, catalog, options.methods ?? ESCALATION_METHODS);
  search.run();
  const findings: EscalationFinding[] = [];
  for (const principal of evaluator.principals()) {
    // Only the service can act as a service-linked role, with policies AWS maintains.
    if (isServiceLinkedRole(principal)) continue;
    const finding = escalationFinding(search, principal) ?? grantFinding(search, principal);
    if (finding) findings.push(finding);
  }
  const byArn = new Map(findings.map((f) => [f.principal.arn, f]));
  return { findings, admin: search.admin, finding: (arn) => byArn.get(arn) };
}
