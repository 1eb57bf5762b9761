import type { RoleshiftConfig } from '../config.js';
import { CiProviderSchema, RunsOnSchema, type CiProvider, type Classification } from '../model/classification.js';
import type { Account, Snapshot, Tags, User } from '../model/snapshot.js';
import { EXCEPTION_PATH } from './guardrails.js';
import { tagValue } from './ownership.js';
import { personName, type PersonName } from './person-name.js';
import { tag } from './tags.js';
import { externalIdFor, iamName, isoDatePlusDays, permissionSetName } from './names.js';
import { plannedPermissions } from './permissions.js';
import {
  externalIdTrust,
  hasPlaceholder,
  identifyPipeline,
  oidcTrustFor,
  placeholder,
  rolesAnywhereTrust,
  serviceTrust,
} from './trust-policies.js';
import type { Artifact, PlannedPermissions, Prerequisite, RoleArtifact, Strategy, UserUsage } from './types.js';

/** Stands for an ARN that exists only after apply; renderers turn it into a reference. */
export function artifactRef(kind: 'trust-anchor' | 'roles-anywhere-profile', accountId: string, name: string): string {
  return `\${roleshift:${kind}:${accountId}:${name}}`;
}

export const ARTIFACT_REF = /^\$\{roleshift:(trust-anchor|roles-anywhere-profile):(\d{12}):([^}]+)\}$/;

export interface StrategyContext {
  snapshot: Snapshot;
  account: Account;
  user: User;
  classification: Classification;
  usage: UserUsage | undefined;
  config: RoleshiftConfig;
  now: Date;
  externalIdSeed: string;
  ownership: Tags;
  region: string;
}

export interface StrategyResult {
  strategy: Strategy;
  target: string;
  prerequisites: Prerequisite[];
  blockers: string[];
  steps: string[];
  artifacts: Artifact[];
  permissions: PlannedPermissions | null;
}

function userRef(ctx: StrategyContext): string {
  return `${ctx.account.accountId}/${ctx.user.name}`;
}

function switchOffStep(ctx: StrategyContext): string {
  return `When the replacement works, switch the old credentials off reversibly: roleshift remediate start ${userRef(ctx)}`;
}

function role(
  ctx: StrategyContext,
  suffix: string,
  description: string,
  trustPolicy: RoleArtifact['trustPolicy'],
  permissions: PlannedPermissions,
  instanceProfile = false,
): RoleArtifact {
  return {
    kind: 'role',
    accountId: ctx.account.accountId,
    name: iamName(`${ctx.user.name}-${suffix}`),
    path: '/roleshift/',
    description: description.slice(0, 1000),
    trustPolicy,
    permissions,
    tags: ctx.ownership,
    maxSessionDuration: 3600,
    instanceProfile,
  };
}

function roleArn(artifact: RoleArtifact): string {
  return `arn:aws:iam::${artifact.accountId}:role${artifact.path}${artifact.name}`;
}

function identityCenterState(snapshot: Snapshot): {
  inUse: boolean;
  startUrl: string;
  startUrlKnown: boolean;
  region: string;
} {
  const instance = snapshot.identityCenterInstance;
  const inUse = Boolean(instance) || snapshot.accounts.some((account) => account.identityCenter.inUse);
  const startUrl = instance?.identityStoreId.startsWith('d-')
    ? `https://${instance.identityStoreId}.awsapps.com/start`
    : `https://${placeholder('identity center start url').toLowerCase().replace(/_/g, '-')}.awsapps.com/start`;
  return {
    inUse,
    startUrl,
    startUrlKnown: Boolean(instance?.identityStoreId.startsWith('d-')),
    region: instance?.region ?? 'us-east-1',
  };
}

/** Profile names go into an INI section header: no brackets, spaces or newlines. */
function profileName(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_.@+-]+/g, '-').replace(/^-+|-+$/g, '') || 'account';
}

