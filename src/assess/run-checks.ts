/**
 * Runs the catalogue over a snapshot. Each check runs on its own: one that throws becomes an
 * `error` finding naming the check and the error, and the others still run.
 */
import type { Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import type { CheckContext, CheckDefinition, CheckResult } from './check.js';
import { CHECKS } from './checks/index.js';

export type { CheckContext } from './check.js';

function toFinding(check: CheckDefinition, result: CheckResult): Finding {
  return {
    checkId: check.id,
    title: check.title,
    severity: result.severity ?? check.severity,
    status: 'fail',
    accountId: result.accountId,
    resourceType: result.resourceType,
    resourceArn: result.resourceArn,
    resourceName: result.resourceName,
    message: result.message,
    location: result.location ?? null,
    references: check.references,
    remediation: check.remediation,
  };
}

function errorFinding(check: CheckDefinition, error: unknown): Finding {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    checkId: check.id,
    title: check.title,
    severity: check.severity,
    status: 'error',
    accountId: null,
    resourceType: 'snapshot',
    resourceArn: null,
    resourceName: 'snapshot',
    message: `the check failed to run: ${reason}; its result is unknown, not clean`,
    location: null,
    references: check.references,
    remediation: 'Report this as a roleshift bug with the snapshot (roleshift findings --debug shows more).',
  };
}

/** The evaluated results of one check, or the error it threw. */
export function evaluateCheck(
  check: CheckDefinition,
  snapshot: Snapshot,
  context: CheckContext,
): { results: CheckResult[] } | { error: unknown } {
  try {
    return { results: check.evaluate(snapshot, context) };
  } catch (error) {
    return { error };
  }
}

/** Findings (failures and errors) of every check, in registry order. */
export function runChecks(
  snapshot: Snapshot,
  context: CheckContext,
  checks: readonly CheckDefinition[] = CHECKS,
): Finding[] {
  const out: Finding[] = [];
  for (const check of checks) {
    const outcome = evaluateCheck(check, snapshot, context);
    if ('error' in outcome) out.push(errorFinding(check, outcome.error));
    else for (const result of outcome.results) if (result.status === 'fail') out.push(toFinding(check, result));
  }
  return out;
}
