/** The trust rules' common shape: each rule in `rules/` is its metadata over one shared trust analysis. */
import type { PolicyTarget, Rule } from '../../model/rule.js';
import { analysisRules } from '../analysis-rule.js';
import { analyzeTrustPolicy } from './analyze.js';
import type { TrustContext, TrustRuleId } from './issue.js';

export type TrustRule = Rule<PolicyTarget, TrustContext>;

export const trustRule = analysisRules<TrustContext, TrustRuleId>({
  analyse: (target, context) => analyzeTrustPolicy(target.document, context),
  locate: (target, found) => target.locate(found.pointer),
});