/** Who the person is in the identity store: the classifier's person key, the e-mail and display name tags. */
function identityStorePerson(ctx: StrategyContext): PersonName & {
  personKey: string;
  storeUserName: string;
  email: string | null;
} {
  const { user } = ctx;
  const personKey = ctx.classification.personKey ?? user.name;
  // The classifier keys people as `email:...` or `name:...`; the identity store wants the bare value.
  const keyValue = personKey.replace(/^(email|name):/, '');
  const email =
    tag(user.tags, ['email', 'mail', 'e-mail']) ?? (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(keyValue) ? keyValue : null);
  return { personKey, storeUserName: email ?? keyValue, email, ...personName(user.name, user.tags, email, keyValue) };
}

/**
 * A user whose permissions all come from groups gets the groups' permission set, shared with the
 * other members; anyone else gets their own. A team tag names the identity store group.
 */
function personGrouping(user: User): { groupDerived: boolean; groupName: string | null; psName: string } {
  const groupDerived = user.attachedPolicies.length === 0 && user.inlinePolicies.length === 0 && user.groups.length > 0;
  const groups = [...user.groups].sort().join('+');
  return {
    groupDerived,
    groupName: groupDerived ? groups : tag(user.tags, ['team', 'group']),
    psName: permissionSetName(groupDerived ? groups : `user-${user.name}`),
  };
}

