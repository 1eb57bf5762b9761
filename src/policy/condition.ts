/**
 * IAM condition-operator semantics, so that rules can ask "would this request context satisfy
 * this condition?" instead of pattern-matching policy text. Follows the IAM reference for
 * condition operators: a missing key fails a positive operator and satisfies a negated one,
 * `...IfExists` passes when the key is missing, `ForAllValues` is vacuously true on a missing
 * or empty key, and `ForAnyValue` is false on one. Policy variables (`${aws:username}`) are
 * compared literally: the analyzer has no request to take them from.
 */
import { wildcardMatch, type NormalizedCondition } from './document.js';

/** Request-context values by lower-cased key; a key that is absent from the request is absent here. */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

export function requestContext(values: Record<string, string | readonly string[]>): RequestContext {
  const map = new Map<string, readonly string[]>();
  for (const [key, value] of Object.entries(values))
    map.set(key.toLowerCase(), typeof value === 'string' ? [value] : value);
  return map;
}

type ValueTest = (policyValue: string, contextValue: string) => boolean;

function arnParts(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6) return null;
  // The resource part may itself contain colons; IAM compares it as one component.
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

function arnTest(like: boolean): ValueTest {
  return (pattern, value) => {
    const p = arnParts(pattern);
    const v = arnParts(value);
    if (!p || !v) return like ? wildcardMatch(pattern, value, { caseInsensitive: false }) : pattern === value;
    return p.every((part, i) => {
      const other = v[i] ?? '';
      return like ? wildcardMatch(part, other, { caseInsensitive: false }) : part === other;
    });
  };
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
  stringequals: { test: (p, v) => p === v, negated: false },
  stringnotequals: { test: (p, v) => p === v, negated: true },
  stringequalsignorecase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
  stringnotequalsignorecase: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: true },
  stringlike: { test: (p, v) => wildcardMatch(p, v, { caseInsensitive: false }), negated: false },
  stringnotlike: { test: (p, v) => wildcardMatch(p, v, { caseInsensitive: false }), negated: true },
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
  bool: { test: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
  binaryequals: { test: (p, v) => p === v, negated: false },
  ipaddress: { test: ipInCidr, negated: false },
  notipaddress: { test: ipInCidr, negated: true },
  arnequals: { test: arnTest(false), negated: false },
  arnlike: { test: arnTest(true), negated: false },
  arnnotequals: { test: arnTest(false), negated: true },
  arnnotlike: { test: arnTest(true), negated: true },
};

export function isKnownOperator(operator: string): boolean {
  return operator.toLowerCase() === 'null' || operator.toLowerCase() in OPERATORS;
}

/** Whether an operator excludes values (`StringNotLike`, `NotIpAddress`...) rather than admitting them. */
export function isNegatedOperator(operator: string): boolean {
  return OPERATORS[operator.toLowerCase()]?.negated ?? false;
}

/** Whether a string operator treats `*` and `?` as wildcards. */
export function isLikeOperator(operator: string): boolean {
  const op = operator.toLowerCase();
  return op === 'stringlike' || op === 'stringnotlike' || op === 'arnlike' || op === 'arnnotlike';
}

/** Whether one context value satisfies the operator against the policy's values (values are ORed). */
function valueSatisfies(spec: OperatorSpec, policyValues: readonly string[], contextValue: string): boolean {
  const hit = policyValues.some((p) => spec.test(p, contextValue));
  return spec.negated ? !hit : hit;
}

/**
 * Evaluates one condition against a request context. Unknown operators never match: IAM
 * rejects such a policy, so no request can pass through it.
 */
export function evaluateCondition(condition: NormalizedCondition, context: RequestContext): boolean {
  const present = context.get(condition.key);
  if (condition.operator.toLowerCase() === 'null') {
    const absent = present === undefined || present.length === 0;
    return condition.values.some((v) => (v.toLowerCase() === 'true' ? absent : !absent));
  }
  const spec = OPERATORS[condition.operator.toLowerCase()];
  if (!spec) return false;
  const values = present ?? [];
  if (condition.setOperator === 'ForAllValues') {
    return values.every((v) => valueSatisfies(spec, condition.values, v));
  }
  if (condition.setOperator === 'ForAnyValue') {
    if (values.length === 0) return condition.ifExists;
    return values.some((v) => valueSatisfies(spec, condition.values, v));
  }
  if (values.length === 0) return condition.ifExists || spec.negated;
  // A multi-valued key without a set operator: IAM admits the request if any value matches.
  if (spec.negated) return values.every((v) => valueSatisfies(spec, condition.values, v));
  return values.some((v) => valueSatisfies(spec, condition.values, v));
}

/** Every condition of a statement must hold (keys and operators are ANDed). */
export function evaluateConditions(conditions: readonly NormalizedCondition[], context: RequestContext): boolean {
  return conditions.every((c) => evaluateCondition(c, context));
}
