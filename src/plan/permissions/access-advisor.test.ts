import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../config.js';
import { CATALOG, NOW, planningEstate, PROD, SEED } from '../../../test/generate/estate.js';
import type { PrincipalAccess, ServiceAccess } from '../../model/access-advisor.js';
import type { Account, PolicyDocument, Snapshot } from '../../model/snapshot.js';
import { NEVER, whenAt } from '../../model/when.js';
import { planMigration } from '../plan.js';
import type { MigrationPlan, RoleArtifact, UsageByUser } from '../types.js';

/** Access advisor generated the day before the plan: the 90-day window starts 2026-08-24. */
const GENERATED = '2026-11-22T10:00:00Z';
const WORKER = `arn:aws:iam::${PROD}:user/orders-worker`;

/** Today the worker may use SQS on its queue, every S3 read and two writes, and all of DynamoDB. */
const WORKER_TODAY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
      Resource: `arn:aws:sqs:us-east-1:${PROD}:orders`,
    },
    {
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:PutObject', 's3:PutBucketPolicy'],
      Resource: 'arn:aws:s3:::orders-archive/*',
    },
    { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
  ],
};

function service(namespace: string, lastAuthenticated: string | null, tracked?: ServiceAccess['trackedActions']) {
  return {
    service: namespace,
    name: namespace,
    lastAuthenticated: lastAuthenticated === null ? NEVER : whenAt(lastAuthenticated),
    entity: lastAuthenticated === null ? null : WORKER,
    region: lastAuthenticated === null ? null : 'us-east-1',
    totalAuthenticatedEntities: lastAuthenticated === null ? 0 : 1,
    trackedActions: tracked ?? null,
  };
}

/** SQS used last week, S3 (PutObject only, of the tracked actions) last month, KMS 200 days ago, DynamoDB never. */
const WORKER_ADVISOR: PrincipalAccess = {
  arn: WORKER,
  kind: 'user',
  generatedAt: whenAt(GENERATED),
  complete: true,
  services: [
    service('dynamodb', null),
    service('kms', '2026-05-06T00:00:00Z'),
    service('s3', '2026-10-20T00:00:00Z', [
      { action: 's3:PutBucketPolicy', lastAccessed: NEVER, entity: null, region: null },
      { action: 's3:PutObject', lastAccessed: whenAt('2026-10-20T00:00:00Z'), entity: WORKER, region: 'us-east-1' },
    ]),
    service('sqs', '2026-11-16T00:00:00Z'),
  ],
};

function withWorker(snapshot: Snapshot, change: (account: Account) => Account): Snapshot {
  return {
    ...snapshot,
    accounts: snapshot.accounts.map((account) => (account.accountId === PROD ? change(account) : account)),
  };
}

/** The planning estate (no CloudTrail) with the worker's broader policy and its access advisor report. */
function estate(access: PrincipalAccess | null = WORKER_ADVISOR, document: PolicyDocument = WORKER_TODAY) {
  const { snapshot, classifications } = planningEstate();
  const changed = withWorker(snapshot, (account) => ({
    ...account,
    users: account.users.map((user) =>
      user.arn === WORKER ? { ...user, inlinePolicies: [{ name: 'worker', document }] } : user,
    ),
    ...(access === null ? {} : { accessAdvisor: { principals: [access] } }),
  }));
  return { snapshot: changed, classifications };
}

function plan(
  snapshot: Snapshot,
  classifications: ReturnType<typeof planningEstate>['classifications'],
  usage?: UsageByUser,
) {
  return planMigration(snapshot, {
    classifications,
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
    ...(usage === undefined ? {} : { usage }),
  });
}

function workerRole(result: MigrationPlan): RoleArtifact {
  const worker = result.users.find((user) => user.userArn === WORKER);
  const role = worker?.artifacts.find((artifact): artifact is RoleArtifact => artifact.kind === 'role');
  if (!role) throw new Error('no role planned for orders-worker');
  return role;
}