/** A group's permission set is shared by all its members: it mirrors the group, not this user. */
function permissionSetTags(ctx: StrategyContext, groupDerived: boolean): Tags {
  if (!groupDerived) return ctx.ownership;
  return Object.fromEntries(
    Object.entries({
      ...ctx.ownership,
      'roleshift:mirrors': tagValue(`group ${[...ctx.user.groups].sort().join('+')}`),
    })
      .filter(([key]) => key !== 'roleshift:replaces')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

type Person = ReturnType<typeof identityStorePerson>;
type Grouping = ReturnType<typeof personGrouping>;
type Principal = { principalType: 'GROUP' | 'USER'; principalName: string };

function personArtifacts(
  ctx: StrategyContext,
  person: Person,
  grouping: Grouping,
  context: { permissions: PlannedPermissions; principal: Principal; idc: ReturnType<typeof identityCenterState> },
): Artifact[] {
  const { user, account } = ctx;
  const { storeUserName, displayName, givenName, familyName } = person;
  const { groupName, psName } = grouping;
  const { permissions, principal, idc } = context;
  return [
    { kind: 'identity-store-user', userName: storeUserName, displayName, givenName, familyName, email: person.email },
    ...(groupName === null
      ? []
      : [{ kind: 'identity-store-group' as const, displayName: groupName, members: [storeUserName] }]),
    {
      kind: 'permission-set',
      name: psName,
      description: grouping.groupDerived
        ? `Mirrors IAM group(s) ${[...user.groups].sort().join(', ')}`.slice(0, 700)
        : `Mirrors the permissions of IAM user ${user.name}`.slice(0, 700),
      sessionDuration: permissions.admin ? 'PT1H' : 'PT8H',
      permissions,
      tags: permissionSetTags(ctx, grouping.groupDerived),
    },
    { kind: 'account-assignment', accountId: account.accountId, permissionSetName: psName, ...principal },
    {
      kind: 'cli-profiles',
      personKey: person.personKey,
      startUrl: idc.startUrl,
      ssoRegion: idc.region,
      // The planner merges the profiles of the same person's other accounts in afterwards.
      profiles: [
        {
          name: profileName(account.alias ?? account.accountId),
          accountId: account.accountId,
          permissionSetName: psName,
          region: ctx.region,
        },
      ],
    },
  ];
}

export function planPerson(ctx: StrategyContext): StrategyResult {
  const { user, account, snapshot } = ctx;
  // People do more varied work than a CloudTrail window shows: their permission set mirrors what
  // they can do today, so the switch takes nothing away; narrowing is a separate, later change.
  const mirrored = plannedPermissions(ctx.snapshot, user, account, undefined);
  const permissions = ctx.usage
    ? { ...mirrored, note: 'mirrors current permissions (people keep what they have; narrow later)' }
    : mirrored;
  const idc = identityCenterState(snapshot);
  const person = identityStorePerson(ctx);
  const grouping = personGrouping(user);
  const { storeUserName } = person;
  const { groupName, psName } = grouping;
  const principal: Principal =
    groupName !== null
      ? { principalType: 'GROUP', principalName: groupName }
      : { principalType: 'USER', principalName: storeUserName };
  const steps = [
    ...(idc.inUse
      ? []
      : ['Enable IAM Identity Center in the management account (or a delegated administrator account).']),
    `Create the Identity Center user ${storeUserName} (or let your identity provider sync it)${groupName !== null ? ` and add it to group ${groupName}` : ''}.`,
    ...(person.guessedFrom === null
      ? []
      : [
          `Review the names guessed from ${person.guessedFrom}: given name "${person.givenName}", family name "${person.familyName}", display name "${person.displayName}" (tag the IAM user given_name and family_name to set them).`,
        ]),
    `Create permission set ${psName} (${permissions.note}).`,
    `Assign ${psName} to ${principal.principalType.toLowerCase()} ${principal.principalName} in account ${account.accountId}.`,
    `Give ${person.displayName} the generated ~/.aws/config blocks; they sign in with: aws sso login --sso-session roleshift. Console access goes through the access portal.`,
    switchOffStep(ctx),
  ];
  return {
    strategy: 'identity-center',
    target: `IAM Identity Center user ${storeUserName} with permission set ${psName}`,
    prerequisites: [
      {
        id: 'identity-center-enabled',
        description: 'IAM Identity Center is enabled for the organization',
        met: idc.inUse,
      },
      {
        id: 'access-portal-url',
        description: idc.startUrlKnown
          ? `access portal ${idc.startUrl}`
          : 'the access portal URL (the scan did not read the instance: fill sso_start_url in the generated ~/.aws/config)',
        met: idc.startUrlKnown,
      },
    ],
    blockers: [],
    steps,
    artifacts: personArtifacts(ctx, person, grouping, { permissions, principal, idc }),
    permissions,
  };
}

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

export function planPipeline(ctx: StrategyContext): StrategyResult {
  const { user, account, classification } = ctx;
  const provider = classification.ciProvider ?? ciProviderFromTags(user.tags);
  if (provider === 'jenkins') return { ...planOnPrem(ctx), target: 'IAM Roles Anywhere role for the Jenkins agents' };
  const identity = provider ? identifyPipeline(provider, user.tags, ctx.usage?.webIdentitySubjects ?? []) : null;
  const trust = identity ? oidcTrustFor(identity) : null;
  if (!identity || !trust) {
    return investigate(
      ctx,
      provider === null
        ? `the CI/CD provider is unknown: tag the user ci_provider=${CiProviderSchema.options.filter((option) => option !== 'other').join('|')}, or plan it by hand`
        : `CI/CD provider ${provider} has no OIDC trust template in roleshift: plan it by hand`,
    );
  }
  const permissions = plannedPermissions(ctx.snapshot, user, account, ctx.usage);
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
      ? `In the repository: roleshift ci-migrate <checkout> --role-arn ${arn} --write, then delete the access-key secrets.`
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
      `  - export $(printf "AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_SESSION_TOKEN=%s" $(aws sts assume-role-with-web-identity --role-arn ${arn} --role-session-name "gitlab-$CI_PIPELINE_ID" --web-identity-token "$AWS_ID_TOKEN" --duration-seconds 3600 --query "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]" --output text))`,
    ].join('\n');
  }
  return null;
}

