import { evaluateConditions, type RequestContext } from './condition.js';
import {
  normalizePolicy,
  statementCoversAction,
  statementCoversResource,
  type NormalizedStatement,
} from './document.js';

export interface PolicyRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

/** The outcome of one identity-based policy (or SCP) for one request, as IAM decides it. */
export type PolicyDecision = 'explicit-deny' | 'allow' | 'implicit-deny';

function applies(statement: NormalizedStatement, request: PolicyRequest): boolean {
  return (
    statementCoversAction(statement, request.action) &&
    statementCoversResource(statement, request.resource) &&
    evaluateConditions(statement.conditions, request.context)
  );
}

/**
 * Evaluates one policy for one request: an applicable Deny wins, then an applicable Allow,
 * else the implicit deny. Principals are not considered (identity policies and SCPs have none).
 * Throws on a document IAM would reject, since no decision about it means anything.
 */
export function evaluatePolicy(document: unknown, request: PolicyRequest): PolicyDecision {
  const normalized = normalizePolicy(document);
  if (!normalized.ok) throw new Error(`cannot evaluate an invalid policy: ${normalized.error}`);
  const statements = normalized.policy.statements.filter((statement) => applies(statement, request));
  if (statements.some((statement) => statement.effect === 'Deny')) return 'explicit-deny';
  return statements.some((statement) => statement.effect === 'Allow') ? 'allow' : 'implicit-deny';
}

/**
 * SCPs attached at one level of the organization (root, OU or account), as Organizations applies
 * them: the request passes when one of them allows it and none denies it. Deny-list SCPs rely on
 * `FullAWSAccess` beside them for the allow.
 */
export function scpsPermit(scps: unknown[], request: PolicyRequest): boolean {
  const decisions = scps.map((scp) => evaluatePolicy(scp, request));
  return !decisions.includes('explicit-deny') && decisions.includes('allow');
}
