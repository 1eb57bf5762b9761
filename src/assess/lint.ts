/**
 * Turns extracted policy documents into Findings for `roleshift lint`: trust policies through the
 * trust rules, permissions policies and permissions boundaries through the permissions-policy
 * rules (a boundary is graded for what it caps), attached managed policies through the attachment
 * rules, and every document through the rules for any policy (such as the note on values that
 * could not be resolved offline). One runner for all. Pure.
 */
import type { IamCatalog } from '../policy/action-catalog.js';
import { severityRank, type Finding } from '../model/finding.js';
import type { AttachmentTarget, PolicyTarget, Subject } from '../model/rule.js';
import { normalizePolicy } from '../policy/document.js';
import type { PermissionsContext } from '../policy/identity/rule.js';
import type { TrustContext } from '../policy/trust/issue.js';
import type { ExtractedPolicy, Extraction, ManagedPolicyAttachment } from '../policy/sources.js';
import { RULES } from './registry.js';
import { runRules, type RuleItem } from './run-rules.js';

export interface LintOptions {
  /** The action catalogue, loaded once at the edge. */
  catalog: IamCatalog;
  /** The time every policy is judged at (date conditions). */
  now: Date;
}

/**
 * A document whose statements name principals and STS actions is a trust policy; anything else
 * (a permissions policy, or another service's resource policy such as a bucket policy) gets the
 * permissions-policy rules.
 */
function looksLikeTrust(document: unknown): boolean {
  const normalized = normalizePolicy(document);
  if (!normalized.ok) return true;
  return normalized.policy.statements.some(
    (s) =>
      (s.principals !== null || s.notPrincipals !== null) &&
      (s.notActions !== null || (s.actions ?? []).some((a) => /^(sts:|\*)/i.test(a))),
  );
}

function fileSubject(resourceName: string): Subject {
  return { accountId: null, resourceType: 'file', resourceArn: null, resourceName };
}

function policyTarget(policy: ExtractedPolicy): PolicyTarget {
  return {
    document: policy.document,
    subject: fileSubject(policy.resourceName),
    location: { file: policy.file, line: policy.line, pointer: null },
    locate: (pointer) => ({ file: policy.file, line: policy.lineOf(pointer) ?? policy.line, pointer }),
    unresolved: policy.unresolved,
  };
}

function attachmentTarget(attachment: ManagedPolicyAttachment): AttachmentTarget {
  return {
    policyArn: attachment.policyArn,
    ...(attachment.document === undefined ? {} : { document: attachment.document }),
    subject: fileSubject(attachment.resourceName),
    location: { file: attachment.file, line: attachment.line, pointer: null },
  };
}

function item<Target extends { subject: Subject }, Context>(
  target: Target,
  context: Context,
): RuleItem<Target, Context> {
  return { target, context, subject: target.subject };
}

/** Every finding for the documents of one or more files, most severe first, then by file and line. */
export function lintFindings(
  extractions: readonly Extraction[],
  context: TrustContext,
  options: LintOptions,
): Finding[] {
  const judgement = (accountId: string | null, usage: PermissionsContext['usage']): PermissionsContext => ({
    catalog: options.catalog,
    now: options.now,
    accountId,
    usage,
  });
  const findings: Finding[] = [];
  for (const extraction of extractions) {
    for (const policy of extraction.policies) {
      const target = policyTarget(policy);
      const trust = policy.kind === 'trust' || (policy.kind === 'auto' && looksLikeTrust(policy.document));
      // An account named by the file itself beats a guess; --account-id stays the default.
      const own = policy.accountId ? { ...context, accountId: policy.accountId } : context;
      const usage = policy.kind === 'boundary' ? 'boundary' : 'identity';
      const run = trust
        ? runRules(RULES.trustPolicy, [item(target, own)])
        : runRules(RULES.permissionsPolicy, [item(target, judgement(own.accountId ?? null, usage))]);
      findings.push(...run.findings, ...runRules(RULES.anyPolicy, [item(target, null)]).findings);
    }
    const attachments = extraction.attachments.map((attachment) =>
      item(attachmentTarget(attachment), judgement(attachment.accountId ?? context.accountId ?? null, 'identity')),
    );
    findings.push(...runRules(RULES.policyAttachment, attachments).findings);
  }
  return findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0),
  );
}
