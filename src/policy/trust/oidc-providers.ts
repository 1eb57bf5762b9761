/**
 * What roleshift knows about the OIDC issuers that CI/CD systems and AWS itself use, so that
 * the trust analyzer can say which part of a subject pattern is the tenant (the organisation
 * anyone can register on a shared issuer), which part the project, and which the run context.
 * Pure data and small parsers; no I/O.
 */
import type { Severity } from '../../model/finding.js';

export type OidcProviderId =
  | 'github'
  | 'gitlab'
  | 'vercel'
  | 'circleci'
  | 'bitbucket'
  | 'terraform-cloud'
  | 'buildkite'
  | 'eks'
  | 'cognito'
  | 'other';

export interface SubjectField {
  /** What the field names, for messages ("owner", "repository", "run phase"). */
  name: string;
  /** Severity of a wildcard that starts in this field. */
  wildcardSeverity: Severity;
  /** What such a wildcard lets in, completing "this pattern admits ...". */
  wildcardMeans: string;
  /** A field whose value is new for every run (Bitbucket's step UUID): a wildcard there is required, not a finding. */
  perRun?: boolean;
}

export interface OidcProviderSpec {
  id: OidcProviderId;
  name: string;
  /** Whether the issuer is shared by every customer (anyone can get a token from it). */
  sharedIssuer: (issuer: string) => boolean;
  /** The claims that pin who can assume; a statement restricting none of them admits the issuer's every identity. */
  pinningClaims: string[];
  /** Audiences the provider's tokens carry by default for AWS, when there is one fixed value. */
  expectedAudiences: string[] | null;
  /**
   * The subject's grammar as literal separators between fields: `literals[0]` starts the subject,
   * `literals[i]` (i ≥ 1) ends field i-1 and starts field i. Null when the subject is opaque.
   */
  subject: SubjectGrammar | null;
  /** Other subject forms the provider issues (GitLab's `project_id:` form); picked by their first literal. */
  alternativeSubjects?: SubjectGrammar[];
}

export interface SubjectGrammar {
  literals: string[];
  fields: SubjectField[];
  example: string;
}

/** The grammar a subject value is written in: the alternative whose prefix it starts with, else the main one. */
export function subjectGrammarFor(provider: OidcProviderSpec, value: string): SubjectGrammar | null {
  const alternative = provider.alternativeSubjects?.find(
    (g) => g.literals[0] !== undefined && value.startsWith(g.literals[0]),
  );
  return alternative ?? provider.subject;
}

const GITHUB_FIELDS: SubjectField[] = [
  {
    name: 'owner',
    wildcardSeverity: 'critical',
    wildcardMeans: 'repositories of any GitHub owner (anyone can create an account or organisation whose name matches)',
  },
  {
    name: 'repository',
    wildcardSeverity: 'medium',
    wildcardMeans:
      'every repository of the owner, including ones created later: anyone able to create or push to a repository there can assume the role',
  },
  {
    name: 'context',
    wildcardSeverity: 'low',
    wildcardMeans:
      'any branch, tag, environment or pull request of the repository: anyone who can push a branch or open a pull request can assume the role',
  },
];

