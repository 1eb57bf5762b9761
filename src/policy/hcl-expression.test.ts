import { describe, expect, it } from 'vitest';
import { evaluateJsonencode, parseHclExpression } from './hcl-expression.js';

describe('parseHclExpression', () => {
  it('Given an HCL object with = and newlines, nested tuples and quoted keys, When parsed, Then it is the JSON value Terraform encodes', () => {
    const text = `{
      Version = "2012-10-17" # trailing comment
      Statement = [
        {
          Effect    = "Allow"
          Principal = { Federated = "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" }
          Action    = ["sts:AssumeRoleWithWebIdentity", "sts:TagSession",]
          Condition = {
            StringLike = {
              "token.actions.githubusercontent.com:sub" : ["repo:o/r:*"]
            }
          }
          // another comment
          Count = 3
          Flag  = true
          Empty = null
        }
      ]
    }`;
    expect(parseHclExpression(text)).toEqual({
      value: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com' },
            Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
            Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:o/r:*'] } },
            Count: 3,
            Flag: true,
            Empty: null,
          },
        ],
      },
      unresolved: [],
    });
  });

  it('Given references, function calls and interpolations, When parsed, Then they stay as ${...} text and are listed as unresolved', () => {
    const result = parseHclExpression(`{
      Federated = aws_iam_openid_connect_provider.github.arn
      Subjects  = concat(var.a, ["x"])
      Sub       = "repo:\${var.org}/app:*"
      Picked    = var.prod ? "a" : "b"
    }`);
    expect(result.value).toEqual({
      Federated: '${aws_iam_openid_connect_provider.github.arn}',
      Subjects: '${concat(var.a, ["x"])}',
      Sub: 'repo:${var.org}/app:*',
      Picked: '${var.prod ? "a" : "b"}',
    });
    expect(result.unresolved).toEqual([
      'aws_iam_openid_connect_provider.github.arn',
      'concat(var.a, ["x"])',
      '${var.org}',
      'var.prod ? "a" : "b"',
    ]);
  });

  it('Given a for expression in a tuple, When parsed, Then it is unresolved', () => {
    const result = parseHclExpression('{ A = [for s in var.subjects : "repo:${s}"] }');
    expect(result.unresolved).toHaveLength(1);
    expect(result.unresolved[0]).toMatch(/^\[for s in var.subjects/);
  });

  it('Given string escapes, When parsed, Then they are decoded', () => {
    expect(parseHclExpression('"a\\"b\\\\c\\n"').value).toBe('a"b\\c\n');
  });

  it.each(['{ A = ', '{ = 1 }', '"unterminated', '{ A = 1 } trailing'])(
    'Given broken text %j, When parsed, Then it throws with the offset',
    (text) => {
      expect(() => parseHclExpression(text)).toThrow(/offset/);
    },
  );
});

describe('evaluateJsonencode', () => {
  it('Given ${jsonencode({...})} as hcl2json returns it, When evaluated, Then the object is returned', () => {
    const result = evaluateJsonencode('${jsonencode({\n  Version = "2012-10-17"\n})}');
    expect(result).toEqual({ kind: 'value', result: { value: { Version: '2012-10-17' }, unresolved: [] } });
  });

  it('Given a reference, When evaluated, Then it is named as a reference', () => {
    expect(evaluateJsonencode('${data.aws_iam_policy_document.trust.json}')).toEqual({
      kind: 'reference',
      expression: 'data.aws_iam_policy_document.trust.json',
    });
  });

  it('Given heredoc JSON text, When evaluated, Then it is plain text', () => {
    expect(evaluateJsonencode('{"Version": "2012-10-17"}')).toEqual({ kind: 'text' });
    expect(evaluateJsonencode('${a}-${b}')).toEqual({ kind: 'text' });
  });
});
