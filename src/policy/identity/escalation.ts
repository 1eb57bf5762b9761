/**
 * Privilege escalation inside one policy: the escalation catalogue (`src/policy/escalation/`)
 * applied to a policy with nothing around it. A method is usable when the policy meets every one
 * of its requirements, asked of the evaluator: its actions "on some resource", and its actions on
 * the target on some target of the right kind (another user, any group, role or customer managed
 * policy of the account, one the holder creates, a role the service can be handed). Targets are a
 * stand-in of the kind and every ARN the policy's own Resource patterns name, so
 * `iam:CreatePolicyVersion` on `policy/team-*` counts and `iam:CreateAccessKey` on
 * `user/${aws:username}` (the holder itself) does not.
 *
 * What the estate decides and one policy cannot (whether the role passed is powerful, whether a
 * stack or an instance with a role exists) is said in the method's `assumes`; assuming a role
 * depends on its trust, and removing a boundary on having one, so those methods are left to the
 * estate's graph.
 */
import type { References } from '../../model/finding.js';
import type { IamCatalog } from '../action-catalog.js';
import { parseArn } from '../evaluator/arn.js';
import type { Undecided, Verdict } from '../evaluator/decide.js';
import type { Evaluator, RequestKeys } from '../evaluator/evaluator.js';
import type { Principal } from '../evaluator/principals.js';
import { resolveVariables } from '../evaluator/variables.js';
import { instantiate, namedRole, RequirementChecker } from '../escalation/requirements.js';
import type { EscalationMethod, Requirement, TargetKind } from '../escalation/method.js';
import { ESCALATION_METHODS } from '../escalation/registry.js';
import { allOf, type Tri } from '../tri.js';

/** Where the escalation methods are described: the rules that report them cite these. */
export const ESCALATION_REFERENCES: References = {
  cis: [],
  securityHub: [],
  links: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
    'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
  ],
};

export interface PolicyEscalation {
  method: EscalationMethod;
  result: Exclude<Tri, 'no'>;
  /** The action that met each requirement, and the target it was used on (null when none is needed). */
  actions: string[];
  /** The target as the policy names it: `any role of the account`, `arn:aws:iam::*:policy/team-*`, `itself`. */
  target: string | null;
  /** JSON pointer to the first Allow statement naming the first action, for the finding's location. */
  pointer: string;
  undecided: Undecided[];
  /**
   * The named roles the path is held to (iam:PassRole on one role, or `cloudformation:RoleArn`
   * pinned to named roles): it gains those roles' permissions and no other. Null when it could
   * reach roles the policy does not name.
   */
  heldTo: string[] | null;
}

interface TargetRequirement extends Requirement {
  keys?: RequestKeys;
}

const TRI_RANK: Record<Tri, number> = { yes: 2, maybe: 1, no: 0 };

function toTri(verdict: Verdict): Tri {
  return verdict.decision === 'allowed' ? 'yes' : verdict.decision === 'denied' ? 'no' : 'maybe';
}

/** The IAM resource type a target kind names, or null for a service role handed over without iam:PassRole. */
function iamKind(target: TargetKind): 'user' | 'group' | 'role' | 'policy' | null {
  if (typeof target === 'object') return target.serviceRole.passRole ? 'role' : null;
  if (target === 'new-user') return 'user';
  if (target === 'new-role' || target === 'trusting-role') return 'role';
  return target;
}

function targetRequirements(method: EscalationMethod): TargetRequirement[] {
  const out: TargetRequirement[] = method.requires.filter((r) => r.on === 'target');
  if (typeof method.target === 'object' && method.target.serviceRole.passRole)
    out.push({
      anyOf: ['iam:PassRole'],
      on: 'target',
      keys: { 'iam:PassedToService': method.target.serviceRole.service },
    });
  return out;
}

/**
 * Where the method could be used: a stand-in of the kind in the holder's account, and every ARN
 * of that kind the policy's Allow statements name for the target actions. Taking over the holder
 * itself gains nothing, so its own ARN is left out unless the method gives permissions.
 */
function candidates(
  evaluator: Evaluator,
  holder: Principal,
  method: EscalationMethod,
  kind: string,
): Map<string, string> {
  const account = holder.accountId;
  const out = new Map([[`arn:aws:iam::${account}:${kind}/roleshift-any-${kind}`, `any ${kind} of the account`]]);
  const knowledge = evaluator.knowledge(holder);
  const actions = targetRequirements(method).flatMap((r) => r.anyOf.map((a) => a.toLowerCase()));
  for (const { compiled } of evaluator.layers(holder).identity.forService('iam')) {
    if (compiled.statement.effect !== 'Allow' || !actions.some((a) => compiled.matchesAction(a))) continue;
    for (const pattern of compiled.statement.resources ?? []) {
      const resolved = resolveVariables(pattern, knowledge);
      const arn = resolved.kind === 'text' ? instantiate(resolved.text, account) : null;
      const parts = arn === null ? null : parseArn(arn);
      if (parts?.service === 'iam' && parts.account === account && parts.resource.startsWith(`${kind}/`))
        out.set(arn as string, arn === holder.arn ? 'itself' : pattern);
    }
  }
  if (method.gains !== 'admin' && method.gains !== 'maybe-admin') out.delete(holder.arn);
  return out;
}

interface Met {
  result: Tri;
  actions: string[];
  verdicts: Verdict[];
}

