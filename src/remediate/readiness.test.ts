import { describe, expect, it } from 'vitest';
import type { IdentityCenterInstance, RolesAnywhere } from '../model/organization.js';
import {
  judgeAssignment,
  judgeRole,
  judgeRolesAnywhere,
  matchesPlanned,
  plannedAssignments,
  plannedRoles,
  plannedRolesAnywhere,
  type PlannedAssignment,
} from './readiness.js';

const TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/api:*'] } },
    },
  ],
};
const ROLE = { name: 'github-deploy', trustPolicy: TRUST };
const KEY_QUIET = [{ accessKeyId: 'AKIAOLD', lastUsed: '2026-11-01T00:00:00.000Z' }];

describe('judgeRole', () => {
  it('Given the planned role was never created, When judged, Then the replacement is not ready', () => {
    expect(judgeRole(ROLE, null, KEY_QUIET)).toEqual([
      { status: 'failed', detail: 'role github-deploy does not exist yet: deploy it first' },
    ]);
  });

  it('Given the role exists with another trust policy, When judged, Then it is not ready', () => {
    const other = { ...TRUST, Statement: [{ ...TRUST.Statement[0], Principal: { AWS: '*' } }] };
    expect(judgeRole(ROLE, { trustPolicy: other, lastUsed: '2026-11-20T00:00:00Z' }, KEY_QUIET)[0]?.detail).toMatch(
      /trust policy is not the planned one/,
    );
  });

  it('Given the role is deployed as planned but never used, When judged, Then it is not ready', () => {
    expect(judgeRole(ROLE, { trustPolicy: TRUST, lastUsed: null }, KEY_QUIET)[0]?.detail).toMatch(/never used/);
  });

  it('Given the old key was used after the role last was, When judged, Then the key has not gone quiet', () => {
    const facts = judgeRole(ROLE, { trustPolicy: TRUST, lastUsed: '2026-10-01T00:00:00.000Z' }, KEY_QUIET);
    expect(facts).toEqual([
      expect.objectContaining({ status: 'failed', detail: expect.stringMatching(/not gone quiet/) }),
    ]);
  });

  it('Given the role deployed as planned (statement order, one-element arrays aside) and used since the key went quiet, When judged, Then it is ready and what CloudTrail would add is said to be unknown', () => {
    const live = JSON.parse(JSON.stringify(TRUST)) as typeof TRUST;
    (live.Statement[0] as Record<string, unknown>).Condition = {
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:*' },
    };
    const facts = judgeRole(ROLE, { trustPolicy: live, lastUsed: '2026-11-20T00:00:00.000Z' }, KEY_QUIET);
    expect(facts.map((fact) => fact.status)).toEqual(['ok', 'unknown']);
  });
});

describe('matchesPlanned and the plan artifacts', () => {
  it('Given a planned value still to be filled in, When compared, Then any deployed value matches it', () => {
    expect(matchesPlanned({ ExternalId: 'REPLACE_ME_EXTERNAL_ID' }, { ExternalId: 'rs-1234' })).toBe(true);
    expect(matchesPlanned({ ExternalId: 'rs-1' }, { ExternalId: 'rs-2' })).toBe(false);
  });

  it("Given a plan with roles in two accounts, When read, Then only the role of the user's account is checked", () => {
    const artifacts = [
      { kind: 'role', accountId: '111111111111', name: 'a', trustPolicy: TRUST },
      { kind: 'role', accountId: '222222222222', name: 'b', trustPolicy: TRUST },
    ];
    expect(plannedRoles(artifacts, '111111111111').map((role) => role.name)).toEqual(['a']);
  });
});

const HOME = '111111111111';

function instance(overrides: Partial<IdentityCenterInstance> = {}): IdentityCenterInstance {
  return {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1',
    identityStoreId: 'd-1',
    homeAccountId: HOME,
    region: 'eu-west-1',
    permissionSets: [
      {
        arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-dev',
        name: 'Developer',
        description: null,
        sessionDuration: null,
        managedPolicies: [],
        customerManagedPolicies: [],
        inlinePolicy: null,
      },
    ],
    assignments: [],
    users: [{ userId: 'u-alice', userName: 'alice@example.com', displayName: null, emails: [] }],
    groups: [{ groupId: 'g-devs', displayName: 'developers' }],
    memberships: [],
    ...overrides,
  };
}

const PLANNED_ASSIGNMENT = plannedAssignments([
  {
    kind: 'account-assignment',
    accountId: HOME,
    permissionSetName: 'Developer',
    principalType: 'USER',
    principalName: 'alice@example.com',
  },
  { kind: 'cli-profiles', ssoRegion: 'eu-west-1' },
])[0] as PlannedAssignment;

