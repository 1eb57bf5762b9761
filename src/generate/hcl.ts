/**
 * A small HCL writer producing what `terraform fmt` would: two-space indents, `=` aligned over
 * runs of single-line attributes, one blank line between blocks. Strings are always escaped
 * (quotes, backslashes, and `${` / `%{`, which would otherwise be template interpolation — IAM
 * policy variables such as `${aws:username}` must stay literal).
 */

/** A raw Terraform expression (a reference or function call), written as is. */
export interface HclExpression {
  readonly expression: string;
}

/** A function call on one value, e.g. `jsonencode({...})`, indented with its surroundings. */
export interface HclCall {
  readonly call: string;
  readonly argument: HclValue;
}

/**
 * A quoted string with references in it (`"oidc.vercel.com/${var.team}"`): the literal parts are
 * escaped as every string is, so only the references given here interpolate.
 */
export interface HclTemplate {
  readonly template: ReadonlyArray<string | HclExpression>;
}

/** An object whose keys may be templates (an OIDC condition key naming a provider from a variable). */
export interface HclEntries {
  readonly entries: ReadonlyArray<readonly [string | HclTemplate, HclValue]>;
}

export type HclValue =
  | string
  | number
  | boolean
  | null
  | HclExpression
  | HclCall
  | HclTemplate
  | HclEntries
  | HclValue[]
  | { [key: string]: HclValue };

export interface HclAttribute {
  kind: 'attribute';
  name: string;
  value: HclValue;
}

export interface HclBlock {
  kind: 'block';
  type: string;
  labels: string[];
  body: HclItem[];
}

export type HclItem = HclAttribute | HclBlock;

export function expr(expression: string): HclExpression {
  return { expression };
}

export function attr(name: string, value: HclValue | undefined): HclAttribute[] {
  return value === undefined ? [] : [{ kind: 'attribute', name, value }];
}

export function block(type: string, labels: string[], body: HclItem[]): HclBlock {
  return { kind: 'block', type, labels, body };
}

export function call(name: string, argument: HclValue): HclCall {
  return { call: name, argument };
}

export function template(parts: ReadonlyArray<string | HclExpression>): HclTemplate {
  return { template: parts };
}

export function entries(pairs: ReadonlyArray<readonly [string | HclTemplate, HclValue]>): HclEntries {
  return { entries: pairs };
}

function isTemplate(value: unknown): value is HclTemplate {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'template' in value;
}

function isEntries(value: HclValue): value is HclEntries {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'entries' in value;
}

function renderTemplate(value: HclTemplate): string {
  const inner = value.template
    .map((part) => (typeof part === 'string' ? quote(part).slice(1, -1) : `\${${part.expression}}`))
    .join('');
  return `"${inner}"`;
}

function isExpression(value: HclValue): value is HclExpression {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'expression' in value &&
    Object.keys(value).length === 1
  );
}

function isCall(value: HclValue): value is HclCall {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'call' in value &&
    'argument' in value &&
    Object.keys(value).length === 2
  );
}

export function quote(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    const next = text[i + 1];
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if ((ch === '$' || ch === '%') && next === '{') out += `${ch}${ch}`;
    else if (ch < ' ') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function objectKey(key: string | HclTemplate): string {
  if (isTemplate(key)) return renderTemplate(key);
  return IDENTIFIER.test(key) ? key : quote(key);
}

/** Renders a value; `indent` is the indentation of the line the value starts on. */
function renderValue(value: HclValue, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isExpression(value)) return value.expression;
  if (isCall(value)) return `${value.call}(${renderValue(value.argument, indent)})`;
  if (isTemplate(value)) return renderTemplate(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const simple = value.every((item) => item === null || typeof item !== 'object' || isExpression(item));
    const items = value.map((item) => renderValue(item, inner));
    const oneLine = `[${items.join(', ')}]`;
    if (simple && oneLine.length + indent.length <= 100) return oneLine;
    return `[\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}]`;
  }
  const pairs = isEntries(value) ? value.entries : Object.entries(value);
  if (pairs.length === 0) return '{}';
  const lines = alignAssignments(
    pairs.map(([key, item]) => [objectKey(key), renderValue(item, inner)]),
    inner,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * `terraform fmt` aligns `=` over consecutive single-line assignments; an assignment whose value
 * spans lines stands alone and breaks the run.
 */
function alignAssignments(pairs: Array<[string, string]>, indent: string): string[] {
  const lines: string[] = [];
  let run: Array<[string, string]> = [];
  const flush = (): void => {
    const width = Math.max(...run.map(([key]) => key.length));
    for (const [key, value] of run) lines.push(`${indent}${key.padEnd(width)} = ${value}`);
    run = [];
  };
  for (const pair of pairs) {
    if (pair[1].includes('\n')) {
      if (run.length > 0) flush();
      lines.push(`${indent}${pair[0]} = ${pair[1]}`);
    } else run.push(pair);
  }
  if (run.length > 0) flush();
  return lines;
}

function renderBody(items: HclItem[], indent: string): string[] {
  const lines: string[] = [];
  let pending: Array<[string, string]> = [];
  const flushAttributes = (): void => {
    if (pending.length === 0) return;
    lines.push(...alignAssignments(pending, indent));
    pending = [];
  };
  let previous: HclItem['kind'] | null = null;
  for (const item of items) {
    if (item.kind === 'attribute') {
      if (previous === 'block') lines.push('');
      pending.push([item.name, renderValue(item.value, indent)]);
    } else {
      flushAttributes();
      if (previous !== null) lines.push('');
      lines.push(...renderBlock(item, indent));
    }
    previous = item.kind;
  }
  flushAttributes();
  return lines;
}

function renderBlock(item: HclBlock, indent: string): string[] {
  const header = [item.type, ...item.labels.map(quote)].join(' ');
  if (item.body.length === 0) return [`${indent}${header} {}`];
  return [`${indent}${header} {`, ...renderBody(item.body, `${indent}  `), `${indent}}`];
}

/** A whole file: top-level blocks separated by one blank line, ending in a newline. */
export function renderHcl(items: HclItem[]): string {
  return `${renderBody(items, '').join('\n')}\n`;
}
