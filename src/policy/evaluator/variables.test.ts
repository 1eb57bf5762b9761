import { describe, expect, it } from 'vitest';
import { partialKnowledge, requestKnowledge } from './knowledge.js';
import { LITERAL_STAR, plainText, resolveVariables } from './variables.js';

const alice = requestKnowledge({
  'aws:username': 'alice',
  'aws:PrincipalTag/team': 'blue',
  'aws:CalledVia': ['a', 'b'],
});

describe('policy variables', () => {
  it.each([
    ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/alice/*'],
    ['${AWS:UserName}', 'alice'],
    ['team-${aws:PrincipalTag/team}', 'team-blue'],
    ["${aws:PrincipalTag/project, 'shared'}", 'shared'],
    ["${ aws:PrincipalTag/project , 'it''s' }", "it's"],
    ['price ${$}5', 'price $5'],
    ['no variable here', 'no variable here'],
    ['${unterminated', '${unterminated'],
  ])('Given %s, When resolved for a known request, Then it reads %s', (value, expected) => {
    const resolved = resolveVariables(value, alice);
    expect(resolved.kind).toBe('text');
    expect(resolved.kind === 'text' ? plainText(resolved.text) : null).toBe(expected);
  });

  it('Given ${*} and a substituted value, When resolved, Then their asterisks are literal, not wildcards', () => {
    const resolved = resolveVariables('a-${*}-${aws:username}', requestKnowledge({ 'aws:username': 'b*' }));
    expect(resolved).toEqual({ kind: 'text', text: `a-${LITERAL_STAR}-b${LITERAL_STAR}` });
  });

  it('Given a key the request does not carry and no default, When resolved, Then the element matches nothing (IAM: a variable without a value)', () => {
    expect(resolveVariables('user/${aws:username}', requestKnowledge({}))).toEqual({ kind: 'no-value' });
  });

  it('Given a multi-valued key, When used as a variable, Then it has no value', () => {
    expect(resolveVariables('${aws:CalledVia}', alice)).toEqual({ kind: 'no-value' });
  });

  it('Given a key unknown at scan time, When resolved, Then the result says which key is unknown (even with a default)', () => {
    const unknown = partialKnowledge({});
    expect(resolveVariables('${aws:SourceIdentity}', unknown)).toEqual({
      kind: 'unknown',
      keys: ['aws:SourceIdentity'],
    });
    expect(resolveVariables("${aws:SourceIdentity, 'x'}", unknown)).toEqual({
      kind: 'unknown',
      keys: ['aws:SourceIdentity'],
    });
  });
});