const COMPUTE: Record<string, { service: string; suffix: string; label: string; scoped: boolean; actions: string[] }> =
  {
    ec2: {
      service: 'ec2.amazonaws.com',
      suffix: 'ec2',
      label: 'EC2 instance profile',
      scoped: false,
      actions: ['sts:AssumeRole'],
    },
    ecs: {
      service: 'ecs-tasks.amazonaws.com',
      suffix: 'ecs-task',
      label: 'ECS task role',
      scoped: true,
      actions: ['sts:AssumeRole'],
    },
    eks: {
      service: 'pods.eks.amazonaws.com',
      suffix: 'eks-pod',
      label: 'EKS Pod Identity role',
      scoped: true,
      actions: ['sts:AssumeRole', 'sts:TagSession'],
    },
    lambda: {
      service: 'lambda.amazonaws.com',
      suffix: 'lambda',
      label: 'Lambda execution role',
      scoped: false,
      actions: ['sts:AssumeRole'],
    },
  };

function computeChange(runsOn: string, arn: string, name: string, tags: Tags): { snippet: string; missing: string[] } {
  const missing: string[] = [];
  const value = (keys: string[], what: string): string => {
    const found = tag(tags, keys);
    if (found) return found;
    missing.push(what);
    return placeholder(what);
  };
  switch (runsOn) {
    case 'ec2':
      return {
        snippet: `aws ec2 associate-iam-instance-profile --instance-id ${value(['instance_id', 'ec2_instance'], 'instance id')} --iam-instance-profile Name=${name}`,
        missing,
      };
    case 'ecs':
      return {
        snippet: `"taskRoleArn": "${arn}"  # in the task definition; delete AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from its environment`,
        missing,
      };
    case 'eks':
      return {
        snippet: `aws eks create-pod-identity-association --cluster-name ${value(['eks_cluster', 'cluster'], 'cluster name')} --namespace ${value(['namespace', 'k8s_namespace'], 'namespace')} --service-account ${value(['service_account', 'serviceaccount'], 'service account')} --role-arn ${arn}`,
        missing,
      };
    default:
      return {
        snippet: `aws lambda update-function-configuration --function-name ${value(['function_name', 'lambda_function'], 'function name')} --role ${arn}`,
        missing,
      };
  }
}

export function planWorkload(ctx: StrategyContext): StrategyResult {
  const tagged = RunsOnSchema.safeParse(tag(ctx.user.tags, ['runs_on', 'runs-on', 'platform'])?.toLowerCase());
  const runsOn =
    ctx.classification.runsOn !== null && ctx.classification.runsOn !== 'unknown'
      ? ctx.classification.runsOn
      : tagged.success
        ? tagged.data
        : ctx.classification.runsOn;
  if (runsOn === 'on-prem' || runsOn === 'other-cloud') return planOnPrem(ctx);
  const compute = runsOn ? COMPUTE[runsOn] : undefined;
  if (!compute || !runsOn) {
    return investigate(
      ctx,
      `where the workload runs is ${runsOn ?? 'unknown'}: tag the user runs_on=ec2|ecs|eks|lambda|on-prem`,
    );
  }
  const { user, account } = ctx;
  const permissions = plannedPermissions(ctx.snapshot, user, account, ctx.usage);
  const trust = serviceTrust(compute.service, account.accountId, compute.actions, compute.scoped);
  const replacement = role(
    ctx,
    compute.suffix,
    `${compute.label} replacing IAM user ${user.name}`,
    trust,
    permissions,
    runsOn === 'ec2',
  );
  const arn = roleArn(replacement);
  const change = computeChange(runsOn, arn, replacement.name, user.tags);
  return {
    strategy: 'compute-role',
    target: `${compute.label} ${replacement.name}`,
    prerequisites: [],
    blockers: change.missing.map((what) => `Unknown ${what}: tag the IAM user or fill the placeholder in the change.`),
    steps: [
      `Create role ${replacement.name} for ${compute.service} (${permissions.note}).`,
      `Attach it to the workload: ${change.snippet}`,
      'Remove the access key from the workload configuration (environment variables, ~/.aws/credentials, secrets store); the SDK picks up the role on its own.',
      switchOffStep(ctx),
    ],
    artifacts: [
      replacement,
      {
        kind: 'config-change',
        accountId: account.accountId,
        userName: user.name,
        title: `attach ${compute.label}`,
        snippet: change.snippet,
      },
    ],
    permissions,
  };
}

