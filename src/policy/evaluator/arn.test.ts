import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arnMatches, arnMatchesOnce, parseArn } from './arn.js';

describe('ARN matching, segment by segment', () => {
  it.each([
    ['*', 'arn:aws:s3:::bucket/key', true],
    ['arn:aws:iam::*:policy/fn2-*', 'arn:aws:iam::200611803367:policy/fn2-exploitable', true],
    ['arn:aws:iam::aws:policy/fp4-*', 'arn:aws:iam::200611803367:policy/fp4-x', false],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b:c', true],
    ['arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket-2/key', true],
    [
      'arn:aws:logs:*:111122223333:log-group:app:*',
      'arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:s',
      true,
    ],
    ['arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:user/Alice', false],
    ['arn:aws:iam::111122223333:user/?lice', 'arn:aws:iam::111122223333:user/alice', true],
    ['arn:aws:sqs:*:111122223333:queue', 'arn:aws:sqs:us-east-1:111122223333:queue', true],
  ])('Given the pattern %s, When matched against %s, Then the answer is %s', (pattern, arn, expected) => {
    expect(arnMatches(pattern, arn)).toBe(expected);
  });

  it('Given a wildcard in the account segment, When the resource has colons, Then the wildcard cannot swallow them (one glob would)', () => {
    // As one string, `arn:aws:sqs:us-east-1:*:queue` would match an ARN whose account segment ends
    // in "queue" after more colons; segment by segment it names only a queue called "queue".
    expect(arnMatches('arn:aws:sqs:us-east-1:*:queue', 'arn:aws:sqs:us-east-1:111122223333:other:queue')).toBe(false);
    expect(arnMatches('arn:aws:sqs:us-east-1:*:queue', 'arn:aws:sqs:us-east-1:111122223333:queue')).toBe(true);
  });

  it('Given a value that is not a six-part ARN, When matched, Then the pattern is compared as one wildcard string', () => {
    expect(parseArn('arn:*')).toBeNull();
    expect(arnMatches('arn:*', 'arn:aws:s3:::bucket')).toBe(true);
    expect(arnMatches('arn:aws:s3:::bucket', '*')).toBe(false);
  });

  it("Given any pattern and value, When matched once in place, Then the answer is the compiled matcher's", () => {
    const segment = fc.constantFrom('', '*', 'a', 'b', 'a*', '?', 'ab');
    const resource = fc.constantFrom('', '*', 'a', 'a:b', 'a/b', 'a*', 'b:*', 'a:*:b');
    const arnLike = fc.tuple(segment, segment, segment, segment, resource).map((parts) => `arn:${parts.join(':')}`);
    const text = fc.oneof(arnLike, arnLike, resource, fc.constantFrom('arn:*', 'arn:a:b'));
    fc.assert(
      fc.property(text, text, (pattern, arn) => {
        expect(arnMatchesOnce(pattern, arn)).toBe(arnMatches(pattern, arn));
      }),
      { numRuns: 2000 },
    );
  });
});
