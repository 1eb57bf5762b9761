import { z } from 'zod';
import { OrgAccessReportSchema } from './access-advisor.js';
import { PolicyDocumentSchema, WhenSchema } from './primitives.js';

export const OrgAccountSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  status: z.string(),
  /** OU names from the root down, e.g. ["Root", "Workloads", "Prod"]. */
  ouPath: z.array(z.string()),
  ouIds: z.array(z.string()),
  joinedAt: WhenSchema,
});
export type OrgAccount = z.infer<typeof OrgAccountSchema>;

export const ScpSchema = z.object({
  id: z.string(),
  arn: z.string(),
  name: z.string(),
  awsManaged: z.boolean(),
  document: PolicyDocumentSchema.nullable(),
  /** Root, OU or account ids the policy is attached to. */
  targets: z.array(z.object({ targetId: z.string(), type: z.string(), name: z.string() })),
});
export type Scp = z.infer<typeof ScpSchema>;

export const OrganizationSchema = z.object({
  id: z.string(),
  managementAccountId: z.string(),
  accounts: z.array(OrgAccountSchema),
  scps: z.array(ScpSchema),
  /**
   * `scan --org --access-advisor`: IAM's Organizations access reports for the root, the OUs and the
   * accounts scanned; absent when not asked for (and in snapshots made before it existed). An
   * entity whose report could not be read is missing here and named by a gap.
   */
  accessReports: z.array(OrgAccessReportSchema).optional(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

/**
 * Centralised root access for member accounts, from `iam:ListOrganizationsFeatures` in the
 * management account (a live org scan, or its file in the management account's export folder).
 */
export const RootAccessSchema = z.object({
  organizationId: z.string().nullable(),
  managementAccountId: z.string(),
  /** `RootCredentialsManagement`, `RootSessions`; empty when trusted access for IAM is off. */
  enabledFeatures: z.array(z.string()),
});
export type RootAccess = z.infer<typeof RootAccessSchema>;

export const PermissionSetSchema = z.object({
  arn: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  sessionDuration: z.string().nullable(),
  managedPolicies: z.array(z.object({ arn: z.string(), name: z.string() })),
  customerManagedPolicies: z.array(z.object({ name: z.string(), path: z.string() })),
  inlinePolicy: PolicyDocumentSchema.nullable(),
});

export const IdentityCenterInstanceSchema = z.object({
  instanceArn: z.string(),
  identityStoreId: z.string(),
  homeAccountId: z.string().nullable(),
  region: z.string(),
  permissionSets: z.array(PermissionSetSchema),
  assignments: z.array(
    z.object({
      accountId: z.string(),
      permissionSetArn: z.string(),
      principalType: z.string(),
      principalId: z.string(),
    }),
  ),
  users: z.array(
    z.object({
      userId: z.string(),
      userName: z.string(),
      displayName: z.string().nullable(),
      emails: z.array(z.string()),
    }),
  ),
  groups: z.array(z.object({ groupId: z.string(), displayName: z.string() })),
  memberships: z.array(z.object({ groupId: z.string(), userId: z.string() })),
});
export type IdentityCenterInstance = z.infer<typeof IdentityCenterInstanceSchema>;

export const RolesAnywhereSchema = z.object({
  accountId: z.string(),
  region: z.string(),
  trustAnchors: z.array(
    z.object({ arn: z.string(), name: z.string(), enabled: z.boolean(), sourceType: z.string().nullable() }),
  ),
  profiles: z.array(
    z.object({ arn: z.string(), name: z.string(), enabled: z.boolean(), roleArns: z.array(z.string()) }),
  ),
});
export type RolesAnywhere = z.infer<typeof RolesAnywhereSchema>;
