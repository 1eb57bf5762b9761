import {
  GetRoleCommand,
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateUserCommand,
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  GetSSHPublicKeyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListServiceSpecificCredentialsCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  paginateListUserTags,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { IamApi, IamCall, Tag, UserState } from './plan-steps.js';

/**
 * The only place remediation talks to IAM. Reads fail loudly (a user half-read must never be
 * backed up as if complete); writes are made idempotent so `resume` can repeat the one step a
 * crash may have left done-but-unrecorded.
 */
export interface IamGateway {
  readonly accountId: string;
  /** Null when the user does not exist. */
  readUser(userName: string): Promise<UserState | null>;
  /** `already` when the call found its work done (a deleted thing already gone). */
  execute(call: IamCall): Promise<'applied' | 'already'>;
  /** ISO time the key was last used, null if never. */
  accessKeyLastUsed(accessKeyId: string): Promise<string | null>;
  /** A role as deployed (trust policy, last use), for the readiness check; null when it does not exist. */
  readRole(roleName: string): Promise<LiveRole | null>;
}

/** What the readiness check reads of a deployed role. */
export interface LiveRole {
  trustPolicy: unknown;
  /** ISO time IAM last saw the role assumed; null when never (in IAM's tracking window). */
  lastUsed: string | null;
}

async function readRole(client: IAMClient, roleName: string): Promise<LiveRole | null> {
  const got = await isMissing(() => client.send(new GetRoleCommand({ RoleName: roleName })));
  if (!got?.Role) return null;
  const document = got.Role.AssumeRolePolicyDocument;
  return {
    trustPolicy: document ? JSON.parse(decodePolicyDocument(document)) : null,
    lastUsed: got.Role.RoleLastUsed?.LastUsedDate?.toISOString() ?? null,
  };
}

export function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error) return String((error as { name: unknown }).name);
  return 'Error';
}

/** Calls whose NoSuchEntity means "the work is already done". */
const GONE_IS_DONE: ReadonlySet<IamApi> = new Set<IamApi>([
  'DeleteUserPolicy',
  'UntagUser',
  'DeleteLoginProfile',
  'DeleteAccessKey',
  'DeleteSigningCertificate',
  'DeleteSSHPublicKey',
  'DeleteServiceSpecificCredential',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'DetachUserPolicy',
  'RemoveUserFromGroup',
  'DeleteUserPermissionsBoundary',
  'DeleteUser',
]);

/** AWS URL-encodes policy documents; moto sometimes does not (MOTO.md). */
export function decodePolicyDocument(document: string): string {
  return document.startsWith('{') ? document : decodeURIComponent(document);
}

async function isMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (errorName(error) === 'NoSuchEntityException' || errorName(error) === 'NoSuchEntity') return null;
    throw error;
  }
}

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...(pick(page) ?? []));
  return items;
}

