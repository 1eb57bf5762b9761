import { InputFileError } from './errors.js';

/**
 * Turning the bytes of an input file into JSON without guessing and without echoing it. The AWS
 * CLI writes UTF-8, but `aws ... > file` in Windows PowerShell writes UTF-16 with a byte-order
 * mark, and editors add a UTF-8 BOM: both are read. Bytes that are not valid UTF-8 are an error,
 * never silently replaced by U+FFFD (a name that changed is another user). Error messages give a
 * position, never the file's text: the file may be anything (`--from /etc`).
 */

/** What is wrong with a text, without naming its source (the caller knows it). */
export class InputTextError extends Error {
  override readonly name = 'InputTextError';
}

/** Deeper than any AWS document (a policy condition is about 12 levels down in a GAAD file). */
export const MAX_JSON_DEPTH = 100;

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1] as number;
    swapped[i + 1] = bytes[i] as number;
  }
  return swapped;
}

/** UTF-16 without a BOM: ASCII text then has a zero byte in every other position. */
function looksLikeUtf16(bytes: Uint8Array): 'le' | 'be' | null {
  if (bytes.length < 4) return null;
  if (bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) return 'le';
  if (bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0) return 'be';
  return null;
}

function decodeUtf16(bytes: Uint8Array, order: 'le' | 'be'): string {
  if (bytes.length % 2 !== 0)
    throw new InputTextError('is UTF-16 text with an odd number of bytes: is the file truncated?');
  const little = order === 'le' ? bytes : swapBytePairs(bytes);
  try {
    return new TextDecoder('utf-16le', { fatal: true }).decode(little);
  } catch {
    throw new InputTextError('is not valid UTF-16 text: save it as UTF-8');
  }
}

/** The offset of the first byte that breaks UTF-8's byte patterns, for the error message. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const follow =
      lead < 0x80
        ? 0
        : lead >= 0xc2 && lead < 0xe0
          ? 1
          : lead >= 0xe0 && lead < 0xf0
            ? 2
            : lead < 0xf5 && lead >= 0xf0
              ? 3
              : -1;
    if (follow < 0) return i;
    for (let k = 1; k <= follow; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += follow + 1;
  }
  return i;
}

/** The text of an input file: UTF-8 (with or without a BOM) or UTF-16 (PowerShell's `>`). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), 'le');
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), 'be');
  else {
    const order = looksLikeUtf16(bytes);
    if (order !== null) return decodeUtf16(bytes, order);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputTextError(
      `is not UTF-8 text (invalid byte at offset ${firstInvalidUtf8(bytes)}): save it as UTF-8, as the AWS CLI writes it`,
    );
  }
}

/** `decodeText` with the problem as a one-line input error naming `source`. */
export function decodeInputBytes(bytes: Uint8Array, source: string): string {
  return naming(source, () => decodeText(bytes));
}

function naming<T>(source: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InputTextError) throw new InputFileError(source, error.message);
    throw error;
  }
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** The offset of the quote that closes the string opened at `open`, or -1 when it never closes. */
function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  for (;;) {
    if (close < 0) return -1;
    let backslashes = 0;
    while (close - 1 - backslashes > open && text.charCodeAt(close - 1 - backslashes) === 92) backslashes += 1;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
}

/**
 * The offset where brackets nest deeper than `limit`, or null. Counted on the text, outside
 * strings, before parsing: a 100,000-deep condition parses, but every recursive walk over it
 * (validation, JSON.stringify) would then overflow the stack. Strings are skipped with
 * `indexOf`, not character by character: they are most of an AWS document, and the
 * character loop was a sixth of the CPU time of reading an organization trail (bench/README.md).
 */
export function tooDeepAt(text: string, limit = MAX_JSON_DEPTH): number | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      i = stringEnd(text, i);
      if (i < 0) return null;
    } else if (code === 123 || code === 91) {
      depth += 1;
      if (depth > limit) return i;
    } else if (code === 125 || code === 93) depth -= 1;
  }
  return null;
}

/** What went wrong in JSON.parse, as a position: V8's own message quotes the text. */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message)?.[1];
  const atEnd = position !== undefined && Number(position) >= text.trimEnd().length;
  if (/Unexpected end of JSON input|Unterminated string/.test(message) || atEnd) {
    return 'ends before the JSON is complete: is the file truncated?';
  }
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') {
    return 'is not JSON (it does not start with { or [): save the AWS CLI output with --output json';
  }
  const where = position === undefined ? '' : ` at ${lineAndColumn(text, Number(position))}`;
  return `is not valid JSON${where}: is the file truncated or edited?`;
}

/** Parses JSON text, bounded in depth; the problem says where, never what the text is. */
export function parseJson(text: string): unknown {
  const deep = tooDeepAt(text);
  if (deep !== null) {
    throw new InputTextError(
      `nests deeper than ${MAX_JSON_DEPTH} levels at ${lineAndColumn(text, deep)}: no AWS answer does`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputTextError(describeJsonError(error, text));
  }
}

/** `parseJson` with the problem as a one-line input error naming `source`. */
export function parseJsonInput(text: string, source: string): unknown {
  return naming(source, () => parseJson(text));
}
