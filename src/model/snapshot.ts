import { z } from 'zod';
import {
  PolicyDocumentSchema,
  TagsSchema,
  WhenSchema,
  type PolicyDocument,
  type Tags,
  type When,
} from './primitives.js';
import { AccessAdvisorSchema } from './access-advisor.js';
import {
  IdentityCenterInstanceSchema,
  OrganizationSchema,
  RolesAnywhereSchema,
  RootAccessSchema,
} from './organization.js';
import { UsageSchema } from './usage.js';

/**
 * The Snapshot is the contract between collection and everything else. Live and file sources
 * both produce it; every later stage reads only it. Bump SNAPSHOT_SCHEMA_VERSION on any change
 * that an older reader could misread.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

export { PolicyDocumentSchema, TagsSchema, WhenSchema, type PolicyDocument, type Tags, type When };

export const AttachedPolicySchema = z.object({ arn: z.string(), name: z.string() });
export type AttachedPolicy = z.infer<typeof AttachedPolicySchema>;

export const InlinePolicySchema = z.object({ name: z.string(), document: PolicyDocumentSchema });
export type InlinePolicy = z.infer<typeof InlinePolicySchema>;

export const BoundarySchema = z.object({ arn: z.string(), type: z.string() }).nullable();

export const MfaDeviceSchema = z.object({
  serial: z.string().nullable(),
  /** `hardware` covers every non-virtual device (TOTP token, FIDO key / passkey). */
  kind: z.enum(['virtual', 'hardware']),
  enabledAt: WhenSchema,
});
export type MfaDevice = z.infer<typeof MfaDeviceSchema>;

export const AccessKeySchema = z.object({
  /** Position in the credential report (1 or 2); the report names keys by slot, not id. */
  slot: z.union([z.literal(1), z.literal(2)]),
  /** The access key id when a source provides it (the credential report does not). Never a secret. */
  id: z.string().nullable(),
  status: z.enum(['Active', 'Inactive']),
  lastRotated: WhenSchema,
  lastUsed: WhenSchema,
  lastUsedService: z.string().nullable(),
  lastUsedRegion: z.string().nullable(),
});
export type AccessKey = z.infer<typeof AccessKeySchema>;

export const SigningCertificateSchema = z.object({
  slot: z.union([z.literal(1), z.literal(2)]),
  active: z.boolean(),
  lastRotated: WhenSchema,
});

export const PasswordSchema = z.object({
  enabled: z.boolean(),
  lastUsed: WhenSchema,
  lastChanged: WhenSchema,
  nextRotation: WhenSchema,
});
export type Password = z.infer<typeof PasswordSchema>;

export const UserSchema = z.object({
  arn: z.string(),
  name: z.string(),
  userId: z.string().nullable(),
  path: z.string(),
  createDate: WhenSchema,
  tags: TagsSchema,
  groups: z.array(z.string()),
  attachedPolicies: z.array(AttachedPolicySchema),
  inlinePolicies: z.array(InlinePolicySchema),
  permissionsBoundary: BoundarySchema,
  password: PasswordSchema,
  mfaActive: z.boolean(),
  mfaDevices: z.array(MfaDeviceSchema),
  accessKeys: z.array(AccessKeySchema),
  signingCertificates: z.array(SigningCertificateSchema),
  /** False when the user is in GAAD but not in the credential report (or the reverse). */
  inCredentialReport: z.boolean(),
});
export type User = z.infer<typeof UserSchema>;

export const RoleSchema = z.object({
  arn: z.string(),
  name: z.string(),
  roleId: z.string().nullable(),
  path: z.string(),
  createDate: WhenSchema,
  description: z.string().nullable(),
  maxSessionDuration: z.number().nullable(),
  tags: TagsSchema,
  trustPolicy: PolicyDocumentSchema,
  attachedPolicies: z.array(AttachedPolicySchema),
  inlinePolicies: z.array(InlinePolicySchema),
  permissionsBoundary: BoundarySchema,
  lastUsed: WhenSchema,
  lastUsedRegion: z.string().nullable(),
  instanceProfiles: z.array(z.string()),
});
export type Role = z.infer<typeof RoleSchema>;