export function planOnPrem(ctx: StrategyContext): StrategyResult {
  const { user, account, snapshot } = ctx;
  const permissions = plannedPermissions(ctx.snapshot, user, account, ctx.usage);
  const existing = (snapshot.rolesAnywhere ?? [])
    .filter((entry) => entry.accountId === account.accountId)
    .flatMap((entry) => entry.trustAnchors)
    .filter((anchor) => anchor.enabled)
    .sort((a, b) => (a.arn < b.arn ? -1 : 1))[0];
  const pca = tag(user.tags, ['acm_pca_arn', 'private_ca_arn']);
  const anchorName = 'roleshift-onprem';
  const anchorArn = existing?.arn ?? artifactRef('trust-anchor', account.accountId, anchorName);
  const commonName = tag(user.tags, ['certificate_cn', 'cert_cn', 'hostname', 'host']) ?? user.name;
  const replacement = role(
    ctx,
    'roles-anywhere',
    `IAM Roles Anywhere role replacing IAM user ${user.name}`,
    rolesAnywhereTrust(anchorArn, commonName),
    permissions,
  );
  const profileName = iamName(`${user.name}-profile`);
  const profileArn = artifactRef('roles-anywhere-profile', account.accountId, profileName);
  const artifacts: Artifact[] = [];
  if (!existing) {
    artifacts.push({
      kind: 'trust-anchor',
      accountId: account.accountId,
      name: anchorName,
      source: pca
        ? { type: 'AWS_ACM_PCA', acmPcaArn: pca }
        : { type: 'CERTIFICATE_BUNDLE', placeholder: placeholder('ca certificate pem') },
      tags: { 'managed-by': 'roleshift' },
    });
  }
  const credentialProcess = `credential_process = aws_signing_helper credential-process --certificate /etc/pki/${commonName}.pem --private-key /etc/pki/${commonName}.key --trust-anchor-arn ${anchorArn} --profile-arn ${profileArn} --role-arn ${roleArn(replacement)}`;
  artifacts.push(
    {
      kind: 'roles-anywhere-profile',
      accountId: account.accountId,
      name: profileName,
      roleNames: [replacement.name],
      tags: ctx.ownership,
    },
    replacement,
    {
      kind: 'config-change',
      accountId: account.accountId,
      userName: user.name,
      title: 'credential_process for aws_signing_helper',
      snippet: credentialProcess,
    },
  );
  const blockers =
    !existing && !pca
      ? [
          'No CA for Roles Anywhere: put your CA certificate bundle into the trust anchor (or tag the user acm_pca_arn).',
        ]
      : [];
  return {
    strategy: 'roles-anywhere',
    target: `IAM Roles Anywhere role ${replacement.name} for certificate CN=${commonName}`,
    prerequisites: [
      {
        id: 'roles-anywhere-trust-anchor',
        description: `an enabled Roles Anywhere trust anchor in ${account.accountId}`,
        met: Boolean(existing),
      },
    ],
    blockers,
    steps: [
      ...(existing ? [] : [`Create trust anchor ${anchorName} from your CA.`]),
      `Issue the workload a certificate with subject CN=${commonName} from that CA.`,
      `Create role ${replacement.name} and profile ${profileName} (${permissions.note}).`,
      'Install aws_signing_helper on the host and put the credential_process line into the profile the workload uses; delete aws_access_key_id / aws_secret_access_key there.',
      switchOffStep(ctx),
    ],
    artifacts,
    permissions,
  };
}

