/**
 * Turns extracted policy documents into Findings for `roleshift lint`: trust policies through
 * the trust analyzer, permissions policies through the identity rules, and a note for every
 * document whose values could not all be resolved offline. Pure.
 */
import {
  analyzeIdentityPolicy,
  analyzeManagedPolicyArn,
  IDENTITY_RULES,
  type IdentityIssue,
  type IdentityRuleId,
} from './identity.js';
import { normalizePolicy } from './document.js';
import {
  analyzeTrustPolicy,
  TRUST_RULES,
  trustRuleLinks,
  type TrustContext,
  type TrustIssue,
  type TrustRuleId,
} from './trust.js';
import type { Extraction, ExtractedPolicy } from './sources.js';
import { severityRank, type Finding, type Severity } from '../model/finding.js';

export const LINT_RULES = {
  'lint-unresolved': {
    severity: 'info',
    rationale:
      'Variables and references are only known at plan or deploy time; lint says what it could not see instead of guessing.',
    title: 'Policy has values that cannot be resolved offline',
    remediation:
      'Check the listed variables and references by hand, or lint the Terraform plan JSON (terraform show -json) where they are known.',
  },
} as const satisfies Record<string, { severity: Severity; rationale: string; title: string; remediation: string }>;

/** CIS AWS Foundations v3.0: 1.16 is "no full administrator policies". */
const CIS_OF: Record<IdentityRuleId, string[]> = {
  'identity-unparseable': [],
  'identity-full-admin': ['1.16'],
  'identity-unknown-action': [],
  'identity-admin-managed-policy': ['1.16'],
};

const IDENTITY_LINKS = ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'];

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

function finding(
  policy: Pick<ExtractedPolicy, 'file' | 'resourceName'>,
  line: number | null,
  pointer: string | null,
  fields: Pick<Finding, 'checkId' | 'title' | 'severity' | 'message' | 'remediation'> & {
    links: string[];
    cis?: string[];
  },
): Finding {
  return {
    checkId: fields.checkId,
    title: fields.title,
    severity: fields.severity,
    status: 'fail',
    accountId: null,
    resourceType: 'file',
    resourceArn: null,
    resourceName: policy.resourceName,
    message: fields.message,
    location: { file: policy.file, line, pointer },
    references: { cis: fields.cis ?? [], securityHub: [], links: fields.links },
    remediation: fields.remediation,
  };
}

function fromTrust(policy: ExtractedPolicy, issue: TrustIssue): Finding {
  const rule = TRUST_RULES[issue.ruleId];
  return finding(policy, policy.lineOf(issue.pointer) ?? policy.line, issue.pointer, {
    checkId: issue.ruleId,
    title: rule.title,
    severity: issue.severity,
    message: issue.message,
    remediation: rule.remediation,
    links: trustRuleLinks(issue.ruleId),
  });
}

function fromIdentity(
  policy: Pick<ExtractedPolicy, 'file' | 'resourceName'>,
  line: number | null,
  issue: IdentityIssue,
): Finding {
  const rule = IDENTITY_RULES[issue.ruleId];
  return finding(policy, line, issue.pointer || null, {
    checkId: issue.ruleId,
    title: rule.title,
    severity: issue.severity,
    message: issue.message,
    remediation: rule.remediation,
    links: IDENTITY_LINKS,
    cis: CIS_OF[issue.ruleId],
  });
}

export interface LintOptions {
  /** Action patterns no IAM action matches (from `findUnknownActions`). */
  unknownActions?: ReadonlySet<string>;
}

/** Every finding for the documents of one or more files, most severe first, then by file and line. */
export function lintFindings(
  extractions: readonly Extraction[],
  context: TrustContext,
  options: LintOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  for (const extraction of extractions) {
    for (const policy of extraction.policies) {
      const trust = policy.kind === 'trust' || (policy.kind === 'auto' && looksLikeTrust(policy.document));
      // An account named by the file itself beats a guess; --account-id stays the default.
      const own = policy.accountId ? { ...context, accountId: policy.accountId } : context;
      if (trust) findings.push(...analyzeTrustPolicy(policy.document, own).map((issue) => fromTrust(policy, issue)));
      else
        findings.push(
          ...analyzeIdentityPolicy(policy.document, options.unknownActions).map((issue) =>
            fromIdentity(policy, policy.lineOf(issue.pointer) ?? policy.line, issue),
          ),
        );
      if (policy.unresolved.length > 0) {
        findings.push(
          finding(policy, policy.line, null, {
            checkId: 'lint-unresolved',
            title: LINT_RULES['lint-unresolved'].title,
            severity: 'info',
            message: `Analysed with these left as written, so findings that depend on them may be missing: ${[...new Set(policy.unresolved)].join(', ')}.`,
            remediation: LINT_RULES['lint-unresolved'].remediation,
            links: [],
          }),
        );
      }
    }
    for (const attachment of extraction.attachments) {
      const issue = analyzeManagedPolicyArn(attachment.policyArn);
      if (issue) findings.push(fromIdentity(attachment, attachment.line, issue));
    }
  }
  return findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0),
  );
}

interface RuleInfo {
  severity: Severity;
  rationale: string;
  title: string;
  remediation: string;
}

/** Metadata of every rule lint can report, for renderers that list rules (SARIF). */
export function lintRules(): Array<{
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  references: Finding['references'];
}> {
  const entries: Array<{ id: string; rule: RuleInfo; links: string[]; cis: string[] }> = [
    ...Object.entries(TRUST_RULES).map(([id, rule]) => ({
      id,
      rule,
      links: trustRuleLinks(id as TrustRuleId),
      cis: [],
    })),
    ...Object.entries(IDENTITY_RULES).map(([id, rule]) => ({
      id,
      rule,
      links: IDENTITY_LINKS,
      cis: CIS_OF[id as IdentityRuleId],
    })),
    ...Object.entries(LINT_RULES).map(([id, rule]) => ({ id, rule, links: [], cis: [] })),
  ];
  return entries.map(({ id, rule, links, cis }) => ({
    id,
    title: rule.title,
    severity: rule.severity,
    rationale: rule.rationale,
    remediation: rule.remediation,
    references: { cis, securityHub: [], links },
  }));
}
