import { describe, expect, it } from 'vitest';
import { decodePolicyDocument } from './policy-text.js';

const doc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a b/*' }],
};

describe('decodePolicyDocument', () => {
  it.each([
    ['an object the CLI already decoded', doc],
    ['raw JSON text (moto ListRoles)', JSON.stringify(doc)],
    ['URL-encoded text (AWS everywhere)', encodeURIComponent(JSON.stringify(doc))],
    ['form-encoded text with + for spaces', encodeURIComponent(JSON.stringify(doc)).replace(/%20/g, '+')],
  ])('given %s, when decoded, then the same document comes back', (_, input) => {
    expect(decodePolicyDocument(input)).toEqual(doc);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an array', '[1,2]'],
    ['truncated JSON', '{"Version": "2012-10-17", "Statem'],
  ])('given %s, when decoded, then it throws instead of inventing a policy', (_, input) => {
    expect(() => decodePolicyDocument(input)).toThrow();
  });
});
