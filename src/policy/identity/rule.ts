/**
 * The permissions-policy rules' common shape: each rule in `rules/` is its metadata over one
 * shared analysis of the document; the attachment rule judges a managed policy ARN.
 */
import {
  failed,
  noParameters,
  type AttachmentTarget,
  type PolicyTarget,
  type Rule,
  type RuleMetadata,
} from '../../model/rule.js';
import { analysisRules } from '../analysis-rule.js';
import { analyzeIdentityPolicy, analyzeManagedPolicyArn, type IdentityRuleId } from './analyze.js';

/** What a permissions-policy rule knows besides the document. */
export interface PermissionsContext {
  /** Action patterns no IAM action matches (from `findUnknownActions`); without them no typo is reported. */
  unknownActions: ReadonlySet<string>;
}

export type PermissionsPolicyRule = Rule<PolicyTarget, PermissionsContext>;
export type AttachmentRule = Rule<AttachmentTarget, unknown>;

export const permissionsPolicyRule = analysisRules<PermissionsContext, IdentityRuleId>({
  analyse: (target, context) => analyzeIdentityPolicy(target.document, context.unknownActions),
  // A whole-document issue has the empty pointer: it is located at the document, with no pointer.
  locate: (target, found) => {
    const at = target.locate(found.pointer);
    return at === null ? null : { ...at, pointer: found.pointer || null };
  },
});

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