function scopedToAddresses(permissions: PlannedPermissions, sourceIps: string[]): PlannedPermissions {
  if (sourceIps.length === 0 || !permissions.inlinePolicy) return permissions;
  const statements = ([] as unknown[]).concat(permissions.inlinePolicy.Statement ?? []);
  const cidrs = [...new Set(sourceIps)]
    .sort()
    .map((ip) => (ip.includes('/') ? ip : ip.includes(':') ? `${ip}/128` : `${ip}/32`));
  return {
    ...permissions,
    inlinePolicy: {
      Version: '2012-10-17',
      Statement: statements.map((statement) => {
        if (typeof statement !== 'object' || statement === null) return statement;
        const record = statement as Record<string, unknown>;
        if (record.Effect !== 'Allow') return statement;
        const condition = (record.Condition as Record<string, unknown> | undefined) ?? {};
        return { ...record, Condition: { ...condition, IpAddress: { 'aws:SourceIp': cidrs } } };
      }),
    },
  };
}

/** A vendor that cannot assume roles keeps its key as a documented, scoped and rotated exception. */
function vendorException(ctx: StrategyContext, vendor: string, permissions: PlannedPermissions): StrategyResult {
  const { user, account, config, now } = ctx;
  const sourceIps = ctx.usage?.sourceIps ?? [];
  const scoped = scopedToAddresses(permissions, sourceIps);
  const reviewEveryDays = config.exceptionReviewDays;
  const reviewBy = isoDatePlusDays(now, reviewEveryDays);
  const owner = ctx.ownership.owner ?? config.ownershipDefaults.owner ?? placeholder('owner');
  return {
    strategy: 'exception',
    target: `Documented exception: ${vendor} cannot assume roles; keep the key, scoped and rotated`,
    prerequisites: [{ id: 'vendor-assumes-roles', description: `${vendor} can assume an IAM role`, met: false }],
    blockers: hasPlaceholder(owner)
      ? ['No owner for the exception: tag the user owner=... or set ownershipDefaults.owner.']
      : [],
    steps: [
      `Add the drafted entry to the exceptions register (${config.exceptionsFile}) and have ${owner} approve it.`,
      `Move the user under the exception path so the guardrail SCP lets approvers rotate its key: aws iam update-user --user-name ${user.name} --new-path ${EXCEPTION_PATH}`,
      sourceIps.length > 0
        ? `Replace the user's policies with the scoped policy (allowed only from ${sourceIps.length} source address(es) seen in CloudTrail).`
        : 'No source addresses known: collect CloudTrail activity to add an aws:SourceIp condition.',
      `Rotate the access key every ${config.thresholds.keyRotationDays} days; review the exception by ${reviewBy} and ask ${vendor} again for role support.`,
    ],
    artifacts: [
      {
        kind: 'exception-draft',
        accountId: account.accountId,
        userName: user.name,
        userArn: user.arn,
        reason: `${vendor} cannot assume IAM roles`,
        owner,
        reviewBy,
        reviewEveryDays,
        rotationDays: config.thresholds.keyRotationDays,
        scopedPolicy: scoped.inlinePolicy,
        sourceIps: [...new Set(sourceIps)].sort(),
      },
    ],
    permissions: scoped,
  };
}

