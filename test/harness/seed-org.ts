import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateLoginProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  CreateUserCommand,
  AddUserToGroupCommand,
  IAMClient,
  PutUserPolicyCommand,
  TagUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
} from '@aws-sdk/client-iam';
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  CreatePolicyCommand as CreateOrgPolicyCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  CreateGroupCommand as CreateIdentityStoreGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand as CreateIdentityStoreUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import type { AwsCredentialIdentity } from '@smithy/types';

/** Where a test AWS lives and how to talk to it. */
export interface TestAws {
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity;
}

/** An IAM client whose calls land in `accountId`'s own state in moto. */
export function iamInAccount(aws: TestAws, accountId: string): IAMClient {
  const client = new IAMClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

export interface SeededOrg {
  managementAccountId: string;
  memberAccountIds: string[];
  ouIds: Record<string, string>;
}

const MANAGEMENT_ACCOUNT = '123456789012';

export function auditTrust(principal: string, externalId?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: principal },
        Action: 'sts:AssumeRole',
        ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
      },
    ],
  });
}

/**
 * A small but realistic IAM estate in one account: people with passwords (some with MFA),
 * machine users with keys, a group with an inline policy, a directly attached managed policy.
 */
export async function seedAccountUsers(iam: IAMClient, accountId: string, users: number): Promise<void> {
  await iam.send(new CreateGroupCommand({ GroupName: 'developers' }));
  const readOnly = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'read-buckets',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::*' }],
      }),
    }),
  );
  for (let index = 0; index < users; index += 1) {
    const UserName = index % 3 === 0 ? `person-${index}` : `svc-${index}`;
    await iam.send(new CreateUserCommand({ UserName, Path: index % 3 === 0 ? '/people/' : '/machines/' }));
    await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'team', Value: `team-${index % 4}` }] }));
    if (index % 3 === 0) {
      await iam.send(new CreateLoginProfileCommand({ UserName, Password: 'Correct-Horse-Battery-9' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName }));
      if (index % 2 === 0) {
        const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${UserName}-mfa` }));
        await iam.send(
          new EnableMFADeviceCommand({
            UserName,
            SerialNumber: device.VirtualMFADevice?.SerialNumber,
            AuthenticationCode1: '123456',
            AuthenticationCode2: '654321',
          }),
        );
      }
    } else {
      await iam.send(new CreateAccessKeyCommand({ UserName }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName,
          PolicyName: 'deploy',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::bucket-${accountId}/*` }],
          }),
        }),
      );
      if (index % 5 === 0) {
        await iam.send(new AttachUserPolicyCommand({ UserName, PolicyArn: readOnly.Policy?.Arn }));
      }
    }
  }
}

/**
 * An Organization in moto: `members` member accounts under Workloads/{Prod,Dev}, one SCP
 * attached to Workloads, and (unless `withoutAuditRole` names the account) the audit role in
 * every member account trusting the management account.
 */
