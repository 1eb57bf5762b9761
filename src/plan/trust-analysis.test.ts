import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import type { CiProvider } from '../model/classification.js';
import { analyzeTrustPolicy } from '../policy/trust/analyze.js';
import { buildAccount, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { NOW, planningEstate, SEED, CATALOG } from '../../test/generate/estate.js';
import { planMigration } from './plan.js';
import type { MigrationPlan, RoleArtifact } from './types.js';

const ACCOUNT = '333333333333';

/** Trust anchors get their ARN at deploy time; analyse the policy as it will be then. */
function deployed(document: unknown): unknown {
  return JSON.parse(
    JSON.stringify(document).replace(
      /\$\{roleshift:trust-anchor:(\d{12}):[^}]+\}/g,
      'arn:aws:rolesanywhere:us-east-1:$1:trust-anchor/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
    ),
  );
}

function roles(plan: MigrationPlan): RoleArtifact[] {
  return plan.users
    .flatMap((user) => user.artifacts)
    .filter((artifact): artifact is RoleArtifact => artifact.kind === 'role');
}

function pipelinePlan(provider: CiProvider, tags: Record<string, string>): MigrationPlan {
  const snapshot = buildSnapshot([buildAccount(ACCOUNT, { users: [buildUser('pipeline', { tags }, ACCOUNT)] })]);
  return planMigration(snapshot, {
    classifications: [
      {
        accountId: ACCOUNT,
        userName: 'pipeline',
        userArn: `arn:aws:iam::${ACCOUNT}:user/pipeline`,
        class: 'ci-cd',
        ciProvider: provider,
        runsOn: null,
        confidence: 0.9,
        evidence: [],
        personKey: null,
      },
    ],
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
}

describe("every trust policy roleshift generates passes roleshift's own analyzer", () => {
  it('Given the planning estate, when every generated role is analysed, then there are zero issues', () => {
    const { snapshot, classifications } = planningEstate();
    const plan = planMigration(snapshot, {
      classifications,
      config: DEFAULT_CONFIG,
      now: NOW,
      externalIdSeed: SEED,
      catalog: CATALOG,
    });
    const generated = roles(plan);
    expect(generated.length).toBe(7);
    for (const role of generated) {
      expect({
        role: role.name,
        issues: analyzeTrustPolicy(deployed(role.trustPolicy), { accountId: role.accountId }),
      }).toEqual({
        role: role.name,
        issues: [],
      });
    }
  });

  it.each<[CiProvider, Record<string, string>]>([
    ['github-actions', { repo: 'acme/api', branch: 'release' }],
    ['github-actions', { github_repo: 'acme/api', environment_name: 'production' }],
    ['gitlab', { gitlab_project: 'acme/platform/api', branch: 'main' }],
    ['gitlab', { gitlab_project: 'acme/api', gitlab_host: 'gitlab.acme.example' }],
    ['vercel', { vercel_team: 'acme', vercel_project: 'web' }],
    [
      'circleci',
      {
        circleci_org_id: '1c2b3a4d-0000-4000-8000-000000000001',
        circleci_project_id: '9f8e7d6c-0000-4000-8000-000000000002',
        circleci_user_ids: 'a1a1a1a1-0000-4000-8000-000000000005',
      },
    ],
    ['terraform-cloud', { tfc_organization: 'acme', tfc_project: 'platform', tfc_workspace: 'network-prod' }],
  ])(
    'Given a %s pipeline tagged %j, when its trust policy is analysed, then there are zero issues',
    (provider, tags) => {
      const plan = pipelinePlan(provider, tags);
      expect(plan.users[0]?.blockers).toEqual([]);
      const [role] = roles(plan);
      if (!role) throw new Error('no role planned');
      expect(analyzeTrustPolicy(role.trustPolicy, { accountId: ACCOUNT })).toEqual([]);
    },
  );

  it.each(['ec2', 'ecs', 'eks', 'lambda'] as const)(
    'Given a workload on %s, when its trust policy is analysed, then there are zero issues',
    (runsOn) => {
      const snapshot = buildSnapshot([buildAccount(ACCOUNT, { users: [buildUser('worker', {}, ACCOUNT)] })]);
      const plan = planMigration(snapshot, {
        classifications: [
          {
            accountId: ACCOUNT,
            userName: 'worker',
            userArn: `arn:aws:iam::${ACCOUNT}:user/worker`,
            class: 'workload',
            ciProvider: null,
            runsOn,
            confidence: 0.9,
            evidence: [],
            personKey: null,
          },
        ],
        config: DEFAULT_CONFIG,
        now: NOW,
        externalIdSeed: SEED,
        catalog: CATALOG,
      });
      const [role] = roles(plan);
      if (!role) throw new Error('no role planned');
      expect(analyzeTrustPolicy(role.trustPolicy, { accountId: ACCOUNT })).toEqual([]);
    },
  );

  // Bitbucket's subject ends in the step UUID, new on every run: pinned to repository and
  // deployment environment, the only wildcard left is that per-run step, which is no finding.
  it('Given a bitbucket pipeline with its deployment environment, when its trust policy is analysed, then it has no issue', () => {
    const plan = pipelinePlan('bitbucket', {
      bitbucket_workspace: 'acme',
      bitbucket_workspace_uuid: 'a1b2c3d4-0000-4000-8000-000000000003',
      bitbucket_repo_uuid: 'b2c3d4e5-0000-4000-8000-000000000004',
      bitbucket_environment_uuid: 'c3d4e5f6-0000-4000-8000-000000000005',
    });
    const [role] = roles(plan);
    if (!role) throw new Error('no role planned');
    expect(analyzeTrustPolicy(role.trustPolicy, { accountId: ACCOUNT })).toEqual([]);
  });

  it('Given a bitbucket pipeline without its deployment environment, when planned, then the missing pin is a blocker', () => {
    const plan = pipelinePlan('bitbucket', {
      bitbucket_workspace: 'acme',
      bitbucket_workspace_uuid: 'a1b2c3d4-0000-4000-8000-000000000003',
      bitbucket_repo_uuid: 'b2c3d4e5-0000-4000-8000-000000000004',
    });
    expect(plan.users[0]?.blockers.join(' ')).toMatch(/deployment environment UUID/);
  });

  it('Given a circleci pipeline without user ids, when planned, then the missing pin is a blocker', () => {
    const plan = pipelinePlan('circleci', { circleci_org_id: 'o', circleci_project_id: 'p' });
    expect(plan.users[0]?.blockers.join(' ')).toMatch(/CircleCI user id/);
  });
});
