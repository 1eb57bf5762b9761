import { z } from 'zod';

/**
 * Every tunable in one place: typed defaults here, then `roleshift.config.yaml`, then the
 * environment, then flags. Modules receive the resolved object; none reads files or env itself.
 */
export const RoleshiftConfigSchema = z
  .object({
    thresholds: z
      .object({
        /** CIS 1.12 / IAM.22: credentials unused this many days are stale. */
        unusedCredentialDays: z.number().int().positive().default(45),
        /** CIS 1.14 / IAM.3: active keys older than this must be rotated. */
        keyRotationDays: z.number().int().positive().default(90),
        /** AWS caches the credential report; older than this and results may lag. */
        credentialReportMaxAgeHours: z.number().positive().default(4),
        /** CIS 1.7: root used within this many days counts as "used recently". */
        rootRecentUseDays: z.number().int().positive().default(90),
      })
      .strict()
      .prefault({}),
    classification: z
      .object({
        /** Tag keys whose value names the owning person or team (also used for ownership tags). */
        ownerTagKeys: z.array(z.string()).default(['owner', 'Owner', 'email', 'Email', 'contact']),
        /** Tag keys whose value says what the user is for. */
        purposeTagKeys: z.array(z.string()).default(['purpose', 'Purpose', 'description', 'Description', 'service']),
        /** An explicit class; always wins. */
        overrideTagKey: z.string().default('roleshift:class'),
        /** A password behind MFA, without keys, unused this long reads as a break-glass login. */
        dormantLoginDays: z.number().int().positive().default(90),
      })
      .strict()
      .prefault({}),
    exceptionsFile: z.string().default('roleshift.exceptions.yaml'),
    /** How often a drafted exception is to be reviewed; its first review is due this many days after the plan. */
    exceptionReviewDays: z.number().int().positive().default(90),
    /** Ownership tags put on every generated role, permission set and policy when the user has none. */
    ownershipDefaults: z.record(z.string(), z.string()).default({}),
    remediation: z.object({ watchDays: z.number().int().nonnegative().default(30) }).prefault({}),
  })
  .strict();

export type RoleshiftConfig = z.infer<typeof RoleshiftConfigSchema>;

export const DEFAULT_CONFIG: RoleshiftConfig = RoleshiftConfigSchema.parse({});
