/**
 * The one registry of every rule roleshift reports, grouped by what each rule reads. Adding a
 * rule means adding its file and its line here: no directory walking, no registration as an
 * import side effect. Order is report order.
 */
import type { PolicyTarget, Rule, RuleMetadata } from '../model/rule.js';
import type { AttachmentRule, PermissionsPolicyRule } from '../policy/identity/rule.js';
import { rule as boundaryCapsNothing } from '../policy/identity/rules/boundary-caps-nothing.js';
import { rule as identityActionNeedsStarResource } from '../policy/identity/rules/identity-action-needs-star-resource.js';
import { rule as identityAdminManagedPolicy } from '../policy/identity/rules/identity-admin-managed-policy.js';
import { rule as identityFullAdmin } from '../policy/identity/rules/identity-full-admin.js';
import { rule as identityPrivilegeEscalation } from '../policy/identity/rules/identity-privilege-escalation.js';
import { rule as identityUnknownAction } from '../policy/identity/rules/identity-unknown-action.js';
import { rule as identityUnparseable } from '../policy/identity/rules/identity-unparseable.js';
import { rule as lintUnresolved } from '../policy/rules/lint-unresolved.js';
import { rule as oidcAudienceMissing } from '../policy/trust/rules/oidc-audience-missing.js';
import { rule as oidcAudienceUnexpected } from '../policy/trust/rules/oidc-audience-unexpected.js';
import { rule as oidcConditionKeyMismatch } from '../policy/trust/rules/oidc-condition-key-mismatch.js';
import { rule as oidcJobWorkflowRefUnpinned } from '../policy/trust/rules/oidc-job-workflow-ref-unpinned.js';
import { rule as oidcNoSubject } from '../policy/trust/rules/oidc-no-subject.js';
import { rule as oidcSetOperatorSingleValued } from '../policy/trust/rules/oidc-set-operator-single-valued.js';
import { rule as oidcSubjectAbusableClaim } from '../policy/trust/rules/oidc-subject-abusable-claim.js';
import { rule as oidcSubjectLiteralWildcard } from '../policy/trust/rules/oidc-subject-literal-wildcard.js';
import { rule as oidcSubjectMalformed } from '../policy/trust/rules/oidc-subject-malformed.js';
import { rule as oidcSubjectPullRequest } from '../policy/trust/rules/oidc-subject-pull-request.js';
import { rule as oidcSubjectTenantWide } from '../policy/trust/rules/oidc-subject-tenant-wide.js';
import { rule as oidcSubjectWildcardNarrow } from '../policy/trust/rules/oidc-subject-wildcard-narrow.js';
import { rule as oidcSubjectWildcardTenant } from '../policy/trust/rules/oidc-subject-wildcard-tenant.js';
import { rule as trustCrossAccountNoExternalId } from '../policy/trust/rules/trust-cross-account-no-external-id.js';
import { rule as trustMalformedStatement } from '../policy/trust/rules/trust-malformed-statement.js';
import { rule as trustNotPrincipal } from '../policy/trust/rules/trust-not-principal.js';
import { rule as trustPublic } from '../policy/trust/rules/trust-public.js';
import { rule as trustRolesAnywhereUnrestricted } from '../policy/trust/rules/trust-roles-anywhere-unrestricted.js';
import { rule as trustSamlNoAudience } from '../policy/trust/rules/trust-saml-no-audience.js';
import { rule as trustServiceConfusedDeputy } from '../policy/trust/rules/trust-service-confused-deputy.js';
import { rule as trustUnparseable } from '../policy/trust/rules/trust-unparseable.js';
import { rule as trustWholeAccount } from '../policy/trust/rules/trust-whole-account.js';
import type { TrustRule } from '../policy/trust/rule.js';
import type { CheckDefinition } from './check.js';
import { rule as accessAdvisorUnusedServices } from './checks/access-advisor-unused-services.js';
import { rule as accessKeyAtInitialSetup } from './checks/access-key-at-initial-setup.js';
import { rule as accessKeyRotation } from './checks/access-key-rotation.js';
import { rule as adminRole } from './checks/admin-role.js';
import { rule as breakGlassHygiene } from './checks/break-glass-hygiene.js';
import { rule as compromisedKeyQuarantine } from './checks/compromised-key-quarantine.js';
import { rule as consolePasswordWithoutMfa } from './checks/console-password-without-mfa.js';
import { rule as exceptionControlUnverified } from './checks/exception-control-unverified.js';
import { rule as exceptionExpired } from './checks/exception-expired.js';
import { rule as exceptionReviewOverdue } from './checks/exception-review-overdue.js';
import { rule as exceptionUnknownUser } from './checks/exception-unknown-user.js';
import { rule as fullAdminAccess } from './checks/full-admin-access.js';
import { rule as humanUserWithIdentityCenter } from './checks/human-user-with-identity-center.js';
import { rule as machineUserConsolePassword } from './checks/machine-user-console-password.js';
import { rule as multipleActiveKeys } from './checks/multiple-active-keys.js';
import { rule as personInSeveralAccounts } from './checks/person-in-several-accounts.js';
import { rule as privilegeEscalation } from './checks/privilege-escalation.js';
import { rule as rootAccessKey } from './checks/root-access-key.js';
import { rule as rootHardwareMfa } from './checks/root-hardware-mfa.js';
import { rule as rootMfa } from './checks/root-mfa.js';
import { rule as rootRecentUse } from './checks/root-recent-use.js';
import { rule as staleCredentialReport } from './checks/stale-credential-report.js';
import { rule as unregisteredUser } from './checks/unregistered-user.js';
import { rule as unusedCredentials } from './checks/unused-credentials.js';
import { rule as userAttachedPolicies } from './checks/user-attached-policies.js';
// Account settings and grants Prowler's IAM checks also judge (issue 17 point 5).
import { rule as adminGroupMemberWithoutMfa } from './checks/admin-group-member-without-mfa.js';
import { rule as adminHardwareMfa } from './checks/admin-hardware-mfa.js';
import { rule as dangerousServiceGrant } from './checks/dangerous-service-grant.js';
import { rule as passwordPolicyComplexity } from './checks/password-policy-complexity.js';
import { rule as passwordPolicyExpiry } from './checks/password-policy-expiry.js';
import { rule as passwordPolicyLength } from './checks/password-policy-length.js';
import { rule as passwordPolicyReuse } from './checks/password-policy-reuse.js';
import { rule as scpAllowsUnusedServices } from './checks/scp-allows-unused-services.js';
import { rule as rootCredentialsManagement } from './checks/root-credentials-management.js';
import { rule as samlProviderBesideIdentityCenter } from './checks/saml-provider-beside-identity-center.js';
import { rule as securityAuditRole } from './checks/security-audit-role.js';
import { rule as serverCertificateExpired } from './checks/server-certificate-expired.js';
import { rule as supportRole } from './checks/support-role.js';
import { rule as userWithTemporaryCredentials } from './checks/user-with-temporary-credentials.js';

