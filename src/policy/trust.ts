/**
 * The trust-policy analyzer: who can assume a role, and how tightly. Every statement and every
 * value of every condition is looked at (Checkov reads the first value and stops at the first
 * non-GitHub statement, which hides a loose value behind a tight one). Deny statements only
 * ever restrict. Pure: returns issues, never throws, an unparseable policy is an issue too.
 */
import { isLikeOperator, isNegatedOperator, isKnownOperator } from './condition.js';
import {
  normalizePolicy,
  pointerToken,
  statementCoversAction,
  type NormalizedCondition,
  type NormalizedStatement,
} from './document.js';
import { oidcProviderFor, subjectGrammarFor, subjectShape, type OidcProviderSpec } from './oidc-providers.js';
import { severityRank, type Finding, type Severity } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';

export interface TrustContext {
  /** The account that owns the role; null when unknown (a file given to `lint`). */
  accountId?: string | null;
  /** Accounts of the same AWS Organization; cross-account trust among them is expected. */
  organizationAccountIds?: readonly string[] | null;
}

export const TRUST_RULES = {
  'trust-unparseable': {
    severity: 'high',
    rationale: 'A trust policy that cannot be parsed cannot be reviewed; IAM rejects it or it was damaged in transit.',
    title: 'Trust policy cannot be parsed',
    remediation: 'Fix the policy document so that IAM accepts it; until then nobody can tell who may assume the role.',
  },
  'trust-malformed-statement': {
    severity: 'medium',
    rationale:
      'A trust-policy statement without a Principal, or without any trust action, is broken: IAM rejects it or it grants nothing.',
    title: 'Trust policy statement is malformed',
    remediation:
      'Give every Allow statement of a trust policy a Principal and the sts:AssumeRole* action it is meant to allow.',
  },
  'trust-public': {
    severity: 'critical',
    rationale: 'A role that any AWS principal can assume gives its permissions to anyone with an AWS account.',
    title: 'Role can be assumed by any AWS principal',
    remediation:
      'Name the trusted accounts or roles in Principal, or add aws:PrincipalOrgID / aws:PrincipalAccount / aws:SourceArn conditions.',
  },
  'trust-not-principal': {
    severity: 'critical',
    rationale: 'Allow with NotPrincipal grants the role to every principal that is not listed, in every account.',
    title: 'Allow with NotPrincipal in a trust policy',
    remediation:
      'Replace NotPrincipal with an explicit Principal list: Allow + NotPrincipal trusts everyone not listed.',
  },
  'trust-cross-account-no-external-id': {
    severity: 'high',
    rationale:
      'A vendor account trusted without an ExternalId can be made to assume your role on behalf of its other customers (the confused deputy).',
    title: 'Cross-account trust without sts:ExternalId or MFA',
    remediation:
      'For a third party, require the ExternalId they gave you (StringEquals sts:ExternalId); for people, require aws:MultiFactorAuthPresent; or restrict with aws:PrincipalOrgID.',
  },
  'trust-whole-account': {
    severity: 'low',
    rationale:
      'Trusting an account root delegates the decision to every identity policy in that account that allows sts:AssumeRole.',
    title: 'Role trusts a whole account',
    remediation:
      'Trust the specific role or user ARNs that need the role instead of the account root, or add an aws:PrincipalArn condition.',
  },
  'trust-service-confused-deputy': {
    severity: 'low',
    rationale:
      'Services that take a role ARN without iam:PassRole can be pointed at your role from another account unless aws:SourceAccount / aws:SourceArn pin it.',
    title: 'Service principal without aws:SourceArn / aws:SourceAccount',
    remediation:
      'Add StringEquals aws:SourceAccount (and ArnLike aws:SourceArn) so the service assumes the role only for your own resources.',
  },
  'trust-saml-no-audience': {
    severity: 'medium',
    rationale: 'Without SAML:aud an assertion issued for another service provider can be replayed to AWS.',
    title: 'SAML trust without SAML:aud',
    remediation: 'Add StringEquals SAML:aud = https://signin.aws.amazon.com/saml (or the regional sign-in endpoint).',
  },
  'trust-roles-anywhere-unrestricted': {
    severity: 'high',
    rationale:
      'Without a trust anchor and a certificate-subject condition, any certificate from any anchor in the account can assume the role.',
    title: 'IAM Roles Anywhere trust not tied to a trust anchor and certificate subject',
    remediation:
      'Add ArnEquals aws:SourceArn = the trust anchor ARN and a StringEquals aws:PrincipalTag/x509Subject/CN (or OU) condition for the expected certificates.',
  },
  'oidc-no-subject': {
    severity: 'critical',
    rationale:
      'Without a subject condition a role federated with a shared OIDC issuer can be assumed by any customer of that issuer: any GitHub repository, any Terraform Cloud organization.',
    title: 'OIDC trust does not restrict the subject',
    remediation:
      "Add a StringEquals (or narrow StringLike) condition on the provider's sub claim naming the exact repository / project and branch or environment.",
  },
  'oidc-subject-wildcard-tenant': {
    severity: 'critical',
    rationale: 'A wildcard in the owner / organisation part of a subject matches organisations anyone can register.',
    title: 'OIDC subject wildcard admits other organisations',
    remediation: 'Spell out the organisation / owner in the subject; put wildcards, if any, only after it.',
  },
  'oidc-subject-tenant-wide': {
    severity: 'medium',
    rationale:
      'An organisation-wide subject trusts every repository or project there, including new ones and ones with weaker branch protection.',
    title: 'OIDC subject admits a whole organisation or group',
    remediation:
      'Name the repository / project (and branch or environment) that needs the role; split roles per repository.',
  },
  'oidc-subject-wildcard-narrow': {
    severity: 'low',
    rationale:
      'A wildcard over branches, contexts or run phases admits runs that need less review than the one the role was made for.',
    title: 'OIDC subject wildcard admits any branch, context or phase',
    remediation:
      'Pin the subject to a protected branch (ref:refs/heads/main) or a deployment environment with required reviewers.',
  },
  'oidc-subject-pull-request': {
    severity: 'medium',
    rationale: 'Pull-request workflows run code proposed by contributors before review.',
    title: 'OIDC trust admits pull_request runs',
    remediation:
      'Do not give pull-request workflows a role that can change anything; use an environment-pinned subject for deployments.',
  },
  'oidc-subject-abusable-claim': {
    severity: 'high',
    rationale:
      'A subject that does not start with the repository owner can be reproduced by any organisation through a custom subject template.',
    title: 'OIDC subject starts with a claim anyone can reproduce',
    remediation:
      'Use a subject that starts with repo:OWNER/REPO (or repository_owner / repository_id in a custom template).',
  },
  'oidc-subject-literal-wildcard': {
    severity: 'low',
    rationale:
      'StringEquals treats * and ? as plain characters: the value matches nothing, and the obvious fix (StringLike) may open it wide.',
    title: 'StringEquals compares * and ? literally',
    remediation: 'Use StringLike for patterns, or spell out the exact subject with StringEquals.',
  },
  'oidc-subject-malformed': {
    severity: 'low',
    rationale: 'A subject value that no token can carry grants nothing and usually hides a typo.',
    title: 'OIDC subject value matches no token the provider issues',
    remediation: "Write the subject in the provider's format; the role cannot be assumed as written.",
  },
  'oidc-audience-missing': {
    severity: 'low',
    rationale:
      "Pinning aud in the role keeps tokens minted for other audiences of the same provider out, independent of the provider's client-id list.",
    title: 'OIDC trust does not check the audience',
    remediation: "Add StringEquals on the provider's aud claim (sts.amazonaws.com for GitHub Actions).",
  },
  'oidc-audience-unexpected': {
    severity: 'low',
    rationale:
      'An audience that the CI system does not request by default means every job must override it, or the role cannot be assumed.',
    title: "OIDC audience is not the provider's usual value",
    remediation:
      'Use the audience the CI system requests for AWS (sts.amazonaws.com for GitHub Actions) or make every workflow request this one.',
  },
  'oidc-set-operator-single-valued': {
    severity: 'medium',
    rationale:
      'ForAllValues and IfExists are true when the key is absent; on single-valued claims they turn a requirement into an option.',
    title: 'ForAllValues / IfExists on a single-valued OIDC claim',
    remediation:
      'Use plain StringEquals / StringLike on sub, aud and iss: ForAllValues and IfExists pass when the claim is absent.',
  },
  'oidc-condition-key-mismatch': {
    severity: 'low',
    rationale:
      'A condition on a key the request never carries either always or never passes, which is rarely what the author meant.',
    title: 'Condition key names a different issuer than the trusted provider',
    remediation: "Prefix the condition keys with the trusted provider's URL exactly as in its ARN.",
  },
  'oidc-job-workflow-ref-unpinned': {
    severity: 'low',
    rationale:
      'A reusable-workflow pin on a branch or tag follows whoever moves that ref; without a repository pin any caller qualifies.',
    title: 'Reusable-workflow pin is mutable or incomplete',
    remediation:
      'Pin job_workflow_ref to a commit SHA and combine it with the repository or owner it may be called from.',
  },
} as const satisfies Record<string, { severity: Severity; rationale: string; title: string; remediation: string }>;

