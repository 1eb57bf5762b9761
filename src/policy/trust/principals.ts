/**
 * Principals: who a trust statement names (any AWS principal, an account or one of its roles, an
 * AWS service, a SAML provider) and what each admits given the statement's restrictions.
 */
import type { NormalizedStatement } from '../document.js';
import { issue, type TrustContext, type TrustIssue } from './issue.js';
import {
  isPositive,
  ORG_OR_ACCOUNT_KEYS,
  positiveOn,
  SOURCE_KEYS,
  WEAK_KEYS,
  type Restriction,
} from './restrictions.js';

/**
 * Services that assume a role given to them by ARN without the caller needing iam:PassRole on
 * it, so a resource in another account can point at your role (the confused deputy). Compute
 * services (EC2, Lambda, ECS, EKS...) are gated by PassRole and are not listed.
 */
const CONFUSED_DEPUTY_SERVICES = new Set([
  'sns.amazonaws.com',
  'config.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'logs.amazonaws.com',
  'delivery.logs.amazonaws.com',
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
  'firehose.amazonaws.com',
  'ses.amazonaws.com',
  'transfer.amazonaws.com',
  'cognito-idp.amazonaws.com',
  'appsync.amazonaws.com',
  'iot.amazonaws.com',
  'backup.amazonaws.com',
  'datasync.amazonaws.com',
  'securityhub.amazonaws.com',
  'guardduty.amazonaws.com',
  'macie.amazonaws.com',
  'access-analyzer.amazonaws.com',
  'replication.dynamodb.amazonaws.com',
  'bedrock.amazonaws.com',
]);

const SAML_AUDIENCE = /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com(\.cn)?\/saml$/;

/** The account an AWS principal belongs to: a 12-digit id, or null for `*`, unique ids and unresolved references. */
export function principalAccount(principal: string): string | null {
  if (/^\d{12}$/.test(principal)) return principal;
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal);
  return match?.[1] ?? null;
}

const SELF_ACCOUNT_REFERENCE =
  /^(\$\{(AWS::AccountId|data\.aws_caller_identity\.[\w-]+\.account_id)\}|arn:(\$\{[^}]+\}|[^:]+):iam::\$\{(AWS::AccountId|data\.aws_caller_identity\.[\w-]+\.account_id)\}:)/;

function isAccountRoot(principal: string): boolean {
  return (
    /^\d{12}$/.test(principal) ||
    /^arn:(\$\{[^}]+\}|[^:]+):iam::(\d{12}|\$\{[^}]+\}):root$/.test(principal) ||
    /^\$\{[^}]+\}$/.test(principal)
  );
}

function publicPrincipalIssues(
  statement: NormalizedStatement,
  restrictions: readonly Restriction[],
  pointer: string,
  what: string,
): TrustIssue[] {
  if (positiveOn(restrictions, ORG_OR_ACCOUNT_KEYS).length > 0) return [];
  const weak = positiveOn(restrictions, WEAK_KEYS);
  if (weak.length > 0) {
    const keys = [...new Set(weak.map((w) => w.condition.rawKey))].join(', ');
    return [
      issue(
        'trust-public',
        'high',
        statement,
        pointer,
        `${what} lets any AWS principal in any account assume the role; only ${keys} narrows it, and that does not tie it to accounts you control (an ExternalId is not a secret).`,
      ),
    ];
  }
  return [
    issue(
      'trust-public',
      'critical',
      statement,
      pointer,
      `${what} lets any AWS principal in any account assume the role, and no condition (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceArn...) narrows it.`,
    ),
  ];
}

export function awsPrincipalIssues(
  statement: NormalizedStatement,
  principal: string,
  pointer: string,
  restrictions: readonly Restriction[],
  context: TrustContext,
): TrustIssue[] {
  if (principal === '*') return publicPrincipalIssues(statement, restrictions, pointer, 'Principal "*"');
  const own = context.accountId ?? null;
  // `${AWS::AccountId}` in a template, `${data.aws_caller_identity.x.account_id}` in Terraform: the role's own account.
  const self = SELF_ACCOUNT_REFERENCE.test(principal);
  const account = self ? (own ?? 'of the stack') : principalAccount(principal);
  if (account === null) return [];
  const inOrg = context.organizationAccountIds?.includes(account) ?? false;
  const root = isAccountRoot(principal);
  const whole = root
    ? `the whole account ${account} (every user and role there that is allowed sts:AssumeRole on it)`
    : principal;
  if (self || account === own || inOrg) {
    if (!root || positiveOn(restrictions, ['aws:principalarn']).length > 0) return [];
    const where = self || account === own ? 'this account' : 'an account of the same Organization';
    return [
      issue(
        'trust-whole-account',
        'low',
        statement,
        pointer,
        `The role trusts ${whole}, ${where}: any principal there with sts:AssumeRole permission on it can assume it.`,
      ),
    ];
  }
  const guarded = positiveOn(restrictions, [
    'sts:externalid',
    'aws:multifactorauthpresent',
    'aws:multifactorauthage',
    'aws:principalorgid',
    'aws:principalorgpaths',
  ]);
  if (guarded.length > 0) return [];
  const known =
    own === null
      ? 'an account not known to be yours (lint --account-id tells it which is)'
      : 'an account outside this one and its Organization';
  return [
    issue(
      'trust-cross-account-no-external-id',
      root ? 'high' : 'medium',
      statement,
      pointer,
      `The role trusts ${whole}, ${root ? 'which is' : 'in'} ${known}, with no sts:ExternalId, MFA or aws:PrincipalOrgID condition: if that account is a vendor serving many customers, anyone there can make it assume your role (confused deputy).`,
    ),
  ];
}

