/**
 * The shape of one privilege-escalation method: what the principal needs (actions, and on what),
 * whom it is used on, and what the principal gains. Each method is one small declarative file in
 * `methods/`, listed in `registry.ts`; the graph (`graph.ts`) turns them into edges between the
 * snapshot's users, groups and roles.
 */

/** The service a pass-role method hands a role to, and what the role must offer it. */
export interface ServiceRoleTarget {
  /** The service principal that must be able to assume the role, e.g. `ec2.amazonaws.com`. */
  service: string;
  /** True when the principal hands the role over itself (iam:PassRole, honouring iam:PassedToService). */
  passRole: boolean;
  /** True when the role reaches the service only through an instance profile (EC2). */
  instanceProfile?: boolean;
}

/**
 * Whom a method is used on, among the principal's own account:
 * - `user`, `group`, `role`: any of them; the principal's own (itself, its groups) included;
 * - `policy`: a customer managed policy, and through it everyone it is attached to;
 * - `new-user`, `new-role`: one the principal creates;
 * - `trusting-role`: a role whose trust policy lets the principal in (sts:AssumeRole);
 * - a service role: a role the service can assume.
 */
export type TargetKind =
  | 'user'
  | 'group'
  | 'role'
  | 'policy'
  | 'new-user'
  | 'new-role'
  | 'trusting-role'
  | { serviceRole: ServiceRoleTarget };

export interface Requirement {
  /** Any one of these actions satisfies the requirement. */
  anyOf: readonly string[];
  /** `target`: on the target's ARN; `any`: on some resource of the action's own resource types (or `*`). */
  on: 'target' | 'any';
}

/**
 * - `admin`: the target can be given any permission; the principal's own target makes it an
 *   administrator, another's lets it make that principal one;
 * - `acts-as`: the principal acts with the target's permissions (a user's key, a role's session,
 *   a group's membership);
 * - `membership`: a user joins the target group: the principal's own user acts with the group's
 *   permissions; any principal can hand them to other users;
 * - `unbounded`: the principal's own permissions without its permissions boundary;
 * - `maybe-admin`: as `admin`, but only if something the snapshot does not hold allows it.
 */
export type Gain = 'admin' | 'acts-as' | 'membership' | 'unbounded' | 'maybe-admin';

export interface EscalationMethod {
  /** kebab-case, the file name. */
  id: string;
  title: string;
  /** The published lists and lab paths that describe it. */
  sources: readonly string[];
  /** The kinds of principal that can use it; a group stands for any of its members. */
  actors: ReadonlyArray<'user' | 'group' | 'role'>;
  target: TargetKind;
  /** Every requirement must be met. */
  requires: readonly Requirement[];
  gains: Gain;
  /** A user target's console password must exist (UpdateLoginProfile) or not (CreateLoginProfile). */
  targetState?: 'has-password' | 'no-password';
  /** What IAM data cannot show and the method takes for granted (an existing function, instance, stack). */
  assumes?: string;
  /**
   * The condition key that names the role the service acts with, on the actions that accept it
   * (`cloudformation:RoleArn` on CreateChangeSet): a policy that allows those actions only with
   * named roles gains those roles and no other, whichever stack it changes.
   */
  roleNamedBy?: { key: string; actions: readonly string[] };
}

export const ALL_ACTORS = ['user', 'group', 'role'] as const;
