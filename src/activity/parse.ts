import { describeJsonError, MAX_JSON_DEPTH, tooDeepAt } from '../input-text.js';
import { flattenEvent, type FlatEvent } from './event.js';

export interface ParsedLog {
  events: FlatEvent[];
  /** Records that parsed as JSON but were not CloudTrail events, or NDJSON lines that did not parse. */
  badRecords: number;
}

/** Thrown when a whole file is unusable; the ingester reports it with the file name and goes on. */
export class MalformedLogError extends Error {
  override readonly name = 'MalformedLogError';
}

function fromArray(records: unknown[]): ParsedLog {
  const events: FlatEvent[] = [];
  let badRecords = 0;
  for (const record of records) {
    const event = flattenEvent(record);
    if (event === null) badRecords += 1;
    else events.push(event);
  }
  return { events, badRecords };
}

function fromLines(text: string): ParsedLog {
  const events: FlatEvent[] = [];
  let badRecords = 0;
  let lines = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      badRecords += 1;
      continue;
    }
    const event = flattenEvent(value);
    if (event === null) badRecords += 1;
    else events.push(event);
  }
  if (lines > 0 && events.length === 0) throw new MalformedLogError(`none of ${lines} lines is a CloudTrail event`);
  return { events, badRecords };
}

/**
 * Reads the three shapes CloudTrail logs come in: the delivered `{"Records":[...]}`, a bare
 * JSON array (exports, stratus-red-team), and one event per line (Logstash, Athena exports).
 */
export function parseLogText(text: string): ParsedLog {
  const start = text.trimStart();
  if (start === '') return { events: [], badRecords: 0 };
  if (tooDeepAt(start) !== null) throw new MalformedLogError(`nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (start.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(start);
    } catch (error) {
      // V8's message quotes the text; the position is enough.
      throw new MalformedLogError(describeJsonError(error, start));
    }
    return fromArray(value as unknown[]);
  }
  if (!start.startsWith('{')) throw new MalformedLogError('neither a JSON object, a JSON array nor JSON lines');
  let whole: unknown;
  try {
    whole = JSON.parse(start);
  } catch {
    // Not one document: JSON lines, or a truncated document (which fromLines rejects).
    return fromLines(start);
  }
  if (typeof whole === 'object' && whole !== null && 'Records' in whole) {
    const records = (whole as { Records: unknown }).Records;
    if (!Array.isArray(records)) throw new MalformedLogError('"Records" is not an array');
    return fromArray(records);
  }
  const single = flattenEvent(whole);
  if (single === null) throw new MalformedLogError('a JSON object without "Records" that is not a CloudTrail event');
  return { events: [single], badRecords: 0 };
}

const KEY_DATE = /\/CloudTrail(?:-Digest|-Insight)?\/[^/]+\/(\d{4})\/(\d{2})\/(\d{2})\//;

/** The delivery day in a standard key (`.../CloudTrail/REGION/YYYY/MM/DD/...`), or null. */
export function keyDate(key: string): string | null {
  const match = KEY_DATE.exec(`/${key.replace(/\\/g, '/')}`);
  return match === null ? null : `${match[1]}-${match[2]}-${match[3]}`;
}

/** Digest and Insight files share the bucket but are not management events. */
export function isEventLogKey(key: string): boolean {
  const normal = key.replace(/\\/g, '/');
  if (/\/CloudTrail-Digest\/|\/CloudTrail-Insight\//.test(normal)) return false;
  return /\.json(\.gz)?$/i.test(normal) || /\.(ndjson|jsonl)(\.gz)?$/i.test(normal);
}

/**
 * Whether a file may hold events in [since, until]. CloudTrail delivers within about 15 minutes
 * of the event, so a file dated the day after `until` can still hold `until`'s last events.
 */
export function keyInWindow(key: string, since: Date | null, until: Date | null): boolean {
  const day = keyDate(key);
  if (day === null) return true;
  const start = Date.parse(`${day}T00:00:00Z`);
  const end = start + 86_400_000;
  if (since !== null && end <= since.getTime()) return false;
  if (until !== null && start > until.getTime() + 86_400_000) return false;
  return true;
}
