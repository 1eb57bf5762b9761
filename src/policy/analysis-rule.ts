/**
 * Rules whose results come from one analysis shared by a family of rules (the trust analyzer,
 * the permissions-policy analyzer): each rule is its metadata, and its results are the issues
 * of the analysis that carry its id. The document is analysed once however many rules ask.
 */
import type { Finding, Severity } from '../model/finding.js';
import { failed, noParameters, type PolicyTarget, type Rule, type RuleMetadata } from '../model/rule.js';

/** What an analysis reports: the rule it is about, how grave, what, and where in the document. */
export interface AnalysisIssue<Id extends string> {
  ruleId: Id;
  severity: Severity;
  message: string;
  /** JSON pointer into the document as written; empty for the whole document. */
  pointer: string;
}

export interface AnalysisFamily<Context, Id extends string> {
  analyse: (target: PolicyTarget, context: Context) => ReadonlyArray<AnalysisIssue<Id>>;
  /** Where an issue is in the target's file; null for a scanned document. */
  locate: (target: PolicyTarget, issue: AnalysisIssue<Id>) => Finding['location'];
}

/** The family's analysis, run once per target and context. */
function memoized<Context, Id extends string>(
  analyse: AnalysisFamily<Context, Id>['analyse'],
): AnalysisFamily<Context, Id>['analyse'] {
  const analyses = new WeakMap<PolicyTarget, { context: Context; issues: ReadonlyArray<AnalysisIssue<Id>> }>();
  return (target, context) => {
    const cached = analyses.get(target);
    if (cached !== undefined && cached.context === context) return cached.issues;
    const issues = analyse(target, context);
    analyses.set(target, { context, issues });
    return issues;
  };
}

/** A maker of the family's rules: `ruleOf({ id, title, ... })` is one rule file's whole content. */
export function analysisRules<Context, Id extends string>(
  family: AnalysisFamily<Context, Id>,
): (metadata: RuleMetadata & { id: Id }) => Rule<PolicyTarget, Context> {
  const analyse = memoized(family.analyse);
  return (metadata) => ({
    ...metadata,
    parameters: noParameters,
    evaluate: (target, context) =>
      analyse(target, context)
        .filter((found) => found.ruleId === metadata.id)
        .map((found) =>
          failed(target.subject, found.message, { severity: found.severity, location: family.locate(target, found) }),
        ),
  });
}
