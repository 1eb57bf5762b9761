/**
 * OIDC providers: what a web-identity trust admits, judged on the claims of the issuer it trusts
 * (subject, audience, reusable-workflow pins) with what `oidc-providers.ts` knows of each issuer.
 */
import { severityRank, type Severity } from '../../model/finding.js';
import { isLikeOperator, isNegatedOperator } from '../condition.js';
import type { NormalizedStatement } from '../document.js';
import { issue, type TrustIssue, type TrustRuleId } from './issue.js';
import { oidcProviderFor, subjectGrammarFor, subjectShape, type OidcProviderSpec } from './oidc-providers.js';
import { isPositive, valuePointer, type Restriction } from './restrictions.js';

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

/** One web-identity principal of a statement, with the issuer it trusts and its claim conditions. */
interface OidcTrust {
  statement: NormalizedStatement;
  pointer: string;
  provider: OidcProviderSpec;
  issuer: string;
  restrictions: readonly Restriction[];
  /** The restrictions on one claim of the trusted issuer (`ISSUER:claim`). */
  claim: (name: string) => Restriction[];
}

/** The issuer a web-identity principal trusts: named by the principal, else by its claim keys. */
function trustedIssuer(restrictions: readonly Restriction[], issuerFromPrincipal: string | null): string | null {
  // An unresolved principal (a Terraform reference, a CloudFormation !Ref) is identified by the claim keys it is checked with.
  const claimIssuers = [
    ...new Set(
      restrictions.map((r) => claimKeyParts(r.condition.key)?.issuer).filter((i): i is string => i !== undefined),
    ),
  ];
  return (issuerFromPrincipal ?? claimIssuers[0] ?? null)?.toLowerCase() ?? null;
}

/**
 * Claim keys of an issuer this statement does not trust, and keys without a service prefix, are
 * never in the request. `admitsNoOne` when one of them is required: the statement then grants nothing.
 */
function foreignKeyIssues(
  trust: OidcTrust,
  statementIssuers: readonly string[],
): { issues: TrustIssue[]; admitsNoOne: boolean } {
  const { statement, issuer } = trust;
  const foreign = trust.restrictions.filter((r) => {
    if (!r.condition.key.includes(':')) return true;
    const parts = claimKeyParts(r.condition.key);
    return parts !== null && parts.issuer !== issuer && !statementIssuers.includes(parts.issuer);
  });
  const issues = foreign.map((r) => {
    const parts = claimKeyParts(r.condition.key);
    const passes =
      isNegatedOperator(r.condition.operator) || r.condition.ifExists || r.condition.setOperator === 'ForAllValues';
    const what = parts
      ? `names issuer ${parts.issuer}, but the trusted provider is ${issuer}: STS never sets that key for this provider`
      : 'has no service or issuer prefix: no request ever carries it';
    return issue(
      'oidc-condition-key-mismatch',
      'low',
      statement,
      r.pointer,
      `Condition key ${r.condition.rawKey} ${what}, so the condition ${passes ? 'always passes' : 'never passes and the statement admits no one'}.`,
    );
  });
  const admitsNoOne = foreign.some(
    (r) => isPositive(r.condition) && !r.condition.ifExists && r.condition.setOperator !== 'ForAllValues',
  );
  return { issues, admitsNoOne };
}

/** ForAllValues and IfExists pass when a single-valued claim is absent. */
function setOperatorIssues(trust: OidcTrust): TrustIssue[] {
  const issues: TrustIssue[] = [];
  for (const r of trust.restrictions) {
    const parts = claimKeyParts(r.condition.key);
    if (!parts || parts.issuer !== trust.issuer || parts.claim === 'amr') continue;
    if (r.condition.setOperator !== 'ForAllValues' && !r.condition.ifExists) continue;
    const how = r.condition.setOperator === 'ForAllValues' ? 'ForAllValues:' : '...IfExists';
    issues.push(
      issue(
        'oidc-set-operator-single-valued',
        parts.claim === 'sub' ? 'high' : 'medium',
        trust.statement,
        r.pointer,
        `${r.condition.rawOperator} on the single-valued claim ${r.condition.rawKey}: ${how} is true when the claim is absent from the request, so this condition is not a guarantee. Use ${r.condition.operator}.`,
      ),
    );
  }
  return issues;
}