export type TrustRuleId = keyof typeof TRUST_RULES;

export interface TrustIssue {
  ruleId: TrustRuleId;
  severity: Severity;
  /** Index in the Statement list; null for problems of the whole document. */
  statementIndex: number | null;
  message: string;
  /** JSON pointer into the document as written. */
  pointer: string;
}

const ASSUME_ROLE = 'sts:AssumeRole';
const ASSUME_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const ASSUME_SAML = 'sts:AssumeRoleWithSAML';
/** Actions a trust policy may allow besides the three assume actions. */
const TRUST_ACTIONS = ['sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'];

/** Condition keys that tie a public principal to a set of accounts or resources. */
const ORG_OR_ACCOUNT_KEYS = [
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:userid',
  'aws:principalisawsservice',
];
/** Keys that narrow who can assume, but not to accounts you control. */
const WEAK_KEYS = ['sts:externalid', 'aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:multifactorauthpresent'];
const SOURCE_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths'];

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

interface Restriction {
  condition: NormalizedCondition;
  /** Pointer to the condition key; the values follow as `/i` when there are several. */
  pointer: string;
  /** For a restriction read from a Deny statement: the assume actions that Deny covers. */
  onlyFor: string[] | null;
}

function conditionPointer(statement: NormalizedStatement, condition: NormalizedCondition): string {
  return `${statement.pointer}/Condition/${pointerToken(condition.rawOperator)}/${pointerToken(condition.rawKey)}`;
}

