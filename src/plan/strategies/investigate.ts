/** A user nobody can yet say who or what uses: find out before planning anything. */
import type { StrategyContext, StrategyDefinition, StrategyResult } from './context.js';

export function investigate(ctx: StrategyContext, why: string): StrategyResult {
  return {
    strategy: 'investigate',
    target: 'Find out who or what uses this user before planning a replacement',
    prerequisites: [],
    blockers: [why],
    steps: [
      'Look at the evidence and CloudTrail activity of its keys (roleshift scan --cloudtrail ...).',
      `Tag the user ${ctx.config.classification.overrideTagKey}=human|ci-cd|workload|third-party|break-glass and plan again.`,
    ],
    artifacts: [],
    permissions: null,
  };
}

export const strategy: StrategyDefinition = {
  id: 'investigate',
  title: 'find out who or what uses the user first',
  baseRisk: 5,
  classes: ['unknown'],
  plan: (ctx) => investigate(ctx, 'class unknown: not enough evidence to tell who or what uses this user'),
};
