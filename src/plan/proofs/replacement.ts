/**
 * A planned replacement as the evaluator sees it: the layers of policy it will have (its own
 * inline and managed policies, no boundary, the SCPs of the user's account) and what is known of
 * its requests (a role session of the account, or, for an exception, the user itself).
 */
import { findManagedPolicy } from '../../model/managed-policies.js';
import type { Role } from '../../model/snapshot.js';
import { UNKNOWN } from '../../model/when.js';
import { buildLayer, type LayerPolicy } from '../../policy/evaluator/compile.js';
import type { EvaluationLayers } from '../../policy/evaluator/decide.js';
import type { ContextKnowledge } from '../../policy/evaluator/knowledge.js';
import { principalKnowledge } from '../../policy/evaluator/principal-context.js';
import type { Principal } from '../../policy/evaluator/principals.js';
import { wellKnownPolicyDocument } from '../../policy/evaluator/well-known.js';
import { mirroredPermissions } from '../permissions/sources.js';
import type { StrategyContext } from '../strategies/context.js';
import type { PlannedPermissions, RoleArtifact } from '../types.js';

export interface Replacement {
  layers: EvaluationLayers;
  knowledge: ContextKnowledge;
  /** The user being replaced, as the evaluator knows it. */
  user: Principal;
  /** True when the replacement has exactly the user's identity policies (a mirror). */
  mirrorsUser: boolean;
}

function source(name: string, arn: string | null): LayerPolicy['source'] {
  return { kind: 'document', name, arn, group: null, attachedTo: null };
}

/** The replacement's identity policies; a managed policy the scan lacks is unread, never skipped. */
function identityPolicies(ctx: StrategyContext, permissions: PlannedPermissions): LayerPolicy[] {
  const managed = [
    ...permissions.awsManagedPolicyArns,
    ...permissions.customerManagedPolicies.map((policy) => policy.arn),
  ].map((arn) => ({
    source: source(arn.slice(arn.lastIndexOf('/') + 1), arn),
    document: findManagedPolicy(ctx.snapshot, ctx.account, arn)?.document ?? wellKnownPolicyDocument(arn),
  }));
  return [
    ...(permissions.inlinePolicy
      ? [{ source: source('planned inline policy', null), document: permissions.inlinePolicy }]
      : []),
    ...managed,
  ];
}

function grantOf(permissions: PlannedPermissions): string {
  return JSON.stringify([
    permissions.awsManagedPolicyArns,
    permissions.customerManagedPolicies,
    permissions.inlinePolicy,
  ]);
}

/** A role of the account standing for the replacement, so its requests are known as a role session's. */
function rolePrincipal(ctx: StrategyContext, artifact: RoleArtifact | null): Principal {
  const path = artifact?.path ?? '/aws-reserved/sso.amazonaws.com/';
  const name = artifact?.name ?? 'AWSReservedSSO_roleshift';
  const role: Role = {
    arn: `arn:aws:iam::${ctx.account.accountId}:role${path}${name}`,
    name,
    roleId: null,
    path,
    createDate: UNKNOWN,
    description: null,
    maxSessionDuration: artifact?.maxSessionDuration ?? 3600,
    tags: artifact?.tags ?? {},
    trustPolicy: artifact?.trustPolicy ?? { Version: '2012-10-17', Statement: [] },
    attachedPolicies: [],
    inlinePolicies: [],
    permissionsBoundary: null,
    lastUsed: UNKNOWN,
    lastUsedRegion: null,
    instanceProfiles: [],
  };
  return { kind: 'role', arn: role.arn, name, accountId: ctx.account.accountId, account: ctx.account, role };
}

/**
 * The replacement of one strategy's result; null when the user is not in the evaluator's snapshot.
 * `keepsUser`: the strategy keeps the IAM user (an exception), so its requests are the user's own.
 */
export function replacementOf(
  ctx: StrategyContext,
  permissions: PlannedPermissions,
  role: RoleArtifact | null,
  keepsUser: boolean,
): Replacement | null {
  const user = ctx.evaluator.principal(ctx.user.arn);
  if (user === undefined) return null;
  const own = ctx.evaluator.layers(user);
  const mirrorsUser = grantOf(permissions) === grantOf(mirroredPermissions(ctx, ''));
  const identity = mirrorsUser ? own.identity : buildLayer(identityPolicies(ctx, permissions));
  return {
    // A new role has no boundary; a kept user keeps its own.
    layers: { identity, boundary: keepsUser ? own.boundary : null, scps: own.scps },
    knowledge: keepsUser
      ? ctx.evaluator.knowledge(user)
      : principalKnowledge(ctx.snapshot, rolePrincipal(ctx, role), ctx.evaluator.now),
    user,
    mirrorsUser,
  };
}
