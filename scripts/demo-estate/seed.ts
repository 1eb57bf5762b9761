/** Seeding moto through the SDK, account by account, from the spec. */
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type AccountSpec, REGION } from './spec.js';
import { awsId, tagList } from './ids.js';

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export async function assumeInto(endpoint: string, account: string): Promise<SessionCredentials> {
  const sts = new STSClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'AKIAMOTODEMOESTATE01', secretAccessKey: 'moto-demo-estate-not-a-secret' },
  });
  const answer = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
      RoleSessionName: 'demo-estate',
    }),
  );
  const credentials = answer.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
    throw new Error(`moto returned no credentials for ${account}`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
  };
}

const SAML_METADATA = `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTExMTExMTExX2lucy1kZW1vYWNtZQ=="><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTExMTExMTExX2lucy1kZW1vYWNtZQ=="/></md:IDPSSODescriptor></md:EntityDescriptor>`;

type UserSpec = AccountSpec['users'][number];
type RoleSpec = AccountSpec['roles'][number];

async function seedMfa(iam: IAMClient, user: UserSpec): Promise<void> {
  if (user.mfa?.kind === 'virtual') {
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${user.name}-phone` }));
    const serial = device.VirtualMFADevice?.SerialNumber;
    if (!serial) throw new Error(`moto created no virtual MFA device for ${user.name}`);
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: user.name,
        SerialNumber: serial,
        AuthenticationCode1: '123456',
        AuthenticationCode2: '234567',
      }),
    );
  } else if (user.mfa?.kind === 'hardware') {
    // A TOTP token's serial is not an ARN: that is what makes it "not virtual" to IAM.
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: user.name,
        SerialNumber: awsId('GAHT', user.name, 8),
        AuthenticationCode1: '123456',
        AuthenticationCode2: '234567',
      }),
    );
  }
}

async function seedUser(iam: IAMClient, user: UserSpec): Promise<void> {
  await iam.send(
    new CreateUserCommand({
      UserName: user.name,
      Path: user.path ?? '/',
      Tags: user.tags ? tagList(user.tags) : undefined,
    }),
  );
  if (user.password) {
    // A throwaway value moto needs; it is never written anywhere.
    await iam.send(new CreateLoginProfileCommand({ UserName: user.name, Password: 'Demo-Estate-Only-1!' }));
  }
  for (const key of user.keys ?? []) {
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: user.name }));
    if (key.status === 'Inactive' && created.AccessKey?.AccessKeyId) {
      await iam.send(
        new UpdateAccessKeyCommand({
          UserName: user.name,
          AccessKeyId: created.AccessKey.AccessKeyId,
          Status: 'Inactive',
        }),
      );
    }
  }
  await seedMfa(iam, user);
  for (const group of user.groups ?? [])
    await iam.send(new AddUserToGroupCommand({ UserName: user.name, GroupName: group }));
  for (const arn of user.managed ?? [])
    await iam.send(new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: arn }));
  for (const [name, document] of Object.entries(user.inline ?? {})) {
    await iam.send(
      new PutUserPolicyCommand({ UserName: user.name, PolicyName: name, PolicyDocument: JSON.stringify(document) }),
    );
  }
}

async function seedRole(iam: IAMClient, role: RoleSpec): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: role.name,
      Path: role.path ?? '/',
      Description: role.description,
      AssumeRolePolicyDocument: JSON.stringify(role.trust),
      MaxSessionDuration: role.maxSessionDuration,
      Tags: role.tags ? tagList(role.tags) : undefined,
    }),
  );
  for (const arn of role.managed ?? [])
    await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
  for (const [name, document] of Object.entries(role.inline ?? {})) {
    await iam.send(
      new PutRolePolicyCommand({ RoleName: role.name, PolicyName: name, PolicyDocument: JSON.stringify(document) }),
    );
  }
  if (role.instanceProfile) {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: role.name }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: role.name, RoleName: role.name }));
  }
}

export async function seedAccount(iam: IAMClient, spec: AccountSpec): Promise<void> {
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: spec.alias }));
  for (const policy of spec.policies) {
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: policy.name,
        Description: policy.description,
        PolicyDocument: JSON.stringify(policy.document),
      }),
    );
  }
  for (const group of spec.groups) {
    await iam.send(new CreateGroupCommand({ GroupName: group.name }));
    for (const arn of group.managed ?? [])
      await iam.send(new AttachGroupPolicyCommand({ GroupName: group.name, PolicyArn: arn }));
    for (const [name, document] of Object.entries(group.inline ?? {})) {
      await iam.send(
        new PutGroupPolicyCommand({
          GroupName: group.name,
          PolicyName: name,
          PolicyDocument: JSON.stringify(document),
        }),
      );
    }
  }
  for (const user of spec.users) await seedUser(iam, user);
  for (const role of spec.roles) await seedRole(iam, role);
  for (const provider of spec.oidcProviders) {
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: provider.url,
        ClientIDList: provider.clientIds,
        ThumbprintList: provider.thumbprints,
      }),
    );
  }
  for (const provider of spec.samlProviders) {
    await iam.send(new CreateSAMLProviderCommand({ Name: provider.name, SAMLMetadataDocument: SAML_METADATA }));
  }
}
