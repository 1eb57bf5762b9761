import {
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  paginateListAccountAssignments,
  paginateListAccountsForProvisionedPermissionSet,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListInstances,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { createAwsClient, type AwsClientSettings } from '../aws/clients.js';
import type { IdentityCenterInstance } from '../model/organization.js';
import { allItems } from './pages.js';
import { decodePolicyDocument } from './policy-text.js';

type PermissionSet = IdentityCenterInstance['permissionSets'][number];
type Assignment = IdentityCenterInstance['assignments'][number];

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

/** One permission set with its AWS managed, customer managed and inline policies. */
async function readPermissionSet(
  ssoAdmin: SSOAdminClient,
  InstanceArn: string,
  PermissionSetArn: string,
): Promise<PermissionSet> {
  const admin = { client: ssoAdmin };
  const described = await ssoAdmin.send(new DescribePermissionSetCommand({ InstanceArn, PermissionSetArn }));
  const managed = await allItems(
    paginateListManagedPoliciesInPermissionSet(admin, { InstanceArn, PermissionSetArn }),
    (page) => page.AttachedManagedPolicies,
  );
  const customer = await allItems(
    paginateListCustomerManagedPolicyReferencesInPermissionSet(admin, { InstanceArn, PermissionSetArn }),
    (page) => page.CustomerManagedPolicyReferences,
  );
  const inline = await ssoAdmin.send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn, PermissionSetArn }));
  return {
    arn: PermissionSetArn,
    name: described.PermissionSet?.Name ?? PermissionSetArn,
    description: described.PermissionSet?.Description ?? null,
    sessionDuration: described.PermissionSet?.SessionDuration ?? null,
    managedPolicies: managed
      .map((policy) => ({ arn: policy.Arn ?? '', name: policy.Name ?? '' }))
      .sort((a, b) => a.arn.localeCompare(b.arn)),
    customerManagedPolicies: customer
      .map((policy) => ({ name: policy.Name ?? '', path: policy.Path ?? '/' }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    inlinePolicy: inline.InlinePolicy ? decodePolicyDocument(inline.InlinePolicy) : null,
  };
}

/** Who is assigned a permission set in each account it is provisioned to. */
async function readAssignments(
  ssoAdmin: SSOAdminClient,
  InstanceArn: string,
  PermissionSetArn: string,
): Promise<Assignment[]> {
  const admin = { client: ssoAdmin };
  const accountIds = await allItems(
    paginateListAccountsForProvisionedPermissionSet(admin, { InstanceArn, PermissionSetArn }),
    (page) => page.AccountIds,
  );
  const assignments: Assignment[] = [];
  for (const AccountId of [...accountIds].sort()) {
    const listed = await allItems(
      paginateListAccountAssignments(admin, { InstanceArn, PermissionSetArn, AccountId }),
      (page) => page.AccountAssignments,
    );
    for (const assignment of listed) {
      assignments.push({
        accountId: assignment.AccountId ?? AccountId,
        permissionSetArn: PermissionSetArn,
        principalType: String(assignment.PrincipalType ?? ''),
        principalId: assignment.PrincipalId ?? '',
      });
    }
  }
  return assignments;
}

/** The identity store's users, groups and memberships. */
async function readIdentityStore(
  identityStore: IdentitystoreClient,
  IdentityStoreId: string,
): Promise<Pick<IdentityCenterInstance, 'users' | 'groups' | 'memberships'>> {
  const store = { client: identityStore };
  const users = await allItems(paginateListUsers(store, { IdentityStoreId }), (page) => page.Users);
  const groups = await allItems(paginateListGroups(store, { IdentityStoreId }), (page) => page.Groups);
  const memberships: IdentityCenterInstance['memberships'] = [];
  for (const group of groups) {
    if (!group.GroupId) continue;
    const GroupId = group.GroupId;
    const members = await allItems(
      paginateListGroupMemberships(store, { IdentityStoreId, GroupId }),
      (page) => page.GroupMemberships,
    );
    for (const member of members) {
      const userId = member.MemberId && 'UserId' in member.MemberId ? member.MemberId.UserId : undefined;
      if (userId) memberships.push({ groupId: GroupId, userId });
    }
  }
  return {
    users: users
      .map((user) => ({
        userId: user.UserId ?? '',
        userName: user.UserName ?? '',
        displayName: user.DisplayName ?? null,
        emails: (user.Emails ?? [])
          .map((email) => email.Value ?? '')
          .filter(Boolean)
          .sort(),
      }))
      .sort(byKey((u) => u.userName)),
    groups: groups
      .map((group) => ({ groupId: group.GroupId ?? '', displayName: group.DisplayName ?? '' }))
      .sort(byKey((g) => g.displayName)),
    memberships: memberships.sort(byKey((m) => `${m.groupId}|${m.userId}`)),
  };
}

/**
 * Reads the Identity Center instance from its home account: permission sets with their
 * policies, account assignments, and the identity store's users, groups and memberships.
 * Returns null when the account has no instance (Identity Center not enabled there).
 */
export async function readIdentityCenter(
  ssoAdmin: SSOAdminClient,
  identityStore: IdentitystoreClient,
  region: string,
): Promise<IdentityCenterInstance | null> {
  const admin = { client: ssoAdmin };
  const instances = await allItems(paginateListInstances(admin, {}), (page) => page.Instances);
  const instance = instances.find((candidate) => candidate.InstanceArn && candidate.IdentityStoreId);
  if (!instance?.InstanceArn || !instance.IdentityStoreId) return null;
  const InstanceArn = instance.InstanceArn;
  const permissionSetArns = await allItems(
    paginateListPermissionSets(admin, { InstanceArn }),
    (page) => page.PermissionSets,
  );
  const permissionSets: PermissionSet[] = [];
  const assignments: Assignment[] = [];
  for (const PermissionSetArn of [...permissionSetArns].sort()) {
    permissionSets.push(await readPermissionSet(ssoAdmin, InstanceArn, PermissionSetArn));
    assignments.push(...(await readAssignments(ssoAdmin, InstanceArn, PermissionSetArn)));
  }
  return {
    instanceArn: InstanceArn,
    identityStoreId: instance.IdentityStoreId,
    homeAccountId: instance.OwnerAccountId ?? null,
    region,
    permissionSets,
    assignments: assignments.sort(byKey((a) => `${a.accountId}|${a.permissionSetArn}|${a.principalId}`)),
    ...(await readIdentityStore(identityStore, instance.IdentityStoreId)),
  };
}

/** `readIdentityCenter` with its own clients, made from `settings` and closed after. */
export async function readIdentityCenterWith(settings: AwsClientSettings): Promise<IdentityCenterInstance | null> {
  const ssoAdmin = createAwsClient(SSOAdminClient, 'sso', settings);
  const identityStore = createAwsClient(IdentitystoreClient, 'identitystore', settings);
  try {
    return await readIdentityCenter(ssoAdmin, identityStore, settings.region);
  } finally {
    ssoAdmin.destroy();
    identityStore.destroy();
  }
}