async function readServiceSpecificCredentials(
  client: IAMClient,
  userName: string,
): Promise<UserState['serviceSpecificCredentials']> {
  const credentials: UserState['serviceSpecificCredentials'] = [];
  let marker: string | undefined;
  do {
    const page = await client.send(
      new ListServiceSpecificCredentialsCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) }),
    );
    for (const credential of page.ServiceSpecificCredentials ?? []) {
      credentials.push({
        serviceSpecificCredentialId: credential.ServiceSpecificCredentialId ?? '',
        serviceName: credential.ServiceName ?? '',
        status: credential.Status ?? '',
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return credentials;
}

async function readUser(client: IAMClient, accountId: string, userName: string): Promise<UserState | null> {
  const got = await isMissing(() => client.send(new GetUserCommand({ UserName: userName })));
  if (!got?.User) return null;
  const user = got.User;
  const page = { client };
  const [tags, keys, loginProfile, policyNames, attached, groups, mfa, certs, sshKeys, serviceCredentials] =
    await Promise.all([
      collect(paginateListUserTags(page, { UserName: userName }), (p) => p.Tags),
      collect(paginateListAccessKeys(page, { UserName: userName }), (p) => p.AccessKeyMetadata),
      isMissing(() => client.send(new GetLoginProfileCommand({ UserName: userName }))),
      collect(paginateListUserPolicies(page, { UserName: userName }), (p) => p.PolicyNames),
      collect(paginateListAttachedUserPolicies(page, { UserName: userName }), (p) => p.AttachedPolicies),
      collect(paginateListGroupsForUser(page, { UserName: userName }), (p) => p.Groups),
      collect(paginateListMFADevices(page, { UserName: userName }), (p) => p.MFADevices),
      collect(paginateListSigningCertificates(page, { UserName: userName }), (p) => p.Certificates),
      collect(paginateListSSHPublicKeys(page, { UserName: userName }), (p) => p.SSHPublicKeys),
      readServiceSpecificCredentials(client, userName),
    ]);
  const sshPublicKeys: UserState['sshPublicKeys'] = [];
  for (const key of sshKeys) {
    const full = await client.send(
      new GetSSHPublicKeyCommand({ UserName: userName, SSHPublicKeyId: key.SSHPublicKeyId, Encoding: 'SSH' }),
    );
    sshPublicKeys.push({
      sshPublicKeyId: key.SSHPublicKeyId ?? '',
      status: key.Status ?? '',
      body: full.SSHPublicKey?.SSHPublicKeyBody ?? '',
    });
  }
  const inlinePolicies: UserState['inlinePolicies'] = [];
  for (const name of policyNames) {
    const policy = await client.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
    inlinePolicies.push({ name, document: decodePolicyDocument(policy.PolicyDocument ?? '') });
  }
  return {
    accountId,
    userName,
    arn: user.Arn ?? '',
    userId: user.UserId ?? '',
    path: user.Path ?? '/',
    permissionsBoundaryArn: user.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    tags: tags.map((tag): Tag => ({ Key: tag.Key ?? '', Value: tag.Value ?? '' })),
    accessKeys: keys.map((key) => ({
      accessKeyId: key.AccessKeyId ?? '',
      status: key.Status === 'Active' ? 'Active' : 'Inactive',
    })),
    loginProfile: loginProfile?.LoginProfile
      ? { passwordResetRequired: Boolean(loginProfile.LoginProfile.PasswordResetRequired) }
      : null,
    inlinePolicies,
    attachedPolicies: attached.map((policy) => ({ arn: policy.PolicyArn ?? '', name: policy.PolicyName ?? '' })),
    groups: groups.map((group) => group.GroupName ?? ''),
    mfaDevices: mfa.map((device) => ({ serialNumber: device.SerialNumber ?? '' })),
    signingCertificates: certs.map((cert) => ({
      certificateId: cert.CertificateId ?? '',
      status: cert.Status ?? '',
      body: cert.CertificateBody ?? '',
    })),
    sshPublicKeys,
    serviceSpecificCredentials: serviceCredentials,
  };
}

async function send(client: IAMClient, call: IamCall): Promise<void> {
  switch (call.api) {
    case 'UpdateAccessKey':
      await client.send(new UpdateAccessKeyCommand(call.params));
      return;
    case 'PutUserPolicy':
      await client.send(new PutUserPolicyCommand(call.params));
      return;
    case 'DeleteUserPolicy':
      await client.send(new DeleteUserPolicyCommand(call.params));
      return;
    case 'TagUser':
      await client.send(new TagUserCommand(call.params));
      return;
    case 'UntagUser':
      await client.send(new UntagUserCommand(call.params));
      return;
    case 'DeleteLoginProfile':
      await client.send(new DeleteLoginProfileCommand(call.params));
      return;
    case 'DeleteAccessKey':
      await client.send(new DeleteAccessKeyCommand(call.params));
      return;
    case 'DeleteSigningCertificate':
      await client.send(new DeleteSigningCertificateCommand(call.params));
      return;
    case 'DeleteSSHPublicKey':
      await client.send(new DeleteSSHPublicKeyCommand(call.params));
      return;
    case 'DeleteServiceSpecificCredential':
      await client.send(new DeleteServiceSpecificCredentialCommand(call.params));
      return;
    case 'DeactivateMFADevice':
      await client.send(new DeactivateMFADeviceCommand(call.params));
      return;
    case 'DeleteVirtualMFADevice':
      await client.send(new DeleteVirtualMFADeviceCommand(call.params));
      return;
    case 'DetachUserPolicy':
      await client.send(new DetachUserPolicyCommand(call.params));
      return;
    case 'RemoveUserFromGroup':
      await client.send(new RemoveUserFromGroupCommand(call.params));
      return;
    case 'DeleteUserPermissionsBoundary':
      await client.send(new DeleteUserPermissionsBoundaryCommand(call.params));
      return;
    case 'DeleteUser':
      await client.send(new DeleteUserCommand(call.params));
      return;
    case 'CreateUser':
      await client.send(new CreateUserCommand(call.params));
      return;
    case 'AttachUserPolicy':
      await client.send(new AttachUserPolicyCommand(call.params));
      return;
    case 'AddUserToGroup':
      await client.send(new AddUserToGroupCommand(call.params));
      return;
  }
}

export function createIamGateway(client: IAMClient, accountId: string): IamGateway {
  return {
    accountId,
    readUser: (userName) => readUser(client, accountId, userName),
    readRole: (roleName) => readRole(client, roleName),
    async execute(call) {
      try {
        await send(client, call);
        return 'applied';
      } catch (error) {
        const name = errorName(error);
        if (GONE_IS_DONE.has(call.api) && (name === 'NoSuchEntityException' || name === 'NoSuchEntity'))
          return 'already';
        // Only reached on a resume after a crash between CreateUser and its journal write: the
        // restore checked that the user did not exist before it started.
        if (call.api === 'CreateUser' && (name === 'EntityAlreadyExistsException' || name === 'EntityAlreadyExists'))
          return 'already';
        throw error;
      }
    },
    async accessKeyLastUsed(accessKeyId) {
      const answer = await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
      const date = answer.AccessKeyLastUsed?.LastUsedDate;
      return date ? date.toISOString() : null;
    },
  };
}
