import type { Snapshot } from './snapshot.js';

function reindent(text: string, prefix: string): string {
  return prefix === '' ? text : text.replaceAll('\n', `\n${prefix}`);
}

/**
 * The snapshot's JSON, exactly as `JSON.stringify(snapshot, null, indent)` writes it, in pieces:
 * one per account and one per other field. A 1,000-account snapshot is then written without
 * ever holding its whole text (some 80-160 MB at 100,000 users) as one string.
 */
export function* snapshotJsonChunks(snapshot: Snapshot, indent: 0 | 2): Generator<string> {
  const newline = indent === 0 ? '' : '\n';
  const pad = (depth: number) => ' '.repeat(indent * depth);
  const entries = Object.entries(snapshot).filter(([, value]) => value !== undefined);
  yield '{';
  for (const [index, [key, value]] of entries.entries()) {
    yield `${index === 0 ? '' : ','}${newline}${pad(1)}${JSON.stringify(key)}:${indent === 0 ? '' : ' '}`;
    if (key !== 'accounts' || !Array.isArray(value) || value.length === 0) {
      yield reindent(JSON.stringify(value, null, indent), pad(1));
      continue;
    }
    yield '[';
    for (const [position, account] of value.entries())
      yield `${position === 0 ? '' : ','}${newline}${pad(2)}${reindent(JSON.stringify(account, null, indent), pad(2))}`;
    yield `${newline}${pad(1)}]`;
  }
  yield `${entries.length === 0 ? '' : newline}}`;
}
