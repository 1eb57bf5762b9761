import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { DEV, NOW, planningEstate, PROD, SEED, CATALOG } from '../../test/generate/estate.js';
import { planMigration, selectUsers } from './plan.js';
import type { MigrationPlan, PermissionSetArtifact, RoleArtifact, UserPlan } from './types.js';

function plan(extra: Partial<Parameters<typeof planMigration>[1]> = {}): MigrationPlan {
  const { snapshot, classifications } = planningEstate();
  return planMigration(snapshot, {
    classifications,
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
    ...extra,
  });
}

function userPlan(result: MigrationPlan, accountId: string, userName: string): UserPlan {
  const found = result.users.find((user) => user.accountId === accountId && user.userName === userName);
  if (!found) throw new Error(`no plan for ${accountId}/${userName}`);
  return found;
}

function roleOf(user: UserPlan): RoleArtifact {
  const role = user.artifacts.find((artifact): artifact is RoleArtifact => artifact.kind === 'role');
  if (!role) throw new Error(`no role for ${user.userName}`);
  return role;
}

describe('planMigration', () => {
  it.each([
    [PROD, 'alice', 'identity-center'],
    [DEV, 'alice.smith', 'identity-center'],
    [PROD, 'github-deploy', 'oidc-federation'],
    [DEV, 'preview-ci', 'oidc-federation'],
    [PROD, 'gitlab-ci', 'oidc-federation'],
    [PROD, 'orders-worker', 'compute-role'],
    [DEV, 'report-fn', 'compute-role'],
    [PROD, 'backup-agent', 'roles-anywhere'],
    [PROD, 'datadog', 'external-id-role'],
    [PROD, 'signing-service', 'exception'],
    [PROD, 'breakglass', 'keep-break-glass'],
    [PROD, 'mystery', 'investigate'],
  ])('Given the estate, when planned, then %s/%s gets strategy %s', (accountId, userName, strategy) => {
    expect(userPlan(plan(), accountId, userName).strategy).toBe(strategy);
  });

  it('Given every user of the estate, when planned, then each one has exactly one plan', () => {
    const { snapshot } = planningEstate();
    const result = plan();
    const planned = result.users.map((user) => user.userArn).sort();
    expect(planned).toEqual(snapshot.accounts.flatMap((account) => account.users.map((user) => user.arn)).sort());
    expect(Object.values(result.summary).reduce((a, b) => a + b, 0)).toBe(planned.length);
  });

  it('Given a user the classifier did not cover, when planned, then it is to be investigated, not dropped', () => {
    const { snapshot, classifications } = planningEstate();
    const result = planMigration(snapshot, {
      classifications: classifications.filter((c) => c.userName !== 'datadog'),
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    expect(userPlan(result, PROD, 'datadog').strategy).toBe('investigate');
  });

  it('Given two people planned alike, when planned, then they share each equal prerequisite object, and every plan equals its plan made alone', () => {
    const { snapshot, classifications } = planningEstate();
    const result = plan();
    const people = result.users.filter((user) => user.strategy === 'identity-center');
    expect(people.length).toBeGreaterThan(1);
    const [first, second] = people;
    expect(first?.prerequisites.length).toBeGreaterThan(0);
    for (const [i, item] of (first?.prerequisites ?? []).entries()) expect(second?.prerequisites[i]).toBe(item);
    const alone = planMigration(snapshot, {
      classifications: classifications.filter((c) => c.userArn === second?.userArn),
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    const same = alone.users.find((user) => user.userArn === second?.userArn);
    expect(same?.prerequisites).toEqual(second?.prerequisites);
    expect(same?.riskReasons).toEqual(second?.riskReasons);
  });

  it('Given the plan, when ordered, then risk scores never decrease', () => {
    const scores = plan().users.map((user) => user.riskScore);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(plan().users[0]?.strategy).toBe('keep-break-glass');
    expect(plan().users.at(-1)?.strategy).toBe('investigate');
  });

  it('Given one person with users in two accounts, when planned, then their CLI profiles and assignments cover both accounts', () => {
    const alice = userPlan(plan(), PROD, 'alice');
    const profiles = alice.artifacts.find((artifact) => artifact.kind === 'cli-profiles');
    expect(profiles?.kind === 'cli-profiles' && profiles.profiles).toEqual([
      { name: 'acme-prod', accountId: PROD, permissionSetName: 'developers', region: 'us-east-1' },
      { name: 'acme-dev', accountId: DEV, permissionSetName: 'user-alice.smith', region: 'us-east-1' },
    ]);
    const assignment = alice.artifacts.find((artifact) => artifact.kind === 'account-assignment');
    expect(assignment).toMatchObject({ accountId: PROD, principalType: 'GROUP', principalName: 'developers' });
    const other = userPlan(plan(), DEV, 'alice.smith').artifacts.find(
      (artifact) => artifact.kind === 'account-assignment',
    );
    expect(other).toMatchObject({ accountId: DEV, principalType: 'USER', principalName: 'alice@acme.example' });
  });

  it('Given a person in a group, when planned, then the permission set mirrors the group, the customer policy and inline policies', () => {
    const alice = userPlan(plan(), PROD, 'alice');
    const permissionSet = alice.artifacts.find((artifact) => artifact.kind === 'permission-set');
    expect(permissionSet).toMatchObject({
      name: 'developers',
      permissions: { source: 'current-policies', awsManagedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] },
    });
    expect(alice.permissionsNote).toMatch(/no usage facts: mirroring current policies/);
    const deploy = roleOf(userPlan(plan(), PROD, 'github-deploy'));
    expect(deploy.permissions.customerManagedPolicies).toEqual([
      { name: 'deploy-site', path: '/team/', arn: `arn:aws:iam::${PROD}:policy/team/deploy-site` },
    ]);
  });

  it('Given the estate with a user of every strategy, when planned, then each replacement that grants permissions is proven or blocked by its failed proof, and the others carry no proof', () => {
    const result = plan();
    const strategies = new Set(result.users.map((user) => user.strategy));
    expect(strategies.size).toBeGreaterThanOrEqual(8);
    for (const user of result.users) {
      const grants = user.artifacts.some((artifact) => artifact.kind === 'role' || artifact.kind === 'permission-set');
      if (!grants) continue;
      expect(user.proof, `${user.userName} (${user.strategy})`).not.toBeNull();
      const failed = user.proof?.verdict === 'failed';
      expect(
        user.blockers.some((blocker) => blocker.startsWith('Proof failed:')),
        user.userName,
      ).toBe(failed);
    }
    expect(userPlan(result, PROD, 'breakglass').proof).toBeNull();
  });

  it('Given usage facts, when planned, then the role gets the least-privilege policy and says so', () => {
    const repository = `arn:aws:ecr:us-east-1:${PROD}:repository/api`;
    const actions = [{ action: 'ecr:PutImage', mapped: true, events: 3, errors: 0, resources: [repository] }];
    const result = plan({ usage: { [`arn:aws:iam::${PROD}:user/gitlab-ci`]: { actions, windowDays: 90 } } });
    const role = roleOf(userPlan(result, PROD, 'gitlab-ci'));
    expect(role.permissions).toMatchObject({
      source: 'usage',
      inlinePolicy: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'Ecr', Effect: 'Allow', Action: ['ecr:PutImage'], Resource: [repository] }],
      },
      awsManagedPolicyArns: [],
    });
    expect(userPlan(result, PROD, 'gitlab-ci').proof?.verdict).toBe('proven');
    expect(userPlan(result, PROD, 'gitlab-ci').permissionsNote).toBe(
      'least privilege from CloudTrail activity over 90 days',
    );
  });

  it('Given a GitHub pipeline tagged with repo and branch, when planned, then the trust pins repo, branch and audience', () => {
    const user = userPlan(plan(), PROD, 'github-deploy');
    expect(roleOf(user).trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
              'token.actions.githubusercontent.com:sub': 'repo:acme/site:ref:refs/heads/main',
            },
          },
        },
      ],
    });
    expect(user.prerequisites).toEqual([expect.objectContaining({ id: 'oidc-provider', met: false })]);
    expect(user.blockers).toEqual([]);
  });

  it('Given the OIDC provider already exists, when planned, then it is referenced and not recreated', () => {
    const user = userPlan(plan(), DEV, 'preview-ci');
    expect(user.artifacts.find((artifact) => artifact.kind === 'oidc-provider')).toMatchObject({ exists: true });
    expect(JSON.stringify(roleOf(user).trustPolicy)).toContain('repo:acme/web:environment:preview');
  });

  it('Given a pipeline without repository tags, when planned, then the placeholder is a blocker', () => {
    const { snapshot, classifications } = planningEstate();
    const user = snapshot.accounts[0]?.users.find((candidate) => candidate.name === 'github-deploy');
    if (!user) throw new Error('fixture');
    user.tags = {};
    const result = planMigration(snapshot, {
      classifications,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    const planned = userPlan(result, PROD, 'github-deploy');
    expect(planned.blockers.join(' ')).toMatch(/GitHub repository/);
    expect(JSON.stringify(roleOf(planned).trustPolicy)).toContain('REPLACE_ME_GITHUB_DEPLOY_REPO');
  });

  it('Given web-identity subjects from activity and no tags, when planned, then the repository comes from activity', () => {
    const { snapshot, classifications } = planningEstate();
    const user = snapshot.accounts[0]?.users.find((candidate) => candidate.name === 'github-deploy');
    if (!user) throw new Error('fixture');
    user.tags = {};
    const result = planMigration(snapshot, {
      classifications,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
      usage: { [user.arn]: { webIdentitySubjects: ['repo:ccbrown/cloud-snitch:ref:refs/heads/main'] } },
    });
    const planned = userPlan(result, PROD, 'github-deploy');
    expect(planned.blockers).toEqual([]);
    expect(JSON.stringify(roleOf(planned).trustPolicy)).toContain('repo:ccbrown/cloud-snitch:ref:refs/heads/main');
  });

  it('Given a vendor, when planned twice with the same seed, then the ExternalId is identical; another seed changes it', () => {
    const externalId = (seed: string): unknown => {
      const role = roleOf(userPlan(plan({ externalIdSeed: seed }), PROD, 'datadog'));
      return JSON.stringify(role.trustPolicy).match(/rs-[0-9a-f]{32}/)?.[0];
    };
    expect(externalId('a')).toBe(externalId('a'));
    expect(externalId('a')).not.toBe(externalId('b'));
    expect(roleOf(userPlan(plan(), PROD, 'datadog')).trustPolicy).toMatchObject({
      Statement: [
        {
          Principal: { AWS: 'arn:aws:iam::464622532012:root' },
          Condition: { StringEquals: { 'sts:ExternalId': expect.stringMatching(/^rs-/) } },
        },
      ],
    });
  });

  it('Given a vendor that cannot assume roles and source addresses from activity, when planned, then the drafted exception is scoped to them', () => {
    const arn = `arn:aws:iam::${PROD}:user/signing-service`;
    const planned = userPlan(
      plan({ usage: { [arn]: { sourceIps: ['203.0.113.7', '2001:db8::1'] } } }),
      PROD,
      'signing-service',
    );
    const draft = planned.artifacts.find((artifact) => artifact.kind === 'exception-draft');
    expect(draft).toMatchObject({
      owner: 'payments',
      reviewBy: '2027-02-21',
      rotationDays: 90,
      sourceIps: ['2001:db8::1', '203.0.113.7'],
    });
    expect(draft?.kind === 'exception-draft' && draft.scopedPolicy).toMatchObject({
      Statement: [
        { Action: 'kms:Sign', Condition: { IpAddress: { 'aws:SourceIp': ['2001:db8::1/128', '203.0.113.7/32'] } } },
      ],
    });
  });

  it('Given an approved exception in the register, when planned, then the user is kept; an expired one is planned normally', () => {
    const live = plan({
      exceptions: [{ accountId: PROD, userName: 'datadog', reason: 'contract', expires: '2027-01-01' }],
    });
    expect(userPlan(live, PROD, 'datadog')).toMatchObject({ strategy: 'exception', exception: { reason: 'contract' } });
    const expired = plan({
      exceptions: [{ accountId: PROD, userName: 'datadog', reason: 'contract', expires: '2026-01-01' }],
    });
    expect(userPlan(expired, PROD, 'datadog').strategy).toBe('external-id-role');
    expect(userPlan(expired, PROD, 'datadog').riskReasons.join(' ')).toMatch(/expired on 2026-01-01/);
  });

  it('Given workloads, when planned, then each gets its platform role and the one-line change', () => {
    const ecs = userPlan(plan(), PROD, 'orders-worker');
    expect(roleOf(ecs).trustPolicy).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': PROD } },
        },
      ],
    });
    const lambda = userPlan(plan(), DEV, 'report-fn');
    expect(lambda.artifacts.find((artifact) => artifact.kind === 'config-change')).toMatchObject({
      snippet: `aws lambda update-function-configuration --function-name nightly-report --role arn:aws:iam::${DEV}:role/roleshift/report-fn-lambda`,
    });
  });

  it('Given an on-prem workload, when planned, then the role trusts Roles Anywhere for the anchor and the certificate subject', () => {
    const planned = userPlan(plan(), PROD, 'backup-agent');
    expect(roleOf(planned).trustPolicy).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'backup01.dc1.acme.example' } },
        },
      ],
    });
    const change = planned.artifacts.find((artifact) => artifact.kind === 'config-change');
    expect(change?.kind === 'config-change' && change.snippet).toMatch(
      /^credential_process = aws_signing_helper credential-process /,
    );
    expect(planned.blockers.join(' ')).toMatch(/No CA for Roles Anywhere/);
  });

  it('Given a break-glass user with hardware MFA and no keys, when planned, then it is kept and its checklist is met', () => {
    const planned = userPlan(plan(), PROD, 'breakglass');
    expect(planned.prerequisites.every((prerequisite) => prerequisite.met === true)).toBe(true);
    expect(planned.artifacts).toEqual([]);
  });

  it('Given ownership tags on users and defaults in config, when planned, then every role carries owner and team', () => {
    const config = { ...DEFAULT_CONFIG, ownershipDefaults: { owner: 'cloud-team', team: 'security' } };
    const result = plan({ config });
    expect(roleOf(userPlan(result, PROD, 'orders-worker')).tags).toMatchObject({
      owner: 'orders',
      'cost-center': 'CC-42',
      team: 'security',
    });
    expect(roleOf(userPlan(result, DEV, 'report-fn')).tags).toMatchObject({ owner: 'cloud-team', team: 'security' });
  });

  it('Given tags only in prose, when planned, then the repository and the vendor limitation are read from the purpose tag', () => {
    const { snapshot, classifications } = planningEstate();
    const users = snapshot.accounts[0]?.users ?? [];
    const deploy = users.find((user) => user.name === 'github-deploy');
    const vendor = users.find((user) => user.name === 'datadog');
    if (!deploy || !vendor) throw new Error('fixture');
    deploy.tags = { purpose: 'deploy acme/webapp from GitHub Actions' };
    vendor.tags = { purpose: 'partner upload; vendor cannot assume roles', owner: 'sre' };
    const result = planMigration(snapshot, {
      classifications,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    expect(JSON.stringify(roleOf(userPlan(result, PROD, 'github-deploy')).trustPolicy)).toContain(
      'repo:acme/webapp:ref:refs/heads/main',
    );
    expect(userPlan(result, PROD, 'datadog').strategy).toBe('exception');
  });

  it('Given a pipeline user whose CI/CD provider nothing names, when planned, then the blocker says which tag to set, not "provider unknown"', () => {
    const { snapshot, classifications } = planningEstate();
    const user = snapshot.accounts[0]?.users.find((candidate) => candidate.name === 'github-deploy');
    if (!user) throw new Error('fixture');
    user.tags = {};
    const unnamed = classifications.map((c) => (c.userName === 'github-deploy' ? { ...c, ciProvider: null } : c));
    const result = planMigration(snapshot, {
      classifications: unnamed,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    const text = JSON.stringify(userPlan(result, PROD, 'github-deploy'));
    expect(text).toContain('the CI/CD provider is unknown: tag the user ci_provider=github-actions|gitlab|');
    expect(text).not.toContain('provider unknown');
  });

  it('Given person keys prefixed by the classifier, when planned, then the identity-store user name is the bare value', () => {
    const { snapshot, classifications } = planningEstate();
    const keyed = classifications.map((c) => (c.userName === 'alice' ? { ...c, personKey: 'name:alice.a' } : c));
    const user = snapshot.accounts[0]?.users.find((candidate) => candidate.name === 'alice');
    if (!user) throw new Error('fixture');
    user.tags = {};
    const result = planMigration(snapshot, {
      classifications: keyed,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    expect(
      userPlan(result, PROD, 'alice').artifacts.find((artifact) => artifact.kind === 'identity-store-user'),
    ).toMatchObject({ userName: 'alice.a', givenName: 'Alice', familyName: 'A' });
  });

  it('Given two accounts whose same-named groups grant different things, when planned, then the permission sets get distinct names', () => {
    const { snapshot, classifications } = planningEstate();
    const dev = snapshot.accounts[1];
    const prodGroup = snapshot.accounts[0]?.groups[0];
    const devUser = dev?.users.find((user) => user.name === 'alice.smith');
    if (!dev || !prodGroup || !devUser) throw new Error('fixture');
    dev.groups = [
      {
        ...prodGroup,
        arn: `arn:aws:iam::${DEV}:group/developers`,
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/PowerUserAccess', name: 'PowerUserAccess' }],
      },
    ];
    devUser.attachedPolicies = [];
    devUser.groups = ['developers'];
    const result = planMigration(snapshot, {
      classifications,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    const setName = (user: UserPlan): string | undefined =>
      user.artifacts.find((artifact): artifact is PermissionSetArtifact => artifact.kind === 'permission-set')?.name;
    const prodSet = setName(userPlan(result, PROD, 'alice'));
    const devSet = setName(userPlan(result, DEV, 'alice.smith'));
    expect(prodSet).toMatch(/^developers-[0-9a-f]{6}$/);
    expect(devSet).toMatch(/^developers-[0-9a-f]{6}$/);
    expect(prodSet).not.toBe(devSet);
    const profiles = userPlan(result, PROD, 'alice').artifacts.find((artifact) => artifact.kind === 'cli-profiles');
    expect(profiles?.kind === 'cli-profiles' && profiles.profiles.map((profile) => profile.permissionSetName)).toEqual([
      prodSet,
      devSet,
    ]);
  });

  it('Given selectors, when selecting, then only those users remain and unknown names are reported', () => {
    const { plan: selected, unknown } = selectUsers(plan(), [`${PROD}/datadog`, 'nobody']);
    expect(selected.users.map((user) => user.userName)).toEqual(['datadog']);
    expect(unknown).toEqual(['nobody']);
  });
});

describe('planMigration: a user AWS quarantined for a leaked key', () => {
  it('Given a low-risk developer in the second account carrying AWSCompromisedKeyQuarantineV3, When planned, Then it is the first plan entry and its first risk reason says why', () => {
    const { snapshot, classifications } = planningEstate();
    const quarantine = {
      arn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
      name: 'AWSCompromisedKeyQuarantineV3',
    };
    const leaked = {
      ...snapshot,
      accounts: snapshot.accounts.map((account) => ({
        ...account,
        users: account.users.map((user) =>
          user.name === 'alice.smith' ? { ...user, attachedPolicies: [...user.attachedPolicies, quarantine] } : user,
        ),
      })),
    };

    const result = planMigration(leaked, {
      classifications,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });

    expect(result.users[0]?.userName).toBe('alice.smith');
    expect(result.users[0]?.riskReasons[0]).toBe(
      'AWS attached AWSCompromisedKeyQuarantineV3: a key leaked, so this user goes first',
    );
    const rest = result.users.slice(1).map((user) => user.riskScore);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
  });
});
