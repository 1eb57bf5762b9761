import { z } from 'zod';

/**
 * Usage facts from CloudTrail: what each principal and each access key really did, from where
 * and with what. They are evidence for the classifier, the input of least-privilege policies,
 * and the "screams" after a key is switched off (error counts). Everything here is a count or
 * an identifier; request and response bodies are never kept.
 */

const IsoTimeSchema = z.iso.datetime({ offset: true });

export const ADDRESS_KINDS = ['aws-service', 'private', 'public', 'other'] as const;
export const AddressKindSchema = z.enum(ADDRESS_KINDS);
export type AddressKind = z.infer<typeof AddressKindSchema>;

/** Source addresses grouped: a service name, a private range, or a public /24 (or IPv6 /48). */
export const AddressGroupSchema = z.object({ kind: AddressKindSchema, group: z.string(), events: z.number() });
export type AddressGroup = z.infer<typeof AddressGroupSchema>;

export const UserAgentFamilySchema = z.object({
  family: z.string(),
  events: z.number(),
  /** One raw user agent of this family, trimmed, so a reader can see what was matched. */
  example: z.string(),
});
export type UserAgentFamily = z.infer<typeof UserAgentFamilySchema>;

export const ActionUsageSchema = z.object({
  /** `service:Action` as IAM names it; for calls no IAM action matches, the CloudTrail name. */
  action: z.string(),
  /** False when the event could not be mapped to a known IAM action (see `action`). */
  mapped: z.boolean(),
  events: z.number(),
  errors: z.number(),
  /**
   * Resource ARNs the events named (CloudTrail `resources[].ARN`), sorted, at most 20; kept per
   * principal only (empty on access keys), since least privilege is built per principal.
   */
  resources: z.array(z.string()),
  /** True when more distinct resources were seen than are kept (S3 objects, log streams...); absent means false. */
  resourcesTruncated: z.boolean().optional(),
  /**
   * Present only when resources are truncated: every resource seen, S3 object ARNs as their
   * bucket's `arn:aws:s3:::bucket/*`, sorted, when that makes at most 20; least privilege then
   * grants the buckets instead of `*`.
   */
  resourcePatterns: z.array(z.string()).optional(),
  /**
   * What the successful calls named beyond their own resource, for the actions they imply (the
   * role a call passes, the KMS key it used; `src/activity/implied-actions.ts`), as
   * `parameter=value`, sorted, at most 20; absent when none. Per principal only.
   */
  requestValues: z.array(z.string()).optional(),
  /** True when more values were seen than are kept, or some calls were read before values were kept. */
  requestValuesIncomplete: z.boolean().optional(),
  /**
   * True when every successful call named a value of one parameter (every CreateChangeSet passed a
   * role), so a policy may require it; absent means some call did not, or it is unknown.
   */
  requestValuesOnEveryCall: z.boolean().optional(),
});
export type ActionUsage = z.infer<typeof ActionUsageSchema>;

export const ConsoleLoginsSchema = z.object({
  total: z.number(),
  withMfa: z.number(),
  withoutMfa: z.number(),
  failed: z.number(),
});
export type ConsoleLogins = z.infer<typeof ConsoleLoginsSchema>;

/** The facets shared by a principal and by one of its access keys. */
const FacetsShape = {
  events: z.number(),
  firstSeen: IsoTimeSchema,
  lastSeen: IsoTimeSchema,
  actions: z.array(ActionUsageSchema),
  addresses: z.array(AddressGroupSchema),
  userAgents: z.array(UserAgentFamilySchema),
  regions: z.array(z.string()),
  /** Error code → events, e.g. {"AccessDenied": 3, "InvalidClientTokenId": 1}. */
  errors: z.record(z.string(), z.number()),
};

/**
 * One caller. A role's sessions are one principal whose `arn` is the role's (the session
 * issuer): session names and temporary keys change hourly, so facts per session would grow with
 * time, not with the estate. Identity Center sessions keep their session ARN (its name is the
 * person).
 */
export const PrincipalUsageSchema = z.object({
  /** `userIdentity.arn` (a role's ARN for its sessions); for web-identity and SAML callers, the identity provider and subject. */
  arn: z.string(),
  /** `userIdentity.type`: IAMUser, AssumedRole, Root, WebIdentityUser, SAMLUser, AWSService... */
  type: z.string(),
  accountId: z.string().nullable(),
  /** The IAM user name for IAMUser principals, else null. */
  userName: z.string().nullable(),
  /** For AssumedRole sessions: the role the session came from. */
  sessionIssuerArn: z.string().nullable(),
  consoleLogins: ConsoleLoginsSchema,
  ...FacetsShape,
});
export type PrincipalUsage = z.infer<typeof PrincipalUsageSchema>;

/** A long-lived access key (AKIA, IAM user or root); temporary keys count under their principal. */
export const AccessKeyUsageSchema = z.object({
  accessKeyId: z.string(),
  principalArn: z.string(),
  ...FacetsShape,
});
export type AccessKeyUsage = z.infer<typeof AccessKeyUsageSchema>;

export const FEDERATION_KINDS = ['web-identity', 'saml', 'identity-center'] as const;
export const FederatedSessionSchema = z.object({
  kind: z.enum(FEDERATION_KINDS),
  /** The identity provider ARN or host (token.actions.githubusercontent.com, a SAML provider). */
  provider: z.string(),
  /** The token subject (web identity) or SAML subject / Identity Center user, when logged. */
  subject: z.string().nullable(),
  /** GitHub Actions subjects only: owner/repo and the ref (refs/heads/main) or environment. */
  repository: z.string().nullable(),
  ref: z.string().nullable(),
  roleArn: z.string().nullable(),
  events: z.number(),
  firstSeen: IsoTimeSchema,
  lastSeen: IsoTimeSchema,
});
export type FederatedSession = z.infer<typeof FederatedSessionSchema>;

export const UnreadableFileSchema = z.object({ file: z.string(), problem: z.string() });
export type UnreadableFile = z.infer<typeof UnreadableFileSchema>;

export const UsageSourceSchema = z.object({
  engine: z.enum(['duckdb', 'athena']),
  /** The path, s3:// URL or Athena table read. */
  origin: z.string(),
  since: IsoTimeSchema.nullable(),
  until: IsoTimeSchema.nullable(),
  filesRead: z.number(),
  /** Files already ingested by an earlier run (incremental) and not read again. */
  filesSkipped: z.number(),
  /** Files that could not be read (truncated gzip, malformed JSON); their good records still count. */
  unreadable: z.array(UnreadableFileSchema),
  records: z.number(),
  /** Records inside a file that were not CloudTrail events (no eventName / eventTime). */
  badRecords: z.number(),
});
export type UsageSource = z.infer<typeof UsageSourceSchema>;

export const UsageSchema = z.object({
  source: UsageSourceSchema,
  principals: z.array(PrincipalUsageSchema),
  accessKeys: z.array(AccessKeyUsageSchema),
  federatedSessions: z.array(FederatedSessionSchema),
});
export type Usage = z.infer<typeof UsageSchema>;
