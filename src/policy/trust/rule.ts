/**
 * The trust rules' common shape: each rule in `rules/` is its metadata, and its results are the
 * analyzer's issues that carry its id. One analysis per policy serves all of them, because the
 * issues share the same reading of principals and restrictions.
 */
import { failed, noParameters, type PolicyTarget, type Rule, type RuleMetadata } from '../../model/rule.js';
import { analyzeTrustPolicy } from './analyze.js';
import type { TrustContext, TrustIssue, TrustRuleId } from './issue.js';

export type TrustRule = Rule<PolicyTarget, TrustContext>;

const analyses = new WeakMap<PolicyTarget, { context: TrustContext; issues: TrustIssue[] }>();

/** The analyzer's issues for one policy in one context, analysed once however many rules ask. */
function issuesOf(target: PolicyTarget, context: TrustContext): TrustIssue[] {
  const cached = analyses.get(target);
  if (cached !== undefined && cached.context === context) return cached.issues;
  const issues = analyzeTrustPolicy(target.document, context);
  analyses.set(target, { context, issues });
  return issues;
}

export function trustRule(metadata: RuleMetadata & { id: TrustRuleId }): TrustRule {
  return {
    ...metadata,
    parameters: noParameters,
    evaluate: (target, context) =>
      issuesOf(target, context)
        .filter((found) => found.ruleId === metadata.id)
        .map((found) =>
          failed(target.subject, found.message, { severity: found.severity, location: target.locate(found.pointer) }),
        ),
  };
}