export function servicePrincipalIssues(
  statement: NormalizedStatement,
  service: string,
  pointer: string,
  restrictions: readonly Restriction[],
): TrustIssue[] {
  const name = service.toLowerCase();
  if (name === 'rolesanywhere.amazonaws.com') {
    const anchor = positiveOn(restrictions, ['aws:sourcearn']).length > 0;
    const subject = restrictions.some(
      (r) => isPositive(r.condition) && /^aws:principaltag\/x509(subject|san|issuer)\//.test(r.condition.key),
    );
    if (anchor && subject) return [];
    if (!anchor && !subject)
      return [
        issue(
          'trust-roles-anywhere-unrestricted',
          'high',
          statement,
          pointer,
          'IAM Roles Anywhere may assume this role for any certificate from any trust anchor in the account: there is no aws:SourceArn (trust anchor) and no x509 subject condition.',
        ),
      ];
    return [
      anchor
        ? issue(
            'trust-roles-anywhere-unrestricted',
            'low',
            statement,
            pointer,
            "The trust anchor is pinned but not the certificate: every certificate the anchor's CA issues can assume this role. Add an aws:PrincipalTag/x509Subject/CN condition.",
          )
        : issue(
            'trust-roles-anywhere-unrestricted',
            'medium',
            statement,
            pointer,
            'The certificate subject is pinned but not the trust anchor: a certificate with that subject from any trust anchor in the account (another CA) can assume this role. Add aws:SourceArn.',
          ),
    ];
  }
  if (!CONFUSED_DEPUTY_SERVICES.has(name)) return [];
  if (positiveOn(restrictions, SOURCE_KEYS).length > 0) return [];
  return [
    issue(
      'trust-service-confused-deputy',
      'low',
      statement,
      pointer,
      `${service} can be pointed at this role from a resource in another account; without aws:SourceAccount or aws:SourceArn it would act for that account with your role's permissions (confused deputy).`,
    ),
  ];
}

export function samlIssues(
  statement: NormalizedStatement,
  pointer: string,
  restrictions: readonly Restriction[],
  provider: string,
): TrustIssue[] {
  const aud = positiveOn(restrictions, ['saml:aud']);
  if (aud.length === 0) {
    return [
      issue(
        'trust-saml-no-audience',
        'medium',
        statement,
        pointer,
        `The role trusts SAML provider ${provider} without a SAML:aud condition: an assertion the IdP issued for another service provider could be replayed to AWS sign-in.`,
      ),
    ];
  }
  const odd = aud.flatMap((r) => r.condition.values.filter((v) => !SAML_AUDIENCE.test(v)));
  if (odd.length === 0 || aud.some((r) => r.condition.values.some((v) => SAML_AUDIENCE.test(v)))) return [];
  return [
    issue(
      'trust-saml-no-audience',
      'low',
      statement,
      aud[0]?.pointer ?? pointer,
      `SAML:aud allows ${odd.join(', ')}, which is not an AWS sign-in endpoint: federation through this provider will fail.`,
    ),
  ];
}

/** The issuer (`host/path`) named by a Federated principal, or null when it is an unresolved reference. */
export function federatedIssuer(principal: string): { kind: 'oidc' | 'saml'; issuer: string } | null {
  const oidc = /:oidc-provider\/(.+)$/.exec(principal);
  if (oidc?.[1]) return { kind: 'oidc', issuer: oidc[1] };
  const saml = /:saml-provider\/(.+)$/.exec(principal);
  if (saml?.[1]) return { kind: 'saml', issuer: saml[1] };
  // Web-identity providers that are named bare: cognito-identity.amazonaws.com, accounts.google.com...
  if (/^[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i.test(principal) && !principal.includes('${'))
    return { kind: 'oidc', issuer: principal };
  return null;
}

export function principalPointer(
  statement: NormalizedStatement,
  kind: string,
  index: number,
  count: number,
  star: boolean,
): string {
  if (star) return `${statement.pointer}/Principal`;
  return count > 1 ? `${statement.pointer}/Principal/${kind}/${index}` : `${statement.pointer}/Principal/${kind}`;
}
