/**
 * Every migration strategy, listed explicitly (no directory walking, no import side effects): one
 * file per strategy beside this one, as the checks are. For a user, the first strategy serving its
 * class that fits its estate is planned; a class no strategy serves is investigated.
 */
import type { Strategy } from '../types.js';
import type { StrategyContext, StrategyDefinition, StrategyResult } from './context.js';
import { strategy as awsLogin } from './aws-login.js';
import { strategy as computeRole } from './compute-role.js';
import { strategy as exception } from './exception.js';
import { strategy as externalIdRole } from './external-id-role.js';
import { strategy as identityCenter } from './identity-center.js';
import { investigate, strategy as investigateStrategy } from './investigate.js';
import { strategy as keepBreakGlass } from './keep-break-glass.js';
import { strategy as oidcFederation } from './oidc-federation.js';
import { strategy as rolesAnywhere } from './roles-anywhere.js';

/** In order of preference within a class. */
export const STRATEGY_REGISTRY: readonly StrategyDefinition[] = [
  keepBreakGlass,
  exception,
  awsLogin,
  identityCenter,
  oidcFederation,
  computeRole,
  externalIdRole,
  rolesAnywhere,
  investigateStrategy,
];

export const STRATEGIES: readonly Strategy[] = STRATEGY_REGISTRY.map((definition) => definition.id);

const byId = new Map(STRATEGY_REGISTRY.map((definition) => [definition.id, definition]));

/** The definition of a strategy; every `Strategy` has one (the registry test checks). */
export function strategyDefinition(id: Strategy): StrategyDefinition {
  const definition = byId.get(id);
  if (definition === undefined) throw new Error(`strategy ${id} is not in the registry`);
  return definition;
}

/** Plans one user with the first strategy that serves its class and fits its estate. */
export function planByClass(ctx: StrategyContext): StrategyResult {
  const chosen = STRATEGY_REGISTRY.find(
    (definition) => definition.classes.includes(ctx.classification.class) && (definition.applies?.(ctx) ?? true),
  );
  return chosen ? chosen.plan(ctx) : investigate(ctx, `no strategy plans class ${ctx.classification.class}`);
}
