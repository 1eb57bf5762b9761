/**
 * A small reader for the HCL expressions Terraform users write inside `jsonencode(...)`:
 * objects (`{ Key = value }` or `{ "Key": value }`), tuples, strings, numbers, booleans and null.
 * `@cdktf/hcl2json` hands such an attribute over as the raw text `${jsonencode({...})}`.
 * Anything the reader cannot evaluate offline (variables, resource attributes, function calls,
 * conditionals, `for` expressions) becomes the string `${<expression>}` and is listed in
 * `unresolved`, so the caller can say what it did not check instead of guessing.
 */

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

export interface HclParseResult {
  value: HclValue;
  unresolved: string[];
}

class Reader {
  position = 0;
  readonly unresolved: string[] = [];

  constructor(readonly text: string) {}

  peek(): string {
    return this.text[this.position] ?? '';
  }

  /** Skips blanks, newlines and comments (`#`, `//`, `/* *\/`). Newlines separate object items, so callers may stop on them. */
  skip(newlines: boolean): void {
    for (;;) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t' || ch === '\r' || (newlines && ch === '\n')) {
        this.position += 1;
      } else if (ch === '#' || (ch === '/' && this.text[this.position + 1] === '/')) {
        while (this.position < this.text.length && this.peek() !== '\n') this.position += 1;
      } else if (ch === '/' && this.text[this.position + 1] === '*') {
        const end = this.text.indexOf('*/', this.position + 2);
        this.position = end === -1 ? this.text.length : end + 2;
      } else {
        return;
      }
    }
  }

  fail(message: string): never {
    throw new Error(`${message} at offset ${this.position}`);
  }
}

function readString(reader: Reader): string {
  const open = reader.peek();
  if (open !== '"') reader.fail('expected a string');
  reader.position += 1;
  let out = '';
  while (reader.position < reader.text.length) {
    const ch = reader.peek();
    if (ch === '"') {
      reader.position += 1;
      return out;
    }
    if (ch === '\\') {
      const next = reader.text[reader.position + 1] ?? '';
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
      if (next === 'u') {
        out += String.fromCharCode(parseInt(reader.text.slice(reader.position + 2, reader.position + 6), 16));
        reader.position += 6;
        continue;
      }
      out += map[next] ?? next;
      reader.position += 2;
      continue;
    }
    if ((ch === '$' || ch === '%') && reader.text[reader.position + 1] === '{') {
      // Template interpolation: keep it as written, it is resolved by nobody here.
      const end = matchingBrace(reader.text, reader.position + 1);
      const expression = reader.text.slice(reader.position, end + 1);
      reader.unresolved.push(expression);
      out += expression;
      reader.position = end + 1;
      continue;
    }
    out += ch;
    reader.position += 1;
  }
  return reader.fail('unterminated string');
}

/** The index of the `}` closing the `{` at `open`, honouring nested braces and strings. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return text.length - 1;
}

/** Reads an expression it cannot evaluate up to the next delimiter at depth 0, and records it. */
function readOpaque(reader: Reader, stops: string): HclValue {
  const start = reader.position;
  let depth = 0;
  let inString = false;
  while (reader.position < reader.text.length) {
    const ch = reader.peek();
    if (inString) {
      if (ch === '\\') reader.position += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '(' || ch === '[' || ch === '{') depth += 1;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) break;
      depth -= 1;
    } else if (depth === 0 && stops.includes(ch)) break;
    reader.position += 1;
  }
  const expression = reader.text.slice(start, reader.position).trim();
  if (expression === '') reader.fail('expected a value');
  reader.unresolved.push(expression);
  return `\${${expression}}`;
}

function readValue(reader: Reader, stops: string): HclValue {
  reader.skip(true);
  const ch = reader.peek();
  if (ch === '{') return readObject(reader);
  if (ch === '[') return readTuple(reader);
  if (ch === '"') {
    const start = reader.position;
    const text = readString(reader);
    reader.skip(false);
    // `"a" == var.x ? ...`: a string that starts a larger expression.
    if (reader.position < reader.text.length && !stops.includes(reader.peek()) && reader.peek() !== '\n') {
      reader.position = start;
      return readOpaque(reader, stops);
    }
    return text;
  }
  const literal = /^(true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=[\s,\]})]|$)/.exec(
    reader.text.slice(reader.position),
  );
  if (literal?.[1]) {
    const after = reader.position + literal[1].length;
    const rest = reader.text.slice(after).replace(/^[ \t]+/, '');
    if (rest === '' || stops.includes(rest[0] ?? '') || rest[0] === '\n' || rest[0] === '#') {
      reader.position = after;
      const word = literal[1];
      return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
    }
  }
  return readOpaque(reader, stops);
}

function readObject(reader: Reader): HclValue {
  reader.position += 1;
  const out: { [key: string]: HclValue } = {};
  for (;;) {
    reader.skip(true);
    if (reader.peek() === '}') {
      reader.position += 1;
      return out;
    }
    if (reader.peek() === ',') {
      reader.position += 1;
      continue;
    }
    let key: string;
    if (reader.peek() === '"') key = readString(reader);
    else if (reader.peek() === '(') {
      // `(var.key) = value`: a computed key.
      const end = reader.text.indexOf(')', reader.position);
      key = `\${${reader.text.slice(reader.position + 1, end)}}`;
      reader.unresolved.push(key);
      reader.position = end + 1;
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_.:/-]*/.exec(reader.text.slice(reader.position));
      if (!match) reader.fail('expected an object key');
      key = match[0];
      reader.position += key.length;
    }
    reader.skip(false);
    const separator = reader.peek();
    if (separator !== '=' && separator !== ':') reader.fail(`expected = or : after ${key}`);
    reader.position += 1;
    out[key] = readValue(reader, ',}\n');
    reader.skip(false);
  }
}

function readTuple(reader: Reader): HclValue {
  reader.position += 1;
  reader.skip(true);
  if (/^for\s/.test(reader.text.slice(reader.position))) {
    reader.position -= 1;
    return readOpaque(reader, ',}\n');
  }
  const out: HclValue[] = [];
  for (;;) {
    reader.skip(true);
    if (reader.peek() === ']') {
      reader.position += 1;
      return out;
    }
    if (reader.peek() === ',') {
      reader.position += 1;
      continue;
    }
    if (reader.position >= reader.text.length) reader.fail('unterminated list');
    out.push(readValue(reader, ',]'));
  }
}

/** Parses one HCL expression; throws an Error naming the offset when the text is not one. */
export function parseHclExpression(text: string): HclParseResult {
  const reader = new Reader(text);
  const value = readValue(reader, '');
  reader.skip(true);
  if (reader.position < reader.text.length) reader.fail('unexpected text after the expression');
  return { value, unresolved: reader.unresolved };
}

/**
 * Reads an attribute value as hcl2json gives it: `${jsonencode(...)}` becomes the encoded value,
 * a plain `${reference}` stays unresolved, anything else is returned as it is.
 */
export function evaluateJsonencode(
  attribute: string,
): { kind: 'value'; result: HclParseResult } | { kind: 'reference'; expression: string } | { kind: 'text' } {
  const trimmed = attribute.trim();
  const whole = /^\$\{([\s\S]*)\}$/.exec(trimmed);
  if (!whole?.[1] || matchingBrace(trimmed, 1) !== trimmed.length - 1) return { kind: 'text' };
  const inner = whole[1].trim();
  const call = /^jsonencode\s*\(([\s\S]*)\)$/.exec(inner);
  if (!call?.[1]) return { kind: 'reference', expression: inner };
  return { kind: 'value', result: parseHclExpression(call[1]) };
}
