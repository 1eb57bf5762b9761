/**
 * Which dangerous service-wide grants an identity policy makes, read from its normalised
 * statements (NotAction included). Conditions do not clear a grant: the scan cannot tell who
 * meets them, so the finding says they exist and leaves the judgement to the reader.
 */
import {
  normalizePolicy,
  statementAllows,
  statementCoversResource,
  wildcardMatch,
  type NormalizedStatement,
} from '../policy/document.js';

export interface DangerousGrant {
  /** How the finding names it, e.g. `cloudtrail:*`. */
  label: string;
  matches: (statement: NormalizedStatement) => boolean;
}

function serviceOf(pattern: string): string {
  return pattern.includes(':') ? (pattern.split(':')[0] as string) : pattern;
}

/**
 * Whether an Allow statement grants every action of the service on every resource: an Action
 * pattern like `svc:*`, `*` or `cloud*:*`, or a NotAction that leaves every action of it.
 */
export function grantsWholeService(statement: NormalizedStatement, service: string): boolean {
  if (statement.effect !== 'Allow' || !statementCoversResource(statement, '*')) return false;
  const ofService = (pattern: string) => wildcardMatch(serviceOf(pattern), service, { caseInsensitive: true });
  if (statement.actions)
    return statement.actions.some((pattern) => ofService(pattern) && /^\*+$/.test(pattern.split(':')[1] ?? '*'));
  if (statement.notActions) return !statement.notActions.some(ofService);
  return false;
}

/** Every action of every service: reported by full-admin-access, not here. */
function grantsEverything(statement: NormalizedStatement): boolean {
  return statement.effect === 'Allow' && (statement.actions ?? []).some((pattern) => /^\*(:\*)?$/.test(pattern));
}

const wholeService = (service: string): DangerousGrant => ({
  label: `${service}:*`,
  matches: (statement) => grantsWholeService(statement, service),
});

const actionOnEveryResource = (action: string): DangerousGrant => ({
  label: `${action} on *`,
  matches: (statement) => statement.resources?.includes('*') === true && statementAllows(statement, action, '*'),
});

/** The grants Prowler's IAM checks and Security Hub IAM.21 single out. */
export const DANGEROUS_GRANTS: readonly DangerousGrant[] = [
  wholeService('cloudtrail'),
  wholeService('kms'),
  wholeService('cloudshell'),
  actionOnEveryResource('aws-marketplace:Subscribe'),
  actionOnEveryResource('sts:AssumeRole'),
];

/** The labels of the dangerous grants a policy document makes; null when it cannot be parsed. */
export function dangerousGrantsOf(document: unknown): string[] | null {
  const parsed = normalizePolicy(document);
  if (!parsed.ok) return null;
  const statements = parsed.policy.statements.filter((statement) => !grantsEverything(statement));
  return DANGEROUS_GRANTS.filter((grant) => statements.some(grant.matches)).map((grant) => grant.label);
}
