import { describe, expect, it } from 'vitest';
import { buildAccount, buildUser } from '../../test/fixtures/build-snapshot.js';
import type { ManagedPolicy } from '../model/snapshot.js';
import { plannedPermissions } from '../plan/permissions.js';
import { userPolicies } from './permissions.js';

const POWER_USER: ManagedPolicy = {
  arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
  name: 'PowerUserAccess',
  path: '/',
  awsManaged: true,
  attachmentCount: null,
  defaultVersionId: 'v5',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }],
  },
};

describe('AWS managed policies kept once per scan', () => {
  const user = buildUser('deployer', { attachedPolicies: [{ arn: POWER_USER.arn, name: POWER_USER.name }] });
  const account = buildAccount('111111111111', { users: [user], policies: [] });

  it('Given the policy only in the scan-wide list, When the user policies are read, Then its statements are there and nothing is unreadable', () => {
    const policies = userPolicies({ awsManagedPolicies: [POWER_USER] }, account, user);
    expect(policies.unreadable).toEqual([]);
    expect(policies.statements.map((entry) => entry.source.name)).toEqual(['PowerUserAccess']);
  });

  it('Given an old snapshot keeping the policy in the account, When read, Then it reads the same', () => {
    const old = { ...account, policies: [POWER_USER] };
    expect(userPolicies({}, old, user).statements).toEqual(
      userPolicies({ awsManagedPolicies: [POWER_USER] }, account, user).statements,
    );
  });

  it('Given an administrator policy only in the scan-wide list, When the replacement is planned, Then its document is read and the plan says admin', () => {
    const everything: ManagedPolicy = {
      ...POWER_USER,
      arn: 'arn:aws:iam::aws:policy/EverythingForTest',
      name: 'EverythingForTest',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    };
    const admin = buildUser('admin', { attachedPolicies: [{ arn: everything.arn, name: everything.name }] });
    expect(plannedPermissions({ awsManagedPolicies: [everything] }, admin, account, undefined).admin).toBe(true);
    expect(plannedPermissions({}, admin, account, undefined).admin).toBe(false);
  });
});
