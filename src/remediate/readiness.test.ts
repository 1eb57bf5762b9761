import { describe, expect, it } from 'vitest';
import { judgeRole, matchesPlanned, plannedRoles, uncheckedReplacements } from './readiness.js';

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

  it("Given a plan with a role, a permission set assignment and a Roles Anywhere profile, When read, Then the role of the user's account is checked and the others are unknown", () => {
    const artifacts = [
      { kind: 'role', accountId: '111111111111', name: 'a', trustPolicy: TRUST },
      { kind: 'role', accountId: '222222222222', name: 'b', trustPolicy: TRUST },
      { kind: 'account-assignment', accountId: '111111111111', permissionSetName: 'Dev' },
      { kind: 'roles-anywhere-profile', accountId: '111111111111', name: 'backup' },
    ];
    expect(plannedRoles(artifacts, '111111111111').map((role) => role.name)).toEqual(['a']);
    expect(uncheckedReplacements(artifacts).map((fact) => fact.status)).toEqual(['unknown', 'unknown']);
  });
});
