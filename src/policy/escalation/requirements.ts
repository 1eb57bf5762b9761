/**
 * Whether a principal meets a method's requirements: each action on the target's ARN, or "on
 * some resource" of the types the action is authorized against (from the catalogue). For the
 * latter, the candidate resources are a sample ARN of each type and one ARN built from every
 * Allow pattern that names the action, so `lambda:UpdateFunctionCode` on `function:prod-*` is
 * found even though no probe name starts with `prod-`. Every answer is cached per principal.
 */
import type { IamCatalog } from '../action-catalog.js';
import { wildcardMatch, type NormalizedStatement } from '../document.js';
import {
  arnMatcher,
  arnMatchesOnce,
  parseArn,
  parseResource,
  type ArnMatcher,
  type ParsedResource,
} from '../evaluator/arn.js';
import type { PolicyLayer } from '../evaluator/compile.js';
import { lowerCaseOnce } from '../evaluator/lower-case.js';
import { allLayers, type Undecided, type Verdict } from '../evaluator/decide.js';
import type { Evaluator, RequestKeys } from '../evaluator/evaluator.js';
import type { Principal } from '../evaluator/principals.js';
import { hasVariables, plainText, resolveVariables } from '../evaluator/variables.js';
import { allOf, type Tri } from '../tri.js';
import type { EscalationMethod, Requirement } from './method.js';
import { innerTable } from '../../inner-table.js';

export interface RequirementCheck {
  result: Tri;
  /** The action used for each requirement (the best of its alternatives). */
  actions: string[];
  undecided: Undecided[];
}

const SAMPLE_NAME = 'roleshift-any';
const SAMPLE_REGION = 'us-east-1';

function toTri(verdict: Verdict): Tri {
  return verdict.decision === 'allowed' ? 'yes' : verdict.decision === 'denied' ? 'no' : 'maybe';
}

const TRI_RANK: Record<Tri, number> = { yes: 2, maybe: 1, no: 0 };

function best(verdicts: readonly Verdict[]): Verdict | undefined {
  return [...verdicts].sort((a, b) => TRI_RANK[toTri(b)] - TRI_RANK[toTri(a)])[0];
}

const formatRegexes = new Map<string, RegExp>();

/** `arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}` as a regular expression. */
function formatRegex(format: string): RegExp {
  let regex = formatRegexes.get(format);
  if (regex === undefined) {
    const source = format
      .split(/(\$\{[^}]+\})/)
      .map((part) => {
        if (!part.startsWith('${')) return part.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        return /^\$\{(Partition|Region|Account)\}$/.test(part) ? '[^:]*' : '.+';
      })
      .join('');
    regex = new RegExp(`^${source}$`, 's');
    formatRegexes.set(format, regex);
  }
  return regex;
}

export function sampleOf(format: string, account: string): string {
  return format
    .replaceAll('${Partition}', 'aws')
    .replaceAll('${Region}', SAMPLE_REGION)
    .replaceAll('${Account}', account)
    .replace(/\$\{[^}]+\}/g, SAMPLE_NAME);
}

/** A concrete ARN the pattern covers, preferring the principal's own account and a common region. */
export function instantiate(pattern: string, account: string): string | null {
  const parts = parseArn(pattern);
  if (parts === null) return null;
  const fill = (segment: string, preferred: string) =>
    !/[*?]/.test(segment)
      ? segment
      : wildcardMatch(segment, preferred, { caseInsensitive: false })
        ? preferred
        : segment.replaceAll('*', 'x').replaceAll('?', 'x');
  const resource = parts.resource.replaceAll('*', SAMPLE_NAME).replaceAll('?', 'x');
  return plainText(
    `arn:${fill(parts.partition, 'aws')}:${parts.service}:${fill(parts.region, SAMPLE_REGION)}:${fill(parts.account, account)}:${resource}`,
  );
}

/** The targets a method may be used on: `exact` ARNs when known, else whatever `matches` accepts. */
export interface TargetScope {
  exact: ReadonlySet<string> | null;
  matches(resource: ParsedResource): boolean;
}

const ANY_TARGET: TargetScope = { exact: null, matches: () => true };

/**
 * The one IAM ARN in `account` a pattern can name when its resource part is literal
 * (`arn:aws:iam::*:user/alice` names `arn:aws:iam::ACCOUNT:user/alice`); null when it can name many.
 */
