/**
 * The candidates a method can be used on, in the principal's own account (IAM and the services
 * act within the caller's account; only `sts:AssumeRole` crosses accounts), and which of them
 * are the principal's own: itself, its groups, the policies attached to it. Lists that do not
 * depend on the principal (the account's users, the roles a service can assume) are built once
 * per account and method.
 */
import type { Snapshot } from '../../model/snapshot.js';
import { decideConditions } from '../condition.js';
import { parseResource, type ParsedResource } from '../evaluator/arn.js';
import type { Evaluator } from '../evaluator/evaluator.js';
import { isServiceLinkedRole, principalIndex, type Principal } from '../evaluator/principals.js';
import type { Tri } from '../tri.js';
import { trustIndex, type RolePrincipal } from './assume-role.js';
import type { EscalationMethod, ServiceRoleTarget } from './method.js';
import { innerTable } from '../../inner-table.js';

export interface Target {
  arn: string;
  /** The ARN split once, for the many scope checks. */
  parsed: ParsedResource;
  /** The principal the target is, when it is one of the snapshot (not a policy or a new principal). */
  principal: Principal | null;
  /** A policy target: the principals it is attached to. */
  holders: readonly Principal[];
  /** What the target must offer beyond permissions: a role the service can assume, a password to change. */
  precondition: Tri;
}

/** Stands for "the member acting" when a group is the principal: any member may act on itself. */
export function memberProbeArn(group: Principal): string {
  return `arn:aws:iam::${group.accountId}:user/roleshift-member-of-${group.name}`;
}

function newPrincipalArn(accountId: string, kind: 'user' | 'role'): string {
  return `arn:aws:iam::${accountId}:${kind}/roleshift-new-${kind}`;
}

function ownsGroup(actor: Principal, group: Principal): boolean {
  if (actor.kind === 'group') return actor.arn === group.arn;
  return actor.kind === 'user' && actor.user.groups.includes(group.name);
}

/** Whether a user's console password state allows the method: known from the credential report, else unknown. */
function passwordState(user: Principal, wanted: EscalationMethod['targetState']): Tri {
  if (wanted === undefined || user.kind !== 'user') return 'yes';
  if (!user.user.inCredentialReport) return 'maybe';
  return user.user.password.enabled === (wanted === 'has-password') ? 'yes' : 'no';
}

/** Whether the role's trust policy lets the service assume it; `maybe` when conditions narrow it. */
export function serviceCanAssume(evaluator: Evaluator, role: RolePrincipal, service: string): Tri {
  const trust = trustIndex(evaluator).trustOf(role);
  const wanted = service.toLowerCase();
  let result: Tri = 'no';
  for (const { trusted, statement } of trust.grants) {
    if (trusted.kind !== 'service' || trusted.service.toLowerCase() !== wanted) continue;
    if (statement.conditions.length === 0) return 'yes';
    // The conditions are about the service's request (aws:SourceAccount, aws:SourceArn): the principal shapes it.
    if (decideConditions(statement.conditions, evaluator.knowledge(role)) !== 'no') result = 'maybe';
  }
  return result;
}

function plain(principal: Principal, precondition: Tri = 'yes'): Target {
  return { arn: principal.arn, parsed: parseResource(principal.arn), principal, holders: [], precondition };
}

function pseudo(arn: string, holders: readonly Principal[] = []): Target {
  return { arn, parsed: parseResource(arn), principal: null, holders, precondition: 'yes' };
}

function serviceRoles(evaluator: Evaluator, inAccount: readonly Principal[], spec: ServiceRoleTarget): Target[] {
  const out: Target[] = [];
  for (const candidate of inAccount) {
    if (candidate.kind !== 'role' || isServiceLinkedRole(candidate)) continue;
    if (spec.instanceProfile && candidate.role.instanceProfiles.length === 0) continue;
    const trusted = serviceCanAssume(evaluator, candidate, spec.service);
    if (trusted !== 'no') out.push(plain(candidate, trusted));
  }
  return out;
}

const holderIndexes = new WeakMap<Snapshot, Map<string, Principal[]>>();

/** Who each managed policy is attached to, indexed once per snapshot. */
function policyHolders(snapshot: Snapshot): Map<string, Principal[]> {
  let index = holderIndexes.get(snapshot);
  if (index === undefined) {
    index = new Map();
    for (const principal of principalIndex(snapshot).all) {
      const holder =
        principal.kind === 'user' ? principal.user : principal.kind === 'group' ? principal.group : principal.role;
      for (const attached of holder.attachedPolicies) {
        const key = `${principal.accountId}|${attached.arn}`;
        const list = index.get(key) ?? [];
        list.push(principal);
        index.set(key, list);
      }
    }
    holderIndexes.set(snapshot, index);
  }
  return index;
}

/** One target per principal with nothing target-specific to say: built once, shared by every actor. */
const plainTargets = new WeakMap<Principal, Target>();

function plainShared(principal: Principal): Target {
  let target = plainTargets.get(principal);
  if (target === undefined) {
    target = plain(principal);
    plainTargets.set(principal, target);
  }
  return target;
}

