/**
 * The permissions-policy rules' common shape: each rule in `rules/` is its metadata, and its
 * results are the analyzer's issues that carry its id, from one analysis per document.
 */
import {
  failed,
  noParameters,
  type AttachmentTarget,
  type PolicyTarget,
  type Rule,
  type RuleMetadata,
} from '../../model/rule.js';
import { analyzeIdentityPolicy, analyzeManagedPolicyArn, type IdentityIssue, type IdentityRuleId } from './analyze.js';

/** What a permissions-policy rule knows besides the document. */
export interface PermissionsContext {
  /** Action patterns no IAM action matches (from `findUnknownActions`); without them no typo is reported. */
  unknownActions: ReadonlySet<string>;
}

export type PermissionsPolicyRule = Rule<PolicyTarget, PermissionsContext>;
export type AttachmentRule = Rule<AttachmentTarget, unknown>;

const analyses = new WeakMap<PolicyTarget, { context: PermissionsContext; issues: IdentityIssue[] }>();

function issuesOf(target: PolicyTarget, context: PermissionsContext): IdentityIssue[] {
  const cached = analyses.get(target);
  if (cached !== undefined && cached.context === context) return cached.issues;
  const issues = analyzeIdentityPolicy(target.document, context.unknownActions);
  analyses.set(target, { context, issues });
  return issues;
}

/** A whole-document issue has the empty pointer; it is located at the document, with no pointer. */
function locationOf(target: PolicyTarget, found: IdentityIssue) {
  const at = target.locate(found.pointer);
  return at === null ? null : { ...at, pointer: found.pointer || null };
}

export function permissionsPolicyRule(metadata: RuleMetadata & { id: IdentityRuleId }): PermissionsPolicyRule {
  return {
    ...metadata,
    parameters: noParameters,
    evaluate: (target, context) =>
      issuesOf(target, context)
        .filter((found) => found.ruleId === metadata.id)
        .map((found) =>
          failed(target.subject, found.message, { severity: found.severity, location: locationOf(target, found) }),
        ),
  };
}

export function attachmentRule(metadata: RuleMetadata & { id: IdentityRuleId }): AttachmentRule {
  return {
    ...metadata,
    parameters: noParameters,
    evaluate: (target) => {
      const found = analyzeManagedPolicyArn(target.policyArn);
      if (found === null || found.ruleId !== metadata.id) return [];
      return [failed(target.subject, found.message, { severity: found.severity, location: target.location })];
    },
  };
}