export interface RuleRegistry {
  /** Checks of the scanned estate: the snapshot in the run's context. */
  estate: readonly CheckDefinition[];
  /** The trust policy of every role (scanned or in a file). */
  trustPolicy: readonly TrustRule[];
  /** Permissions policies and permissions boundaries in files given to lint. */
  permissionsPolicy: readonly PermissionsPolicyRule[];
  /** Managed policies attached by ARN in files given to lint. */
  policyAttachment: readonly AttachmentRule[];
  /** Every policy document in a file given to lint, trust or permissions. */
  anyPolicy: ReadonlyArray<Rule<PolicyTarget, unknown>>;
}

export const RULES: RuleRegistry = {
  estate: [
    compromisedKeyQuarantine,
    rootAccessKey,
    rootMfa,
    rootHardwareMfa,
    rootRecentUse,
    consolePasswordWithoutMfa,
    accessKeyAtInitialSetup,
    unusedCredentials,
    multipleActiveKeys,
    accessKeyRotation,
    userAttachedPolicies,
    // What principals can do, from the one evaluator and the escalation graph.
    fullAdminAccess,
    adminRole,
    privilegeEscalation,
    humanUserWithIdentityCenter,
    machineUserConsolePassword,
    personInSeveralAccounts,
    userWithTemporaryCredentials,
    accessAdvisorUnusedServices,
    scpAllowsUnusedServices,
    breakGlassHygiene,
    staleCredentialReport,
    unregisteredUser,
    exceptionExpired,
    exceptionReviewOverdue,
    exceptionControlUnverified,
    exceptionUnknownUser,
    // Account settings and grants Prowler's IAM checks also judge (issue 17 point 5).
    passwordPolicyLength,
    passwordPolicyReuse,
    passwordPolicyComplexity,
    passwordPolicyExpiry,
    dangerousServiceGrant,
    supportRole,
    securityAuditRole,
    serverCertificateExpired,
    samlProviderBesideIdentityCenter,
    rootCredentialsManagement,
    adminHardwareMfa,
    adminGroupMemberWithoutMfa,
  ],
  trustPolicy: [
    trustUnparseable,
    trustMalformedStatement,
    trustPublic,
    trustNotPrincipal,
    trustCrossAccountNoExternalId,
    trustWholeAccount,
    trustServiceConfusedDeputy,
    trustSamlNoAudience,
    trustRolesAnywhereUnrestricted,
    oidcNoSubject,
    oidcSubjectWildcardTenant,
    oidcSubjectTenantWide,
    oidcSubjectWildcardNarrow,
    oidcSubjectPullRequest,
    oidcSubjectAbusableClaim,
    oidcSubjectLiteralWildcard,
    oidcSubjectMalformed,
    oidcAudienceMissing,
    oidcAudienceUnexpected,
    oidcSetOperatorSingleValued,
    oidcConditionKeyMismatch,
    oidcJobWorkflowRefUnpinned,
  ],
  permissionsPolicy: [
    identityUnparseable,
    identityFullAdmin,
    identityPrivilegeEscalation,
    identityActionNeedsStarResource,
    identityUnknownAction,
    boundaryCapsNothing,
  ],
  policyAttachment: [identityAdminManagedPolicy],
  anyPolicy: [lintUnresolved],
};

/** The estate checks, in report order. */
export const CHECKS: readonly CheckDefinition[] = RULES.estate;

export function checkById(id: string): CheckDefinition | undefined {
  return CHECKS.find((check) => check.id === id);
}

/** What renderers list about rules (SARIF's rule table), without the code. */
export function metadataOf(rules: readonly RuleMetadata[]): RuleMetadata[] {
  return rules.map(({ id, title, severity, rationale, remediation, references }) => ({
    id,
    title,
    severity,
    rationale,
    remediation,
    references,
  }));
}

/** The rules `roleshift findings` can report: the estate checks and the trust rules. */
export function findingsRules(): RuleMetadata[] {
  return metadataOf([...RULES.estate, ...RULES.trustPolicy]);
}

/** The rules `roleshift lint` can report. */
export function lintRules(): RuleMetadata[] {
  return metadataOf([...RULES.trustPolicy, ...RULES.permissionsPolicy, ...RULES.policyAttachment, ...RULES.anyPolicy]);
}
