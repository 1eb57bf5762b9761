import { z } from 'zod';
import { WhenSchema, type When } from './primitives.js';

/**
 * IAM access advisor ("service last accessed") as a scan keeps it: per principal, every service
 * its permissions policies allow, when it was last authenticated to and from where, and, for the
 * services AWS tracks at action level, the same per action. It is IAM's own usage evidence, kept
 * without CloudTrail: `never` means no attempt within AWS's tracking period (400 days).
 *
 * What it cannot say: which resources were touched, the actions of services AWS does not track at
 * action level, and whether an attempt succeeded (AWS counts denied attempts too). It ignores
 * permissions boundaries and SCPs: it lists what the principal's own policies allow.
 */

/** Whose access advisor a scan reads (`scan --access-advisor [scope]`): every user, or users and roles. */
export type AccessAdvisorScope = 'users' | 'users-and-roles';

export const TrackedActionSchema = z.object({
  /** `service:Action`, e.g. `s3:PutObject` (AWS answers the bare action name; the service is added). */
  action: z.string(),
  lastAccessed: WhenSchema,
  /** The ARN of the principal that last attempted it, when AWS says. */
  entity: z.string().nullable(),
  region: z.string().nullable(),
});
export type TrackedAction = z.infer<typeof TrackedActionSchema>;

export const ServiceAccessSchema = z.object({
  /** The service prefix (namespace) as IAM actions spell it, e.g. `s3`. */
  service: z.string(),
  /** AWS's display name, e.g. `Amazon S3`. */
  name: z.string(),
  lastAuthenticated: WhenSchema,
  entity: z.string().nullable(),
  region: z.string().nullable(),
  totalAuthenticatedEntities: z.number().nullable(),
  /** Null when AWS reports no action-level data for the service. */
  trackedActions: z.array(TrackedActionSchema).nullable(),
});
export type ServiceAccess = z.infer<typeof ServiceAccessSchema>;

export const PrincipalAccessSchema = z.object({
  arn: z.string(),
  kind: z.enum(['user', 'role']),
  /** When AWS finished the report: its data is as of then (activity shows within about four hours). */
  generatedAt: WhenSchema,
  /**
   * False when some of it could not be read (a page failed, or said more follow and did not): the
   * services listed are true, but a service missing from the list may still be allowed and used.
   */
  complete: z.boolean(),
  services: z.array(ServiceAccessSchema),
});
export type PrincipalAccess = z.infer<typeof PrincipalAccessSchema>;

/** One account's access advisor data; principals whose report failed are absent (and a gap says so). */
export const AccessAdvisorSchema = z.object({
  principals: z.array(PrincipalAccessSchema),
});
export type AccessAdvisor = z.infer<typeof AccessAdvisorSchema>;

/**
 * One service in an Organizations access report: the SCPs over the entity allow it, and this is
 * the last time any principal (root user, IAM user or role) of the entity's accounts reached it.
 */
export const OrgServiceAccessSchema = z.object({
  service: z.string(),
  name: z.string(),
  lastAuthenticated: WhenSchema,
  /** The entity path of the account that last reached it, when AWS says. */
  entityPath: z.string().nullable(),
  region: z.string().nullable(),
  totalAuthenticatedEntities: z.number().nullable(),
});
export type OrgServiceAccess = z.infer<typeof OrgServiceAccessSchema>;

/**
 * IAM's Organizations access report for one root, OU or account (`GenerateOrganizationsAccessReport`
 * from the management account): every service the SCPs over that entity allow, and when the
 * entity's principals last used it. The management account is not in the root's or an OU's
 * numbers (SCPs do not limit it).
 */
export const OrgAccessReportSchema = z.object({
  /** `o-.../r-...[/ou-...]*[/ACCOUNT_ID]`, as AWS takes it. */
  entityPath: z.string(),
  entity: z.enum(['root', 'ou', 'account']),
  /** The root, OU or account id the path ends with. */
  targetId: z.string(),
  generatedAt: WhenSchema,
  /** False when some pages could not be read: a service missing from the list may still be allowed. */
  complete: z.boolean(),
  /** AWS's counts: services the SCPs allow, and of those the ones no principal attempted. */
  servicesAllowed: z.number().nullable(),
  servicesNotAccessed: z.number().nullable(),
  services: z.array(OrgServiceAccessSchema),
});
export type OrgAccessReport = z.infer<typeof OrgAccessReportSchema>;

/** Services unused for this long count as unused (Repokid's and Prowler's 90 days). */
export const ACCESS_ADVISOR_WINDOW_DAYS = 90;

const DAY_MS = 86_400_000;

/** Whether a last-access time falls at or after `since` (ms since the epoch). */
export function usedSince(when: When, since: number): boolean {
  return when.state === 'at' && Date.parse(when.at) >= since;
}

/**
 * The start of the window before the report was generated (its data is as of then, not as of the
 * scan's clock); null when AWS gave no completion time.
 */
export function windowStart(access: { generatedAt: When }, days = ACCESS_ADVISOR_WINDOW_DAYS): number | null {
  return access.generatedAt.state === 'at' ? Date.parse(access.generatedAt.at) - days * DAY_MS : null;
}
