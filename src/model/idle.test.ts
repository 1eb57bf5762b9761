import { describe, expect, it } from 'vitest';
import { buildKey, buildUser } from '../../test/fixtures/build-snapshot.js';
import { keyIdleDays, passwordIdleDays } from './idle.js';
import { NEVER, UNKNOWN, whenAt } from './when.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) => whenAt(new Date(NOW.getTime() - days * 86_400_000));

describe('keyIdleDays', () => {
  it.each([
    ['used 10 days ago', buildKey({ lastUsed: daysAgo(10), lastRotated: daysAgo(500) }), 10],
    ['never used, rotated 90 days ago', buildKey({ lastUsed: NEVER, lastRotated: daysAgo(90) }), 90],
    ['never used, rotation unknown', buildKey({ lastUsed: NEVER, lastRotated: UNKNOWN }), null],
    ['use unknown', buildKey({ lastUsed: UNKNOWN, lastRotated: daysAgo(90) }), null],
  ])('Given a key %s, When measured, Then it is %s days', (_label, key, expected) => {
    expect(keyIdleDays(key, UNKNOWN, NOW)).toBe(expected);
  });
});

describe('keyIdleDays and passwordIdleDays fall back to the user', () => {
  it("Given a key never used whose rotation date is unknown, When measured, Then it counts from the user's creation", () => {
    expect(keyIdleDays(buildKey({ lastUsed: NEVER, lastRotated: UNKNOWN }), daysAgo(120), NOW)).toBe(120);
  });

  it.each([
    ['used 3 days ago', { lastUsed: daysAgo(3), lastChanged: daysAgo(300) }, 3],
    ['never used, changed 50 days ago', { lastUsed: NEVER, lastChanged: daysAgo(50) }, 50],
    ['never used, change date unknown', { lastUsed: NEVER, lastChanged: UNKNOWN }, 200],
    ['of unknown use', { lastUsed: UNKNOWN, lastChanged: daysAgo(50) }, null],
  ])(
    'Given a password %s on a user created 200 days ago, When measured, Then it is %s days',
    (_label, dates, expected) => {
      const user = buildUser('alice', {
        createDate: daysAgo(200),
        password: { enabled: true, nextRotation: NEVER, ...dates },
      });
      expect(passwordIdleDays(user, NOW)).toBe(expected);
    },
  );
});
