/**
 * The one definition of how long a credential has gone unused, CIS-style (1.12): from its last
 * use; when it was never used, from when it was set (password change, key rotation), else from
 * when its user was created. A key created and forgotten is as stale as one that stopped being
 * used; counting it as fine (as Prowler does) hides the forgotten keys. Null when the source
 * cannot tell.
 */
import type { AccessKey, User, When } from './snapshot.js';
import { daysSince } from './when.js';

function idleDays(lastUsed: When, setAt: When, userCreated: When, now: Date): number | null {
  if (lastUsed.state === 'at') return daysSince(lastUsed, now);
  if (lastUsed.state === 'unknown') return null;
  return daysSince(setAt, now) ?? daysSince(userCreated, now);
}

/** Days an access key has gone unused; `userCreated` stands in when its rotation date is unknown. */
export function keyIdleDays(key: AccessKey, userCreated: When, now: Date): number | null {
  return idleDays(key.lastUsed, key.lastRotated, userCreated, now);
}

/** Days a user's console password has gone unused. */
export function passwordIdleDays(user: User, now: Date): number | null {
  return idleDays(user.password.lastUsed, user.password.lastChanged, user.createDate, now);
}
