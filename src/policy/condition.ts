/**
 * IAM condition-operator semantics, so that rules can ask "would this request satisfy this
 * condition?" instead of pattern-matching policy text. Follows the IAM reference for condition
 * operators: a missing key fails a positive operator and satisfies a negated one, `...IfExists`
 * passes when the key is missing, `ForAllValues` is true on a missing or empty key and
 * `ForAnyValue` false on one; ArnEquals and ArnLike both compare the six ARN segments apart, each
 * with wildcards. Policy variables in values are substituted from what is known about the
 * request (`evaluator/variables.ts`).
 *
 * Two entry points: `evaluateCondition` for one concrete request (every key not given is
 * absent), and `decideCondition` for analysis before any request exists, which answers `maybe`
 * whenever the answer depends on a key the scan cannot know.
 */
import { wildcardMatch, type NormalizedCondition } from './document.js';
import { agreed, allOf, fromBoolean, type Tri } from './tri.js';
import { arnMatches } from './evaluator/arn.js';
import { requestKnowledge, type ContextKnowledge, type KeyKnowledge } from './evaluator/knowledge.js';
import { hasVariables, plainText, resolveVariables } from './evaluator/variables.js';

/** Request-context values by key, for one concrete request; a key not given is absent. */
export type RequestContext = ContextKnowledge;

export function requestContext(values: Record<string, string | readonly string[]>): RequestContext {
  return requestKnowledge(values);
}

type ValueTest = (policyValue: string, contextValue: string) => boolean;

/** Exact comparison: a literal `*` from `${*}` is the character itself. */
function equalsTest(ignoreCase: boolean): ValueTest {
  return (p, v) => (ignoreCase ? plainText(p).toLowerCase() === v.toLowerCase() : plainText(p) === v);
}

function likeTest(p: string, v: string): boolean {
  return wildcardMatch(p, v, { caseInsensitive: false });
}

function numericTest(compare: (a: number, b: number) => boolean): ValueTest {
  return (policyValue, contextValue) => {
    const a = Number(contextValue);
    const b = Number(policyValue);
    return Number.isFinite(a) && Number.isFinite(b) && compare(a, b);
  };
}

function dateValue(text: string): number {
  // IAM accepts epoch seconds as well as ISO 8601.
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

function dateTest(compare: (a: number, b: number) => boolean): ValueTest {
  return (policyValue, contextValue) => {
    const a = dateValue(contextValue);
    const b = dateValue(policyValue);
    return Number.isFinite(a) && Number.isFinite(b) && compare(a, b);
  };
}

function parseIp(text: string): { bits: bigint; width: number } | null {
  if (text.includes(':')) {
    const [head = '', tail] = text.split('::');
    const headParts = head === '' ? [] : head.split(':');
    const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
    const missing = 8 - headParts.length - tailParts.length;
    if (tail === undefined ? headParts.length !== 8 : missing < 0) return null;
    const groups = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
    let bits = 0n;
    for (const group of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
      bits = (bits << 16n) | BigInt(parseInt(group, 16));
    }
    return { bits, width: 128 };
  }
  const octets = text.split('.');
  if (octets.length !== 4) return null;
  let bits = 0n;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet) || Number(octet) > 255) return null;
    bits = (bits << 8n) | BigInt(octet);
  }
  return { bits, width: 32 };
}

function ipInCidr(cidr: string, address: string): boolean {
  const [base = '', prefixText] = cidr.split('/');
  const network = parseIp(base);
  const ip = parseIp(address);
  if (!network || !ip || network.width !== ip.width) return false;
  const prefix = prefixText === undefined ? network.width : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > network.width) return false;
  const shift = BigInt(network.width - prefix);
  return network.bits >> shift === ip.bits >> shift;
}

interface OperatorSpec {
  test: ValueTest;
  negated: boolean;
}

const OPERATORS: Record<string, OperatorSpec> = {
  stringequals: { test: equalsTest(false), negated: false },
  stringnotequals: { test: equalsTest(false), negated: true },
  stringequalsignorecase: { test: equalsTest(true), negated: false },
  stringnotequalsignorecase: { test: equalsTest(true), negated: true },
  stringlike: { test: likeTest, negated: false },
  stringnotlike: { test: likeTest, negated: true },
  numericequals: { test: numericTest((a, b) => a === b), negated: false },
  numericnotequals: { test: numericTest((a, b) => a === b), negated: true },
  numericlessthan: { test: numericTest((a, b) => a < b), negated: false },
  numericlessthanequals: { test: numericTest((a, b) => a <= b), negated: false },
  numericgreaterthan: { test: numericTest((a, b) => a > b), negated: false },
  numericgreaterthanequals: { test: numericTest((a, b) => a >= b), negated: false },
  dateequals: { test: dateTest((a, b) => a === b), negated: false },
  datenotequals: { test: dateTest((a, b) => a === b), negated: true },
  datelessthan: { test: dateTest((a, b) => a < b), negated: false },
  datelessthanequals: { test: dateTest((a, b) => a <= b), negated: false },
  dategreaterthan: { test: dateTest((a, b) => a > b), negated: false },
  dategreaterthanequals: { test: dateTest((a, b) => a >= b), negated: false },
  bool: { test: equalsTest(true), negated: false },
  binaryequals: { test: equalsTest(false), negated: false },
  ipaddress: { test: ipInCidr, negated: false },
  notipaddress: { test: ipInCidr, negated: true },
  arnequals: { test: arnMatches, negated: false },
  arnlike: { test: arnMatches, negated: false },
  arnnotequals: { test: arnMatches, negated: true },
  arnnotlike: { test: arnMatches, negated: true },
};

