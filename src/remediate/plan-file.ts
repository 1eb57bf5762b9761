import { z } from 'zod';
import { UserClassSchema } from '../model/classification.js';
import type { PlanEntryFacts } from './safety.js';

/**
 * The part of a migration plan file (`roleshift plan --format json -o FILE`) that remediation
 * reads. Lenient about everything else so a plan from a slightly newer roleshift still works.
 */
const PlanFileSchema = z.object({
  users: z.array(
    z.object({
      accountId: z.string().regex(/^\d{12}$/),
      userName: z.string().min(1),
      class: UserClassSchema,
      strategy: z.string(),
      blockers: z.array(z.string()).default([]),
      prerequisites: z
        .array(z.object({ id: z.string(), description: z.string(), met: z.boolean().nullable() }))
        .default([]),
      exception: z
        .object({ reason: z.string(), expires: z.string().nullable().default(null) })
        .nullable()
        .default(null),
      artifacts: z
        .array(
          z.looseObject({
            kind: z.string(),
            accountId: z.string().optional(),
            name: z.string().optional(),
            trustPolicy: z.unknown().optional(),
            permissionSetName: z.string().optional(),
          }),
        )
        .default([]),
    }),
  ),
});

/** Parses the plan text; returns a one-line problem instead of throwing so the caller names the file. */
export function parsePlanFile(text: string): { ok: true; entries: PlanEntryFacts[] } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = PlanFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false,
      problem: `not a roleshift plan${where}: ${issue?.message ?? 'invalid'} (write one with roleshift plan --format json)`,
    };
  }
  return { ok: true, entries: parsed.data.users };
}
