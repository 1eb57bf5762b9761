/**
 * IAM policy documents in one shape. AWS accepts many spellings of the same policy (a single
 * statement or a list, `"*"` or `{"AWS": "*"}`, a string or a list of strings, URL-encoded text
 * from GetAccountAuthorizationDetails); every rule downstream reads only the normalised form,
 * so each of them handles every spelling the same way. Pure: no I/O, no clock.
 */

export const PRINCIPAL_KINDS = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** Principals by kind; a kind that is absent from the policy is absent here. */
export type Principals = Partial<Record<PrincipalKind, string[]>>;

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

export interface NormalizedCondition {
  /** The operator as written, e.g. `ForAllValues:StringLikeIfExists`. */
  rawOperator: string;
  /** The base operator without set prefix or `IfExists`, e.g. `StringLike`. */
  operator: string;
  /** The condition key in lower case: IAM compares condition keys case-insensitively. */
  key: string;
  /** The key as written, for messages. */
  rawKey: string;
  /** Every value, as strings (IAM compares numbers and booleans through their text too). */
  values: string[];
  ifExists: boolean;
  setOperator: SetOperator | null;
}

export interface NormalizedStatement {
  /** Position in the document's Statement list (0 when the document had a single object). */
  index: number;
  /** JSON pointer to the statement in the document as written (`/Statement/2` or `/Statement`). */
  pointer: string;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  actions: string[] | null;
  notActions: string[] | null;
  resources: string[] | null;
  notResources: string[] | null;
  principals: Principals | null;
  notPrincipals: Principals | null;
  conditions: NormalizedCondition[];
}

export interface NormalizedPolicyDocument {
  version: string | null;
  id: string | null;
  statements: NormalizedStatement[];
}

