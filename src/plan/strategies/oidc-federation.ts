/**
 * A CI/CD pipeline: a role trusted through the CI system's OIDC provider, pinned to one
 * repository and branch or environment, and the pipeline change that uses it.
 */
import { CiProviderSchema, type CiProvider } from '../../model/classification.js';
import type { Account, Tags } from '../../model/snapshot.js';
import { shellWord } from '../../shell-quote.js';
import { plannedPermissions } from '../permissions/sources.js';
import { identifyPipeline, oidcTrustFor } from '../trust-policies.js';
import type { Artifact } from '../types.js';
import {
  role,
  roleArn,
  switchOffStep,
  tag,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyResult,
} from './context.js';
import { investigate } from './investigate.js';
import { planOnPrem } from './roles-anywhere.js';

function oidcProviderExists(account: Account, host: string): boolean {
  return account.oidcProviders.some((provider) => provider.url.replace(/^https:\/\//, '').replace(/\/$/, '') === host);
}

const CI_PROVIDER_TAGS: Array<[CiProvider, string[]]> = [
  ['github-actions', ['github_repo', 'github-repo', 'github_environment']],
  ['gitlab', ['gitlab_project', 'gitlab-project']],
  ['vercel', ['vercel_team', 'vercel_project']],
  ['circleci', ['circleci_org_id', 'circleci_project_id']],
  ['bitbucket', ['bitbucket_workspace', 'bitbucket_repo_uuid']],
  ['terraform-cloud', ['tfc_organization', 'tfc_org', 'tfc_workspace']],
];

/** When the classifier could not name the CI system, provider-specific tags still can. */
function ciProviderFromTags(tags: Tags): CiProvider | null {
  const named = tag(tags, ['ci_provider', 'ci-provider', 'ci']);
  const parsed = CiProviderSchema.safeParse(named?.toLowerCase());
  if (parsed.success) return parsed.data;
  return CI_PROVIDER_TAGS.find(([, keys]) => tag(tags, keys) !== null)?.[0] ?? null;
}

function planPipeline(ctx: StrategyContext): StrategyResult {
  const { user, account, classification } = ctx;
  const provider = classification.ciProvider ?? ciProviderFromTags(user.tags);
  if (provider === 'jenkins') return { ...planOnPrem(ctx), target: 'IAM Roles Anywhere role for the Jenkins agents' };
  const identity = provider
    ? identifyPipeline(provider, user.tags, ctx.usage?.webIdentitySubjects ?? [], user.name)
    : null;
  const trust = identity ? oidcTrustFor(identity) : null;
  if (!identity || !trust) {
    return investigate(
      ctx,
      provider === null
        ? `the CI/CD provider is unknown: tag the user ci_provider=${CiProviderSchema.options.filter((option) => option !== 'other').join('|')}, or plan it by hand`
        : `CI/CD provider ${provider} has no OIDC trust template in roleshift: plan it by hand`,
    );
  }
  const permissions = plannedPermissions(ctx);
  const exists = oidcProviderExists(account, trust.providerHost);
  const providerArn = `arn:aws:iam::${account.accountId}:oidc-provider/${trust.providerHost}`;
  const replacement = role(
    ctx,
    'oidc',
    `${provider} pipeline replacing IAM user ${user.name}`,
    trust.trustPolicy(providerArn),
    permissions,
  );
  const arn = roleArn(replacement);
  const artifacts: Artifact[] = [
    {
      kind: 'oidc-provider',
      accountId: account.accountId,
      host: trust.providerHost,
      url: `https://${trust.providerHost}`,
      clientIds: trust.clientIds,
      exists,
      tags: { 'managed-by': 'roleshift' },
    },
    replacement,
  ];
  const snippet = pipelineSnippet(provider ?? 'other', arn, ctx.region);
  if (snippet)
    artifacts.push({
      kind: 'config-change',
      accountId: account.accountId,
      userName: user.name,
      title: `${provider} pipeline`,
      snippet,
    });
  const blockers = identity.missing.map(
    (what) => `Unknown ${what}: tag the IAM user or fill the placeholder in the trust policy.`,
  );
  const migrate =
    provider === 'github-actions' || provider === 'gitlab'
      ? `In the repository: roleshift ci-migrate <checkout> --role-arn ${shellWord(arn)} --write, then delete the access-key secrets.`
      : `Configure the pipeline to use ${arn} through OIDC (see the snippet) and delete the access-key secrets.`;
  return {
    strategy: 'oidc-federation',
    target: `OIDC role ${replacement.name} trusted by ${provider} (${trust.providerHost})`,
    prerequisites: [
      {
        id: 'oidc-provider',
        description: `OIDC provider ${trust.providerHost} exists in ${account.accountId}`,
        met: exists,
      },
    ],
    blockers,
    steps: [
      ...(exists ? [] : [`Create the OIDC provider ${trust.providerHost} in account ${account.accountId}.`]),
      `Create role ${replacement.name} trusting only the pinned subject (${permissions.note}).`,
      migrate,
      'Run the pipeline once and confirm CloudTrail shows AssumeRoleWithWebIdentity for the new role.',
      switchOffStep(ctx),
    ],
    artifacts,
    permissions,
  };
}

function pipelineSnippet(provider: string, arn: string, region: string): string | null {
  if (provider === 'github-actions') {
    return [
      'permissions:',
      '  id-token: write',
      '  contents: read',
      'steps:',
      '  - uses: aws-actions/configure-aws-credentials@v4',
      '    with:',
      `      role-to-assume: ${arn}`,
      `      aws-region: ${region}`,
    ].join('\n');
  }
  if (provider === 'gitlab') {
    return [
      'id_tokens:',
      '  AWS_ID_TOKEN:',
      '    aud: https://gitlab.com',
      'script:',
      `  - export $(printf "AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_SESSION_TOKEN=%s" $(aws sts assume-role-with-web-identity --role-arn ${shellWord(arn)} --role-session-name "gitlab-$CI_PIPELINE_ID" --web-identity-token "$AWS_ID_TOKEN" --duration-seconds 3600 --query "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]" --output text))`,
    ].join('\n');
  }
  return null;
}

export const strategy: StrategyDefinition = {
  id: 'oidc-federation',
  title: 'role trusted by the CI system through OIDC, pinned to one repository and branch',
  baseRisk: 2,
  classes: ['ci-cd'],
  plan: planPipeline,
};