export const GroupSchema = z.object({
  arn: z.string(),
  name: z.string(),
  groupId: z.string().nullable(),
  path: z.string(),
  createDate: WhenSchema,
  attachedPolicies: z.array(AttachedPolicySchema),
  inlinePolicies: z.array(InlinePolicySchema),
});
export type Group = z.infer<typeof GroupSchema>;

export const ManagedPolicySchema = z.object({
  arn: z.string(),
  name: z.string(),
  path: z.string(),
  awsManaged: z.boolean(),
  attachmentCount: z.number().nullable(),
  defaultVersionId: z.string().nullable(),
  /** The default version's document; null when the source did not include it. */
  document: PolicyDocumentSchema.nullable(),
});
export type ManagedPolicy = z.infer<typeof ManagedPolicySchema>;

export const OidcProviderSchema = z.object({
  arn: z.string(),
  url: z.string(),
  clientIds: z.array(z.string()),
  thumbprints: z.array(z.string()),
  createDate: WhenSchema,
  tags: TagsSchema,
});
export type OidcProvider = z.infer<typeof OidcProviderSchema>;

export const SamlProviderSchema = z.object({
  arn: z.string(),
  name: z.string(),
  createDate: WhenSchema,
  validUntil: WhenSchema,
});
export type SamlProvider = z.infer<typeof SamlProviderSchema>;

export const RootSchema = z.object({
  arn: z.string(),
  passwordLastUsed: WhenSchema,
  mfaActive: z.boolean(),
  /** True: a non-virtual device; false: a virtual one; null: the source cannot tell. */
  hardwareMfa: z.boolean().nullable(),
  accessKeys: z.array(AccessKeySchema),
  /** From GetAccountSummary when the credential report has no root row (it always should on AWS). */
  accessKeysPresent: z.boolean().nullable(),
  signingCertificates: z.array(SigningCertificateSchema),
});
export type Root = z.infer<typeof RootSchema>;

/**
 * The account password policy (GetAccountPasswordPolicy). `none`: the account has none (IAM's
 * defaults apply: 8 characters, no reuse prevention, no expiry); that is a finding, not a gap.
 */
export const PasswordPolicySchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({
    state: z.literal('set'),
    minimumLength: z.number().nullable(),
    requireUppercase: z.boolean(),
    requireLowercase: z.boolean(),
    requireNumbers: z.boolean(),
    requireSymbols: z.boolean(),
    /** Days a password lives; null when passwords never expire. */
    maxAgeDays: z.number().nullable(),
    /** How many previous passwords cannot be reused; null when reuse is not prevented. */
    reusePrevention: z.number().nullable(),
    allowUsersToChange: z.boolean(),
    hardExpiry: z.boolean(),
  }),
]);
export type PasswordPolicy = z.infer<typeof PasswordPolicySchema>;

/** An SSL/TLS certificate stored in IAM (ListServerCertificates). */
export const ServerCertificateSchema = z.object({
  arn: z.string(),
  name: z.string(),
  id: z.string().nullable(),
  path: z.string(),
  uploadDate: WhenSchema,
  expiration: WhenSchema,
});
export type ServerCertificate = z.infer<typeof ServerCertificateSchema>;

/** The SAML provider IAM Identity Center creates in each account it manages. */
export const IDENTITY_CENTER_SAML_PROVIDER = /^AWSSSO_[0-9A-Za-z]+_DO_NOT_DELETE$/;

export const IdentityCenterSchema = z.object({
  inUse: z.boolean(),
  /** Why we think so: the role or provider names that show it. */
  evidence: z.array(z.string()),
});

export const CredentialReportMetaSchema = z.object({
  generatedAt: WhenSchema,
  rows: z.number(),
});

