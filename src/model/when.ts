import type { When } from './snapshot.js';

export const NEVER: When = { state: 'never' };
export const UNKNOWN: When = { state: 'unknown' };

/** A When for a known instant, normalised to UTC ISO-8601 without milliseconds noise. */
export function whenAt(instant: Date | string): When {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(instant)}`);
  return { state: 'at', at: date.toISOString().replace('.000Z', 'Z') };
}

export function whenToDate(when: When): Date | null {
  return when.state === 'at' ? new Date(when.at) : null;
}

/**
 * Whole days from `when` to `now`; null when `when` is never or unknown. Parsed to a number, not a
 * Date: the report asks this several times for each of 100,000 users.
 */
export function daysSince(when: When, now: Date): number | null {
  return when.state === 'at' ? Math.floor((now.getTime() - Date.parse(when.at)) / 86_400_000) : null;
}
