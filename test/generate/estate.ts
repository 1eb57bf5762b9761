import type { Classification } from '../../src/model/classification.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { NEVER, whenAt } from '../../src/model/when.js';
import { loadIamCatalog } from '../../src/policy/action-catalog.js';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../fixtures/build-snapshot.js';

export const NOW = new Date('2026-11-23T10:00:00Z');
export const PROD = '111111111111';
export const DEV = '222222222222';
export const SEED = 'golden-seed';
/** The IAM action catalogue every plan reads (admin verdicts, the proofs). */
export const CATALOG = await loadIamCatalog();

/**
 * A small estate with one user of every kind the planner knows, spread over two accounts so
 * the person-across-accounts and per-account rendering paths are exercised.
 */
export function planningEstate(): { snapshot: Snapshot; classifications: Classification[] } {
  const deployPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::acme-site/*' }],
  };
  const prod = buildAccount(PROD, {
    alias: 'acme-prod',
    groups: [
      {
        arn: `arn:aws:iam::${PROD}:group/developers`,
        name: 'developers',
        groupId: 'AGPADEVELOPERS000001',
        path: '/',
        createDate: whenAt('2025-01-01T00:00:00Z'),
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' }],
        inlinePolicies: [],
      },
    ],
    policies: [
      {
        arn: `arn:aws:iam::${PROD}:policy/team/deploy-site`,
        name: 'deploy-site',
        path: '/team/',
        awsManaged: false,
        attachmentCount: 1,
        defaultVersionId: 'v1',
        document: deployPolicy,
      },
    ],
    users: [
      buildUser(
        'alice',
        {
          tags: { email: 'alice@acme.example', team: 'platform' },
          groups: ['developers'],
          password: {
            enabled: true,
            lastUsed: whenAt('2026-11-20T00:00:00Z'),
            lastChanged: NEVER,
            nextRotation: NEVER,
          },
          mfaActive: true,
          accessKeys: [buildKey({ lastUsed: whenAt('2026-11-01T00:00:00Z') })],
        },
        PROD,
      ),
      buildUser(
        'github-deploy',
        {
          tags: { repo: 'acme/site', branch: 'main', owner: 'platform-team', team: 'platform' },
          attachedPolicies: [{ arn: `arn:aws:iam::${PROD}:policy/team/deploy-site`, name: 'deploy-site' }],
          accessKeys: [buildKey({ lastUsed: whenAt('2026-11-22T00:00:00Z') })],
        },
        PROD,
      ),
      buildUser(
        'gitlab-ci',
        {
          tags: { gitlab_project: 'acme/infra', owner: 'infra' },
          inlinePolicies: [
            {
              name: 'ecr-push',
              document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] },
            },
          ],
          accessKeys: [buildKey({ lastUsed: whenAt('2026-10-01T00:00:00Z') })],
        },
        PROD,
      ),
      buildUser(
        'orders-worker',
        {
          tags: { owner: 'orders', 'cost-center': 'CC-42' },
          inlinePolicies: [
            {
              name: 'sqs',
              document: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
                    Resource: `arn:aws:sqs:us-east-1:${PROD}:orders`,
                  },
                ],
              },
            },
          ],
          accessKeys: [buildKey()],
        },
        PROD,
      ),
      buildUser(
        'backup-agent',
        {
          tags: { owner: 'ops', certificate_cn: 'backup01.dc1.acme.example' },
          attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess', name: 'AmazonS3FullAccess' }],
          accessKeys: [buildKey({ lastUsed: whenAt('2026-11-23T01:00:00Z') })],
        },
        PROD,
      ),
      buildUser(
        'datadog',
        {
          tags: { vendor: 'Datadog', vendor_account_id: '464622532012', owner: 'sre' },
          attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/SecurityAudit', name: 'SecurityAudit' }],
          accessKeys: [buildKey()],
        },
        PROD,
      ),
      buildUser(
        'signing-service',
        {
          tags: { vendor: 'SignCo', vendor_assume_role: 'false', owner: 'payments' },
          inlinePolicies: [
            {
              name: 'kms',
              document: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 'kms:Sign', Resource: `arn:aws:kms:us-east-1:${PROD}:key/1234` },
                ],
              },
            },
          ],
          accessKeys: [buildKey()],
        },
        PROD,
      ),
      buildUser(
        'breakglass',
        {
          password: { enabled: true, lastUsed: NEVER, lastChanged: NEVER, nextRotation: NEVER },
          mfaActive: true,
          mfaDevices: [{ serial: null, kind: 'hardware', enabledAt: whenAt('2025-01-01T00:00:00Z') }],
          attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }],
        },
        PROD,
      ),
      buildUser('mystery', { accessKeys: [buildKey({ lastUsed: NEVER })] }, PROD),
    ],
  });
  const dev = buildAccount(DEV, {
    alias: 'acme-dev',
    oidcProviders: [
      {
        arn: `arn:aws:iam::${DEV}:oidc-provider/token.actions.githubusercontent.com`,
        url: 'https://token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        thumbprints: [],
        createDate: whenAt('2025-01-01T00:00:00Z'),
        tags: {},
      },
    ],
    users: [
      buildUser(
        'alice.smith',
        {
          tags: { email: 'alice@acme.example' },
          attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/PowerUserAccess', name: 'PowerUserAccess' }],
        },
        DEV,
      ),
      buildUser(
        'preview-ci',
        {
          tags: { github_repo: 'acme/web', environment_name: 'preview' },
          attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AWSLambda_FullAccess', name: 'AWSLambda_FullAccess' }],
        },
        DEV,
      ),
      buildUser(
        'report-fn',
        {
          tags: { function_name: 'nightly-report' },
          inlinePolicies: [
            {
              name: 'logs',
              document: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }],
              },
            },
          ],
        },
        DEV,
      ),
    ],
  });
  const snapshot = buildSnapshot([prod, dev]);
  const classification = (accountId: string, userName: string, rest: Partial<Classification>): Classification => ({
    accountId,
    userName,
    userArn: `arn:aws:iam::${accountId}:user/${userName}`,
    class: 'unknown',
    ciProvider: null,
    runsOn: null,
    confidence: 0.9,
    evidence: [],
    personKey: null,
    ...rest,
  });
  const classifications: Classification[] = [
    classification(PROD, 'alice', { class: 'human', personKey: 'alice@acme.example' }),
    classification(DEV, 'alice.smith', { class: 'human', personKey: 'alice@acme.example' }),
    classification(PROD, 'github-deploy', { class: 'ci-cd', ciProvider: 'github-actions' }),
    classification(DEV, 'preview-ci', { class: 'ci-cd', ciProvider: 'github-actions' }),
    classification(PROD, 'gitlab-ci', { class: 'ci-cd', ciProvider: 'gitlab' }),
    classification(PROD, 'orders-worker', { class: 'workload', runsOn: 'ecs' }),
    classification(DEV, 'report-fn', { class: 'workload', runsOn: 'lambda' }),
    classification(PROD, 'backup-agent', { class: 'workload', runsOn: 'on-prem' }),
    classification(PROD, 'datadog', { class: 'third-party' }),
    classification(PROD, 'signing-service', { class: 'third-party' }),
    classification(PROD, 'breakglass', { class: 'break-glass' }),
    classification(PROD, 'mystery', { class: 'unknown', confidence: 0.2 }),
  ];
  return { snapshot, classifications };
}
