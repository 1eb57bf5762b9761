/** What the trust analyzer reports: one issue names its rule, its severity and where it is. */
import type { Severity } from '../../model/finding.js';
import type { NormalizedStatement } from '../document.js';

export interface TrustContext {
  /** The account that owns the role; null when unknown (a file given to `lint`). */
  accountId?: string | null;
  /** Accounts of the same AWS Organization; cross-account trust among them is expected. */
  organizationAccountIds?: readonly string[] | null;
}

/** Every rule the analyzer can report; each has its definition in `rules/<id>.ts`. */
export type TrustRuleId =
  | 'trust-unparseable'
  | 'trust-malformed-statement'
  | 'trust-public'
  | 'trust-not-principal'
  | 'trust-cross-account-no-external-id'
  | 'trust-whole-account'
  | 'trust-service-confused-deputy'
  | 'trust-saml-no-audience'
  | 'trust-roles-anywhere-unrestricted'
  | 'oidc-no-subject'
  | 'oidc-subject-wildcard-tenant'
  | 'oidc-subject-tenant-wide'
  | 'oidc-subject-wildcard-narrow'
  | 'oidc-subject-pull-request'
  | 'oidc-subject-abusable-claim'
  | 'oidc-subject-literal-wildcard'
  | 'oidc-subject-malformed'
  | 'oidc-audience-missing'
  | 'oidc-audience-unexpected'
  | 'oidc-set-operator-single-valued'
  | 'oidc-condition-key-mismatch'
  | 'oidc-job-workflow-ref-unpinned';

export interface TrustIssue {
  ruleId: TrustRuleId;
  severity: Severity;
  /** Index in the Statement list; null for problems of the whole document. */
  statementIndex: number | null;
  message: string;
  /** JSON pointer into the document as written. */
  pointer: string;
}

export const ASSUME_ROLE = 'sts:AssumeRole';
export const ASSUME_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
export const ASSUME_SAML = 'sts:AssumeRoleWithSAML';
export const ASSUME_ACTIONS = [ASSUME_ROLE, ASSUME_WEB_IDENTITY, ASSUME_SAML];

export function issue(
  ruleId: TrustRuleId,
  severity: Severity,
  statement: NormalizedStatement | null,
  pointer: string,
  message: string,
): TrustIssue {
  return { ruleId, severity, statementIndex: statement?.index ?? null, pointer, message };
}