/** No positive condition on a claim that names the workload: everyone the provider serves qualifies. */
function missingSubjectIssues(trust: OidcTrust): TrustIssue[] {
  const { provider, issuer } = trust;
  const pinning = provider.pinningClaims.flatMap((claim) => trust.claim(claim)).filter((r) => isPositive(r.condition));
  if (pinning.length > 0) return [];
  const shared = provider.sharedIssuer(issuer);
  const negatedOnly = trust.claim('sub').length > 0;
  const who =
    provider.id === 'cognito'
      ? 'an identity from any Cognito identity pool in any AWS account'
      : shared
        ? `any ${provider.name} user anywhere (the issuer ${issuer} is shared by every customer)`
        : provider.id === 'other'
          ? `every identity issued by ${issuer}`
          : `every pipeline or workload of the ${provider.name} tenant behind ${issuer}`;
  const audience = trust.claim('aud').filter((r) => isPositive(r.condition));
  const severity: Severity = shared ? 'critical' : provider.id === 'other' && audience.length > 0 ? 'medium' : 'high';
  return [
    issue(
      'oidc-no-subject',
      severity,
      trust.statement,
      trust.pointer,
      `${negatedOnly ? 'The subject is only excluded, never required' : `No condition on ${issuer}:${provider.pinningClaims[0] ?? 'sub'}`}: ${who} can assume this role${audience.length > 0 ? ' (an aud condition does not narrow who, only which token type)' : ''}.`,
    ),
  ];
}

/** Every value of every positive subject condition, judged one by one. */
function subjectValueIssues(trust: OidcTrust): TrustIssue[] {
  const { provider, issuer, statement } = trust;
  const issues: TrustIssue[] = [];
  for (const r of trust.claim('sub')) {
    if (!isPositive(r.condition)) continue;
    const like = isLikeOperator(r.condition.operator);
    r.condition.values.forEach((value, index) => {
      const at = valuePointer(r, index);
      if (!like && !isWildcardFree(value)) {
        issues.push(literalWildcardIssue(trust, r, value, at));
        return;
      }
      const verdict = subjectVerdict(provider, issuer, value, like);
      if (verdict) issues.push(issue(verdict.ruleId, verdict.severity, statement, at, verdict.message));
    });
  }
  return issues;
}

/** StringEquals with a wildcard matches nothing; say too what StringLike would admit. */
function literalWildcardIssue(trust: OidcTrust, r: Restriction, value: string, at: string): TrustIssue {
  const asLike = subjectVerdict(trust.provider, trust.issuer, value, true);
  const worse = asLike !== null && severityRank(asLike.severity) >= severityRank('medium');
  return issue(
    'oidc-subject-literal-wildcard',
    asLike?.severity === 'critical' ? 'medium' : 'low',
    trust.statement,
    at,
    `${r.condition.rawOperator} compares "${value}" literally, so no real subject matches it: this value grants nothing (a broken policy)${worse ? `, and turning it into StringLike would admit too much: ${asLike.message.replace(/\.$/, '')}` : ''}.`,
  );
}

/** The issues of one web-identity principal of an Allow statement. */
export function oidcIssues(
  statement: NormalizedStatement,
  principalValue: string,
  pointer: string,
  restrictions: readonly Restriction[],
  issuerFromPrincipal: string | null,
  statementIssuers: readonly string[],
): TrustIssue[] {
  const issuer = trustedIssuer(restrictions, issuerFromPrincipal);
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
  const trust: OidcTrust = {
    statement,
    pointer,
    provider: oidcProviderFor(issuer),
    issuer,
    restrictions,
    claim: (name) => restrictions.filter((r) => r.condition.key === `${issuer}:${name}`),
  };
  const foreign = foreignKeyIssues(trust, statementIssuers);
  // The statement admits no one; anything else said about it would be noise.
  if (foreign.admitsNoOne) return foreign.issues;
  return [
    ...foreign.issues,
    ...setOperatorIssues(trust),
    ...missingSubjectIssues(trust),
    ...subjectValueIssues(trust),
    ...(trust.provider.id === 'github'
      ? jobWorkflowRefIssues(
          statement,
          trust.claim('job_workflow_ref'),
          trust.claim('sub'),
          trust.claim('repository_owner'),
          trust.claim('repository_owner_id'),
        )
      : []),
    ...audienceIssues(statement, pointer, trust.provider, issuer, trust.claim('aud')),
  ];
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
