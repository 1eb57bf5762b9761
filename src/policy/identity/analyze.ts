/**
 * The identity-policy side of `lint`: what a permissions policy (or a managed policy attached
 * to a role in the same file) gives away. Kept small on purpose: the full catalogue of checks
 * runs on scanned estates in `src/assess/`; lint reports the administrator grants a reviewer
 * must see before merging. The rules that report these issues are in `rules/`.
 */
import type { Severity } from '../../model/finding.js';
import { normalizePolicy, statementAllows, type NormalizedStatement } from '../document.js';

/** Every rule the analyzer can report; each has its definition in `rules/<id>.ts`. */
export type IdentityRuleId =
  | 'identity-unparseable'
  | 'identity-full-admin'
  | 'identity-unknown-action'
  | 'identity-admin-managed-policy';

export interface IdentityIssue {
  ruleId: IdentityRuleId;
  severity: Severity;
  statementIndex: number | null;
  message: string;
  pointer: string;
}

/** AWS-managed policies that amount to administrator access (IAMFullAccess lets the holder grant itself the rest). */
const ADMIN_MANAGED_POLICIES: Record<string, string> = {
  AdministratorAccess: 'full administrator access to the account',
  IAMFullAccess: 'full IAM access, enough to grant itself any other permission',
};

function isFullAdmin(statement: NormalizedStatement): boolean {
  const everyAction = statement.actions?.some((a) => a === '*' || a === '*:*') ?? false;
  return everyAction && statement.conditions.length === 0 && statementAllows(statement, 'iam:CreateUser', '*');
}

/**
 * The permissions-policy issues of one document. `unknownActions` are the action patterns the
 * IAM reference data does not know (see action-catalog.ts); without it no typo is reported.
 */
export function analyzeIdentityPolicy(doc: unknown, unknownActions: ReadonlySet<string> = new Set()): IdentityIssue[] {
  const normalized = normalizePolicy(doc);
  if (!normalized.ok) {
    return [
      {
        ruleId: 'identity-unparseable',
        severity: 'high',
        statementIndex: null,
        pointer: '',
        message: `The policy cannot be parsed: ${normalized.error}.`,
      },
    ];
  }
  const issues: IdentityIssue[] = [];
  for (const statement of normalized.policy.statements) {
    if (isFullAdmin(statement)) {
      issues.push({
        ruleId: 'identity-full-admin',
        severity: 'high',
        statementIndex: statement.index,
        pointer: statement.pointer,
        message:
          'This statement allows "*" on "*" with no condition: whoever holds the policy is a full administrator (CIS 1.16).',
      });
    }
    const field = statement.actions ? 'Action' : 'NotAction';
    const patterns = statement.actions ?? statement.notActions ?? [];
    patterns.forEach((pattern, i) => {
      if (!unknownActions.has(pattern)) return;
      issues.push({
        ruleId: 'identity-unknown-action',
        severity: 'low',
        statementIndex: statement.index,
        pointer: patterns.length > 1 ? `${statement.pointer}/${field}/${i}` : `${statement.pointer}/${field}`,
        message: `"${pattern}" matches no IAM action${field === 'NotAction' ? ', so this NotAction excludes nothing' : ': it grants nothing (a typo?)'}.`,
      });
    });
  }
  return issues;
}

/** An issue for an attached AWS-managed administrator policy, or null for any other ARN. */
export function analyzeManagedPolicyArn(arn: string): IdentityIssue | null {
  const match = /^arn:[^:]*:iam::aws:policy\/(.+)$/.exec(arn);
  const name = match?.[1];
  const what = name ? ADMIN_MANAGED_POLICIES[name] : undefined;
  if (!what) return null;
  return {
    ruleId: 'identity-admin-managed-policy',
    severity: 'high',
    statementIndex: null,
    pointer: '',
    message: `${name} is attached: ${what}.`,
  };
}
