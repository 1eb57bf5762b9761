import { beforeAll, describe, expect, it } from 'vitest';
import type { Organization } from '../../model/organization.js';
import type { PolicyDocument, Snapshot } from '../../model/snapshot.js';
import { UNKNOWN } from '../../model/when.js';
import { buildAccount, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { loadIamCatalog, type IamCatalog } from '../action-catalog.js';
import { createEvaluator } from '../evaluator/evaluator.js';
import { assessAdmin } from './admin.js';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-11-20T00:00:00Z');
let catalog: IamCatalog;

beforeAll(async () => {
  catalog = await loadIamCatalog();
});

function doc(...statements: Array<Record<string, unknown>>): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

const ADMIN = { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' };

function assessUser(
  inline: PolicyDocument[],
  options: { admin?: boolean; organization?: Organization; boundary?: PolicyDocument } = {},
) {
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
  const snapshot: Snapshot = buildSnapshot(
    [
      buildAccount(ACCOUNT, {
        users: [
          buildUser(
            'subject',
            {
              attachedPolicies: options.admin ? [ADMIN] : [],
              inlinePolicies: inline.map((document, i) => ({ name: `p${i}`, document })),
              permissionsBoundary: options.boundary ? { arn: boundaryArn, type: 'Policy' } : null,
            },
            ACCOUNT,
          ),
        ],
        policies: options.boundary
          ? [
              {
                arn: boundaryArn,
                name: 'boundary',
                path: '/',
                awsManaged: false,
                attachmentCount: 1,
                defaultVersionId: 'v1',
                document: options.boundary,
              },
            ]
          : [],
      }),
    ],
    options.organization ? { organization: options.organization } : {},
  );
  const evaluator = createEvaluator(snapshot, { now: NOW });
  const principal = evaluator.principals()[0];
  if (!principal) throw new Error('no principal');
  return assessAdmin(evaluator, catalog, principal);
}

describe('assessAdmin', () => {
  it('Given AdministratorAccess alone, When assessed, Then the user is a full administrator through that policy', () => {
    const assessment = assessUser([], { admin: true });
    expect(assessment).toMatchObject({ admin: 'yes', level: 'full', exceptions: [] });
    expect(assessment.grants.map((g) => g.source.name)).toEqual(['AdministratorAccess']);
  });

  it('Given AdministratorAccess beside a Deny of everything (the lab case fp2), When assessed, Then it is not an administrator at all', () => {
    const assessment = assessUser([doc({ Effect: 'Deny', Action: '*', Resource: '*' })], { admin: true });
    expect(assessment.admin).toBe('no');
    expect(assessment.level).toBe('none');
  });

  it('Given a NotAction allow-list that leaves out IAM and Organizations, When assessed, Then it is "all but" those services', () => {
    const assessment = assessUser([doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })]);
    expect(assessment.level).toBe('all-but');
    expect(assessment.exceptions.map((e) => e.what).sort()).toEqual(['iam:*', 'organizations:*']);
  });

  it('Given a NotAction that leaves out some IAM writes (the lab case fn4), When assessed, Then the exceptions are exactly those actions', () => {
    const assessment = assessUser([
      doc({ Effect: 'Allow', NotAction: ['iam:Update*', 'iam:Create*', 'iam:Attach*'], Resource: '*' }),
    ]);
    expect(assessment.level).toBe('all-but');
    const what = assessment.exceptions.map((e) => e.what);
    expect(what).toContain('iam:CreateUser');
    expect(what).toContain('iam:AttachRolePolicy');
    expect(what).not.toContain('iam:PutUserPolicy');
    expect(what.every((w) => /^iam:(Update|Create|Attach)/.test(w))).toBe(true);
  });

  it('Given AdministratorAccess under an MFA condition, When assessed, Then it is an administrator only under conditions, with the condition named', () => {
    const assessment = assessUser([
      doc({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
    ]);
    expect(assessment.admin).toBe('maybe');
    expect(assessment.undecided.flatMap((u) => u.conditions.map((c) => c.rawKey))).toEqual([
      'aws:MultiFactorAuthPresent',
    ]);
  });

  it('Given AdministratorAccess inside a boundary without IAM, When assessed, Then the boundary makes it "all but IAM"', () => {
    const assessment = assessUser([], {
      admin: true,
      boundary: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
    });
    expect(assessment.level).toBe('all-but');
    expect(assessment.exceptions).toEqual([{ what: 'iam:*', causes: ['boundary'] }]);
  });

  it('Given AdministratorAccess in an account whose SCP denies leaving the organization, When assessed, Then it stays a full administrator and the SCP limit is listed', () => {
    const organization: Organization = {
      id: 'o-x',
      managementAccountId: '999999999999',
      accounts: [
        { accountId: ACCOUNT, name: 'a', status: 'ACTIVE', ouPath: ['Root'], ouIds: ['r-root'], joinedAt: UNKNOWN },
      ],
      scps: [
        {
          id: 'p-full',
          arn: 'arn:p-full',
          name: 'FullAWSAccess',
          awsManaged: true,
          document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
          targets: [
            { targetId: 'r-root', type: 'ROOT', name: 'Root' },
            { targetId: ACCOUNT, type: 'ACCOUNT', name: 'a' },
          ],
        },
        {
          id: 'p-leave',
          arn: 'arn:p-leave',
          name: 'DenyLeave',
          awsManaged: false,
          document: doc({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
          targets: [{ targetId: 'r-root', type: 'ROOT', name: 'Root' }],
        },
      ],
    };
    const assessment = assessUser([], { admin: true, organization });
    expect(assessment).toMatchObject({ admin: 'yes', level: 'full' });
    expect(assessment.scpLimits).toEqual([{ what: 'organizations:LeaveOrganization', causes: ['explicit-deny'] }]);
  });

  it('Given only service-scoped grants, When assessed, Then it is not an administrator (no "*" to narrow)', () => {
    expect(assessUser([doc({ Effect: 'Allow', Action: ['s3:*', 'ec2:*'], Resource: '*' })])).toMatchObject({
      admin: 'no',
      level: 'none',
    });
  });
});

describe('assessAdmin shared by principals with the same policies', () => {
  /** Two users with AdministratorAccess and the same inline policy, differing only in name and tags. */
  function assessTwo(inline: PolicyDocument, tags: [Record<string, string>, Record<string, string>]) {
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: ['alice', 'bob'].map((name, i) =>
          buildUser(
            name,
            { attachedPolicies: [ADMIN], inlinePolicies: [{ name: 'guard', document: inline }], tags: tags[i] ?? {} },
            ACCOUNT,
          ),
        ),
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    return evaluator.principals().map((principal) => assessAdmin(evaluator, catalog, principal));
  }

  it('Given two administrators that differ only in a principal tag a Deny condition reads, When assessed, Then only the untagged one is an administrator', () => {
    const [contractor, employee] = assessTwo(
      doc({
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalTag/kind': 'contractor' } },
      }),
      [{ kind: 'contractor' }, { kind: 'employee' }],
    );
    expect(contractor).toMatchObject({ admin: 'no', level: 'none' });
    expect(employee).toMatchObject({ admin: 'yes', level: 'full' });
  });

  it('Given two administrators whose only difference is ${aws:username} in a Resource, When assessed, Then they share one assessment (every question is about every resource)', () => {
    const [alice, bob] = assessTwo(
      doc({ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }),
      [{}, {}],
    );
    expect(alice).toMatchObject({ admin: 'no', level: 'all-but' });
    expect(bob).toBe(alice);
  });

  it("Given two administrators whose boundaries leave out different actions of one service, When assessed, Then each lacks its own action (the boundary is part of the action groups' key)", () => {
    const boundaryArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          ['alice', 'no-delete'],
          ['bob', 'no-put'],
        ].map(([name, boundary]) =>
          buildUser(
            name as string,
            {
              attachedPolicies: [ADMIN],
              permissionsBoundary: { arn: boundaryArn(boundary as string), type: 'Policy' },
            },
            ACCOUNT,
          ),
        ),
        policies: [
          ['no-delete', 's3:DeleteBucket'],
          ['no-put', 's3:PutObject'],
        ].map(([name, action]) => ({
          arn: boundaryArn(name as string),
          name: name as string,
          path: '/',
          awsManaged: false,
          attachmentCount: 1,
          defaultVersionId: 'v1',
          document: doc({ Effect: 'Allow', NotAction: action, Resource: '*' }),
        })),
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const [alice, bob] = evaluator.principals().map((principal) => assessAdmin(evaluator, catalog, principal));
    expect(alice?.exceptions).toEqual([{ what: 's3:DeleteBucket', causes: ['boundary'] }]);
    expect(bob?.exceptions).toEqual([{ what: 's3:PutObject', causes: ['boundary'] }]);
  });
});
