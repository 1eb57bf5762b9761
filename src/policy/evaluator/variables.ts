/**
 * IAM policy variables in Resource and Condition values: `${aws:username}`,
 * `${aws:PrincipalTag/team}`, a default after a comma (`${aws:PrincipalTag/team, 'shared'}`), and
 * the escapes `${*}`, `${?}` and `${$}` for a literal `*`, `?` and `$`. IAM substitutes once,
 * compares key names without case, and a variable without a value (absent key, several values,
 * no default) leaves an element that matches nothing (IAM User Guide, "Policy variables with no
 * value"). Literal wildcards from escapes and from substituted values must not act as wildcards,
 * so they come back as the private-use characters below, which the wildcard matcher reads as
 * plain `*` and `?`.
 */
import type { ContextKnowledge } from './knowledge.js';

/** Stands for a literal `*` in a resolved pattern. */
export const LITERAL_STAR = '\uE000';
/** Stands for a literal `?` in a resolved pattern. */
export const LITERAL_QUESTION = '\uE001';

export type Resolved =
  | { kind: 'text'; text: string }
  /** A variable has no value: the element matches nothing. */
  | { kind: 'no-value' }
  /** A variable's value is not known at scan time. */
  | { kind: 'unknown'; keys: string[] };

const ESCAPES: Record<string, string> = { '*': LITERAL_STAR, '?': LITERAL_QUESTION, $: '$' };

/** Whether a value needs resolving at all: the common case has no `${`. */
export function hasVariables(value: string): boolean {
  return value.includes('${');
}

/** Makes a substituted value literal: its `*` and `?` are characters, not wildcards. */
export function literal(value: string): string {
  return value.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION);
}

/** The text with literal placeholders turned back into the characters they stand for. */
export function plainText(pattern: string): string {
  return pattern.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

interface VariableToken {
  key: string;
  fallback: string | null;
  end: number;
}

/** Reads `${key}` or `${key, 'default'}` starting at `start` (the `$`); null when malformed. */
function readVariable(value: string, start: number): VariableToken | null {
  let index = start + 2;
  let inQuote = false;
  while (index < value.length) {
    const ch = value[index];
    if (ch === "'") inQuote = !inQuote;
    else if (ch === '}' && !inQuote) break;
    index += 1;
  }
  if (index >= value.length) return null;
  const body = value.slice(start + 2, index);
  const comma = body.indexOf(',');
  const key = (comma < 0 ? body : body.slice(0, comma)).trim();
  if (key === '') return null;
  if (comma < 0) return { key, fallback: null, end: index + 1 };
  const quoted = /^\s*'((?:[^']|'')*)'\s*$/.exec(body.slice(comma + 1));
  if (!quoted) return null;
  return { key, fallback: (quoted[1] ?? '').replaceAll("''", "'"), end: index + 1 };
}

type Substitution = { kind: 'value'; text: string } | { kind: 'no-value' } | { kind: 'unknown' };

function substitute(token: VariableToken, knowledge: ContextKnowledge): Substitution {
  const escaped = ESCAPES[token.key];
  if (escaped !== undefined && token.fallback === null) return { kind: 'value', text: escaped };
  const known = knowledge.lookup(token.key);
  if (known === undefined) return { kind: 'unknown' };
  if (known.kind === 'values' && known.values.length === 1)
    return { kind: 'value', text: literal(known.values[0] ?? '') };
  if (known.kind === 'time-window') {
    const settled = known.earliest === known.latest && !known.mayBeAbsent;
    return settled ? { kind: 'value', text: new Date(known.earliest).toISOString() } : { kind: 'unknown' };
  }
  return token.fallback === null ? { kind: 'no-value' } : { kind: 'value', text: literal(token.fallback) };
}

/** Substitutes every variable of `value` from what is known about the request. */
export function resolveVariables(value: string, knowledge: ContextKnowledge): Resolved {
  if (!hasVariables(value)) return { kind: 'text', text: value };
  let text = '';
  let noValue = false;
  const unknownKeys: string[] = [];
  let index = 0;
  while (index < value.length) {
    const start = value.indexOf('${', index);
    const token = start < 0 ? null : readVariable(value, start);
    if (start < 0 || token === null) {
      const stop = start < 0 ? value.length : start + 2;
      text += value.slice(index, stop);
      index = stop;
      continue;
    }
    text += value.slice(index, start);
    const substitution = substitute(token, knowledge);
    if (substitution.kind === 'value') text += substitution.text;
    else if (substitution.kind === 'no-value') noValue = true;
    else unknownKeys.push(token.key);
    index = token.end;
  }
  if (noValue) return { kind: 'no-value' };
  if (unknownKeys.length > 0) return { kind: 'unknown', keys: unknownKeys };
  return { kind: 'text', text };
}
