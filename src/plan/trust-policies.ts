import type { CiProvider } from '../model/classification.js';
import type { PolicyDocument, Tags } from '../model/snapshot.js';

/** Marks a value a person must fill in; the plan lists each one as a blocker. */
export const PLACEHOLDER_PREFIX = 'REPLACE_ME_';

export function placeholder(what: string): string {
  return `${PLACEHOLDER_PREFIX}${what.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export function hasPlaceholder(value: unknown): boolean {
  return JSON.stringify(value).includes(PLACEHOLDER_PREFIX);
}

/** Where a pipeline runs, as far as tags, names and activity tell. */
export interface PipelineIdentity {
  provider: CiProvider;
  /** The values the trust policy is built from; placeholders where unknown. */
  values: Record<string, string>;
  /** Human-readable names of the values that are still placeholders. */
  missing: string[];
}

export interface OidcTrust {
  /** The issuer host as IAM names the provider (no scheme). */
  providerHost: string;
  clientIds: string[];
  trustPolicy: (providerArn: string) => PolicyDocument;
}

function tagValue(tags: Tags, keys: string[]): string | null {
  const lower = new Map(Object.entries(tags).map(([key, value]) => [key.toLowerCase(), value.trim()]));
  for (const key of keys) {
    const value = lower.get(key.toLowerCase());
    if (value) return value;
  }
  return null;
}

/** Reads `repo:OWNER/REPO:ref:refs/heads/BRANCH` or `repo:OWNER/REPO:environment:ENV`. */
export function parseGithubSubject(
  subject: string,
): { repo: string; branch: string | null; environment: string | null } | null {
  const match = /^repo:([^/:]+\/[^/:]+):(ref:refs\/heads\/(.+)|environment:(.+))$/.exec(subject);
  if (!match?.[1]) return null;
  return { repo: match[1], branch: match[3] ?? null, environment: match[4] ?? null };
}

const GITHUB_REPO_TAGS = ['github_repo', 'github-repo', 'repo', 'repository', 'ci:repo'];
const PURPOSE_TAGS = ['purpose', 'description', 'Purpose', 'Description'];
const BRANCH_TAGS = ['branch', 'ci:branch', 'git_branch'];
const ENVIRONMENT_TAGS = ['environment_name', 'github_environment', 'ci:environment', 'deploy_environment'];

/** Records a value the trust policy needs, or its placeholder and what is missing. */
type Need = (key: string, label: string, value: string | null) => void;
type IdentifyPipeline = (need: Need, tags: Tags, webIdentitySubjects: string[], values: Record<string, string>) => void;

function identifyGithub(need: Need, tags: Tags, webIdentitySubjects: string[], values: Record<string, string>): void {
  const seen = webIdentitySubjects.map(parseGithubSubject).find((parsed) => parsed !== null) ?? null;
  // A purpose tag such as "deploy acme/webapp from GitHub Actions" names the repository too.
  const fromPurpose =
    /(?:^|\s)([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(?:\s|$)/.exec(tagValue(tags, PURPOSE_TAGS) ?? '')?.[1] ?? null;
  const repo =
    tagValue(tags, GITHUB_REPO_TAGS)
      ?.replace(/^https:\/\/github\.com\//, '')
      .replace(/\.git$/, '') ??
    seen?.repo ??
    fromPurpose;
  need('repo', 'GitHub repository (OWNER/REPO)', repo && /^[^/\s]+\/[^/\s]+$/.test(repo) ? repo : null);
  const environment = tagValue(tags, ENVIRONMENT_TAGS) ?? seen?.environment ?? null;
  if (environment) values.environment = environment;
  else need('branch', 'branch the pipeline deploys from', tagValue(tags, BRANCH_TAGS) ?? seen?.branch ?? 'main');
}

/** What identifies a pipeline of each CI system, read from the user's tags (and OIDC subjects seen). */
const IDENTIFY: Partial<Record<CiProvider, IdentifyPipeline>> = {
  'github-actions': identifyGithub,
  gitlab: (need, tags) => {
    need(
      'project',
      'GitLab project path (GROUP/PROJECT)',
      tagValue(tags, ['gitlab_project', 'gitlab-project', 'repo', 'repository']),
    );
    need('branch', 'branch the pipeline deploys from', tagValue(tags, BRANCH_TAGS) ?? 'main');
    need('host', 'GitLab host', tagValue(tags, ['gitlab_host']) ?? 'gitlab.com');
  },
  vercel: (need, tags) => {
    need('team', 'Vercel team slug', tagValue(tags, ['vercel_team', 'vercel-team']));
    need('project', 'Vercel project name', tagValue(tags, ['vercel_project', 'vercel-project', 'project']));
    need(
      'environment',
      'Vercel environment',
      tagValue(tags, ['vercel_environment', ...ENVIRONMENT_TAGS]) ?? 'production',
    );
  },
  circleci: (need, tags) => {
    need('org', 'CircleCI organization id', tagValue(tags, ['circleci_org_id', 'circleci-org-id']));
    need('project', 'CircleCI project id', tagValue(tags, ['circleci_project_id', 'circleci-project-id']));
    // The subject ends in the id of the user who started the job; without pinning it, anyone
    // able to trigger (or re-run with SSH) a job of the project could assume the role.
    need(
      'users',
      'CircleCI user id(s) allowed to run the deploy (tag circleci_user_ids, comma-separated)',
      tagValue(tags, ['circleci_user_ids', 'circleci_user_id']),
    );
  },
  bitbucket: (need, tags) => {
    need('workspace', 'Bitbucket workspace name', tagValue(tags, ['bitbucket_workspace', 'bitbucket-workspace']));
    need('workspaceUuid', 'Bitbucket workspace UUID', tagValue(tags, ['bitbucket_workspace_uuid']));
    need('repoUuid', 'Bitbucket repository UUID', tagValue(tags, ['bitbucket_repo_uuid', 'bitbucket_repository_uuid']));
    // Without a deployment environment the subject can only be pinned to the repository, which
    // admits every step of every branch; deploys run in an environment, so pin that.
    need(
      'environmentUuid',
      'Bitbucket deployment environment UUID (tag bitbucket_environment_uuid)',
      tagValue(tags, ['bitbucket_environment_uuid']),
    );
  },
  'terraform-cloud': (need, tags) => {
    need(
      'org',
      'Terraform Cloud organization',
      tagValue(tags, ['tfc_organization', 'tfc_org', 'terraform_organization']),
    );
    need('project', 'Terraform Cloud project', tagValue(tags, ['tfc_project']) ?? 'Default Project');
    need(
      'workspace',
      'Terraform Cloud workspace',
      tagValue(tags, ['tfc_workspace', 'terraform_workspace', 'workspace']),
    );
  },
};

/**
 * Collects what identifies the pipeline from the user's tags and the OIDC subjects seen for it.
 * A value still unknown becomes a placeholder named after `owner` (the IAM user) and the value, so
 * each is one parameter or variable in the generated code, whichever resources use it.
 */
export function identifyPipeline(
  provider: CiProvider,
  tags: Tags,
  webIdentitySubjects: string[],
  owner: string,
): PipelineIdentity {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const need: Need = (key, label, value) => {
    if (value) values[key] = value;
    else {
      values[key] = placeholder(`${owner} ${key}`);
      missing.push(label);
    }
  };
  const identify = IDENTIFY[provider];
  if (identify) identify(need, tags, webIdentitySubjects, values);
  else missing.push(`an OIDC-capable setup for ${provider}`);
  return { provider, values, missing };
}

function webIdentityTrust(
  providerArn: string,
  host: string,
  conditions: Record<string, Record<string, string | string[]>>,
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: Object.fromEntries(
          Object.entries(conditions).map(([operator, entries]) => [
            operator,
            Object.fromEntries(Object.entries(entries).map(([key, value]) => [`${host}:${key}`, value])),
          ]),
        ),
      },
    ],
  };
}

type Values = PipelineIdentity['values'];

/** A provider whose audience and subject are pinned with StringEquals. */
function pinnedTrust(host: string, audience: string, subject: string | string[]): OidcTrust {
  return {
    providerHost: host,
    clientIds: [audience],
    trustPolicy: (arn) => webIdentityTrust(arn, host, { StringEquals: { aud: audience, sub: subject } }),
  };
}

function githubTrust(v: Values): OidcTrust {
  const subject = v.environment
    ? `repo:${v.repo}:environment:${v.environment}`
    : `repo:${v.repo}:ref:refs/heads/${v.branch}`;
  return pinnedTrust('token.actions.githubusercontent.com', 'sts.amazonaws.com', subject);
}

function circleciTrust(v: Values): OidcTrust {
  const users = (v.users ?? '')
    .split(',')
    .map((user) => user.trim())
    .filter((user) => user.length > 0)
    .sort();
  const subjects = users.map((user) => `org/${v.org}/project/${v.project}/user/${user}`);
  return pinnedTrust(
    `oidc.circleci.com/org/${v.org}`,
    v.org ?? '',
    subjects.length === 1 ? (subjects[0] ?? '') : subjects,
  );
}

function bitbucketTrust(v: Values): OidcTrust {
  const host = `api.bitbucket.org/2.0/workspaces/${v.workspace}/pipelines-config/identity/oidc`;
  const audience = `ari:cloud:bitbucket::workspace/${v.workspaceUuid}`;
  return {
    providerHost: host,
    clientIds: [audience],
    trustPolicy: (arn) =>
      // The subject ends in the step's UUID, new for every run: repository and deployment
      // environment are the narrowest pin, and the wildcard covers only the step.
      webIdentityTrust(arn, host, {
        StringEquals: { aud: audience },
        StringLike: { sub: `{${v.repoUuid}}:{${v.environmentUuid}}:*` },
      }),
  };
}

const OIDC_TRUST: Partial<Record<CiProvider, (v: Values) => OidcTrust>> = {
  'github-actions': githubTrust,
  gitlab: (v) => {
    const host = v.host ?? 'gitlab.com';
    return pinnedTrust(host, `https://${host}`, `project_path:${v.project}:ref_type:branch:ref:${v.branch}`);
  },
  vercel: (v) =>
    pinnedTrust(
      `oidc.vercel.com/${v.team}`,
      `https://vercel.com/${v.team}`,
      `owner:${v.team}:project:${v.project}:environment:${v.environment}`,
    ),
  circleci: circleciTrust,
  bitbucket: bitbucketTrust,
  'terraform-cloud': (v) =>
    pinnedTrust(
      'app.terraform.io',
      'aws.workload.identity',
      ['apply', 'plan'].map(
        (phase) => `organization:${v.org}:project:${v.project}:workspace:${v.workspace}:run_phase:${phase}`,
      ),
    ),
};

