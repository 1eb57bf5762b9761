/**
 * Restrictions: the conditions that gate a trust statement for one assume action, its own and
 * those a Deny statement adds ("deny unless sub is X" reads as "sub must be X").
 */
import { isKnownOperator, isNegatedOperator } from '../condition.js';
import {
  pointerToken,
  statementCoversAction,
  type NormalizedCondition,
  type NormalizedStatement,
} from '../document.js';
import { ASSUME_ACTIONS } from './issue.js';

/** Condition keys that tie a public principal to a set of accounts or resources. */
export const ORG_OR_ACCOUNT_KEYS = [
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:userid',
  'aws:principalisawsservice',
];
/** Keys that narrow who can assume, but not to accounts you control. */
export const WEAK_KEYS = [
  'sts:externalid',
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:multifactorauthpresent',
];
export const SOURCE_KEYS = ['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths'];

export interface Restriction {
  condition: NormalizedCondition;
  /** Pointer to the condition key; the values follow as `/i` when there are several. */
  pointer: string;
  /** For a restriction read from a Deny statement: the assume actions that Deny covers. */
  onlyFor: string[] | null;
}

function conditionPointer(statement: NormalizedStatement, condition: NormalizedCondition): string {
  return `${statement.pointer}/Condition/${pointerToken(condition.rawOperator)}/${pointerToken(condition.rawKey)}`;
}

export function valuePointer(restriction: Restriction, index: number): string {
  return restriction.condition.values.length > 1 ? `${restriction.pointer}/${index}` : restriction.pointer;
}

/** A condition that admits only the listed values (not a negation, not Null, a known operator). */
export function isPositive(condition: NormalizedCondition): boolean {
  return (
    condition.operator.toLowerCase() !== 'null' &&
    isKnownOperator(condition.operator) &&
    !isNegatedOperator(condition.operator)
  );
}

const POSITIVE_OF: Record<string, string> = {
  stringnotequals: 'StringEquals',
  stringnotequalsignorecase: 'StringEqualsIgnoreCase',
  stringnotlike: 'StringLike',
  arnnotequals: 'ArnEquals',
  arnnotlike: 'ArnLike',
  notipaddress: 'IpAddress',
};

/**
 * Deny statements with a negated condition ("deny unless sub is X") restrict the Allow
 * statements exactly as the positive condition would, so they are read as such.
 */
export function denyRestrictions(statements: readonly NormalizedStatement[]): Restriction[] {
  const out: Restriction[] = [];
  for (const statement of statements) {
    if (statement.effect !== 'Deny' || statement.conditions.length !== 1) continue;
    const denyAll = statement.principals?.AWS?.includes('*') ?? false;
    if (!denyAll) continue;
    const [condition] = statement.conditions;
    if (!condition || condition.setOperator !== null) continue;
    const positive = POSITIVE_OF[condition.operator.toLowerCase()];
    if (!positive) continue;
    const onlyFor = ASSUME_ACTIONS.filter((a) => statementCoversAction(statement, a));
    out.push({
      condition: { ...condition, operator: positive },
      pointer: conditionPointer(statement, condition),
      onlyFor,
    });
  }
  return out;
}

/** The conditions that gate the statement for one assume action: its own, and those of Deny statements covering that action. */
export function restrictionsOf(
  statement: NormalizedStatement,
  fromDeny: readonly Restriction[],
  action: string,
): Restriction[] {
  const own = statement.conditions.map((condition) => ({
    condition,
    pointer: conditionPointer(statement, condition),
    onlyFor: null,
  }));
  return [...own, ...fromDeny.filter((r) => r.onlyFor?.includes(action) ?? true)];
}

export function positiveOn(restrictions: readonly Restriction[], keys: readonly string[]): Restriction[] {
  return restrictions.filter((r) => keys.includes(r.condition.key) && isPositive(r.condition));
}