function valuePointer(restriction: Restriction, index: number): string {
  return restriction.condition.values.length > 1 ? `${restriction.pointer}/${index}` : restriction.pointer;
}

/** A condition that admits only the listed values (not a negation, not Null, a known operator). */
function isPositive(condition: NormalizedCondition): boolean {
  return (
    condition.operator.toLowerCase() !== 'null' &&
    isKnownOperator(condition.operator) &&
    !isNegatedOperator(condition.operator)
  );
}

const POSITIVE_OF: Record<string, string> = {
  stringnotequals: 'StringEquals',
  stringnotequalsignorecase: 'StringEqualsIgnoreCase',
  stringnotlike: 'StringLike',
  arnnotequals: 'ArnEquals',
  arnnotlike: 'ArnLike',
  notipaddress: 'IpAddress',
};

/**
 * Deny statements with a negated condition ("deny unless sub is X") restrict the Allow
 * statements exactly as the positive condition would, so they are read as such.
 */
function denyRestrictions(statements: readonly NormalizedStatement[]): Restriction[] {
  const out: Restriction[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Deny' || statement.conditions.length !== 1) continue;
    const denyAll = statement.principals?.AWS?.includes('*') ?? false;
    if (!denyAll) continue;
    const [condition] = statement.conditions;
    if (!condition || condition.setOperator !== null) continue;
    const positive = POSITIVE_OF[condition.operator.toLowerCase()];
    if (!positive) continue;
    const onlyFor = [ASSUME_ROLE, ASSUME_WEB_IDENTITY, ASSUME_SAML].filter((a) => statementCoversAction(statement, a));
    out.push({
      condition: { ...condition, operator: positive },
      pointer: conditionPointer(statement, condition),
      onlyFor,
    });
  }
  return out;
}