export function planThirdParty(ctx: StrategyContext): StrategyResult {
  const { user, account } = ctx;
  const vendor = tag(user.tags, ['vendor', 'vendor_name', 'third_party', 'integration']) ?? user.name;
  const vendorAccount =
    tag(user.tags, ['vendor_account_id', 'vendor_account', 'vendor_aws_account'])?.match(/^\d{12}$/)?.[0] ?? null;
  const canAssume = tag(user.tags, ['vendor_assume_role', 'vendor_supports_roles', 'supports_assume_role']);
  // Said in so many words in a purpose tag ("vendor cannot assume roles") counts as much as a flag.
  const purpose = tag(user.tags, ctx.config.classification.purposeTagKeys) ?? '';
  const cannot =
    (canAssume !== null && /^(false|no|0|none)$/i.test(canAssume)) ||
    (canAssume === null &&
      /\b(cannot|can't|can ?not|does not|doesn't|unable to) (assume|use) (iam )?roles?\b/i.test(purpose));
  const permissions = plannedPermissions(ctx.snapshot, user, account, ctx.usage);
  if (cannot) return vendorException(ctx, vendor, permissions);
  const externalId = externalIdFor(ctx.externalIdSeed, account.accountId, user.name);
  const principalAccount = vendorAccount ?? placeholder('vendor account id');
  const replacement = role(
    ctx,
    'vendor',
    `Role for ${vendor} replacing IAM user ${user.name}`,
    externalIdTrust(principalAccount, externalId),
    permissions,
  );
  return {
    strategy: 'external-id-role',
    target: `Role ${replacement.name} for ${vendor} with ExternalId`,
    prerequisites: [
      {
        id: 'vendor-assumes-roles',
        description: `${vendor} can assume an IAM role with an ExternalId`,
        met: canAssume === null ? null : true,
      },
      { id: 'vendor-account-known', description: `${vendor}'s AWS account id is known`, met: vendorAccount !== null },
    ],
    blockers: vendorAccount
      ? []
      : [`Unknown AWS account of ${vendor}: tag the user vendor_account_id=... (the trust policy has a placeholder).`],
    steps: [
      `Create role ${replacement.name} trusting ${vendor}'s account ${principalAccount} with ExternalId ${externalId} (${permissions.note}).`,
      `Give ${vendor} the role ARN ${roleArn(replacement)} and the ExternalId; record both in your vendor register.`,
      switchOffStep(ctx),
    ],
    artifacts: [replacement],
    permissions,
  };
}

export function planBreakGlass(ctx: StrategyContext): StrategyResult {
  const { user } = ctx;
  const hardwareMfa = user.mfaDevices.some((device) => device.kind === 'hardware');
  const activeKeys = user.accessKeys.filter((key) => key.status === 'Active').length;
  return {
    strategy: 'keep-break-glass',
    target: 'Keep as break-glass, hardened',
    prerequisites: [
      { id: 'hardware-mfa', description: 'a hardware MFA device (FIDO key or TOTP token)', met: hardwareMfa },
      { id: 'no-access-keys', description: 'no active access keys', met: activeKeys === 0 },
      { id: 'console-password', description: 'a console password, kept in a safe', met: user.password.enabled },
    ],
    blockers: [],
    steps: [
      ...(hardwareMfa ? [] : ['Register a hardware MFA device (FIDO2 key) and remove virtual devices.']),
      ...(activeKeys === 0
        ? []
        : [`Delete the ${activeKeys} active access key(s): break-glass access is console-only.`]),
      'Store the password sealed, with two-person retrieval; record who may use it.',
      'Deploy the guardrails: the EventBridge rule alarms on every console login of this user.',
      'Test the procedure every quarter and after every use rotate the password.',
    ],
    artifacts: [],
    permissions: null,
  };
}

export function investigate(ctx: StrategyContext, why: string): StrategyResult {
  return {
    strategy: 'investigate',
    target: 'Find out who or what uses this user before planning a replacement',
    prerequisites: [],
    blockers: [why],
    steps: [
      'Look at the evidence and CloudTrail activity of its keys (roleshift scan --cloudtrail ...).',
      `Tag the user ${ctx.config.classification.overrideTagKey}=human|ci-cd|workload|third-party|break-glass and plan again.`,
    ],
    artifacts: [],
    permissions: null,
  };
}

export function planByClass(ctx: StrategyContext): StrategyResult {
  switch (ctx.classification.class) {
    case 'human':
      return planPerson(ctx);
    case 'ci-cd':
      return planPipeline(ctx);
    case 'workload':
      return planWorkload(ctx);
    case 'third-party':
      return planThirdParty(ctx);
    case 'break-glass':
      return planBreakGlass(ctx);
    default:
      return investigate(ctx, 'class unknown: not enough evidence to tell who or what uses this user');
  }
}
