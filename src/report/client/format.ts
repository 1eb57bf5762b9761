import type { When } from '../../model/snapshot.js';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function daysAgo(n: number | null): string {
  if (n === null) return 'unknown';
  return n === 0 ? 'today' : `${plural(n, 'day')} ago`;
}

/** "used 3 days ago" in the table; the exact instant is in the tooltip. */
export function usage(verb: string, when: When, days: number | null): string {
  if (when.state === 'never') return `never ${verb}`;
  if (when.state === 'unknown') return `${verb} at an unknown time`;
  return `${verb} ${daysAgo(days)}`;
}

export function instant(when: When): string | null {
  return when.state === 'at' ? when.at : null;
}

export function accountLabel(accountId: string, alias: string | null): string {
  return alias ? `${accountId} (${alias})` : accountId;
}

/** "2026-11-23T12:00:00Z" as "2026-11-23 12:00". */
export function minutes(isoInstant: string): string {
  return isoInstant.slice(0, 16).replace('T', ' ');
}