/** The conditions that gate the statement for one assume action: its own, and those of Deny statements covering that action. */
function restrictionsOf(
  statement: NormalizedStatement,
  fromDeny: readonly Restriction[],
  action: string,
): Restriction[] {
  const own = statement.conditions.map((condition) => ({
    condition,
    pointer: conditionPointer(statement, condition),
    onlyFor: null,
  }));
  return [...own, ...fromDeny.filter((r) => r.onlyFor?.includes(action) ?? true)];
}

function positiveOn(restrictions: readonly Restriction[], keys: readonly string[]): Restriction[] {
  return restrictions.filter((r) => keys.includes(r.condition.key) && isPositive(r.condition));
}

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

function issue(
  ruleId: TrustRuleId,
  severity: Severity,
  statement: NormalizedStatement | null,
  pointer: string,
  message: string,
): TrustIssue {
  return { ruleId, severity, statementIndex: statement?.index ?? null, pointer, message };
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

function awsPrincipalIssues(
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

function servicePrincipalIssues(
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

function samlIssues(
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

/** OIDC claim condition keys look like `ISSUER:claim`; global keys (aws:, sts:, saml:) are not claims. */
function claimKeyParts(key: string): { issuer: string; claim: string } | null {
  const at = key.lastIndexOf(':');
  if (at <= 0) return null;
  const issuer = key.slice(0, at);
  if (!issuer.includes('.')) return null;
  return { issuer, claim: key.slice(at + 1) };
}

function isWildcardFree(value: string): boolean {
  return !value.includes('*') && !value.includes('?');
}

const GITHUB_ABUSABLE = [
  'workflow:',
  'environment:',
  'ref:',
  'context:',
  'head_ref:',
  'base_ref:',
  'event_name:',
  'ref_type:',
  'actor:',
  'actor_id:',
  'runner_environment:',
];
const GITHUB_OWNER_PINNED = [
  'repository_owner:',
  'repository_owner_id:',
  'repository:',
  'repository_id:',
  'job_workflow_ref:',
  'workflow_ref:',
  'enterprise:',
  'enterprise_id:',
];

interface SubjectVerdict {
  ruleId: TrustRuleId;
  severity: Severity;
  message: string;
}

/** What one subject value admits, read as StringLike would read it when `like` is set. */
function subjectVerdict(
  provider: OidcProviderSpec,
  issuer: string,
  value: string,
  like: boolean,
): SubjectVerdict | null {
  const sharedIssuer = provider.sharedIssuer(issuer);
  const grammar = subjectGrammarFor(provider, value);
  if (provider.id === 'github') {
    const lower = value.toLowerCase();
    if (GITHUB_ABUSABLE.some((p) => lower.startsWith(p))) {
      return {
        ruleId: 'oidc-subject-abusable-claim',
        severity: 'high',
        message: `Subject "${value}" starts with a claim that does not name the repository owner: any GitHub organisation can customise its OIDC subject template to issue exactly this subject.`,
      };
    }
    if (GITHUB_OWNER_PINNED.some((p) => lower.startsWith(p))) {
      const afterColon = value.slice(value.indexOf(':') + 1);
      if (like && /^[*?]/.test(afterColon)) {
        return {
          ruleId: 'oidc-subject-wildcard-tenant',
          severity: 'critical',
          message: `Subject "${value}" leaves the owner open: ${GITHUB_SUBJECT_OWNER}.`,
        };
      }
      return null;
    }
  }
  if (!grammar) return null;
  const shape = subjectShape(value, grammar.literals);
  if (shape.kind === 'malformed') {
    return {
      ruleId: 'oidc-subject-malformed',
      severity: 'low',
      message: `Subject "${value}" does not have the ${provider.name} subject form (${grammar.example}): no token matches it, so this value grants nothing and may hide a typo.`,
    };
  }
  if (shape.kind === 'no-wildcard') {
    if (provider.id === 'github') return githubContextVerdict(value);
    return null;
  }
  if (!like) return null;
  const fieldIndex = shape.kind === 'wildcard-prefix' ? 0 : shape.fieldIndex;
  const field = grammar.fields[Math.min(fieldIndex, grammar.fields.length - 1)];
  if (!field || field.perRun) return null;
  if (field.wildcardSeverity === 'critical' && !sharedIssuer) {
    // On an issuer of one's own (a self-managed GitLab, a per-team Vercel issuer) nobody else can register a matching name.
    return {
      ruleId: 'oidc-subject-tenant-wide',
      severity: 'medium',
      message: `Subject pattern "${value}" has a wildcard in the ${field.name}: it admits every ${field.name} on ${issuer}.`,
    };
  }
  const ruleId: TrustRuleId =
    field.wildcardSeverity === 'critical'
      ? 'oidc-subject-wildcard-tenant'
      : field.wildcardSeverity === 'medium'
        ? 'oidc-subject-tenant-wide'
        : 'oidc-subject-wildcard-narrow';
  return {
    ruleId,
    severity: field.wildcardSeverity,
    message: `Subject pattern "${value}" has a wildcard in the ${field.name}: it admits ${field.wildcardMeans}.`,
  };
}

const GITHUB_SUBJECT_OWNER = 'any GitHub account or organisation can produce a matching subject';

function githubContextVerdict(value: string): SubjectVerdict | null {
  const context = value.split(':').slice(2).join(':');
  if (context.startsWith('pull_request')) {
    return {
      ruleId: 'oidc-subject-pull-request',
      severity: 'medium',
      message: `Subject "${value}" admits pull_request runs: the workflow of any pull request to the repository, with whatever changes it carries, can assume the role.`,
    };
  }
  if (!value.includes(':', 'repo:'.length)) {
    return {
      ruleId: 'oidc-subject-malformed',
      severity: 'low',
      message: `Subject "${value}" has no context part (:ref:..., :environment:..., :pull_request): GitHub never issues such a subject, so this value matches nothing.`,
    };
  }
  return null;
}

function oidcIssues(
  statement: NormalizedStatement,
  principalValue: string,
  pointer: string,
  restrictions: readonly Restriction[],
  issuerFromPrincipal: string | null,
  statementIssuers: readonly string[],
): TrustIssue[] {
  const issues: TrustIssue[] = [];
  // An unresolved principal (a Terraform reference, a CloudFormation !Ref) is identified by the claim keys it is checked with.
  const claimIssuers = [
    ...new Set(
      restrictions.map((r) => claimKeyParts(r.condition.key)?.issuer).filter((i): i is string => i !== undefined),
    ),
  ];
  const issuer = (issuerFromPrincipal ?? claimIssuers[0] ?? null)?.toLowerCase() ?? null;
  if (issuer === null) {
    if (restrictions.length > 0) return [];
    return [
      issue(
        'oidc-no-subject',
        'high',
        statement,
        pointer,
        `The role trusts web identities from ${principalValue} with no condition at all: every identity the provider issues can assume it.`,
      ),
    ];
  }
  const provider = oidcProviderFor(issuer);
  const shared = provider.sharedIssuer(issuer);
  const claimRestrictions = (claim: string): Restriction[] =>
    restrictions.filter((r) => r.condition.key === `${issuer}:${claim}`);

  // Claim keys of an issuer this statement does not trust, and keys without a service prefix, are never in the request.
  const foreign = restrictions.filter((r) => {
    if (!r.condition.key.includes(':')) return true;
    const parts = claimKeyParts(r.condition.key);
    return parts !== null && parts.issuer !== issuer && !statementIssuers.includes(parts.issuer);
  });
  for (const r of foreign) {
    const parts = claimKeyParts(r.condition.key);
    const passes =
      isNegatedOperator(r.condition.operator) || r.condition.ifExists || r.condition.setOperator === 'ForAllValues';
    const what = parts
      ? `names issuer ${parts.issuer}, but the trusted provider is ${issuer}: STS never sets that key for this provider`
      : 'has no service or issuer prefix: no request ever carries it';
    issues.push(
      issue(
        'oidc-condition-key-mismatch',
        'low',
        statement,
        r.pointer,
        `Condition key ${r.condition.rawKey} ${what}, so the condition ${passes ? 'always passes' : 'never passes and the statement admits no one'}.`,
      ),
    );
  }
  // The statement admits no one; anything else said about it would be noise.
  if (
    foreign.some((r) => isPositive(r.condition) && !r.condition.ifExists && r.condition.setOperator !== 'ForAllValues')
  )
    return issues;

  for (const r of restrictions) {
    const parts = claimKeyParts(r.condition.key);
    if (!parts || parts.issuer !== issuer || parts.claim === 'amr') continue;
    if (r.condition.setOperator === 'ForAllValues' || r.condition.ifExists) {
      const how = r.condition.setOperator === 'ForAllValues' ? 'ForAllValues:' : '...IfExists';
      issues.push(
        issue(
          'oidc-set-operator-single-valued',
          parts.claim === 'sub' ? 'high' : 'medium',
          statement,
          r.pointer,
          `${r.condition.rawOperator} on the single-valued claim ${r.condition.rawKey}: ${how} is true when the claim is absent from the request, so this condition is not a guarantee. Use ${r.condition.operator}.`,
        ),
      );
    }
  }

  const pinning = provider.pinningClaims
    .flatMap((claim) => claimRestrictions(claim))
    .filter((r) => isPositive(r.condition));
  if (pinning.length === 0) {
    const negatedOnly = claimRestrictions('sub').length > 0;
    const who =
      provider.id === 'cognito'
        ? 'an identity from any Cognito identity pool in any AWS account'
        : shared
          ? `any ${provider.name} user anywhere (the issuer ${issuer} is shared by every customer)`
          : provider.id === 'other'
            ? `every identity issued by ${issuer}`
            : `every pipeline or workload of the ${provider.name} tenant behind ${issuer}`;
    const audience = claimRestrictions('aud').filter((r) => isPositive(r.condition));
    const severity: Severity = shared ? 'critical' : provider.id === 'other' && audience.length > 0 ? 'medium' : 'high';
    issues.push(
      issue(
        'oidc-no-subject',
        severity,
        statement,
        pointer,
        `${negatedOnly ? 'The subject is only excluded, never required' : `No condition on ${issuer}:${provider.pinningClaims[0] ?? 'sub'}`}: ${who} can assume this role${audience.length > 0 ? ' (an aud condition does not narrow who, only which token type)' : ''}.`,
      ),
    );
  }

  for (const r of claimRestrictions('sub')) {
    if (!isPositive(r.condition)) continue;
    const like = isLikeOperator(r.condition.operator);
    r.condition.values.forEach((value, index) => {
      const at = valuePointer(r, index);
      if (!like && !isWildcardFree(value)) {
        const asLike = subjectVerdict(provider, issuer, value, true);
        const worse = asLike !== null && severityRank(asLike.severity) >= severityRank('medium');
        issues.push(
          issue(
            'oidc-subject-literal-wildcard',
            asLike?.severity === 'critical' ? 'medium' : 'low',
            statement,
            at,
            `${r.condition.rawOperator} compares "${value}" literally, so no real subject matches it: this value grants nothing (a broken policy)${worse ? `, and turning it into StringLike would admit too much: ${asLike.message.replace(/\.$/, '')}` : ''}.`,
          ),
        );
        return;
      }
      const verdict = subjectVerdict(provider, issuer, value, like);
      if (verdict) issues.push(issue(verdict.ruleId, verdict.severity, statement, at, verdict.message));
    });
  }

  if (provider.id === 'github')
    issues.push(
      ...jobWorkflowRefIssues(
        statement,
        claimRestrictions('job_workflow_ref'),
        claimRestrictions('sub'),
        claimRestrictions('repository_owner'),
        claimRestrictions('repository_owner_id'),
      ),
    );

  issues.push(...audienceIssues(statement, pointer, provider, issuer, claimRestrictions('aud')));
  return issues;
}

function jobWorkflowRefIssues(
  statement: NormalizedStatement,
  jobWorkflowRef: readonly Restriction[],
  sub: readonly Restriction[],
  ...owner: ReadonlyArray<readonly Restriction[]>
): TrustIssue[] {
  const issues: TrustIssue[] = [];
  const positive = jobWorkflowRef.filter((r) => isPositive(r.condition));
  for (const r of positive) {
    r.condition.values.forEach((value, index) => {
      const at = valuePointer(r, index);
      if (isLikeOperator(r.condition.operator) && /^[*?]|^[^/]*[*?]/.test(value)) {
        issues.push(
          issue(
            'oidc-subject-wildcard-tenant',
            'critical',
            statement,
            at,
            `job_workflow_ref "${value}" leaves the workflow's owner open: ${GITHUB_SUBJECT_OWNER}.`,
          ),
        );
        return;
      }
      if (!/@[0-9a-f]{40}$/.test(value)) {
        issues.push(
          issue(
            'oidc-job-workflow-ref-unpinned',
            'low',
            statement,
            at,
            `job_workflow_ref "${value}" points at a branch or tag, not a commit: whoever can move that ref changes the code that runs with this role.`,
          ),
        );
      }
    });
  }
  const hasSub = sub.some((r) => isPositive(r.condition));
  const hasOwner = owner.some((list) => list.some((r) => isPositive(r.condition)));
  if (positive.length > 0 && !hasSub && !hasOwner) {
    const first = positive[0];
    if (first) {
      issues.push(
        issue(
          'oidc-job-workflow-ref-unpinned',
          'medium',
          statement,
          first.pointer,
          "Only the reusable workflow is pinned: any repository that calls it (in any organisation, if the workflow's repository is public) gets a token that passes. Add a sub, repository_owner or repository_id condition.",
        ),
      );
    }
  }
  return issues;
}

function audienceIssues(
  statement: NormalizedStatement,
  pointer: string,
  provider: OidcProviderSpec,
  issuer: string,
  aud: readonly Restriction[],
): TrustIssue[] {
  if (provider.id === 'cognito') return [];
  const positive = aud.filter((r) => isPositive(r.condition));
  const effective = positive.filter(
    (r) => !isLikeOperator(r.condition.operator) || r.condition.values.every(isWildcardFree),
  );
  if (effective.length === 0) {
    if (provider.id === 'gitlab') return [];
    return [
      issue(
        'oidc-audience-missing',
        'low',
        statement,
        positive[0]?.pointer ?? pointer,
        `No exact condition on ${issuer}:aud: STS only checks that the token's audience is one of the provider's client ids, which every role trusting the provider shares; pin the audience here too${provider.expectedAudiences ? ` (${provider.expectedAudiences.join(', ')})` : ''}.`,
      ),
    ];
  }
  if (!provider.expectedAudiences) return [];
  const expected = provider.expectedAudiences;
  const admitsExpected = effective.some((r) => r.condition.values.some((v) => expected.includes(v)));
  if (admitsExpected) return [];
  const first = effective[0];
  return [
    issue(
      'oidc-audience-unexpected',
      'low',
      statement,
      first?.pointer ?? pointer,
      `The audience is ${effective.flatMap((r) => r.condition.values).join(', ')}, not ${expected.join(' or ')}: ${provider.name} requests ${expected.join(' / ')} for AWS by default, so every job must set its audience to match or the role cannot be assumed.`,
    ),
  ];
}

function principalPointer(
  statement: NormalizedStatement,
  kind: string,
  index: number,
  count: number,
  star: boolean,
): string {
  if (star) return `${statement.pointer}/Principal`;
  return count > 1 ? `${statement.pointer}/Principal/${kind}/${index}` : `${statement.pointer}/Principal/${kind}`;
}

function statementIssues(
  statement: NormalizedStatement,
  fromDeny: readonly Restriction[],
  context: TrustContext,
): TrustIssue[] {
  if (statement.effect === 'Deny') return [];
  const assumes = [ASSUME_ROLE, ASSUME_WEB_IDENTITY, ASSUME_SAML].filter((a) => statementCoversAction(statement, a));
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
  const issues: TrustIssue[] = [];
  const covers = (action: string): boolean => assumes.includes(action);
  const star =
    statement.principals.AWS?.length === 1 &&
    statement.principals.AWS[0] === '*' &&
    Object.keys(statement.principals).length === 1;
  const aws = statement.principals.AWS ?? [];
  if (covers(ASSUME_ROLE)) {
    const restrictions = restrictionsOf(statement, fromDeny, ASSUME_ROLE);
    aws.forEach((principal, i) => {
      issues.push(
        ...awsPrincipalIssues(
          statement,
          principal,
          principalPointer(statement, 'AWS', i, aws.length, star),
          restrictions,
          context,
        ),
      );
    });
    const services = statement.principals.Service ?? [];
    services.forEach((service, i) => {
      issues.push(
        ...servicePrincipalIssues(
          statement,
          service,
          principalPointer(statement, 'Service', i, services.length, false),
          restrictions,
        ),
      );
    });
  }
  const federated = statement.principals.Federated ?? [];
  const issuers = federated.flatMap((p) => {
    const parsed = federatedIssuer(p);
    return parsed ? [parsed.issuer.toLowerCase()] : [];
  });
  federated.forEach((principal, i) => {
    const pointer = principalPointer(statement, 'Federated', i, federated.length, false);
    const parsed = federatedIssuer(principal);
    if (parsed?.kind === 'saml') {
      if (covers(ASSUME_SAML))
        issues.push(...samlIssues(statement, pointer, restrictionsOf(statement, fromDeny, ASSUME_SAML), parsed.issuer));
      return;
    }
    if (parsed === null && covers(ASSUME_SAML) && !covers(ASSUME_WEB_IDENTITY)) {
      issues.push(...samlIssues(statement, pointer, restrictionsOf(statement, fromDeny, ASSUME_SAML), principal));
      return;
    }
    if (covers(ASSUME_WEB_IDENTITY)) {
      issues.push(
        ...oidcIssues(
          statement,
          principal,
          pointer,
          restrictionsOf(statement, fromDeny, ASSUME_WEB_IDENTITY),
          parsed?.issuer.toLowerCase() ?? null,
          issuers,
        ),
      );
    }
  });
  return issues;
}

/**
 * Analyses one trust policy (object, JSON text or URL-encoded JSON) and returns every issue
 * found, most severe first. Never throws.
 */
export function analyzeTrustPolicy(doc: unknown, context: TrustContext): TrustIssue[] {
  let normalized;
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

/** Service-linked roles live here; AWS writes their trust policies and nobody can change them. */
export const SERVICE_LINKED_PATH = '/aws-service-role/';

const DOCS = 'https://docs.aws.amazon.com';

/** Where AWS documents what each rule is about. */
export function trustRuleLinks(ruleId: TrustRuleId): string[] {
  if (ruleId.startsWith('oidc-')) return [`${DOCS}/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html`];
  switch (ruleId) {
    case 'trust-cross-account-no-external-id':
    case 'trust-service-confused-deputy':
      return [`${DOCS}/IAM/latest/UserGuide/confused-deputy.html`];
    case 'trust-saml-no-audience':
      return [`${DOCS}/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html`];
    case 'trust-roles-anywhere-unrestricted':
      return [`${DOCS}/rolesanywhere/latest/userguide/trust-model.html`];
    default:
      return [`${DOCS}/IAM/latest/UserGuide/reference_policies_elements_principal.html`];
  }
}

/** One Finding per trust issue of every role in the snapshot. */
export function trustFindings(snapshot: Snapshot): Finding[] {
  const organizationAccountIds = organizationAccounts(snapshot);
  const findings: Finding[] = [];
  for (const account of snapshot.accounts) {
    for (const role of account.roles.filter((r) => !r.path.startsWith(SERVICE_LINKED_PATH))) {
      for (const found of analyzeTrustPolicy(role.trustPolicy, {
        accountId: account.accountId,
        organizationAccountIds,
      })) {
        findings.push({
          checkId: found.ruleId,
          title: TRUST_RULES[found.ruleId].title,
          severity: found.severity,
          status: 'fail',
          accountId: account.accountId,
          resourceType: 'role',
          resourceArn: role.arn,
          resourceName: role.name,
          message: found.message,
          location: null,
          references: { cis: [], securityHub: [], links: trustRuleLinks(found.ruleId) },
          remediation: TRUST_RULES[found.ruleId].remediation,
        });
      }
    }
  }
  return findings;
}

/** Accounts scanned together, plus every member of the Organization when the scan read it. */
function organizationAccounts(snapshot: Snapshot): string[] {
  const ids = new Set(snapshot.accounts.map((a) => a.accountId));
  for (const member of snapshot.organization?.accounts ?? []) ids.add(member.accountId);
  return [...ids];
}
