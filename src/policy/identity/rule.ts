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
import {
  analyzeIdentityPolicy,
  analyzeManagedPolicyArn,
  type IdentityRuleId,
  type PolicyJudgement,
} from './analyze.js';

/** What a permissions-policy rule knows besides the document: the catalogue, the time, the account, and whether it is a boundary. */
export type PermissionsContext = PolicyJudgement;

export type PermissionsPolicyRule = Rule<PolicyTarget, PermissionsContext>;
export type AttachmentRule = Rule<AttachmentTarget, PermissionsContext>;

export const permissionsPolicyRule = analysisRules<PermissionsContext, IdentityRuleId>({
  analyse: (target, context) => analyzeIdentityPolicy(target.document, context),
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
    evaluate: (target, context) => {
      const found = analyzeManagedPolicyArn(target.policyArn, context, target.document);
      if (found === null || found.ruleId !== metadata.id) return [];
      return [failed(target.subject, found.message, { severity: found.severity, location: target.location })];
    },
  };
}
