import { z } from 'zod';

export const USER_CLASSES = ['human', 'ci-cd', 'workload', 'third-party', 'break-glass', 'unknown'] as const;
export const UserClassSchema = z.enum(USER_CLASSES);
export type UserClass = z.infer<typeof UserClassSchema>;

export const CiProviderSchema = z.enum([
  'github-actions',
  'gitlab',
  'vercel',
  'circleci',
  'bitbucket',
  'terraform-cloud',
  'jenkins',
  'buildkite',
  'other',
]);
export type CiProvider = z.infer<typeof CiProviderSchema>;

export const RunsOnSchema = z.enum(['ec2', 'ecs', 'eks', 'lambda', 'aws-other', 'on-prem', 'other-cloud', 'unknown']);
export type RunsOn = z.infer<typeof RunsOnSchema>;

/** One fact that pushed the classifier one way. `weight` is its contribution, signed by `supports`. */
export const EvidenceSchema = z.object({
  source: z.enum(['credential', 'tag', 'name', 'path', 'group', 'policy', 'activity', 'override']),
  supports: UserClassSchema,
  weight: z.number(),
  detail: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ClassificationSchema = z.object({
  accountId: z.string(),
  userName: z.string(),
  userArn: z.string(),
  class: UserClassSchema,
  ciProvider: CiProviderSchema.nullable(),
  runsOn: RunsOnSchema.nullable(),
  /** 0..1 */
  confidence: z.number(),
  evidence: z.array(EvidenceSchema),
  /** Key grouping one person's users across accounts (same name or email/owner tag). */
  personKey: z.string().nullable(),
});
export type Classification = z.infer<typeof ClassificationSchema>;