function assigned(principalType: string, principalId: string, accountId = HOME) {
  return { accountId, permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-dev', principalType, principalId };
}

describe('an Identity Center assignment, read live', () => {
  it('Given the plan, When read, Then the assignment carries the region of its CLI profiles', () => {
    expect(PLANNED_ASSIGNMENT).toEqual({
      accountId: HOME,
      permissionSetName: 'Developer',
      principalType: 'USER',
      principalName: 'alice@example.com',
      region: 'eu-west-1',
    });
  });

  it.each([
    ['no instance is visible', null, 'unknown', /no Identity Center instance is visible/],
    [
      'the permission set is missing',
      instance({ permissionSets: [] }),
      'failed',
      /permission set Developer does not exist yet/,
    ],
    ['the user is missing', instance({ users: [] }), 'failed', /user alice@example.com does not exist yet/],
    [
      'the set is assigned to her in another account',
      instance({ assignments: [assigned('USER', 'u-alice', '222222222222')] }),
      'failed',
      /is not assigned yet/,
    ],
    [
      'the set is assigned to a group she is not in',
      instance({ assignments: [assigned('GROUP', 'g-devs')] }),
      'failed',
      /is not assigned yet/,
    ],
    ['the set is assigned to her', instance({ assignments: [assigned('USER', 'u-alice')] }), 'ok', /is assigned/],
    [
      'the set is assigned to a group she is in',
      instance({ assignments: [assigned('GROUP', 'g-devs')], memberships: [{ groupId: 'g-devs', userId: 'u-alice' }] }),
      'ok',
      /is assigned/,
    ],
  ])('Given %s, When judged, Then the first fact is %s', (_case, live, status, detail) => {
    const [first] = judgeAssignment(PLANNED_ASSIGNMENT, live);
    expect(first?.status).toBe(status);
    expect(first?.detail).toMatch(detail);
  });

  it('Given the set is assigned, When judged, Then whether she signed in with it is said to be unknown', () => {
    const facts = judgeAssignment(PLANNED_ASSIGNMENT, instance({ assignments: [assigned('USER', 'u-alice')] }));
    expect(facts.map((fact) => fact.status)).toEqual(['ok', 'unknown']);
  });
});

const PLANNED_ANYWHERE = plannedRolesAnywhere(
  [
    { kind: 'trust-anchor', accountId: HOME, name: 'onprem-ca' },
    { kind: 'roles-anywhere-profile', accountId: HOME, name: 'backup', roleNames: ['backup-host'] },
    { kind: 'roles-anywhere-profile', accountId: '222222222222', name: 'elsewhere', roleNames: ['x'] },
  ],
  HOME,
);

function anywhere(overrides: Partial<RolesAnywhere> = {}): RolesAnywhere {
  return {
    accountId: HOME,
    region: 'eu-west-1',
    trustAnchors: [
      {
        arn: 'arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/ta-1',
        name: 'onprem-ca',
        enabled: true,
        sourceType: 'AWS_ACM_PCA',
      },
    ],
    profiles: [
      {
        arn: 'arn:aws:rolesanywhere:eu-west-1:111111111111:profile/p-1',
        name: 'backup',
        enabled: true,
        roleArns: ['arn:aws:iam::111111111111:role/machines/backup-host'],
      },
    ],
    ...overrides,
  };
}

describe('a Roles Anywhere profile, read live', () => {
  it("Given the plan, When read, Then only the user's account's profile and anchor are checked", () => {
    expect(PLANNED_ANYWHERE).toEqual({
      profiles: [{ name: 'backup', roleNames: ['backup-host'] }],
      trustAnchors: ['onprem-ca'],
    });
  });

  const profile = anywhere().profiles[0] as RolesAnywhere['profiles'][number];
  const anchor = anywhere().trustAnchors[0] as RolesAnywhere['trustAnchors'][number];
  it.each([
    ['both deployed and enabled', anywhere(), ['ok', 'ok'], /backup enabled/],
    ['no trust anchor', anywhere({ trustAnchors: [] }), ['failed', 'ok'], /trust anchor onprem-ca does not exist/],
    [
      'a disabled trust anchor',
      anywhere({ trustAnchors: [{ ...anchor, enabled: false }] }),
      ['failed', 'ok'],
      /onprem-ca .* is disabled/,
    ],
    ['no profile', anywhere({ profiles: [] }), ['ok', 'failed'], /profile backup does not exist/],
    [
      'a disabled profile',
      anywhere({ profiles: [{ ...profile, enabled: false }] }),
      ['ok', 'failed'],
      /profile backup .* is disabled/,
    ],
    [
      'a profile that hands out only a role of the same name in another account',
      anywhere({ profiles: [{ ...profile, roleArns: ['arn:aws:iam::222222222222:role/backup-host'] }] }),
      ['ok', 'failed'],
      /cannot hand out backup-host/,
    ],
  ])('Given %s, When judged, Then the facts are %j', (_case, live, statuses, detail) => {
    const facts = judgeRolesAnywhere(PLANNED_ANYWHERE, live);
    expect(facts.map((fact) => fact.status)).toEqual(statuses);
    expect(facts.map((fact) => fact.detail).join('\n')).toMatch(detail);
  });
});
