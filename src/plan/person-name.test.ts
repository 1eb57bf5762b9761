import { describe, expect, it } from 'vitest';
import { personName } from './person-name.js';

describe('personName', () => {
  it('Given alice.martin with the e-mail alice@acme.example, When named, Then the user name gives Alice Martin, marked as a guess', () => {
    expect(personName('alice.martin', {}, 'alice@acme.example')).toEqual({
      displayName: 'Alice Martin',
      givenName: 'Alice',
      familyName: 'Martin',
      guessedFrom: 'the IAM user name alice.martin',
    });
  });

  it('Given a display-name tag, When named, Then the tag is split and nothing is guessed', () => {
    expect(personName('amartin', { 'Display-Name': 'Alice van Martin' }, null)).toEqual({
      displayName: 'Alice van Martin',
      givenName: 'Alice',
      familyName: 'van Martin',
      guessedFrom: null,
    });
  });

  it('Given given_name and family_name tags, When named, Then they are used as they are', () => {
    expect(personName('svc-am', { given_name: 'Alice', family_name: 'Martin-Lee', name: 'Alice ML' }, null)).toEqual({
      displayName: 'Alice ML',
      givenName: 'Alice',
      familyName: 'Martin-Lee',
      guessedFrom: null,
    });
  });

  it('Given a one-word user name and an e-mail with two parts, When named, Then the e-mail gives the names, marked as a guess', () => {
    expect(personName('am01', {}, 'alice.martin@acme.example')).toMatchObject({
      givenName: 'Alice',
      familyName: 'Martin',
      guessedFrom: 'the e-mail alice.martin@acme.example',
    });
  });

  it('Given only one word anywhere, When named, Then the family name is a placeholder, never the given name again', () => {
    const name = personName('alice', {}, 'alice@acme.example');
    expect(name.givenName).toBe('Alice');
    expect(name.familyName).toBe('REPLACE_ME_FAMILY_NAME');
    expect(name.displayName).toBe('Alice');
    expect(name.guessedFrom).toMatch(/only one name/);
  });

  it('Given a user name with digits (ci-deploy-2), When named, Then its parts are not taken for names', () => {
    expect(personName('ci-deploy-2', {}, null).familyName).toBe('REPLACE_ME_FAMILY_NAME');
  });
});
