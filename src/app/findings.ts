/** `findings`: the checks and trust rules of the one pipeline, with the rules they may report. */
import { findingsRules } from '../assess/registry.js';
import { severityRank, type Finding, type Severity } from '../model/finding.js';
import type { RuleMetadata } from '../model/rule.js';
import type { Snapshot } from '../model/snapshot.js';
import { assessEstate } from './assess.js';
import { loadEstate, type EstateRequest, type RunContext } from './estate.js';

export interface FindingsResult {
  snapshot: Snapshot;
  findings: Finding[];
  /** The checks that held, per resource: evidence for auditors (`--include-passed`). */
  passed: Finding[];
  /** Every rule the run can report (SARIF lists them all). */
  rules: RuleMetadata[];
  hasExceptionsRegister: boolean;
}

export async function assessFindings(request: EstateRequest, context: RunContext): Promise<FindingsResult> {
  const { estate } = await loadEstate(request, context);
  const assessment = await assessEstate(estate, { keepPasses: true });
  return {
    snapshot: estate.snapshot,
    findings: assessment.findings,
    passed: assessment.passed,
    rules: findingsRules(),
    hasExceptionsRegister: estate.exceptions !== null,
  };
}

/** Whether the findings trip the gate: any finding at or above the threshold, or a rule that could not run. */
export function tripsGate(findings: readonly Finding[], failOn: Severity | undefined): boolean {
  if (failOn === undefined) return false;
  const threshold = severityRank(failOn);
  return findings.some((f) => f.status === 'error' || (f.status === 'fail' && severityRank(f.severity) >= threshold));
}
