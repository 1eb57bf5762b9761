import { describe, expect, it } from 'vitest';
import { UserInputError } from '../errors.js';
import { parseUserRef } from './user-ref.js';

describe('parseUserRef', () => {
  const good: Array<[string, string, string]> = [
    ['123456789012/alice', '123456789012', 'alice'],
    ['arn:aws:iam::123456789012:user/alice', '123456789012', 'alice'],
    ['arn:aws:iam::123456789012:user/teams/platform/ci.deploy+x@y', '123456789012', 'ci.deploy+x@y'],
    ['arn:aws-us-gov:iam::123456789012:user/gov', '123456789012', 'gov'],
  ];
  for (const [text, accountId, userName] of good) {
    it(`Given "${text}", When parsed, Then it names ${accountId}/${userName}`, () => {
      expect(parseUserRef(text)).toEqual({ accountId, userName });
    });
  }
  for (const bad of [
    'alice',
    '12345/alice',
    'arn:aws:iam::123456789012:role/alice',
    '123456789012/a b',
    '123456789012/',
  ]) {
    it(`Given "${bad}", When parsed, Then it is a one-line user error saying how to name a user`, () => {
      expect(() => parseUserRef(bad)).toThrow(UserInputError);
      expect(() => parseUserRef(bad)).toThrow(/ACCOUNT_ID\/USER_NAME/);
    });
  }
});