const PROVIDERS: OidcProviderSpec[] = [
  {
    id: 'github',
    name: 'GitHub Actions',
    sharedIssuer: (issuer) => issuer === 'token.actions.githubusercontent.com',
    pinningClaims: ['sub', 'repository', 'repository_id', 'job_workflow_ref'],
    expectedAudiences: ['sts.amazonaws.com'],
    subject: { literals: ['repo:', '/', ':'], fields: GITHUB_FIELDS, example: 'repo:OWNER/REPO:ref:refs/heads/main' },
  },
  {
    id: 'gitlab',
    name: 'GitLab CI',
    sharedIssuer: (issuer) => issuer === 'gitlab.com',
    pinningClaims: ['sub', 'project_id', 'project_path'],
    expectedAudiences: null,
    subject: {
      literals: ['project_path:', '/', ':ref_type:', ':ref:'],
      fields: [
        {
          name: 'group',
          wildcardSeverity: 'critical',
          wildcardMeans: 'projects of any GitLab group (anyone can create a group whose name matches)',
        },
        {
          name: 'project',
          wildcardSeverity: 'medium',
          wildcardMeans: 'every project of the group and of its subgroups, including ones created later',
        },
        { name: 'ref type', wildcardSeverity: 'low', wildcardMeans: 'tags as well as branches of that name' },
        {
          name: 'ref',
          wildcardSeverity: 'low',
          wildcardMeans:
            'any branch or tag, including merge-request source branches anyone with developer access can push',
        },
      ],
      example: 'project_path:GROUP/PROJECT:ref_type:branch:ref:main',
    },
    alternativeSubjects: [
      {
        literals: ['project_id:', ':ref_type:', ':ref:'],
        fields: [
          { name: 'project id', wildcardSeverity: 'critical', wildcardMeans: 'any project on the GitLab instance' },
          { name: 'ref type', wildcardSeverity: 'low', wildcardMeans: 'tags as well as branches of that name' },
          {
            name: 'ref',
            wildcardSeverity: 'low',
            wildcardMeans:
              'any branch or tag, including merge-request source branches anyone with developer access can push',
          },
        ],
        example: 'project_id:ID:ref_type:branch:ref:main',
      },
    ],
  },
  {
    id: 'vercel',
    name: 'Vercel',
    sharedIssuer: (issuer) => issuer === 'oidc.vercel.com',
    pinningClaims: ['sub'],
    expectedAudiences: null,
    subject: {
      literals: ['owner:', ':project:', ':environment:'],
      fields: [
        { name: 'team', wildcardSeverity: 'critical', wildcardMeans: 'projects of any Vercel team' },
        { name: 'project', wildcardSeverity: 'medium', wildcardMeans: 'every project of the team' },
        {
          name: 'environment',
          wildcardSeverity: 'low',
          wildcardMeans: 'preview and development deployments as well as production',
        },
      ],
      example: 'owner:TEAM:project:PROJECT:environment:production',
    },
  },
  {
    id: 'circleci',
    name: 'CircleCI',
    // The issuer carries the organisation id, so a wildcard can never reach another organisation.
    sharedIssuer: () => false,
    pinningClaims: ['sub', 'oidc.circleci.com/project-id'],
    expectedAudiences: null,
    subject: {
      literals: ['org/', '/project/', '/user/'],
      fields: [
        { name: 'organisation', wildcardSeverity: 'medium', wildcardMeans: 'every project of the organisation' },
        { name: 'project', wildcardSeverity: 'medium', wildcardMeans: 'every project of the organisation' },
        {
          name: 'user',
          wildcardSeverity: 'low',
          wildcardMeans: 'jobs started by any user, including re-runs with SSH',
        },
      ],
      example: 'org/ORG_ID/project/PROJECT_ID/user/USER_ID',
    },
  },
  {
    id: 'bitbucket',
    name: 'Bitbucket Pipelines',
    sharedIssuer: () => false,
    pinningClaims: ['sub', 'repositoryuuid'],
    expectedAudiences: null,
    subject: {
      literals: ['{', '}:{', '}:'],
      fields: [
        { name: 'repository', wildcardSeverity: 'medium', wildcardMeans: 'every repository of the workspace' },
        {
          name: 'deployment environment',
          wildcardSeverity: 'low',
          wildcardMeans: 'any step and deployment environment of the repository',
        },
        {
          name: 'step',
          wildcardSeverity: 'info',
          wildcardMeans: 'any step of one deployment environment',
          perRun: true,
        },
      ],
      example: '{REPOSITORY_UUID}:{ENVIRONMENT_UUID}:{STEP_UUID}',
    },
  },
  {
    id: 'terraform-cloud',
    name: 'HCP Terraform (Terraform Cloud)',
    sharedIssuer: (issuer) => issuer === 'app.terraform.io',
    pinningClaims: ['sub', 'terraform_workspace_id', 'terraform_organization_id'],
    expectedAudiences: ['aws.workload.identity'],
    subject: {
      literals: ['organization:', ':project:', ':workspace:', ':run_phase:'],
      fields: [
        {
          name: 'organization',
          wildcardSeverity: 'critical',
          wildcardMeans: 'runs of any HCP Terraform organization (anyone can create one whose name matches)',
        },
        { name: 'project', wildcardSeverity: 'medium', wildcardMeans: 'every workspace of the organization' },
        { name: 'workspace', wildcardSeverity: 'medium', wildcardMeans: 'every workspace of the project' },
        {
          name: 'run phase',
          wildcardSeverity: 'low',
          wildcardMeans: 'the plan phase as well as apply: any speculative plan can assume the apply role',
        },
      ],
      example: 'organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:apply',
    },
  },
  {
    id: 'buildkite',
    name: 'Buildkite',
    sharedIssuer: (issuer) => issuer === 'agent.buildkite.com',
    pinningClaims: ['sub', 'organization_id', 'pipeline_id'],
    expectedAudiences: null,
    subject: {
      literals: ['organization:', ':pipeline:', ':ref:'],
      fields: [
        {
          name: 'organization',
          wildcardSeverity: 'critical',
          wildcardMeans: 'pipelines of any Buildkite organization',
        },
        { name: 'pipeline', wildcardSeverity: 'medium', wildcardMeans: 'every pipeline of the organization' },
        { name: 'ref', wildcardSeverity: 'low', wildcardMeans: 'any branch, commit and step of the pipeline' },
      ],
      example: 'organization:ORG:pipeline:PIPELINE:ref:refs/heads/main:commit:SHA:step:STEP',
    },
  },
  {
    id: 'eks',
    name: 'Amazon EKS (IRSA)',
    sharedIssuer: () => false,
    pinningClaims: ['sub'],
    expectedAudiences: ['sts.amazonaws.com'],
    subject: {
      literals: ['system:serviceaccount:', ':'],
      fields: [
        {
          name: 'namespace',
          wildcardSeverity: 'medium',
          wildcardMeans: 'service accounts of every namespace of the cluster',
        },
        { name: 'service account', wildcardSeverity: 'low', wildcardMeans: 'every service account of the namespace' },
      ],
      example: 'system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT',
    },
  },
  {
    id: 'cognito',
    name: 'Amazon Cognito identity pools',
    sharedIssuer: () => true,
    // An identity pool id in `aud` is what ties the role to one pool.
    pinningClaims: ['aud'],
    expectedAudiences: null,
    subject: null,
  },
];

