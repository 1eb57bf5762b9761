import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { attr, block, call, expr, quote, renderHcl } from './hcl.js';

describe('HCL writer', () => {
  it.each([
    ['plain', 'abc', '"abc"'],
    ['quotes and backslashes', 'a"b\\c', '"a\\"b\\\\c"'],
    ['an IAM policy variable', 'arn:aws:s3:::b/${aws:username}/*', '"arn:aws:s3:::b/$${aws:username}/*"'],
    ['a template directive', '%{if}', '"%%{if}"'],
    ['a lone dollar', 'cost $5', '"cost $5"'],
    ['a newline', 'a\nb', '"a\\nb"'],
  ])('Given %s, when quoted, then it is %s', (_label, input, output) => {
    expect(quote(input)).toBe(output);
  });

  it('Given a string with a policy variable, when rendered and parsed back, then the value is the literal text', async () => {
    const text = renderHcl([block('locals', [], attr('path', 'home/${aws:username}/"x"'))]);
    const parsed = (await parse('x.tf', text)) as { locals: Array<{ path: string }> };
    // hcl2json returns template strings unevaluated: `$${` is the escaped, literal `${`.
    expect(parsed.locals[0]?.path).toBe('home/$${aws:username}/"x"');
  });

  it('Given attributes and nested values, when rendered, then equals are aligned only over single-line runs', () => {
    const text = renderHcl([
      block(
        'resource',
        ['aws_iam_role', 'r'],
        [
          ...attr('name', 'r'),
          ...attr('max_session_duration', 3600),
          ...attr('assume_role_policy', call('jsonencode', { Version: '2012-10-17', 'a:b': [expr('x.y'), 'z'] })),
          ...attr('tags', {}),
        ],
      ),
    ]);
    expect(text).toBe(
      [
        'resource "aws_iam_role" "r" {',
        '  name                 = "r"',
        '  max_session_duration = 3600',
        '  assume_role_policy = jsonencode({',
        '    Version = "2012-10-17"',
        '    "a:b"   = [x.y, "z"]',
        '  })',
        '  tags = {}',
        '}',
        '',
      ].join('\n'),
    );
  });
});