/** Every requirement, each by the best of its alternative actions; `ask` answers one action. */
function meet(requirements: readonly TargetRequirement[], ask: (action: string, keys?: RequestKeys) => Verdict): Met {
  const met: Met = { result: 'yes', actions: [], verdicts: [] };
  for (const requirement of requirements) {
    const verdicts = requirement.anyOf.map((action) => ask(action, requirement.keys));
    const best = [...verdicts].sort((a, b) => TRI_RANK[toTri(b)] - TRI_RANK[toTri(a)])[0];
    if (best === undefined || toTri(best) === 'no') return { result: 'no', actions: [], verdicts: [] };
    met.result = allOf([met.result, toTri(best)]);
    met.actions.push(requirement.anyOf[verdicts.indexOf(best)] ?? '');
    met.verdicts.push(best);
  }
  return met;
}

function onTarget(evaluator: Evaluator, holder: Principal, method: EscalationMethod): Met & { target: string | null } {
  const requirements = targetRequirements(method);
  const kind = iamKind(method.target);
  if (requirements.length === 0 || kind === null) return { result: 'yes', actions: [], verdicts: [], target: null };
  let best: Met & { target: string | null } = { result: 'no', actions: [], verdicts: [], target: null };
  for (const [target, label] of candidates(evaluator, holder, method, kind)) {
    const met = meet(requirements, (action, keys) => evaluator.evaluate(holder, action, target, keys));
    if (TRI_RANK[met.result] > TRI_RANK[best.result]) best = { ...met, target: label };
    if (best.result === 'yes') break;
  }
  return best;
}

/** The first identity Allow statement that names the action (whatever its resources). */
function grantingPointer(evaluator: Evaluator, holder: Principal, action: string): string {
  const lower = action.toLowerCase();
  const found = evaluator
    .layers(holder)
    .identity.forService(lower.slice(0, lower.indexOf(':')))
    .find(({ compiled }) => compiled.statement.effect === 'Allow' && compiled.matchesAction(lower));
  return found?.compiled.statement.pointer ?? '';
}

/**
 * The roles a pass-role method can hand over: null when the stand-in "any role" or a pattern
 * could be passed, else the named roles the holder may pass.
 */
function passableRoles(evaluator: Evaluator, holder: Principal, method: EscalationMethod): string[] | null {
  const requirements = targetRequirements(method);
  const roles: string[] = [];
  for (const [arn, label] of candidates(evaluator, holder, method, 'role')) {
    const met = meet(requirements, (action, keys) => evaluator.evaluate(holder, action, arn, keys));
    if (met.result === 'no') continue;
    if (!namedRole(label)) return null;
    roles.push(arn);
  }
  return roles.length > 0 ? roles.sort() : null;
}

/** The named roles a usable method is held to, by iam:PassRole or by its role condition key. */
function heldTo(
  evaluator: Evaluator,
  checker: RequirementChecker,
  holder: Principal,
  method: EscalationMethod,
): string[] | null {
  if (typeof method.target === 'object' && method.target.serviceRole.passRole) {
    const passable = passableRoles(evaluator, holder, method);
    if (passable !== null) return passable;
  }
  const pinned = checker.rolesPinned(holder, method);
  return pinned === null ? null : [...pinned].sort();
}

/** Whether the methods that depend on the estate (a trust, a boundary to remove) are out of one policy's reach. */
function judgedAlone(method: EscalationMethod): boolean {
  return method.target !== 'trusting-role' && method.gains !== 'unbounded';
}

function usable(
  evaluator: Evaluator,
  checker: RequirementChecker,
  holder: Principal,
  method: EscalationMethod,
): PolicyEscalation | null {
  if (!method.actors.includes(holder.kind as 'user' | 'role') || !checker.mayUse(holder, method)) return null;
  const any = checker.checkAny(holder, method);
  if (any.result === 'no') return null;
  const target = onTarget(evaluator, holder, method);
  const result = allOf([any.result, target.result]);
  if (result === 'no') return null;
  const actions = [...target.actions, ...any.actions];
  return {
    method,
    result,
    actions,
    target: target.target,
    pointer: grantingPointer(evaluator, holder, actions[0] ?? ''),
    undecided: [...target.verdicts.flatMap((v) => v.undecided), ...any.undecided],
    heldTo: heldTo(evaluator, checker, holder, method),
  };
}

/**
 * The escalation methods the holders of one policy could use, best first (certain before
 * conditional, then those that give permissions outright): each method once, with the stronger
 * of the holders' answers.
 */
export function policyEscalations(
  evaluator: Evaluator,
  catalog: IamCatalog,
  holders: readonly Principal[],
): PolicyEscalation[] {
  const checker = new RequirementChecker(evaluator, catalog);
  const byMethod = new Map<string, PolicyEscalation>();
  for (const method of ESCALATION_METHODS.filter(judgedAlone)) {
    for (const holder of holders) {
      const found = usable(evaluator, checker, holder, method);
      const known = byMethod.get(method.id);
      if (found && (known === undefined || TRI_RANK[found.result] > TRI_RANK[known.result]))
        byMethod.set(method.id, found);
    }
  }
  const gives = (found: PolicyEscalation) => (found.method.gains === 'admin' ? 1 : 0);
  return [...byMethod.values()].sort((a, b) => TRI_RANK[b.result] - TRI_RANK[a.result] || gives(b) - gives(a));
}
