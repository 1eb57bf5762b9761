/**
 * Strict readers for the JSON answers of AWS (CLI files and SDK objects). A value of an
 * unexpected shape is never skipped: skipping one user entry, or a Tags list given as an object,
 * would make the snapshot smaller than the account and read as clean. Each reader throws a
 * `ShapeError` naming the path of the offending value (`UserDetailList[3]: expected an object`);
 * the caller adds the file or API name. Messages name paths and types, never the values, which
 * come from the file and may be anything.
 */

import { InputFileError } from '../errors.js';
import type { When } from '../model/snapshot.js';
import { UNKNOWN } from '../model/when.js';
import { whenFromAws } from './instant.js';

export type Json = Record<string, unknown>;
export type JsonPath = ReadonlyArray<string | number>;

export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path === '' ? 'the document' : path}: ${problem}`);
  }
}

/** `['UserDetailList', 3, 'Tags']` → `UserDetailList[3].Tags`. */
export function pathText(path: JsonPath): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`),
    '',
  );
}

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** What a value is, in the words of an error message: never the value itself. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

export function expected(what: string, value: unknown, path: JsonPath): ShapeError {
  return new ShapeError(pathText(path), `expected ${what}, found ${kindOf(value)}`);
}

export function recordAt(value: unknown, path: JsonPath): Json {
  if (!isRecord(value)) throw expected('an object', value, path);
  return value;
}

/** A list member of `parent`: absent is empty; null, an object or a string in its place is an error. */
export function arrayAt(parent: Json, key: string, path: JsonPath): unknown[] {
  const value = parent[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw expected('an array', value, [...path, key]);
  return value;
}

/** The objects of a list member, each with its own path; any other element is an error. */
export function recordsAt(parent: Json, key: string, path: JsonPath): Array<{ entry: Json; path: JsonPath }> {
  return arrayAt(parent, key, path).map((entry, index) => {
    const at = [...path, key, index];
    return { entry: recordAt(entry, at), path: at };
  });
}

/** The strings of a list member; any other element is an error. */
export function stringsAt(parent: Json, key: string, path: JsonPath): string[] {
  return arrayAt(parent, key, path).map((item, index) => {
    if (typeof item !== 'string') throw expected('a string', item, [...path, key, index]);
    return item;
  });
}

/** A scalar that may be absent (null counts as absent: it hides nothing); another type is an error. */
export function optionalStringAt(parent: Json, key: string, path: JsonPath): string | null {
  const value = parent[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw expected('a string', value, [...path, key]);
  return value;
}

export function requiredStringAt(parent: Json, key: string, path: JsonPath): string {
  const value = optionalStringAt(parent, key, path);
  if (value === null) throw new ShapeError(pathText([...path, key]), 'missing');
  return value;
}

export function optionalNumberAt(parent: Json, key: string, path: JsonPath): number | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw expected('a number', value, [...path, key]);
  return value;
}

export function optionalBooleanAt(parent: Json, key: string, path: JsonPath): boolean | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw expected('true or false', value, [...path, key]);
  return value;
}

/** `[{ Key, Value }]` tags, sorted by key. Tags steer classification, so a malformed one is an error. */
export function tagsAt(parent: Json, key: string, path: JsonPath): Record<string, string> {
  const pairs = recordsAt(parent, key, path).map(({ entry, path: at }) => {
    const tagKey = requiredStringAt(entry, 'Key', at);
    const value = entry.Value;
    if (value !== undefined && value !== null && typeof value !== 'string')
      throw expected('a string', value, [...at, 'Value']);
    return [tagKey, typeof value === 'string' ? value : ''] as const;
  });
  return Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A time: a Date (SDK) or an ISO string (CLI); absent is unknown, anything else an error. */
export function dateAt(entry: Json, key: string, path: JsonPath): When {
  const value = entry[key];
  if (value === undefined || value === null) return UNKNOWN;
  if (!(value instanceof Date) && typeof value !== 'string') throw expected('a date', value, [...path, key]);
  try {
    return whenFromAws(value);
  } catch {
    throw new ShapeError(pathText([...path, key]), 'expected a date');
  }
}

/** Runs a normaliser's reads, turning a shape error into a one-line input error naming `source`. */
export function readShape<T>(source: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ShapeError) throw new InputFileError(source, error.message);
    throw error;
  }
}
