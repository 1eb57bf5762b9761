/**
 * The trust-policy analyzer: who can assume a role, and how tightly. Every statement and every
 * value of every condition is looked at (Checkov reads the first value and stops at the first
 * non-GitHub statement, which hides a loose value behind a tight one). Deny statements only
 * ever restrict. Pure: returns issues, never throws, an unparseable policy is an issue too.
 *
 * The concerns live beside it: `restrictions.ts` (which conditions gate a statement),
 * `principals.ts` (AWS, service and SAML principals), `oidc.ts` and `oidc-providers.ts` (web
 * identities), and `rules/` (one file per rule it reports).
 */
import { severityRank } from '../../model/finding.js';
import {
  normalizePolicy,
  statementCoversAction,
  type NormalizedPolicy,
  type NormalizedStatement,
  type Principals,
} from '../document.js';
import {
  ASSUME_ACTIONS,
  ASSUME_ROLE,
  ASSUME_SAML,
  ASSUME_WEB_IDENTITY,
  issue,
  type TrustContext,
  type TrustIssue,
} from './issue.js';
import { oidcIssues } from './oidc.js';
import {
  awsPrincipalIssues,
  federatedIssuer,
  principalPointer,
  samlIssues,
  servicePrincipalIssues,
} from './principals.js';
import { denyRestrictions, restrictionsOf, type Restriction } from './restrictions.js';

/** Actions a trust policy may allow besides the three assume actions. */
const TRUST_ACTIONS = ['sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'];

/** Service-linked roles live here; AWS writes their trust policies and nobody can change them. */
export const SERVICE_LINKED_PATH = '/aws-service-role/';

/** An Allow statement that cannot work as written: no trust action, NotPrincipal, or no Principal. */
function malformedStatementIssues(statement: NormalizedStatement, assumes: readonly string[]): TrustIssue[] | null {
  if (assumes.length === 0) {
    if (TRUST_ACTIONS.some((a) => statementCoversAction(statement, a))) return [];
    // A typo such as sts:AssumeRoleWithWebIdentities grants nothing; say so rather than pass it silently.
    const written = (statement.actions ?? statement.notActions ?? []).join(', ');
    return [
      issue(
        'trust-malformed-statement',
        'low',
        statement,
        `${statement.pointer}/${statement.actions ? 'Action' : 'NotAction'}`,
        `This Allow statement names no trust-policy action (${written}): it lets no one assume the role, which usually hides a typo.`,
      ),
    ];
  }
  if (statement.notPrincipals) {
    return [
      issue(
        'trust-not-principal',
        'critical',
        statement,
        `${statement.pointer}/NotPrincipal`,
        'Allow with NotPrincipal trusts every principal in every account except the ones listed.',
      ),
    ];
  }
  if (!statement.principals) {
    return [
      issue(
        'trust-malformed-statement',
        'medium',
        statement,
        statement.pointer,
        'This Allow statement has no Principal; IAM rejects such a trust policy.',
      ),
    ];
  }
  return null;
}

/** AWS and service principals, judged against the restrictions on sts:AssumeRole. */
function assumeRoleIssues(
  statement: NormalizedStatement,
  principals: Principals,
  fromDeny: readonly Restriction[],
  context: TrustContext,
): TrustIssue[] {
  const restrictions = restrictionsOf(statement, fromDeny, ASSUME_ROLE);
  const aws = principals.AWS ?? [];
  const star = aws.length === 1 && aws[0] === '*' && Object.keys(principals).length === 1;
  const services = principals.Service ?? [];
  return [
    ...aws.flatMap((principal, i) =>
      awsPrincipalIssues(
        statement,
        principal,
        principalPointer(statement, 'AWS', i, aws.length, star),
        restrictions,
        context,
      ),
    ),
    ...services.flatMap((service, i) =>
      servicePrincipalIssues(
        statement,
        service,
        principalPointer(statement, 'Service', i, services.length, false),
        restrictions,
      ),
    ),
  ];
}

/** Federated principals: SAML providers, and web identities (OIDC issuers, Cognito...). */
function federatedIssues(
  statement: NormalizedStatement,
  federated: readonly string[],
  fromDeny: readonly Restriction[],
  covers: (action: string) => boolean,
): TrustIssue[] {
  const issuers = federated.flatMap((p) => {
    const parsed = federatedIssuer(p);
    return parsed ? [parsed.issuer.toLowerCase()] : [];
  });
  return federated.flatMap((principal, i) => {
    const pointer = principalPointer(statement, 'Federated', i, federated.length, false);
    const parsed = federatedIssuer(principal);
    if (parsed?.kind === 'saml') {
      return covers(ASSUME_SAML)
        ? samlIssues(statement, pointer, restrictionsOf(statement, fromDeny, ASSUME_SAML), parsed.issuer)
        : [];
    }
    if (parsed === null && covers(ASSUME_SAML) && !covers(ASSUME_WEB_IDENTITY))
      return samlIssues(statement, pointer, restrictionsOf(statement, fromDeny, ASSUME_SAML), principal);
    if (!covers(ASSUME_WEB_IDENTITY)) return [];
    return oidcIssues(
      statement,
      principal,
      pointer,
      restrictionsOf(statement, fromDeny, ASSUME_WEB_IDENTITY),
      parsed?.issuer.toLowerCase() ?? null,
      issuers,
    );
  });
}

function statementIssues(
  statement: NormalizedStatement,
  fromDeny: readonly Restriction[],
  context: TrustContext,
): TrustIssue[] {
  if (statement.effect === 'Deny') return [];
  const assumes = ASSUME_ACTIONS.filter((a) => statementCoversAction(statement, a));
  const malformed = malformedStatementIssues(statement, assumes);
  if (malformed !== null || !statement.principals) return malformed ?? [];
  const covers = (action: string): boolean => assumes.includes(action);
  return [
    ...(covers(ASSUME_ROLE) ? assumeRoleIssues(statement, statement.principals, fromDeny, context) : []),
    ...federatedIssues(statement, statement.principals.Federated ?? [], fromDeny, covers),
  ];
}

/**
 * Analyses one trust policy (object, JSON text or URL-encoded JSON) and returns every issue
 * found, most severe first. Never throws.
 */
export function analyzeTrustPolicy(doc: unknown, context: TrustContext): TrustIssue[] {
  let normalized: NormalizedPolicy;
  try {
    normalized = normalizePolicy(doc);
  } catch (error) {
    normalized = { ok: false as const, error: error instanceof Error ? error.message : String(error) };
  }
  if (!normalized.ok) {
    return [issue('trust-unparseable', 'high', null, '', `The trust policy cannot be parsed: ${normalized.error}.`)];
  }
  const { statements } = normalized.policy;
  const fromDeny = denyRestrictions(statements);
  const issues = statements.flatMap((statement) => statementIssues(statement, fromDeny, context));
  return issues.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || (a.statementIndex ?? -1) - (b.statementIndex ?? -1),
  );
}
