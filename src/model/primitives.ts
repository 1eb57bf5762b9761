import { z } from 'zod';

/**
 * A point in time as AWS reports it. The credential report says `N/A` or `no_information`
 * where something never happened and `not_supported` where it cannot tell; those must never
 * be read as dates, so they are explicit states here.
 */
export const WhenSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('at'), at: z.iso.datetime({ offset: true }) }),
  z.object({ state: z.literal('never') }),
  z.object({ state: z.literal('unknown') }),
]);
export type When = z.infer<typeof WhenSchema>;

/** A parsed IAM policy document. Kept as JSON: the policy module gives it meaning. */
export const PolicyDocumentSchema = z.record(z.string(), z.unknown());
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

export const TagsSchema = z.record(z.string(), z.string());
export type Tags = z.infer<typeof TagsSchema>;
