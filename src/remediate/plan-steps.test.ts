import { describe, expect, it } from 'vitest';
import {
  describeCall,
  planFinish,
  planRestore,
  planRollback,
  planStart,
  QUARANTINE_POLICY_DOCUMENT,
  QUARANTINE_POLICY_NAME,
  WRITE_ACTIONS,
  type IamCall,
  type UserState,
} from './plan-steps.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');

function user(overrides: Partial<UserState> = {}): UserState {
  return {
    accountId: '111111111111',
    userName: 'deploy',
    arn: 'arn:aws:iam::111111111111:user/ci/deploy',
    userId: 'AIDAEXAMPLE',
    path: '/ci/',
    permissionsBoundaryArn: null,
    tags: [],
    accessKeys: [],
    loginProfile: null,
    inlinePolicies: [],
    attachedPolicies: [],
    groups: [],
    mfaDevices: [],
    signingCertificates: [],
    sshPublicKeys: [],
    serviceSpecificCredentials: [],
    ...overrides,
  };
}

const apis = (calls: ReadonlyArray<{ call: IamCall }>): string[] => calls.map((step) => step.call.api);

describe('planStart', () => {
  const cases: Array<{ name: string; state: UserState; expected: string[] }> = [
    { name: 'a user with nothing still gets the stage tags', state: user(), expected: ['TagUser', 'TagUser'] },
    {
      name: 'only active keys are switched off',
      state: user({
        accessKeys: [
          { accessKeyId: 'AKIA1', status: 'Active' },
          { accessKeyId: 'AKIA2', status: 'Inactive' },
        ],
      }),
      expected: ['UpdateAccessKey', 'TagUser', 'TagUser'],
    },
    {
      name: 'a console password gets the quarantine policy',
      state: user({ loginProfile: { passwordResetRequired: false } }),
      expected: ['PutUserPolicy', 'TagUser', 'TagUser'],
    },
    {
      name: 'an identical quarantine policy is not written again',
      state: user({
        loginProfile: { passwordResetRequired: false },
        inlinePolicies: [{ name: QUARANTINE_POLICY_NAME, document: QUARANTINE_POLICY_DOCUMENT }],
      }),
      expected: ['TagUser', 'TagUser'],
    },
  ];
  for (const testCase of cases) {
    it(`Given ${testCase.name}, When planned, Then the calls are ${testCase.expected.join(', ')}`, () => {
      expect(apis(planStart(testCase.state, NOW))).toEqual(testCase.expected);
    });
  }

  it('Given a key, a password and a pre-existing roleshift:stage tag, When planned, Then every step knows its exact inverse', () => {
    const steps = planStart(
      user({
        accessKeys: [{ accessKeyId: 'AKIA1', status: 'Active' }],
        loginProfile: { passwordResetRequired: true },
        tags: [{ Key: 'roleshift:stage', Value: 'old' }],
      }),
      NOW,
    );
    expect(steps.map((step) => [step.stepId, step.call, step.inverse])).toEqual([
      [
        '111111111111/deploy#01-UpdateAccessKey',
        { api: 'UpdateAccessKey', params: { UserName: 'deploy', AccessKeyId: 'AKIA1', Status: 'Inactive' } },
        { api: 'UpdateAccessKey', params: { UserName: 'deploy', AccessKeyId: 'AKIA1', Status: 'Active' } },
      ],
      [
        '111111111111/deploy#02-PutUserPolicy',
        {
          api: 'PutUserPolicy',
          params: {
            UserName: 'deploy',
            PolicyName: 'roleshift-quarantine',
            PolicyDocument: QUARANTINE_POLICY_DOCUMENT,
          },
        },
        { api: 'DeleteUserPolicy', params: { UserName: 'deploy', PolicyName: 'roleshift-quarantine' } },
      ],
      [
        '111111111111/deploy#03-TagUser',
        { api: 'TagUser', params: { UserName: 'deploy', Tags: [{ Key: 'roleshift:stage', Value: 'watching' }] } },
        { api: 'TagUser', params: { UserName: 'deploy', Tags: [{ Key: 'roleshift:stage', Value: 'old' }] } },
      ],
      [
        '111111111111/deploy#04-TagUser',
        {
          api: 'TagUser',
          params: { UserName: 'deploy', Tags: [{ Key: 'roleshift:since', Value: '2026-11-23T10:00:00.000Z' }] },
        },
        { api: 'UntagUser', params: { UserName: 'deploy', TagKeys: ['roleshift:since'] } },
      ],
    ]);
  });

  it('Given a user-made policy that happens to be named roleshift-quarantine, When planned, Then the inverse puts its document back', () => {
    const [step] = planStart(
      user({
        loginProfile: { passwordResetRequired: false },
        inlinePolicies: [{ name: QUARANTINE_POLICY_NAME, document: '{"x": 1}' }],
      }),
      NOW,
    );
    expect(step?.inverse).toEqual({
      api: 'PutUserPolicy',
      params: { UserName: 'deploy', PolicyName: QUARANTINE_POLICY_NAME, PolicyDocument: '{"x": 1}' },
    });
  });
});