const OTHER: OidcProviderSpec = {
  id: 'other',
  name: 'OIDC provider',
  sharedIssuer: () => false,
  pinningClaims: ['sub'],
  expectedAudiences: null,
  subject: null,
};

/** Which provider an issuer (`host/path` as IAM writes it after `oidc-provider/`) belongs to. */
export function oidcProviderFor(issuer: string): OidcProviderSpec {
  const i = issuer.toLowerCase().replace(/^https:\/\//, '');
  const byId = (id: OidcProviderId): OidcProviderSpec => PROVIDERS.find((p) => p.id === id) ?? OTHER;
  if (i.startsWith('token.actions.githubusercontent.com') || i.endsWith('/_services/token')) return byId('github');
  if (i === 'gitlab.com' || i.startsWith('gitlab.')) return byId('gitlab');
  if (i.startsWith('oidc.vercel.com')) return byId('vercel');
  if (i.startsWith('oidc.circleci.com/org/')) return byId('circleci');
  if (i.startsWith('api.bitbucket.org/')) return byId('bitbucket');
  if (i === 'app.terraform.io' || i.startsWith('app.terraform.io/')) return byId('terraform-cloud');
  if (i === 'agent.buildkite.com') return byId('buildkite');
  if (/^oidc\.eks\.[^/]+\.amazonaws\.com\/id\//.test(i)) return byId('eks');
  if (i === 'cognito-identity.amazonaws.com') return byId('cognito');
  return OTHER;
}

export type SubjectShape =
  | { kind: 'no-wildcard' }
  | { kind: 'wildcard'; fieldIndex: number }
  /** A wildcard before the subject's fixed prefix: it can stand for anything. */
  | { kind: 'wildcard-prefix' }
  | { kind: 'malformed' };

function firstWildcard(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '*' || ch === '?') return i;
  }
  return -1;
}

/**
 * Finds the subject field in which the first wildcard of a StringLike pattern falls. A `*`
 * matches across separators, so everything after it is open: the first one decides.
 */
export function subjectShape(pattern: string, literals: readonly string[]): SubjectShape {
  const [first, ...rest] = literals;
  if (first === undefined) return { kind: 'no-wildcard' };
  if (!pattern.startsWith(first)) {
    const wild = firstWildcard(pattern, 0);
    if (wild === -1) return { kind: 'malformed' };
    // `repo*` or `*`: the wildcard sits inside (or before) the fixed prefix.
    return first.startsWith(pattern.slice(0, wild)) ? { kind: 'wildcard-prefix' } : { kind: 'malformed' };
  }
  let position = first.length;
  for (const [i, literal] of rest.entries()) {
    const wild = firstWildcard(pattern, position);
    const next = pattern.indexOf(literal, position);
    if (wild !== -1 && (next === -1 || wild < next)) {
      // `organization:acme:*`: the field is closed by the start of its separator, so the wildcard opens the next field.
      const before = pattern.slice(position, wild);
      const closed = [...Array(literal.length).keys()].some(
        (k) => k > 0 && before.length > k && before.endsWith(literal.slice(0, k)),
      );
      return { kind: 'wildcard', fieldIndex: closed ? i + 1 : i };
    }
    if (next === -1) return { kind: 'no-wildcard' };
    position = next + literal.length;
  }
  const wild = firstWildcard(pattern, position);
  return wild === -1 ? { kind: 'no-wildcard' } : { kind: 'wildcard', fieldIndex: rest.length };
}
