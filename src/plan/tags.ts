import type { Tags } from '../model/snapshot.js';

/** The first non-empty value among tag keys, compared without case: teams spell `Email` and `email`. */
export function tag(tags: Tags, keys: readonly string[]): string | null {
  const lower = new Map(Object.entries(tags).map(([key, value]) => [key.toLowerCase(), value.trim()]));
  for (const key of keys) {
    const value = lower.get(key.toLowerCase());
    if (value) return value;
  }
  return null;
}