function exactIamArn(pattern: string, account: string): string | null {
  const parts = parseArn(pattern);
  if (parts === null || /[*?]/.test(parts.resource)) return null;
  const arn = plainText(
    `arn:aws:${parts.service}:${parts.region === '*' ? '' : parts.region}:${account}:${parts.resource}`,
  );
  return arnMatchesOnce(pattern, arn) ? arn : null;
}

function scopeOf(patterns: readonly string[], account: string): TargetScope {
  const exact = patterns.map((p) => exactIamArn(p, account));
  // Compiled when first asked: a scope of exact ARNs is mostly read through `exact`.
  let matchers: ArnMatcher[] | undefined;
  return {
    exact: exact.every((arn) => arn !== null) ? new Set(exact as string[]) : null,
    matches: (resource) => {
      matchers ??= patterns.map(arnMatcher);
      for (const matches of matchers) if (matches(resource)) return true;
      return false;
    },
  };
}

function intersect(scopes: readonly TargetScope[]): TargetScope {
  if (scopes.length === 0) return ANY_TARGET;
  if (scopes.length === 1) return scopes[0] as TargetScope;
  const exact = scopes.find((s) => s.exact !== null)?.exact ?? null;
  return { exact, matches: (resource) => scopes.every((s) => s.matches(resource)) };
}

/** A method's requirements "on some resource" and the actions they name: the same for every principal. */
const anyRequirements = new WeakMap<EscalationMethod, { requirements: Requirement[]; actions: string[] }>();

function anyRequirementsOf(method: EscalationMethod): { requirements: Requirement[]; actions: string[] } {
  let found = anyRequirements.get(method);
  if (found === undefined) {
    const requirements = method.requires.filter((r) => r.on === 'any');
    const actions = [...new Set(requirements.flatMap((r) => r.anyOf.map(lowerCaseOnce)))];
    found = { requirements, actions };
    anyRequirements.set(method, found);
  }
  return found;
}

type TargetRequirement = Requirement & { keys?: RequestKeys };

/** A method's requirements on the target, plus iam:PassRole for pass-role methods; built once per method. */
const targetRequirementsByMethod = new WeakMap<EscalationMethod, TargetRequirement[]>();

function targetRequirementsOf(method: EscalationMethod): ReadonlyArray<TargetRequirement> {
  let requirements = targetRequirementsByMethod.get(method);
  if (requirements === undefined) {
    requirements = method.requires.filter((r) => r.on === 'target');
    const service = typeof method.target === 'object' ? method.target.serviceRole : null;
    if (service?.passRole)
      requirements.push({ anyOf: ['iam:PassRole'], on: 'target', keys: { 'iam:PassedToService': service.service } });
    targetRequirementsByMethod.set(method, requirements);
  }
  return requirements;
}

const PINNING_OPERATORS = new Set(['ArnEquals', 'ArnLike', 'StringEquals', 'StringLike']);

/** A self-service statement's Resource: the caller's own user, in its account or any. */
const OWN_USER_RESOURCE = /^arn:aws:iam::(\d{12}|\*)?:user\/\$\{aws:username\}$/;

/**
 * Whether a Resource pattern can name no user but the caller: its own user (`user/${aws:username}`),
 * or no user at all (another service, or another IAM resource type, such as its own `mfa/`).
 */
