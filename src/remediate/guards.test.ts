import { describe, expect, it } from 'vitest';
import { callerUserName, checkGuards, type AdminHolder, type GuardContext } from './guards.js';
import type { UserState } from './plan-steps.js';

const ACCOUNT = '111111111111';

function state(userName: string, keys: string[] = []): UserState {
  return {
    accountId: ACCOUNT,
    userName,
    arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
    userId: 'AIDAEXAMPLE',
    path: '/',
    permissionsBoundaryArn: null,
    tags: [],
    accessKeys: keys.map((accessKeyId) => ({ accessKeyId, status: 'Active' as const })),
    loginProfile: null,
    inlinePolicies: [],
    attachedPolicies: [],
    groups: [],
    mfaDevices: [],
    signingCertificates: [],
    sshPublicKeys: [],
    serviceSpecificCredentials: [],
  };
}

function context(overrides: Partial<GuardContext> = {}): GuardContext {
  return {
    caller: { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/operator`, accessKeyId: 'AKIAOPERATOR00000001' },
    admins: new Map<string, AdminHolder[]>([[ACCOUNT, []]]),
    switchedOff: new Set(),
    ...overrides,
  };
}

describe('checkGuards: the caller itself', () => {
  it('Given the user roleshift runs as, When checked, Then it is refused because it would lock the operator out', () => {
    const verdict = checkGuards(state('operator'), context());
    expect(verdict.refusals).toHaveLength(1);
    expect(verdict.refusals[0]).toMatch(/identity roleshift is running as .*lock you out/);
  });

  it('Given a user holding the access key roleshift signs with (caller seen as a role session), When checked, Then it is refused', () => {
    const caller = {
      accountId: ACCOUNT,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Ops/session`,
      accessKeyId: 'AKIASCANNER000000001',
    };
    const verdict = checkGuards(state('scanner', ['AKIASCANNER000000001']), context({ caller }));
    expect(verdict.refusals[0]).toMatch(/access key AKIASCANNER000000001 is the credential roleshift is running with/);
  });

  it('Given a user of the same name in another account, When checked, Then the caller guard does not refuse it', () => {
    const caller = { accountId: '222222222222', arn: 'arn:aws:iam::222222222222:user/operator', accessKeyId: 'AKIAX' };
    expect(checkGuards(state('operator'), context({ caller })).refusals).toEqual([]);
  });

  it('Given ARNs of users, roles and root, When the caller user is read, Then only an IAM user gives a name', () => {
    expect(callerUserName('arn:aws:iam::111111111111:user/team/ops/alice')).toBe('alice');
    expect(callerUserName('arn:aws:sts::111111111111:assumed-role/Admin/alice')).toBeNull();
    expect(callerUserName('arn:aws:iam::111111111111:root')).toBeNull();
  });
});

describe('checkGuards: the last administrator', () => {
  const admins = (...holders: AdminHolder[]) => new Map([[ACCOUNT, holders]]);
  const user = (name: string, certain = true): AdminHolder => ({ kind: 'user', name, certain });

  it('Given the only administrator of the account, When checked, Then it is refused as the last credential that can administer it', () => {
    const verdict = checkGuards(state('alice'), context({ admins: admins(user('alice')) }));
    expect(verdict.refusals[0]).toMatch(/last credential that can administer account 111111111111/);
  });

  it('Given two administrators both switched off by the same command, When the second is checked, Then it is refused', () => {
    const verdict = checkGuards(
      state('bob'),
      context({ admins: admins(user('alice'), user('bob')), switchedOff: new Set([`${ACCOUNT}/alice`]) }),
    );
    expect(verdict.refusals).toHaveLength(1);
  });

  it('Given another administrator that is one only maybe, When checked, Then it is not counted as the way back in', () => {
    expect(
      checkGuards(state('alice'), context({ admins: admins(user('alice'), user('bob', false)) })).refusals,
    ).toHaveLength(1);
  });

  it('Given another certain administrator user or an assumable administrator role, When checked, Then the user is not refused', () => {
    expect(checkGuards(state('alice'), context({ admins: admins(user('alice'), user('bob')) })).refusals).toEqual([]);
    const role: AdminHolder = { kind: 'role', name: 'Admin', certain: true };
    expect(checkGuards(state('alice'), context({ admins: admins(user('alice'), role) })).refusals).toEqual([]);
  });

  it('Given no snapshot of the account, When checked, Then the guard says it could not check, never that it is safe', () => {
    const verdict = checkGuards(state('alice'), context({ admins: null }));
    expect(verdict.refusals).toEqual([]);
    expect(verdict.notes[0]).toMatch(/last-admin guard not checked/);
  });
});