describe('plan with IAM access advisor and no CloudTrail', () => {
  it('Given a machine user whose access advisor shows SQS and S3 used in the window, When planned, Then its role keeps only those services, drops the tracked action never used, and says why', () => {
    const { snapshot, classifications } = estate();

    const permissions = workerRole(plan(snapshot, classifications)).permissions;

    expect(permissions.source).toBe('access-advisor');
    expect(permissions.inlinePolicy?.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        Resource: `arn:aws:sqs:us-east-1:${PROD}:orders`,
      },
      // s3:Get* stays whole: AWS does not track every S3 read; PutBucketPolicy is tracked and unused.
      { Effect: 'Allow', Action: ['s3:Get*', 's3:PutObject'], Resource: 'arn:aws:s3:::orders-archive/*' },
    ]);
    expect(permissions.note).toContain(
      'IAM access advisor (no CloudTrail): only the 2 service(s) used in the 90 days before 2026-11-22',
    );
    expect(permissions.note).toContain('cannot see which resources were used');
    expect(permissions.admin).toBe(false);
  });

  it("Given the same user without access advisor data, When planned, Then it mirrors today's policies as before", () => {
    const { snapshot, classifications } = estate(null);

    const permissions = workerRole(plan(snapshot, classifications)).permissions;

    expect(permissions.source).toBe('current-policies');
    expect(permissions.inlinePolicy?.Statement).toEqual(WORKER_TODAY.Statement);
  });

  it('Given an access advisor report read only in part, When planned, Then nothing is narrowed and the note says why', () => {
    const { snapshot, classifications } = estate({ ...WORKER_ADVISOR, complete: false });

    const permissions = workerRole(plan(snapshot, classifications)).permissions;

    expect(permissions.source).toBe('current-policies');
    expect(permissions.inlinePolicy?.Statement).toEqual(WORKER_TODAY.Statement);
    expect(permissions.note).toContain('access advisor was read only in part');
  });

  it('Given Action * on every resource, When planned, Then it becomes one wildcard per used service and is no longer administrator access', () => {
    const admin: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    };
    // A value from AWS that is not a service prefix never becomes part of a generated policy.
    const hostile = {
      ...WORKER_ADVISOR,
      services: [...WORKER_ADVISOR.services, service('s3"}:*,"x', '2026-11-20T00:00:00Z')],
    };
    const { snapshot, classifications } = estate(hostile, admin);

    const permissions = workerRole(plan(snapshot, classifications)).permissions;

    expect(permissions.inlinePolicy?.Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:*', 'sqs:*'], Resource: '*' },
    ]);
    expect(permissions.admin).toBe(false);
  });

  it('Given a NotAction Allow and a Deny, When planned, Then both stay whole and the note says the NotAction could not be narrowed', () => {
    const document: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' },
      ],
    };
    const { snapshot, classifications } = estate(WORKER_ADVISOR, document);

    const permissions = workerRole(plan(snapshot, classifications)).permissions;

    expect(permissions.inlinePolicy?.Statement).toEqual(document.Statement);
    expect(permissions.note).toContain('1 NotAction statement(s) stay whole');
  });
});

describe('plan with CloudTrail: access advisor as a cross-check', () => {
  it('Given CloudTrail saw SQS and DynamoDB while access advisor saw SQS and S3, When planned, Then CloudTrail decides and the note flags both differences', () => {
    const { snapshot, classifications } = estate();
    const usage: UsageByUser = {
      [WORKER]: {
        actions: [
          { action: 'sqs:ReceiveMessage', mapped: true, events: 3, errors: 0, resources: [] },
          { action: 'dynamodb:GetItem', mapped: true, events: 2, errors: 0, resources: [] },
        ],
        windowDays: 30,
      },
    };

    const permissions = workerRole(plan(snapshot, classifications, usage)).permissions;

    expect(permissions.source).toBe('usage');
    expect(permissions.note).toBe(
      'least privilege from CloudTrail activity over 30 days; CHECK: used per access advisor but not in CloudTrail: s3; in CloudTrail but not access advisor: dynamodb',
    );
  });
});