export const AccountSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  alias: z.string().nullable(),
  credentialReport: CredentialReportMetaSchema.nullable(),
  /** Null when neither the credential report nor GetAccountSummary could be read. */
  root: RootSchema.nullable(),
  accountSummary: z.record(z.string(), z.number()).nullable(),
  users: z.array(UserSchema),
  roles: z.array(RoleSchema),
  groups: z.array(GroupSchema),
  policies: z.array(ManagedPolicySchema),
  oidcProviders: z.array(OidcProviderSchema),
  samlProviders: z.array(SamlProviderSchema),
  identityCenter: IdentityCenterSchema,
  /** Null when it could not be read (a gap says why); absent in snapshots made before roleshift read it. */
  passwordPolicy: PasswordPolicySchema.nullable().optional(),
  /** Null when they could not be read (a gap says why); absent in snapshots made before roleshift read them. */
  serverCertificates: z.array(ServerCertificateSchema).nullable().optional(),
  /** Present when the scan read IAM access advisor (`scan --access-advisor`). */
  accessAdvisor: AccessAdvisorSchema.optional(),
});
export type Account = z.infer<typeof AccountSchema>;

/** A call that was denied or failed. A gap is shown to the user; it never reads as "clean". */
export const GapSchema = z.object({
  accountId: z.string().nullable(),
  region: z.string().nullable(),
  api: z.string(),
  errorCode: z.string(),
  message: z.string(),
  /**
   * `organization`: the Organization itself could not be listed, so which accounts exist is
   * unknown and every count of the scan is a floor, not a total (see `isTrendable`). Absent: the
   * gap is inside one account or region.
   */
  scope: z.literal('organization').optional(),
});
export type Gap = z.infer<typeof GapSchema>;

/**
 * What a file scan (`--from`) read and how sure it is: every file with its kind and whether it
 * said more pages follow, and every sub-folder it did not read as an account. What is short of
 * complete is also a gap; this is the evidence behind it.
 */
export const InputsReadSchema = z.object({
  files: z.array(
    z.object({
      /** Relative to the `--from` folder. */
      path: z.string(),
      kind: z.string(),
      accountId: z.string().nullable(),
      /** The file says more pages follow (`IsTruncated`, `Marker` or `NextToken`). */
      continues: z.boolean(),
    }),
  ),
  skippedFolders: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type InputsRead = z.infer<typeof InputsReadSchema>;

export const CollectionSchema = z.object({
  source: z.enum(['live', 'files']),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  toolVersion: z.string(),
  /** Calls per API name, e.g. {"iam:GetAccountAuthorizationDetails": 3}. */
  apiCalls: z.record(z.string(), z.number()),
  /** Where the data came from: an endpoint/profile for live, the directory for files. */
  origin: z.string(),
  warnings: z.array(z.string()),
  /** Present for a file scan: what was read (see InputsReadSchema). */
  inputs: InputsReadSchema.optional(),
});

export const SnapshotSchema = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  collection: CollectionSchema,
  accounts: z.array(AccountSchema),
  gaps: z.array(GapSchema),
  /** Present for `scan --org`: accounts with their OU path, and SCPs with their targets. */
  organization: OrganizationSchema.optional(),
  /** Centralised root access of the Organization; absent: not read (a gap or a file says why). */
  rootAccess: RootAccessSchema.optional(),
  /** Present when the scan could read the Identity Center instance. */
  identityCenterInstance: IdentityCenterInstanceSchema.optional(),
  /** IAM Roles Anywhere trust anchors and profiles per account and region read. */
  rolesAnywhere: z.array(RolesAnywhereSchema).optional(),
  /** Present when the scan read CloudTrail (`--cloudtrail`): usage per principal and access key. */
  usage: UsageSchema.optional(),
  /**
   * AWS managed policies kept once per scan instead of once per account (they are the same in
   * every account of a partition). Read them through `findManagedPolicy`, never directly, so both
   * layouts read the same.
   */
  awsManagedPolicies: z.array(ManagedPolicySchema).optional(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;