export function isKnownOperator(operator: string): boolean {
  return operator.toLowerCase() === 'null' || operator.toLowerCase() in OPERATORS;
}

/** Whether an operator excludes values (`StringNotLike`, `NotIpAddress`...) rather than admitting them. */
export function isNegatedOperator(operator: string): boolean {
  return OPERATORS[operator.toLowerCase()]?.negated ?? false;
}

/** Whether an operator treats `*` and `?` as wildcards (both Arn operator pairs do). */
export function isLikeOperator(operator: string): boolean {
  return ['stringlike', 'stringnotlike', 'arnlike', 'arnnotlike', 'arnequals', 'arnnotequals'].includes(
    operator.toLowerCase(),
  );
}

/** Whether one context value satisfies the operator against the policy's values (values are ORed). */
function valueSatisfies(spec: OperatorSpec, policyValues: readonly string[], contextValue: string): boolean {
  const hit = policyValues.some((p) => spec.test(p, contextValue));
  return spec.negated ? !hit : hit;
}

/**
 * The documented outcome for a set of request values (empty: the key is absent). Unknown
 * operators never match: IAM rejects such a policy, so no request passes through it.
 */
function satisfiedBy(
  condition: NormalizedCondition,
  policyValues: readonly string[],
  values: readonly string[],
): boolean {
  if (condition.operator.toLowerCase() === 'null') {
    const absent = values.length === 0;
    return policyValues.some((v) => (v.toLowerCase() === 'true' ? absent : !absent));
  }
  const spec = OPERATORS[condition.operator.toLowerCase()];
  if (!spec) return false;
  if (condition.setOperator === 'ForAllValues') return values.every((v) => valueSatisfies(spec, policyValues, v));
  if (condition.setOperator === 'ForAnyValue') {
    if (values.length === 0) return condition.ifExists;
    return values.some((v) => valueSatisfies(spec, policyValues, v));
  }
  if (values.length === 0) return condition.ifExists || spec.negated;
  // A multi-valued key without a set operator: IAM admits the request if any value matches.
  if (spec.negated) return values.every((v) => valueSatisfies(spec, policyValues, v));
  return values.some((v) => valueSatisfies(spec, policyValues, v));
}

type PolicyValues = { kind: 'known'; values: string[] } | { kind: 'unknown'; keys: string[] };

/** The condition's values with their policy variables substituted; a value without one drops out. */
function resolvePolicyValues(condition: NormalizedCondition, knowledge: ContextKnowledge): PolicyValues {
  if (!condition.values.some(hasVariables)) return { kind: 'known', values: condition.values };
  const values: string[] = [];
  const keys: string[] = [];
  for (const value of condition.values) {
    const resolved = resolveVariables(value, knowledge);
    if (resolved.kind === 'text') values.push(resolved.text);
    else if (resolved.kind === 'unknown') keys.push(...resolved.keys);
  }
  return keys.length > 0 ? { kind: 'unknown', keys } : { kind: 'known', values };
}

const ORDERED_DATE_OPERATORS = new Set([
  'datelessthan',
  'datelessthanequals',
  'dategreaterthan',
  'dategreaterthanequals',
]);

/**
 * A key known only to lie in a time window: decided when both ends of the window (and the
 * missing key, when it may be missing) give the same answer. Ordered date operators are
 * monotonic, so the ends settle the whole window; other operators only a window of one instant.
 */
function decideInWindow(
  condition: NormalizedCondition,
  policyValues: readonly string[],
  window: Extract<KeyKnowledge, { kind: 'time-window' }>,
): Tri {
  const ordered = ORDERED_DATE_OPERATORS.has(condition.operator.toLowerCase());
  if (!ordered && window.earliest !== window.latest) return 'maybe';
  const cases = [window.earliest, window.latest].map((t) =>
    fromBoolean(satisfiedBy(condition, policyValues, [new Date(t).toISOString()])),
  );
  if (window.mayBeAbsent) cases.push(fromBoolean(satisfiedBy(condition, policyValues, [])));
  return agreed(cases);
}

/**
 * Decides one condition from what is known before the request: `yes` or `no` when the known
 * values settle it, `maybe` when it depends on a key (or a policy variable) the scan cannot know.
 */
export function decideCondition(condition: NormalizedCondition, knowledge: ContextKnowledge): Tri {
  const policyValues = resolvePolicyValues(condition, knowledge);
  if (policyValues.kind === 'unknown') return 'maybe';
  const known = knowledge.lookup(condition.key);
  if (known === undefined) return 'maybe';
  if (known.kind === 'time-window') return decideInWindow(condition, policyValues.values, known);
  return fromBoolean(satisfiedBy(condition, policyValues.values, known.kind === 'values' ? known.values : []));
}

/** Every condition of a statement must hold (keys and operators are ANDed). */
export function decideConditions(conditions: readonly NormalizedCondition[], knowledge: ContextKnowledge): Tri {
  return allOf(conditions.map((condition) => decideCondition(condition, knowledge)));
}

/** Evaluates one condition against one concrete request (every key not in it is absent). */
export function evaluateCondition(condition: NormalizedCondition, context: RequestContext): boolean {
  return decideCondition(condition, context) === 'yes';
}

/** Every condition of a statement must hold, for one concrete request. */
export function evaluateConditions(conditions: readonly NormalizedCondition[], context: RequestContext): boolean {
  return conditions.every((c) => evaluateCondition(c, context));
}