function namesNoOtherUser(pattern: string): boolean {
  if (OWN_USER_RESOURCE.test(pattern)) return true;
  const parts = parseArn(pattern);
  if (parts === null || /[*?$]/.test(parts.service)) return false;
  if (parts.service !== 'iam') return true;
  const type = /^([^/*?$]+)\//.exec(parts.resource)?.[1];
  return type !== undefined && type !== 'user';
}

/** The identity layer's Allow statements that name any of the actions, action by action. */
function allowsNaming(identity: PolicyLayer, actions: readonly string[]): NormalizedStatement[] {
  return actions.flatMap((action) =>
    identity
      .forAction(lowerCaseOnce(action))
      .flatMap(({ compiled: { statement } }) => (statement.effect === 'Allow' ? [statement] : [])),
  );
}

/** A role ARN with nothing left open: no wildcard, no policy variable. */
export function namedRole(text: string): boolean {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/[^*?$]+$/.test(text);
}

export class RequirementChecker {
  private readonly onSomeCache = new Map<string, Verdict>();
  private readonly anyCache = new Map<string, RequirementCheck>();
  private readonly anyByActor = new Map<Principal, Map<EscalationMethod, RequirementCheck>>();
  private readonly scopes = new Map<Principal, Map<EscalationMethod, TargetScope>>();
  private readonly sharedScopes = new WeakMap<PolicyLayer, Map<string, TargetScope>>();
  private readonly pins = new Map<Principal, Map<EscalationMethod, ReadonlySet<string> | null>>();
  private readonly ownUserOnlyByLayer = new WeakMap<PolicyLayer, Map<EscalationMethod, boolean>>();
  private readonly variableReaders = new WeakMap<PolicyLayer, Map<EscalationMethod, boolean>>();

  constructor(
    private readonly evaluator: Evaluator,
    private readonly catalog: IamCatalog,
  ) {}

  /**
   * Cheap pre-filter: some identity Allow names an action of every requirement, iam:PassRole for
   * pass-role methods included (resources and conditions aside).
   */
  mayUse(actor: Principal, method: EscalationMethod): boolean {
    const identity = this.evaluator.layers(actor).identity;
    const named = (requirement: Requirement) =>
      requirement.anyOf.some((action) => identity.mayAllow(lowerCaseOnce(action)));
    return method.requires.every(named) && targetRequirementsOf(method).every(named);
  }

  /**
   * Which targets the method could be used on at all, from the Resource of the identity Allows
   * that name its target actions (variables resolved for the actor): a few exact ARNs when every
   * such Resource is literal (`user/${aws:username}` is the actor itself), or a matcher. Rules out
   * most targets without a full evaluation.
   */
  targetScope(actor: Principal, method: EscalationMethod): TargetScope {
    const perMethod = innerTable(this.scopes, actor, Map);
    let scope = perMethod.get(method);
    if (scope === undefined) {
      scope = this.readsVariables(actor, method) ? this.buildScope(actor, method) : this.sharedScope(actor, method);
      perMethod.set(method, scope);
    }
    return scope;
  }

  private buildScope(actor: Principal, method: EscalationMethod): TargetScope {
    return intersect(targetRequirementsOf(method).map((requirement) => this.resourceScope(actor, requirement.anyOf)));
  }

  /**
   * Whether a user can use a method on users on no user but itself: one of its target
   * requirements is allowed only on `user/${aws:username}` (a self-service policy), whose ARN in
   * the user's account is the user's own, or no user's when the user has a path, and on resources
   * that are not users. The same for every user with the same identity policies, so decided once
   * for them, without resolving the variable for each user as `targetScope` does.
   */
  ownUserOnly(actor: Principal, method: EscalationMethod): boolean {
    if (actor.kind !== 'user' || method.target !== 'user') return false;
    return this.byIdentity(this.ownUserOnlyByLayer, actor, method, (identity) =>
      targetRequirementsOf(method).some((requirement) =>
        allowsNaming(identity, requirement.anyOf).every(
          (statement) => statement.resources?.every(namesNoOtherUser) === true,
        ),
      ),
    );
  }

  /**
   * Whether an identity Allow naming a target action has a policy variable in its Resource
   * (`user/${aws:username}`); the same for every principal with the same identity policies.
   */
  private readsVariables(actor: Principal, method: EscalationMethod): boolean {
    return this.byIdentity(this.variableReaders, actor, method, (identity) =>
      targetRequirementsOf(method).some((requirement) =>
        allowsNaming(identity, requirement.anyOf).some((statement) => (statement.resources ?? []).some(hasVariables)),
      ),
    );
  }

  /** A yes or no about a method that depends on the actor's identity policies alone, kept per identity layer. */
  private byIdentity(
    cache: WeakMap<PolicyLayer, Map<EscalationMethod, boolean>>,
    actor: Principal,
    method: EscalationMethod,
    decide: (identity: PolicyLayer) => boolean,
  ): boolean {
    const identity = this.evaluator.layers(actor).identity;
    const byMethod = innerTable(cache, identity, Map);
    let answer = byMethod.get(method);
    if (answer === undefined) {
      answer = decide(identity);
      byMethod.set(method, answer);
    }
    return answer;
  }

  /**
   * A scope that reads no policy variable depends on the identity policies and the account alone:
   * built once for every actor with the same identity layer.
   */
  private sharedScope(actor: Principal, method: EscalationMethod): TargetScope {
    const identity = this.evaluator.layers(actor).identity;
    const byMethod = innerTable(this.sharedScopes, identity, Map);
    const key = `${method.id}|${actor.accountId}`;
    let scope = byMethod.get(key);
    if (scope === undefined) {
      scope = this.buildScope(actor, method);
      byMethod.set(key, scope);
    }
    return scope;
  }

  /**
   * Whether every target of the method's kind gets the same verdict as a stand-in: each statement
   * (identity, boundary, SCPs) that names a target action names every resource of the kind (`*`,
   * `user/*`), without policy variables or resource-tag conditions.
   */
  uniformOverTargets(actor: Principal, method: EscalationMethod, probe: string): boolean {
    const layers = this.evaluator.layers(actor);
    const all = allLayers(layers);
    const probes = [parseResource(probe), parseResource(probe.replace(/[^/]+$/, 'zz-other-0'))];
    for (const requirement of targetRequirementsOf(method)) {
      for (const action of requirement.anyOf) {
        const lower = lowerCaseOnce(action);
        const service = lower.slice(0, lower.indexOf(':'));
        for (const layer of all) {
          for (const { compiled } of layer.forService(service)) {
            if (!compiled.matchesAction(lower)) continue;
            const { statement } = compiled;
            if (statement.notResources !== null || compiled.contextKeys.some((k) => /resourcetag\//.test(k)))
              return false;
            for (const pattern of statement.resources ?? ['*']) {
              if (hasVariables(pattern) || !probes.every((p) => arnMatcher(pattern)(p))) return false;
            }
          }
        }
      }
    }
    return true;
  }

  private resourceScope(actor: Principal, actions: readonly string[]): TargetScope {
    const knowledge = this.evaluator.knowledge(actor);
    const patterns: string[] = [];
    for (const statement of allowsNaming(this.evaluator.layers(actor).identity, actions)) {
      if (statement.resources === null) return ANY_TARGET;
      for (const pattern of statement.resources) {
        const resolved = resolveVariables(pattern, knowledge);
        if (resolved.kind === 'unknown') return ANY_TARGET;
        if (resolved.kind === 'text') patterns.push(resolved.text);
      }
    }
    return scopeOf(patterns, actor.accountId);
  }

  /** The requirements "on some resource": the same for every target, so checked once per principal and method. */
  checkAny(actor: Principal, method: EscalationMethod): RequirementCheck {
    const perMethod = innerTable(this.anyByActor, actor, Map);
    let result = perMethod.get(method);
    if (result === undefined) {
      const { requirements, actions } = anyRequirementsOf(method);
      // Principals with the same statements for these actions share the answer.
      const key = `${method.id}|${this.evaluator.viewOfAll(actor, actions)}`;
      result = this.anyCache.get(key);
      if (result === undefined) {
        result = this.checkAll(actor, requirements, null);
        this.anyCache.set(key, result);
      }
      perMethod.set(method, result);
    }
    return result;
  }

  /**
   * The roles a method that takes its role from a condition key (`roleNamedBy`) is held to: every
   * Allow of each of its actions pins the key to named roles with an operator that denies a
   * request without the key (no IfExists). Null when some Allow lets an action through with
   * another role, with none named, or unconditionally.
   */
  rolesPinned(actor: Principal, method: EscalationMethod): ReadonlySet<string> | null {
    const named = method.roleNamedBy;
    if (named === undefined) return null;
    const perMethod = innerTable(this.pins, actor, Map);
    let roles = perMethod.get(method);
    if (roles === undefined) {
      const pinned = named.actions.map((action) => this.pinnedBy(actor, action, named.key));
      roles = pinned.some((set) => set === null) ? null : new Set(pinned.flatMap((set) => [...(set ?? [])]));
      perMethod.set(method, roles);
    }
    return roles;
  }

  private pinnedBy(actor: Principal, action: string, key: string): Set<string> | null {
    const verdict = this.onSome(actor, action);
    if (verdict.decision !== 'conditional') return null;
    const roles = new Set<string>();
    for (const undecided of verdict.undecided) {
      if (undecided.statement.effect !== 'Allow') continue;
      const pins = undecided.conditions.filter(
        (condition) =>
          condition.key === key.toLowerCase() &&
          condition.rawOperator === condition.operator &&
          PINNING_OPERATORS.has(condition.operator) &&
          condition.values.every(namedRole),
      );
      if (pins.length === 0) return null;
      for (const value of pins[0]?.values ?? []) roles.add(value);
    }
    return roles.size > 0 ? roles : null;
  }

  /** The requirements on the target itself, plus iam:PassRole on it (with iam:PassedToService) for pass-role methods. */
  checkTarget(actor: Principal, method: EscalationMethod, target: string): RequirementCheck {
    return this.checkAll(actor, targetRequirementsOf(method), target);
  }

  private checkAll(
    actor: Principal,
    requirements: ReadonlyArray<Requirement & { keys?: RequestKeys }>,
    target: string | null,
  ): RequirementCheck {
    const actions: string[] = [];
    const undecided: Undecided[] = [];
    const results: Tri[] = [];
    for (const requirement of requirements) {
      const verdicts = requirement.anyOf.map((action) =>
        requirement.on === 'target' && target !== null
          ? this.evaluator.evaluate(actor, action, target, requirement.keys)
          : this.onSome(actor, action),
      );
      const chosen = best(verdicts);
      const result = chosen ? toTri(chosen) : 'no';
      results.push(result);
      if (result === 'no') return { result: 'no', actions, undecided };
      actions.push(requirement.anyOf[verdicts.indexOf(chosen as Verdict)] ?? '');
      undecided.push(...(chosen?.undecided ?? []));
    }
    return { result: allOf(results), actions, undecided };
  }

  /** The action on some resource of each type it requires: the best candidate per type, the worst type overall. */
  onSome(actor: Principal, action: string): Verdict {
    const lower = lowerCaseOnce(action);
    const key = `${this.evaluator.view(actor, lower)}|${lower}`;
    let verdict = this.onSomeCache.get(key);
    if (verdict === undefined) {
      verdict = this.decideOnSome(actor, action);
      this.onSomeCache.set(key, verdict);
    }
    return verdict;
  }

  private decideOnSome(actor: Principal, action: string): Verdict {
    const known = this.catalog.action(action);
    const [service = ''] = lowerCaseOnce(action).split(':');
    const required = known?.resourceTypes.filter((t) => t.required) ?? [];
    const types = required.length > 0 ? required : (known?.resourceTypes.slice(0, 1) ?? []);
    const formats = types.flatMap((t) => this.catalog.resourceArnFormat(service, t.name) ?? []);
    if (known === undefined || known.wildcardOnly || formats.length === 0)
      return this.evaluator.evaluate(actor, action, '*');
    const perType = formats.map((format) => {
      const candidates = this.candidates(actor, action, format);
      return best(candidates.map((arn) => this.evaluator.evaluate(actor, action, arn))) as Verdict;
    });
    return [...perType].sort((a, b) => TRI_RANK[toTri(a)] - TRI_RANK[toTri(b)])[0] as Verdict;
  }

  private candidates(actor: Principal, action: string, format: string): string[] {
    const regex = formatRegex(format);
    const out = new Set([sampleOf(format, actor.accountId)]);
    const layers = this.evaluator.layers(actor);
    const lower = lowerCaseOnce(action);
    const service = lower.slice(0, lower.indexOf(':'));
    const knowledge = this.evaluator.knowledge(actor);
    for (const layer of [
      layers.identity,
      ...(layers.boundary ? [layers.boundary] : []),
      ...layers.scps.map((l) => l.layer),
    ]) {
      for (const { compiled } of layer.forService(service)) {
        if (compiled.statement.effect !== 'Allow' || !compiled.matchesAction(lower)) continue;
        for (const pattern of compiled.statement.resources ?? []) {
          const resolved = resolveVariables(pattern, knowledge);
          const arn = resolved.kind === 'text' ? instantiate(resolved.text, actor.accountId) : null;
          if (arn !== null && regex.test(arn)) out.add(arn);
        }
      }
    }
    return [...out];
  }
}
