/**
 * A plainly written reference of AWS's documented evaluation logic, for property tests to compare
 * the evaluator against: no indexes, no compilation, no three-valued logic, one concrete request.
 * Deliberately naive, so that it is easy to check against the IAM User Guide line by line:
 * "Policy evaluation logic" (explicit Deny, then an Allow in every layer: identity policies, the
 * permissions boundary, each level of SCPs), the Action/NotAction, Resource/NotResource and
 * Condition element pages. It covers the operators the generators use.
 */

export interface RefCondition {
  operator: 'StringEquals' | 'StringNotEquals' | 'StringLike' | 'Bool' | 'NumericLessThan';
  ifExists: boolean;
  key: string;
  values: string[];
}

export interface RefStatement {
  effect: 'Allow' | 'Deny';
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: RefCondition[];
}

export interface RefLayers {
  /** Each identity policy as a list of statements. */
  identity: RefStatement[][];
  boundary: RefStatement[] | null;
  /** SCP levels from the root down, each a list of SCPs. */
  scps: RefStatement[][][];
}

export interface RefRequest {
  action: string;
  resource: string;
  context: Record<string, string>;
}

export type RefDecision = 'allowed' | 'explicit-deny' | 'implicit-deny';

/** `*` any run of characters, `?` one character, everything else literal. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`${source}$`, ignoreCase ? 'is' : 's').test(value);
}

/** "Each of the six colon-delimited components of the ARN is checked separately." */
function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const split = (text: string) => {
    const parts = text.split(':');
    return parts.length < 6 ? null : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const a = split(arn);
  if (p === null || a === null) return glob(pattern, arn, false);
  return p.every((part, i) => glob(part, a[i] ?? '', false));
}

function conditionHolds(condition: RefCondition, context: Record<string, string>): boolean {
  const value = Object.entries(context).find(([key]) => key.toLowerCase() === condition.key.toLowerCase())?.[1];
  if (value === undefined) return condition.ifExists || condition.operator === 'StringNotEquals';
  switch (condition.operator) {
    case 'StringEquals':
      return condition.values.includes(value);
    case 'StringNotEquals':
      return !condition.values.includes(value);
    case 'StringLike':
      return condition.values.some((v) => glob(v, value, false));
    case 'Bool':
      return condition.values.some((v) => v.toLowerCase() === value.toLowerCase());
    case 'NumericLessThan':
      return condition.values.some((v) => Number(value) < Number(v));
  }
}

function applies(statement: RefStatement, request: RefRequest): boolean {
  const actionOk = statement.action
    ? statement.action.some((p) => glob(p, request.action, true))
    : !(statement.notAction ?? []).some((p) => glob(p, request.action, true));
  const resourceOk = statement.resource
    ? statement.resource.some((p) => arnMatches(p, request.resource))
    : !(statement.notResource ?? []).some((p) => arnMatches(p, request.resource));
  return actionOk && resourceOk && statement.conditions.every((c) => conditionHolds(c, request.context));
}

function allows(policies: RefStatement[][], request: RefRequest): boolean {
  return policies.some((statements) => statements.some((s) => s.effect === 'Allow' && applies(s, request)));
}

export function referenceDecide(layers: RefLayers, request: RefRequest): RefDecision {
  const every = [...layers.identity, ...(layers.boundary ? [layers.boundary] : []), ...layers.scps.flat()];
  if (every.some((statements) => statements.some((s) => s.effect === 'Deny' && applies(s, request))))
    return 'explicit-deny';
  if (!allows(layers.identity, request)) return 'implicit-deny';
  if (layers.boundary && !allows([layers.boundary], request)) return 'implicit-deny';
  if (layers.scps.some((level) => !allows(level, request))) return 'implicit-deny';
  return 'allowed';
}

/** The reference statement as an IAM policy document. */
export function toDocument(statements: RefStatement[]): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: statements.map((s) => {
      const condition: Record<string, Record<string, string[]>> = {};
      for (const c of s.conditions) {
        const operator = `${c.operator}${c.ifExists ? 'IfExists' : ''}`;
        condition[operator] = { ...(condition[operator] ?? {}), [c.key]: c.values };
      }
      return {
        Effect: s.effect,
        ...(s.action ? { Action: s.action } : { NotAction: s.notAction ?? [] }),
        ...(s.resource ? { Resource: s.resource } : { NotResource: s.notResource ?? [] }),
        ...(s.conditions.length > 0 ? { Condition: condition } : {}),
      };
    }),
  };
}