describe('planRollback', () => {
  it('Given a start, When rolled back, Then the inverses run last step first', () => {
    const start = planStart(
      user({
        accessKeys: [{ accessKeyId: 'AKIA1', status: 'Active' }],
        loginProfile: { passwordResetRequired: false },
      }),
      NOW,
    );
    const rollback = planRollback('111111111111', 'deploy', start);
    expect(rollback.map((step) => step.call)).toEqual([...start].reverse().map((step) => step.inverse));
    expect(rollback.map((step) => step.stepId)).toEqual([
      '111111111111/deploy#01-UntagUser',
      '111111111111/deploy#02-UntagUser',
      '111111111111/deploy#03-DeleteUserPolicy',
      '111111111111/deploy#04-UpdateAccessKey',
    ]);
  });
});

describe('planFinish', () => {
  it('Given a user with one of everything, When planned, Then deletions follow the order AWS requires, the user last', () => {
    const steps = planFinish(
      user({
        loginProfile: { passwordResetRequired: false },
        accessKeys: [{ accessKeyId: 'AKIA1', status: 'Inactive' }],
        signingCertificates: [{ certificateId: 'CERT1', status: 'Active', body: '-----BEGIN CERTIFICATE-----' }],
        sshPublicKeys: [{ sshPublicKeyId: 'APKA1', status: 'Active', body: 'ssh-ed25519 AAAA' }],
        serviceSpecificCredentials: [
          { serviceSpecificCredentialId: 'ACCA1', serviceName: 'codecommit.amazonaws.com', status: 'Active' },
        ],
        mfaDevices: [{ serialNumber: 'arn:aws:iam::111111111111:mfa/deploy' }, { serialNumber: 'GAHT12345678' }],
        inlinePolicies: [{ name: 'inline', document: '{}' }],
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' }],
        groups: ['devs'],
        permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/boundary',
      }),
    );
    expect(apis(steps)).toEqual([
      'DeleteLoginProfile',
      'DeleteAccessKey',
      'DeleteSigningCertificate',
      'DeleteSSHPublicKey',
      'DeleteServiceSpecificCredential',
      'DeactivateMFADevice',
      'DeleteVirtualMFADevice',
      'DeactivateMFADevice',
      'DeleteUserPolicy',
      'DetachUserPolicy',
      'RemoveUserFromGroup',
      'DeleteUserPermissionsBoundary',
      'DeleteUser',
    ]);
    expect(steps.every((step) => step.inverse === null)).toBe(true);
  });
});

describe('planRestore', () => {
  it('Given a backup taken in watch, When restored, Then roleshift tags and the quarantine policy stay out and credentials are not recreated', () => {
    const steps = planRestore(
      user({
        tags: [
          { Key: 'owner', Value: 'team' },
          { Key: 'roleshift:stage', Value: 'watching' },
          { Key: 'roleshift:since', Value: '2026-10-01T00:00:00Z' },
        ],
        inlinePolicies: [
          { name: 'inline', document: '{"a": 1}' },
          { name: QUARANTINE_POLICY_NAME, document: QUARANTINE_POLICY_DOCUMENT },
        ],
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' }],
        groups: ['devs'],
        permissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/boundary',
        accessKeys: [{ accessKeyId: 'AKIA1', status: 'Inactive' }],
        loginProfile: { passwordResetRequired: false },
      }),
    );
    expect(steps.map((step) => step.call)).toEqual([
      {
        api: 'CreateUser',
        params: {
          UserName: 'deploy',
          Path: '/ci/',
          PermissionsBoundary: 'arn:aws:iam::111111111111:policy/boundary',
          Tags: [{ Key: 'owner', Value: 'team' }],
        },
      },
      { api: 'PutUserPolicy', params: { UserName: 'deploy', PolicyName: 'inline', PolicyDocument: '{"a": 1}' } },
      { api: 'AttachUserPolicy', params: { UserName: 'deploy', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
      { api: 'AddUserToGroup', params: { UserName: 'deploy', GroupName: 'devs' } },
    ]);
  });
});

describe('WRITE_ACTIONS', () => {
  it('Given every call the planners can emit, When listed, Then none of them issues a credential', () => {
    expect(
      WRITE_ACTIONS.filter(
        (api) =>
          /AccessKey|LoginProfile|ServiceSpecificCredential|SigningCertificate|SSHPublicKey/.test(api) &&
          !/^(Delete|Update)/.test(api),
      ),
    ).toEqual([]);
    expect(WRITE_ACTIONS).not.toContain('CreateAccessKey');
  });
});

describe('describeCall', () => {
  it('Given a name with shell metacharacters, When described for the dry run, Then it stays inside JSON, never a shell word', () => {
    expect(describeCall('111111111111', { api: 'DeleteUser', params: { UserName: 'a;rm -rf $HOME' } })).toBe(
      '[111111111111] iam delete-user {"UserName":"a;rm -rf $HOME"}',
    );
  });
});
