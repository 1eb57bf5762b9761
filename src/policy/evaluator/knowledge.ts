/**
 * What the analysis knows about a request's context keys before any request is made. A key is
 * known to hold values, known to be absent, known to lie in a time window (a session's
 * `aws:TokenIssueTime`), or unknown: then every condition on it is undecided, never guessed.
 */
import { lowerCaseOnce } from './lower-case.js';

export type KeyKnowledge =
  | { kind: 'values'; values: readonly string[] }
  | { kind: 'absent' }
  /** A time somewhere in [earliest, latest] (epoch ms), or no value at all when `mayBeAbsent`. */
  | { kind: 'time-window'; earliest: number; latest: number; mayBeAbsent: boolean };

export interface ContextKnowledge {
  /** The knowledge about one key (any case); undefined when the key is unknown at scan time. */
  lookup(key: string): KeyKnowledge | undefined;
}

export interface KnowledgeInit {
  /** Keys with known values; a string is one value. */
  values?: Record<string, string | readonly string[]>;
  /** Keys known to be absent from every request. */
  absent?: readonly string[];
  /** Key prefixes whose every member is listed in `values` (all principal tags are in the snapshot). */
  closedPrefixes?: readonly string[];
  windows?: Record<string, { earliest: number; latest: number; mayBeAbsent: boolean }>;
}

export const ABSENT: KeyKnowledge = { kind: 'absent' };

class MapKnowledge implements ContextKnowledge {
  constructor(
    private readonly known: ReadonlyMap<string, KeyKnowledge>,
    private readonly closedPrefixes: readonly string[],
    private readonly closedWorld: boolean,
  ) {}

  lookup(key: string): KeyKnowledge | undefined {
    const lower = lowerCaseOnce(key);
    const found = this.known.get(lower);
    if (found !== undefined) return found;
    if (this.closedWorld || this.closedPrefixes.some((prefix) => lower.startsWith(prefix))) return ABSENT;
    return undefined;
  }
}

function toMap(init: KnowledgeInit): Map<string, KeyKnowledge> {
  const map = new Map<string, KeyKnowledge>();
  for (const key of init.absent ?? []) map.set(key.toLowerCase(), ABSENT);
  for (const [key, value] of Object.entries(init.values ?? {}))
    map.set(key.toLowerCase(), { kind: 'values', values: typeof value === 'string' ? [value] : value });
  for (const [key, window] of Object.entries(init.windows ?? {}))
    map.set(key.toLowerCase(), { kind: 'time-window', ...window });
  return map;
}

/** Knowledge for analysis: keys not mentioned are unknown. */
export function partialKnowledge(init: KnowledgeInit): ContextKnowledge {
  return new MapKnowledge(
    toMap(init),
    (init.closedPrefixes ?? []).map((p) => p.toLowerCase()),
    false,
  );
}

/** Knowledge of one concrete request: every key not given is absent (what IAM sees on a real call). */
export function requestKnowledge(values: Record<string, string | readonly string[]>): ContextKnowledge {
  return new MapKnowledge(toMap({ values }), [], true);
}

/** Knowledge with `extra` layered over `base` (a request's own keys over the principal's). */
export function withKnowledge(base: ContextKnowledge, extra: ContextKnowledge): ContextKnowledge {
  return { lookup: (key) => extra.lookup(key) ?? base.lookup(key) };
}
