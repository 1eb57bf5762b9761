import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createIamGateway } from './iam-gateway.js';

/**
 * Narrow SDK stand-in for what moto cannot do (MOTO.md): permissions boundaries and
 * service-specific credentials. A middleware answers each command from a table and records it;
 * nothing leaves the process.
 */
function fakeIam(answers: Record<string, (input: Record<string, unknown>) => unknown>): {
  client: IAMClient;
  sent: Array<{ command: string; input: Record<string, unknown> }>;
} {
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
  });
  const sent: Array<{ command: string; input: Record<string, unknown> }> = [];
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      const input = args.input as Record<string, unknown>;
      sent.push({ command, input });
      const answer = answers[command];
      if (!answer) throw Object.assign(new Error(`unexpected ${command}`), { name: 'UnexpectedCall' });
      return { output: { $metadata: {}, ...(answer(input) as object) }, response: {} };
    },
    { step: 'initialize', name: 'fakeIam' },
  );
  return { client, sent };
}

const noSuchEntity = (): never => {
  throw Object.assign(new Error('not found'), { name: 'NoSuchEntityException' });
};

const EMPTY_USER = {
  ListUserTags: () => ({ Tags: [], IsTruncated: false }),
  ListAccessKeys: () => ({ AccessKeyMetadata: [], IsTruncated: false }),
  GetLoginProfile: noSuchEntity,
  ListUserPolicies: () => ({ PolicyNames: [], IsTruncated: false }),
  ListAttachedUserPolicies: () => ({ AttachedPolicies: [], IsTruncated: false }),
  ListGroupsForUser: () => ({ Groups: [], IsTruncated: false }),
  ListMFADevices: () => ({ MFADevices: [], IsTruncated: false }),
  ListSigningCertificates: () => ({ Certificates: [], IsTruncated: false }),
  ListSSHPublicKeys: () => ({ SSHPublicKeys: [], IsTruncated: false }),
  ListServiceSpecificCredentials: () => ({ ServiceSpecificCredentials: [], IsTruncated: false }),
};

describe('the IAM gateway where moto cannot answer', () => {
  it('Given a user with a boundary, paged service-specific credentials and an encoded policy, When read, Then all of it is in the state', async () => {
    const { client } = fakeIam({
      ...EMPTY_USER,
      GetUser: () => ({
        User: {
          UserName: 'deploy',
          Arn: 'arn:aws:iam::111111111111:user/deploy',
          UserId: 'AIDA1',
          Path: '/',
          PermissionsBoundary: {
            PermissionsBoundaryArn: 'arn:aws:iam::111111111111:policy/boundary',
            PermissionsBoundaryType: 'Policy',
          },
        },
      }),
      ListUserPolicies: () => ({ PolicyNames: ['p'], IsTruncated: false }),
      GetUserPolicy: () => ({
        PolicyName: 'p',
        PolicyDocument: encodeURIComponent('{"Version": "2012-10-17", "Statement": []}'),
      }),
      ListServiceSpecificCredentials: (input) =>
        input.Marker === 'page2'
          ? {
              ServiceSpecificCredentials: [
                { ServiceSpecificCredentialId: 'ACCA2', ServiceName: 'cassandra.amazonaws.com', Status: 'Inactive' },
              ],
              IsTruncated: false,
            }
          : {
              ServiceSpecificCredentials: [
                { ServiceSpecificCredentialId: 'ACCA1', ServiceName: 'codecommit.amazonaws.com', Status: 'Active' },
              ],
              IsTruncated: true,
              Marker: 'page2',
            },
    });
    const state = await createIamGateway(client, '111111111111').readUser('deploy');
    expect(state?.permissionsBoundaryArn).toBe('arn:aws:iam::111111111111:policy/boundary');
    expect(state?.inlinePolicies).toEqual([{ name: 'p', document: '{"Version": "2012-10-17", "Statement": []}' }]);
    expect(state?.serviceSpecificCredentials.map((credential) => credential.serviceSpecificCredentialId)).toEqual([
      'ACCA1',
      'ACCA2',
    ]);
  });

  it('Given a read that is denied, When the user is read, Then the error surfaces instead of a half-read user', async () => {
    const { client } = fakeIam({
      ...EMPTY_USER,
      GetUser: () => ({ User: { UserName: 'deploy', Arn: 'arn', UserId: 'AIDA1', Path: '/' } }),
      ListMFADevices: () => {
        throw Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
      },
    });
    await expect(createIamGateway(client, '111111111111').readUser('deploy')).rejects.toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('Given the boundary and service-credential deletes, When executed, Then exactly those commands are sent', async () => {
    const { client, sent } = fakeIam({
      DeleteUserPermissionsBoundary: () => ({}),
      DeleteServiceSpecificCredential: () => ({}),
    });
    const gateway = createIamGateway(client, '111111111111');
    await gateway.execute({ api: 'DeleteUserPermissionsBoundary', params: { UserName: 'deploy' } });
    await gateway.execute({
      api: 'DeleteServiceSpecificCredential',
      params: { UserName: 'deploy', ServiceSpecificCredentialId: 'ACCA1' },
    });
    expect(sent).toEqual([
      { command: 'DeleteUserPermissionsBoundary', input: { UserName: 'deploy' } },
      {
        command: 'DeleteServiceSpecificCredential',
        input: { UserName: 'deploy', ServiceSpecificCredentialId: 'ACCA1' },
      },
    ]);
  });

  const idempotence: Array<
    [string, Parameters<ReturnType<typeof createIamGateway>['execute']>[0], string, 'already' | 'throws']
  > = [
    [
      'a delete of something gone',
      { api: 'DeleteUser', params: { UserName: 'deploy' } },
      'NoSuchEntityException',
      'already',
    ],
    [
      'a deactivate of a device gone',
      { api: 'DeactivateMFADevice', params: { UserName: 'deploy', SerialNumber: 'arn:aws:iam::111111111111:mfa/x' } },
      'NoSuchEntityException',
      'already',
    ],
    [
      'a create of a user a crashed restore made',
      { api: 'CreateUser', params: { UserName: 'deploy', Path: '/' } },
      'EntityAlreadyExistsException',
      'already',
    ],
    [
      'a key update on a key gone',
      { api: 'UpdateAccessKey', params: { UserName: 'deploy', AccessKeyId: 'AKIA1', Status: 'Active' } },
      'NoSuchEntityException',
      'throws',
    ],
    ['a delete that is denied', { api: 'DeleteUser', params: { UserName: 'deploy' } }, 'AccessDenied', 'throws'],
  ];
  for (const [name, call, errorName, expected] of idempotence) {
    it(`Given ${name} (${errorName}), When executed, Then it ${expected === 'already' ? 'counts as already done' : 'fails'}`, async () => {
      const { client } = fakeIam({
        [call.api]: () => {
          throw Object.assign(new Error(errorName), { name: errorName });
        },
      });
      const run = createIamGateway(client, '111111111111').execute(call);
      if (expected === 'already') await expect(run).resolves.toBe('already');
      else await expect(run).rejects.toMatchObject({ name: errorName });
    });
  }
});
