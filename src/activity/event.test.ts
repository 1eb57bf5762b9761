import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenEvent } from './event.js';

/** What `normaliseTime` has always returned: the instant V8 reads, at seconds precision, or nothing. */
function timeByDate(raw: string): string | null {
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function eventTimeOf(raw: string): string | null {
  return flattenEvent({ eventTime: raw, eventSource: 'iam.amazonaws.com', eventName: 'ListUsers' })?.eventTime ?? null;
}

const digits = (length: number) => fc.stringMatching(new RegExp(`^\\d{${length}}$`));

describe('flattenEvent reading event times', () => {
  it('Given any time in CloudTrail spelling, real or not (02-29, 04-31, T24), When flattened, Then it is the instant Date reads, or the record is rejected', () => {
    const spelled = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2))
      .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    const plausible = fc
      .tuple(
        fc.constantFrom('0000', '1900', '2000', '2023', '2024', '2100', '2400', '9999'),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
      )
      .map(([y, mo, d, h, s]) => {
        const two = (n: number) => String(n).padStart(2, '0');
        return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(s)}:${two(s)}Z`;
      });
    fc.assert(
      fc.property(fc.oneof(spelled, plausible), (raw) => {
        expect(eventTimeOf(raw)).toBe(timeByDate(raw));
      }),
      { numRuns: 20_000 },
    );
  });

  it('Given times in other spellings (milliseconds, offsets, a date alone), When flattened, Then they become UTC seconds as before', () => {
    for (const raw of ['2025-03-01T00:00:00.123Z', '2025-03-01T01:00:00+01:00', '2025-03-01', '2024-02-29T23:59:59Z'])
      expect(eventTimeOf(raw)).toBe(timeByDate(raw));
    expect(eventTimeOf('2025-02-29T00:00:00Z')).toBe('2025-03-01T00:00:00Z');
    expect(eventTimeOf('not a time')).toBeNull();
  });
});