export class TargetIndex {
  private readonly byAccount = new Map<EscalationMethod, Map<string, Target[]>>();
  private readonly perActor = new Map<EscalationMethod, Map<Principal, Target[]>>();
  private readonly lookups = new Map<readonly Target[], Map<string, Target>>();
  private readonly byCandidates = new WeakMap<readonly RolePrincipal[], Target[]>();

  constructor(private readonly evaluator: Evaluator) {}

  /** Every candidate of the method for the actor. */
  forActor(method: EscalationMethod, actor: Principal): readonly Target[] {
    if (method.target !== 'trusting-role' && method.target !== 'new-user' && method.target !== 'new-role') {
      const shared = this.inAccount(method, actor.accountId);
      if (method.target !== 'user' || actor.kind !== 'group') return shared;
    }
    const byActor = innerTable(this.perActor, method, Map);
    let own = byActor.get(actor);
    if (own === undefined) {
      own = this.buildForActor(method, actor);
      byActor.set(actor, own);
    }
    return own;
  }

  private buildForActor(method: EscalationMethod, actor: Principal): Target[] {
    if (method.target === 'trusting-role') return this.trustingTargets(trustIndex(this.evaluator).candidates(actor));
    if (method.target === 'new-user' || method.target === 'new-role') {
      const kind = method.target === 'new-user' ? 'user' : 'role';
      return [pseudo(newPrincipalArn(actor.accountId, kind))];
    }
    return [...this.inAccount(method, actor.accountId), pseudo(memberProbeArn(actor))];
  }

  /** The roles as targets; callers that share a list of candidates share the list of targets, sorted once per round. */
  private trustingTargets(roles: readonly RolePrincipal[]): Target[] {
    let targets = this.byCandidates.get(roles);
    if (targets === undefined) {
      targets = roles.filter((role) => !isServiceLinkedRole(role)).map(plainShared);
      this.byCandidates.set(roles, targets);
    }
    return targets;
  }

  /**
   * A stand-in for every user, group or role of the actor's account (a name no policy lists), whose
   * holders are all of them but the actor; null for other kinds of target. The holders are listed
   * only when asked for: that is when the grant holds, and most actors' probes are ruled out
   * first, so listing the account for each of them would cost the account's size per actor.
   */
  everyoneProbe(method: EscalationMethod, actor: Principal): Target | null {
    const kind = method.target;
    if (kind !== 'user' && kind !== 'group' && kind !== 'role') return null;
    const candidates = this.inAccount(method, actor.accountId);
    const arn = `arn:aws:iam::${actor.accountId}:${kind}/roleshift-any-${kind}`;
    let holders: readonly Principal[] | undefined;
    return {
      arn,
      parsed: parseResource(arn),
      principal: null,
      precondition: 'yes',
      get holders() {
        holders ??= candidates.flatMap((t) => (t.principal && t.principal.arn !== actor.arn ? [t.principal] : []));
        return holders;
      },
    };
  }

  /** The candidate with this ARN, if the method can be used on it. */
  find(method: EscalationMethod, actor: Principal, arn: string): Target | undefined {
    const list = this.forActor(method, actor);
    let lookup = this.lookups.get(list);
    if (lookup === undefined) {
      lookup = new Map(list.map((target) => [target.arn, target]));
      if (list.length > 8) this.lookups.set(list, lookup);
    }
    return lookup.get(arn);
  }

  /** Whether the target is the actor's own: itself, its group, a policy attached to it, one it creates. */
  isOwn(method: EscalationMethod, actor: Principal, target: Target): boolean {
    switch (method.target) {
      case 'new-user':
      case 'new-role':
        return true;
      case 'user':
        return target.arn === actor.arn || (actor.kind === 'group' && target.arn === memberProbeArn(actor));
      case 'role':
        return target.arn === actor.arn;
      case 'group':
        return target.principal !== null && ownsGroup(actor, target.principal);
      case 'policy':
        return target.holders.some((holder) => holder.arn === actor.arn || ownsGroup(actor, holder));
      default:
        return false;
    }
  }

  private inAccount(method: EscalationMethod, accountId: string): Target[] {
    const byAccount = innerTable(this.byAccount, method, Map);
    let targets = byAccount.get(accountId);
    if (targets === undefined) {
      targets = this.build(method, accountId);
      byAccount.set(accountId, targets);
    }
    return targets;
  }

  private build(method: EscalationMethod, accountId: string): Target[] {
    const inAccount = principalIndex(this.evaluator.snapshot).inAccount(accountId);
    const target = method.target;
    if (typeof target === 'object') return serviceRoles(this.evaluator, inAccount, target.serviceRole);
    if (target === 'user')
      return inAccount.filter((p) => p.kind === 'user').map((p) => plain(p, passwordState(p, method.targetState)));
    if (target === 'group') return inAccount.filter((p) => p.kind === 'group').map(plainShared);
    if (target === 'role')
      return inAccount.filter((p) => p.kind === 'role' && !isServiceLinkedRole(p)).map(plainShared);
    if (target !== 'policy') return [];
    const account = this.evaluator.snapshot.accounts.find((a) => a.accountId === accountId);
    const holders = policyHolders(this.evaluator.snapshot);
    return (account?.policies ?? [])
      .filter((policy) => !policy.awsManaged)
      .map((policy) => pseudo(policy.arn, holders.get(`${accountId}|${policy.arn}`) ?? []));
  }
}
