import type { Tags } from '../model/snapshot.js';
import { tag } from './tags.js';
import { placeholder } from './trust-policies.js';

/** A person's names in the identity store, and why a reviewer should check them when guessed. */
export interface PersonName {
  displayName: string;
  givenName: string;
  familyName: string;
  /** Null when the names come from tags; otherwise where the guess came from, for the plan's review step. */
  guessedFrom: string | null;
}

const FULL_NAME_TAGS = ['name', 'display_name', 'display-name', 'displayname', 'full_name', 'full-name', 'fullname'];
const GIVEN_NAME_TAGS = ['given_name', 'given-name', 'givenname', 'first_name', 'first-name', 'firstname'];
const FAMILY_NAME_TAGS = ['family_name', 'family-name', 'familyname', 'last_name', 'last-name', 'lastname', 'surname'];

const capital = (part: string): string => part.charAt(0).toUpperCase() + part.slice(1);

/** `alice.martin`, `alice_martin`, `Alice-Martin`: two or more alphabetic parts, else null. */
function nameParts(text: string): string[] | null {
  const parts = text.split(/[\s._-]+/).filter((part) => part.length > 0);
  return parts.length >= 2 && parts.every((part) => /^\p{L}+$/u.test(part)) ? parts.map(capital) : null;
}

function fromParts(parts: readonly string[], displayTag: string | null, guessedFrom: string | null): PersonName {
  const [given = '', ...family] = parts;
  const familyName = family.join(' ');
  return { displayName: displayTag ?? `${given} ${familyName}`, givenName: given, familyName, guessedFrom };
}

/**
 * The names Identity Center needs (given and family are both required), most trusted source first:
 * given/family name tags, a full-name tag, the IAM user name's parts (`alice.martin`), those of the
 * classifier's person key, the e-mail's local part. With a single word nowhere to split, the family name is a placeholder to fill: a
 * repeated given name would look right and be wrong.
 */
export function personName(
  userName: string,
  tags: Tags,
  email: string | null,
  personKey: string = userName,
): PersonName {
  const displayTag = tag(tags, FULL_NAME_TAGS);
  const given = tag(tags, GIVEN_NAME_TAGS);
  const family = tag(tags, FAMILY_NAME_TAGS);
  if (given !== null && family !== null) return fromParts([given, family], displayTag, null);
  const fullName = displayTag === null ? null : displayTag.split(/\s+/).filter((part) => part.length > 0);
  if (fullName !== null && fullName.length >= 2) return fromParts(fullName, displayTag, null);
  const fromUserName = nameParts(userName);
  if (fromUserName !== null) return fromParts(fromUserName, displayTag, `the IAM user name ${userName}`);
  const fromKey = nameParts(personKey);
  if (fromKey !== null) return fromParts(fromKey, displayTag, `the name ${personKey} that ties the person's users`);
  const localPart = email?.split('@')[0] ?? null;
  const fromEmail = localPart === null ? null : nameParts(localPart);
  if (fromEmail !== null) return fromParts(fromEmail, displayTag, `the e-mail ${email}`);
  const single = capital(given ?? displayTag ?? localPart ?? userName);
  return {
    displayName: displayTag ?? single,
    givenName: single,
    familyName: family ?? placeholder('family name'),
    guessedFrom: `only one name (${single}) in the user name, tags and e-mail`,
  };
}
