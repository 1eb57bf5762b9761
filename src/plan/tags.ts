import type { Tags } from '../model/snapshot.js';

/** The first non-empty value among tag keys, compared without case: teams spell `Email` and `email`. */
export function tag(tags: Tags, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = tagIgnoringCase(tags, key.toLowerCase());
    if (value) return value;
  }
  return null;
}

/**
 * The trimmed value of the last tag whose key is `lowerKey` without case (as a map built from
 * the tags would keep it), found without building that map: called for every user, several
 * times, most users with a handful of tags.
 */
function tagIgnoringCase(tags: Tags, lowerKey: string): string | undefined {
  let found: string | undefined;
  for (const key in tags) if (key.toLowerCase() === lowerKey) found = (tags[key] as string).trim();
  return found;
}
