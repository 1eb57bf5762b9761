import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeText } from '../input-text.js';
import { eventLine } from './event-line.js';
import { parseLogText, type ParsedLog } from './parse.js';

/** One local file read to `ct_events` lines, or the problem that made it unreadable. */
export type FileLines =
  | { key: string; lines: string; records: number; badRecords: number }
  | { key: string; problem: string };

/** A parsed file's events as `eventLine`s of file `number`, each ending in a newline. */
export function linesOf(key: string, number: number, parsed: ParsedLog): FileLines {
  let lines = '';
  for (const event of parsed.events) lines += `${eventLine(number, event)}\n`;
  return { key, lines, records: parsed.events.length, badRecords: parsed.badRecords };
}

/**
 * Reads one local log file as the JavaScript path reads it (`readLogText`, then `parseLogText`):
 * gunzipped when the bytes say gzip, whatever the name, and flattened into `eventLine`s. Whole
 * and synchronous: it runs on a worker thread, on files small enough that streaming buys nothing.
 */
export function readFileLines(key: string, number: number): FileLines {
  try {
    const bytes = readFileSync(key);
    const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    return linesOf(key, number, parseLogText(decodeText(gzipped ? gunzipSync(bytes) : bytes)));
  } catch (error) {
    return { key, problem: (error as Error).message };
  }
}

/** What a worker says of one file whose lines it wrote: the counts, or why it could not be read. */
export type FileOutcome =
  | Omit<Extract<FileLines, { lines: string }>, 'lines'>
  | Extract<FileLines, { problem: string }>;

/** A chunk of files read, their lines (`events` of them) written to one work file (`null` when no file had events). */
export interface ChunkLines {
  file: string | null;
  events: number;
  outcomes: FileOutcome[];
}

/**
 * Reads `keys`, numbered from `firstNumber` on, and writes all their lines to `out`, so that only
 * counts travel back from the worker thread: handing the text itself to the main thread cost a
 * copy of every line and several hundred MB at a time (bench/README.md).
 */
export function writeChunkLines(keys: readonly string[], firstNumber: number, out: string): ChunkLines {
  const texts: string[] = [];
  const outcomes: FileOutcome[] = [];
  let events = 0;
  for (const [index, key] of keys.entries()) {
    const read = readFileLines(key, firstNumber + index);
    if ('problem' in read) outcomes.push(read);
    else {
      const { lines, ...counts } = read;
      if (lines !== '') texts.push(lines);
      events += counts.records;
      outcomes.push(counts);
    }
  }
  if (texts.length === 0) return { file: null, events, outcomes };
  writeFileSync(out, texts.join(''));
  return { file: out, events, outcomes };
}