/**
 * The strictest trust each provider allows: the audience pinned and the subject pinned to one
 * repository and one branch or environment (never an organisation-wide wildcard).
 */
export function oidcTrustFor(identity: PipelineIdentity): OidcTrust | null {
  return OIDC_TRUST[identity.provider]?.(identity.values) ?? null;
}

/**
 * Trust for a role used by an AWS compute service. `scoped` adds the account condition against
 * confused deputies where the service sends it (ECS tasks, EKS Pod Identity); EC2 and Lambda do
 * not, and the condition would break them.
 */
export function serviceTrust(service: string, accountId: string, actions: string[], scoped: boolean): PolicyDocument {
  const statement: Record<string, unknown> = {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: actions.length === 1 ? actions[0] : actions,
  };
  if (scoped) statement.Condition = { StringEquals: { 'aws:SourceAccount': accountId } };
  return { Version: '2012-10-17', Statement: [statement] };
}

/** Trust for IAM Roles Anywhere: only sessions from this anchor, for this certificate subject. */
export function rolesAnywhereTrust(trustAnchorArn: string, certificateCommonName: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'rolesanywhere.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        Condition: {
          ArnEquals: { 'aws:SourceArn': trustAnchorArn },
          StringEquals: { 'aws:PrincipalTag/x509Subject/CN': certificateCommonName },
        },
      },
    ],
  };
}

/** Trust for a vendor's account, bound to the ExternalId (the confused-deputy defence). */
export function externalIdTrust(vendorAccountId: string, externalId: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${vendorAccountId}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}