export type NormalizedPolicy = { ok: true; policy: NormalizedPolicyDocument } | { ok: false; error: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Turns the text forms into a value: GetAccountAuthorizationDetails and the IAM API return
 * policies URL-encoded, CloudFormation and Terraform often carry them as JSON strings.
 */
/** A document as IAM or a file gives it: an object, JSON text, or URL-encoded JSON text. */
export function decodeDocument(doc: unknown): Parsed<unknown> {
  if (typeof doc !== 'string') return { ok: true, value: doc };
  let text = doc.trim();
  if (text === '') return fail('the policy document is empty');
  if (!text.startsWith('{') && /%[0-9a-fA-F]{2}/.test(text)) {
    try {
      // RFC 3986 encoding (what IAM documents): spaces are %20, so a literal '+' stays a '+'.
      text = decodeURIComponent(text).trim();
    } catch {
      return fail('the policy document looks URL-encoded but does not decode');
    }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return fail(`the policy document is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** A string or a list of strings → a list; anything else is an error naming the element. */
function stringList(value: unknown, what: string): Parsed<string[]> {
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return fail(`${what} must be a string or a list of strings`);
    out.push(item);
  }
  return { ok: true, value: out };
}

function optionalList(statement: Record<string, unknown>, field: string, where: string): Parsed<string[] | null> {
  if (!(field in statement)) return { ok: true, value: null };
  return stringList(statement[field], `${where}.${field}`);
}

function parsePrincipals(value: unknown, where: string): Parsed<Principals> {
  if (value === '*') return { ok: true, value: { AWS: ['*'] } };
  if (!isRecord(value)) return fail(`${where} must be "*" or an object of principal kinds`);
  const principals: Principals = {};
  for (const [rawKind, raw] of Object.entries(value)) {
    const kind = PRINCIPAL_KINDS.find((k) => k.toLowerCase() === rawKind.toLowerCase());
    if (!kind)
      return fail(
        `${where} has an unknown principal kind "${rawKind}" (expected AWS, Service, Federated or CanonicalUser)`,
      );
    const list = stringList(raw, `${where}.${rawKind}`);
    if (!list.ok) return list;
    principals[kind] = [...(principals[kind] ?? []), ...list.value];
  }
  return { ok: true, value: principals };
}

const SET_PREFIX = /^(ForAllValues|ForAnyValue):/i;

/** Splits `ForAnyValue:StringLikeIfExists` into its three parts. */
export function parseConditionOperator(raw: string): {
  operator: string;
  ifExists: boolean;
  setOperator: SetOperator | null;
} {
  let rest = raw.trim();
  let setOperator: SetOperator | null = null;
  const prefix = SET_PREFIX.exec(rest);
  if (prefix) {
    setOperator = prefix[1]?.toLowerCase() === 'forallvalues' ? 'ForAllValues' : 'ForAnyValue';
    rest = rest.slice(prefix[0].length);
  }
  // `Null` has no IfExists form; everything else may carry the suffix.
  const ifExists = /IfExists$/i.test(rest) && rest.toLowerCase() !== 'ifexists';
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  return { operator: rest, ifExists, setOperator };
}

function parseConditions(value: unknown, where: string): Parsed<NormalizedCondition[]> {
  if (value === undefined) return { ok: true, value: [] };
  if (!isRecord(value)) return fail(`${where} must be an object of operators`);
  const out: NormalizedCondition[] = [];
  for (const [rawOperator, block] of Object.entries(value)) {
    if (!isRecord(block)) return fail(`${where}.${rawOperator} must be an object of condition keys`);
    const { operator, ifExists, setOperator } = parseConditionOperator(rawOperator);
    for (const [rawKey, rawValues] of Object.entries(block)) {
      const items = Array.isArray(rawValues) ? rawValues : [rawValues];
      const values: string[] = [];
      for (const item of items) {
        const text = scalarText(item);
        if (text === null) return fail(`${where}.${rawOperator}.${rawKey} must hold strings, numbers or booleans`);
        values.push(text);
      }
      out.push({ rawOperator, operator, key: rawKey.toLowerCase(), rawKey, values, ifExists, setOperator });
    }
  }
  return { ok: true, value: out };
}

function parseStatement(raw: unknown, index: number, pointer: string): Parsed<NormalizedStatement> {
  const where = `Statement[${index}]`;
  if (!isRecord(raw)) return fail(`${where} must be an object`);
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') return fail(`${where}.Effect must be "Allow" or "Deny"`);
  if ('Action' in raw && 'NotAction' in raw) return fail(`${where} has both Action and NotAction`);
  if ('Resource' in raw && 'NotResource' in raw) return fail(`${where} has both Resource and NotResource`);
  if ('Principal' in raw && 'NotPrincipal' in raw) return fail(`${where} has both Principal and NotPrincipal`);
  if (!('Action' in raw) && !('NotAction' in raw)) return fail(`${where} has neither Action nor NotAction`);
  const sidValue = raw['Sid'];
  if (sidValue !== undefined && typeof sidValue !== 'string') return fail(`${where}.Sid must be a string`);

  const actions = optionalList(raw, 'Action', where);
  if (!actions.ok) return actions;
  const notActions = optionalList(raw, 'NotAction', where);
  if (!notActions.ok) return notActions;
  const resources = optionalList(raw, 'Resource', where);
  if (!resources.ok) return resources;
  const notResources = optionalList(raw, 'NotResource', where);
  if (!notResources.ok) return notResources;
  let principals: Principals | null = null;
  if ('Principal' in raw) {
    const parsed = parsePrincipals(raw['Principal'], `${where}.Principal`);
    if (!parsed.ok) return parsed;
    principals = parsed.value;
  }
  let notPrincipals: Principals | null = null;
  if ('NotPrincipal' in raw) {
    const parsed = parsePrincipals(raw['NotPrincipal'], `${where}.NotPrincipal`);
    if (!parsed.ok) return parsed;
    notPrincipals = parsed.value;
  }
  const conditions = parseConditions(raw['Condition'], `${where}.Condition`);
  if (!conditions.ok) return conditions;
  return {
    ok: true,
    value: {
      index,
      pointer,
      sid: sidValue ?? null,
      effect,
      actions: actions.value,
      notActions: notActions.value,
      resources: resources.value,
      notResources: notResources.value,
      principals,
      notPrincipals,
      conditions: conditions.value,
    },
  };
}

/**
 * Parses a policy document given as an object, a JSON string or a URL-encoded JSON string.
 * Never throws: a document IAM would reject comes back as `{ ok: false, error }` with the
 * place and the problem, so callers can report it instead of crashing.
 */
export function normalizePolicy(doc: unknown): NormalizedPolicy {
  const decoded = decodeDocument(doc);
  if (!decoded.ok) return { ok: false, error: decoded.error };
  const value = decoded.value;
  if (!isRecord(value)) return { ok: false, error: 'the policy document must be a JSON object' };
  const versionValue = value['Version'];
  if (versionValue !== undefined && typeof versionValue !== 'string')
    return { ok: false, error: 'Version must be a string' };
  const idValue = value['Id'];
  const rawStatements = value['Statement'];
  if (rawStatements === undefined) return { ok: false, error: 'the policy document has no Statement' };
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  const statements: NormalizedStatement[] = [];
  for (const [index, raw] of list.entries()) {
    const parsed = parseStatement(raw, index, Array.isArray(rawStatements) ? `/Statement/${index}` : '/Statement');
    if (!parsed.ok) return { ok: false, error: parsed.error };
    statements.push(parsed.value);
  }
  return {
    ok: true,
    policy: { version: versionValue ?? null, id: typeof idValue === 'string' ? idValue : null, statements },
  };
}

const regexCache = new Map<string, RegExp>();

/** Private-use characters a resolved policy variable leaves for a literal `*` and `?` (see evaluator/variables.ts). */
const LITERAL_WILDCARDS: Record<string, string> = { '\uE000': '\\*', '\uE001': '\\?' };

/**
 * IAM wildcards: `*` is any run of characters, `?` is exactly one; nothing else is special. A
 * `*` or `?` that came from `${*}`, `${?}` or a substituted value arrives as a placeholder and
 * matches only itself.
 */
export function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}:${pattern}`;
  const cached = regexCache.get(cacheKey);
  if (cached) return cached;
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += LITERAL_WILDCARDS[ch] ?? ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
  if (regexCache.size > 50_000) regexCache.clear();
  regexCache.set(cacheKey, re);
  return re;
}

export function wildcardMatch(pattern: string, value: string, options: { caseInsensitive: boolean }): boolean {
  return wildcardToRegExp(pattern, options.caseInsensitive).test(value);
}

/** Whether an action pattern (`s3:Get*`, `*`) covers an action; IAM action names ignore case. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { caseInsensitive: true });
}

/**
 * Whether the statement's Action / NotAction names the action: for reading which statements of a
 * trust policy concern `sts:AssumeRole`. Whether a principal can do something is the evaluator's
 * question (`evaluator/`), never this one's.
 */
export function statementCoversAction(statement: NormalizedStatement, action: string): boolean {
  if (statement.actions) return statement.actions.some((p) => actionMatches(p, action));
  if (statement.notActions) return !statement.notActions.some((p) => actionMatches(p, action));
  return false;
}

/** Escapes one JSON-pointer reference token (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}
