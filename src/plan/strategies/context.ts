/**
 * What every strategy is given and returns, and the small helpers they share (tags, the role
 * artifact, the switch-off step). One strategy per file beside this one; `registry.ts` lists them.
 */
import type { RoleshiftConfig } from '../../config.js';
import type { Classification, UserClass } from '../../model/classification.js';
import type { Account, Snapshot, Tags, User } from '../../model/snapshot.js';
import type { IamCatalog } from '../../policy/action-catalog.js';
import type { Evaluator } from '../../policy/evaluator/evaluator.js';
import { shellWord } from '../../shell-quote.js';
import { iamName } from '../names.js';
import type { Artifact, PlannedPermissions, Prerequisite, RoleArtifact, Strategy, UserUsage } from '../types.js';

export interface StrategyContext {
  snapshot: Snapshot;
  account: Account;
  user: User;
  classification: Classification;
  usage: UserUsage | undefined;
  config: RoleshiftConfig;
  now: Date;
  externalIdSeed: string;
  ownership: Tags;
  region: string;
  /** The one evaluator of the snapshot: admin verdicts, granted scopes and the proofs ask it. */
  evaluator: Evaluator;
  catalog: IamCatalog;
}

export interface StrategyResult {
  strategy: Strategy;
  target: string;
  prerequisites: Prerequisite[];
  blockers: string[];
  steps: string[];
  artifacts: Artifact[];
  permissions: PlannedPermissions | null;
}

/** One migration strategy: what it is, how risky it is to start with, and how it plans a user. */
export interface StrategyDefinition {
  id: Strategy;
  /** One line for people: what replaces the user. */
  title: string;
  /** The risk a migration of this kind starts with; the plan adds blockers, confidence and recent use. */
  baseRisk: number;
  /** The classes it is planned for first; its plan may still hand a user on to another strategy. */
  classes: readonly UserClass[];
  /** Whether it fits this user's estate (absent: always); the first that fits is planned. */
  applies?: (ctx: StrategyContext) => boolean;
  plan(ctx: StrategyContext): StrategyResult;
}

export { tag } from '../tags.js';

export function userRef(ctx: StrategyContext): string {
  return `${ctx.account.accountId}/${ctx.user.name}`;
}

export function switchOffStep(ctx: StrategyContext): string {
  return `When the replacement works, switch the old credentials off reversibly: roleshift remediate start ${shellWord(userRef(ctx))}`;
}

export function role(
  ctx: StrategyContext,
  suffix: string,
  description: string,
  trustPolicy: RoleArtifact['trustPolicy'],
  permissions: PlannedPermissions,
  instanceProfile = false,
): RoleArtifact {
  return {
    kind: 'role',
    accountId: ctx.account.accountId,
    name: iamName(`${ctx.user.name}-${suffix}`),
    path: '/roleshift/',
    description: description.slice(0, 1000),
    trustPolicy,
    permissions,
    tags: ctx.ownership,
    maxSessionDuration: 3600,
    instanceProfile,
  };
}

export function roleArn(artifact: RoleArtifact): string {
  return `arn:aws:iam::${artifact.accountId}:role${artifact.path}${artifact.name}`;
}
