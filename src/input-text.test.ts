import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputFileError } from './errors.js';
import { decodeInputBytes, MAX_JSON_DEPTH, parseJsonInput, tooDeepAt } from './input-text.js';

const JSON_TEXT = '{"UserDetailList": [{"UserName": "zoë"}]}';

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const little = Buffer.from(`${bom ? '\uFEFF' : ''}${text}`, 'utf16le');
  if (order === 'le') return little;
  const big = Buffer.alloc(little.length);
  for (let i = 0; i < little.length; i += 2) {
    big[i] = little[i + 1] as number;
    big[i + 1] = little[i] as number;
  }
  return big;
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('decodeInputBytes (issue 15 point 10)', () => {
  it.each([
    ['UTF-8', Buffer.from(JSON_TEXT, 'utf8')],
    [
      'UTF-8 with a byte-order mark (an editor)',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON_TEXT)]),
    ],
    ['UTF-16LE with a byte-order mark (PowerShell >)', utf16(JSON_TEXT, 'le', true)],
    ['UTF-16BE with a byte-order mark', utf16(JSON_TEXT, 'be', true)],
    ['UTF-16LE without a byte-order mark', utf16(JSON_TEXT, 'le', false)],
  ])('Given %s, When decoded, Then the text is the same JSON', (_label, bytes) => {
    expect(decodeInputBytes(bytes, 'f.json')).toBe(JSON_TEXT);
  });

  it('Given a byte that is not UTF-8 in a user name, When decoded, Then it is an input error with the offset, not U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('{"UserName": "zo'), Buffer.from([0xeb]), Buffer.from('"}')]);
    const error = errorOf(() => decodeInputBytes(bytes, 'f.json'));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toBe(
      'f.json: is not UTF-8 text (invalid byte at offset 16): save it as UTF-8, as the AWS CLI writes it',
    );
  });

  it('Given UTF-16 with an odd number of bytes, When decoded, Then it says the file looks truncated', () => {
    const bytes = utf16(JSON_TEXT, 'le', true).subarray(0, 11);
    expect(() => decodeInputBytes(bytes, 'f.json')).toThrow('f.json: is UTF-16 text with an odd number of bytes');
  });
});

describe('parseJsonInput never echoes the file (issue 15 point 10)', () => {
  it('Given a line of /etc/passwd, When parsed, Then the error says it is not JSON without quoting it', () => {
    const error = errorOf(() => parseJsonInput('root:x:0:0:root:/root:/bin/bash\n', '/etc/passwd'));
    expect(error.message).toBe(
      '/etc/passwd: is not JSON (it does not start with { or [): save the AWS CLI output with --output json',
    );
  });

  it('Given JSON cut short, When parsed, Then it asks whether the file is truncated', () => {
    expect(() => parseJsonInput('{"UserDetailList": [', 'g.json')).toThrow(
      'g.json: ends before the JSON is complete: is the file truncated?',
    );
  });

  it('Given an error V8 reports with a position, When parsed, Then the line and column are given, not the text', () => {
    const error = errorOf(() => parseJsonInput('{\n  "secret-ish": 1,\n}', 'g.json'));
    expect(error.message).toBe('g.json: is not valid JSON at line 3, column 1: is the file truncated or edited?');
    expect(error.message).not.toContain('secret-ish');
  });

  it('Given a policy condition nested 100,000 deep, When parsed, Then it is one input error, not a stack overflow', () => {
    const deep = `{"Condition": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const error = errorOf(() => parseJsonInput(deep, 'g.json'));
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toBe(
      `g.json: nests deeper than ${MAX_JSON_DEPTH} levels at line 1, column 114: no AWS answer does`,
    );
  });

  it('Given brackets inside strings, When depth is counted, Then they do not count', () => {
    expect(tooDeepAt(`{"a": "${'['.repeat(500)}\\"${'{'.repeat(500)}"}`)).toBeNull();
    expect(tooDeepAt('[[[', 2)).toBe(2);
  });
});

/** The character-by-character count `tooDeepAt` must agree with: brackets outside strings, `\` escaping one character. */
function depthByCharacters(text: string, limit: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92) i += 1;
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 123 || code === 91) {
      depth += 1;
      if (depth > limit) return i;
    } else if (code === 125 || code === 93) depth -= 1;
  }
  return null;
}

describe('tooDeepAt skipping strings whole', () => {
  it('Given any text of brackets, quotes and backslashes, When depth is counted, Then it agrees with a character-by-character count', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\\\', '\\"', 'a', ',', ':');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 0, max: 6 }), (pieces, limit) => {
        const text = pieces.join('');
        expect(tooDeepAt(text, limit)).toBe(depthByCharacters(text, limit));
      }),
      { numRuns: 5000 },
    );
  });

  it('Given an escaped quote right after an escaped backslash, When depth is counted, Then the string ends there', () => {
    expect(tooDeepAt('["a\\\\"[[', 2)).toBe(7);
    expect(tooDeepAt('["a\\"[[', 2)).toBeNull();
  });
});
