import { z } from 'zod';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const ReferencesSchema = z.object({
  /** CIS AWS Foundations Benchmark v3.0 recommendation numbers, e.g. "1.14". */
  cis: z.array(z.string()),
  /** AWS Security Hub control ids, e.g. "IAM.3". */
  securityHub: z.array(z.string()),
  /** Anything else worth reading (documentation URLs). */
  links: z.array(z.string()),
});
export type References = z.infer<typeof ReferencesSchema>;

/**
 * One normalised finding feeding every writer (table, JSON, SARIF, CSV, Markdown, HTML).
 * `status: error` is a rule that threw: shown to the user, never dropped. `status: pass` is
 * evidence that a rule held; the runner keeps passes apart from the findings.
 */
export const FindingSchema = z.object({
  checkId: z.string(),
  title: z.string(),
  severity: SeveritySchema,
  status: z.enum(['fail', 'error', 'pass']),
  accountId: z.string().nullable(),
  resourceType: z.enum([
    'root',
    'user',
    'role',
    'group',
    'policy',
    'account',
    'server-certificate',
    'exception',
    'file',
    'snapshot',
  ]),
  resourceArn: z.string().nullable(),
  resourceName: z.string(),
  message: z.string(),
  /** For `roleshift lint`: where in a file the problem is. */
  location: z.object({ file: z.string(), line: z.number().nullable(), pointer: z.string().nullable() }).nullable(),
  references: ReferencesSchema,
  remediation: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;