export async function seedOrganization(
  aws: TestAws,
  options: {
    members: number;
    usersPerAccount: number;
    roleName?: string;
    externalId?: string;
    withoutAuditRole?: string[];
  },
): Promise<SeededOrg> {
  const org = new OrganizationsClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const roots = await org.send(new ListRootsCommand({}));
  const rootId = roots.Roots?.[0]?.Id ?? '';
  const workloads = await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }));
  const workloadsId = workloads.OrganizationalUnit?.Id ?? '';
  const prod = await org.send(new CreateOrganizationalUnitCommand({ ParentId: workloadsId, Name: 'Prod' }));
  const dev = await org.send(new CreateOrganizationalUnitCommand({ ParentId: workloadsId, Name: 'Dev' }));
  const prodId = prod.OrganizationalUnit?.Id ?? '';
  const devId = dev.OrganizationalUnit?.Id ?? '';

  const memberAccountIds: string[] = [];
  for (let index = 0; index < options.members; index += 1) {
    const created = await org.send(
      new CreateAccountCommand({ AccountName: `member-${index}`, Email: `member-${index}@example.com` }),
    );
    const accountId = created.CreateAccountStatus?.AccountId ?? '';
    memberAccountIds.push(accountId);
    await org.send(
      new MoveAccountCommand({
        AccountId: accountId,
        SourceParentId: rootId,
        DestinationParentId: index % 2 === 0 ? prodId : devId,
      }),
    );
  }
  const scp = await org.send(
    new CreateOrgPolicyCommand({
      Name: 'deny-iam-users',
      Description: 'no new IAM users',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }],
      }),
    }),
  );
  await org.send(new AttachPolicyCommand({ PolicyId: scp.Policy?.PolicySummary?.Id ?? '', TargetId: workloadsId }));

  const roleName = options.roleName ?? 'RoleshiftAudit';
  for (const accountId of [MANAGEMENT_ACCOUNT, ...memberAccountIds]) {
    const iam = iamInAccount(aws, accountId);
    if (accountId !== MANAGEMENT_ACCOUNT && !options.withoutAuditRole?.includes(accountId)) {
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: auditTrust(`arn:aws:iam::${MANAGEMENT_ACCOUNT}:root`, options.externalId),
        }),
      );
    }
    await seedAccountUsers(iam, accountId, options.usersPerAccount);
    if (accountId === MANAGEMENT_ACCOUNT) {
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: 'https://token.actions.githubusercontent.com',
          ClientIDList: ['sts.amazonaws.com'],
          ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        }),
      );
    }
  }
  return {
    managementAccountId: MANAGEMENT_ACCOUNT,
    memberAccountIds,
    ouIds: { root: rootId, workloads: workloadsId, prod: prodId, dev: devId },
  };
}

/** Identity Center in use: one permission set assigned to a group in each given account. */
export async function seedIdentityCenter(
  aws: TestAws,
  accountIds: string[],
): Promise<{ instanceArn: string; identityStoreId: string }> {
  const sso = new SSOAdminClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  const store = new IdentitystoreClient({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  const instances = await sso.send(new ListInstancesCommand({}));
  const instanceArn = instances.Instances?.[0]?.InstanceArn ?? '';
  const identityStoreId = instances.Instances?.[0]?.IdentityStoreId ?? '';
  const permissionSet = await sso.send(
    new CreatePermissionSetCommand({
      InstanceArn: instanceArn,
      Name: 'Developers',
      Description: 'day-to-day work',
      SessionDuration: 'PT8H',
    }),
  );
  const PermissionSetArn = permissionSet.PermissionSet?.PermissionSetArn ?? '';
  await sso.send(
    new AttachManagedPolicyToPermissionSetCommand({
      InstanceArn: instanceArn,
      PermissionSetArn,
      ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    }),
  );
  await sso.send(
    new PutInlinePolicyToPermissionSetCommand({
      InstanceArn: instanceArn,
      PermissionSetArn,
      InlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::team-bucket/*' }],
      }),
    }),
  );
  const user = await store.send(
    new CreateIdentityStoreUserCommand({
      IdentityStoreId: identityStoreId,
      UserName: 'maria.garcia',
      DisplayName: 'Maria Garcia',
      Name: { GivenName: 'Maria', FamilyName: 'Garcia' },
      Emails: [{ Value: 'maria.garcia@example.com', Primary: true }],
    }),
  );
  const group = await store.send(
    new CreateIdentityStoreGroupCommand({ IdentityStoreId: identityStoreId, DisplayName: 'developers' }),
  );
  await store.send(
    new CreateGroupMembershipCommand({
      IdentityStoreId: identityStoreId,
      GroupId: group.GroupId,
      MemberId: { UserId: user.UserId ?? '' },
    }),
  );
  for (const accountId of accountIds) {
    await sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn,
        PermissionSetArn,
        TargetId: accountId,
        TargetType: 'AWS_ACCOUNT',
        PrincipalType: 'GROUP',
        PrincipalId: group.GroupId,
      }),
    );
    await sso.send(
      new ProvisionPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn,
        TargetId: accountId,
        TargetType: 'AWS_ACCOUNT',
      }),
    );
  }
  return { instanceArn, identityStoreId };
}
