/** Ordering and counting shared by every findings renderer, so all formats list findings alike. */
import { createHash } from 'node:crypto';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../model/finding.js';
import { FIRST_CHECKS } from '../model/quarantine.js';

/** Code-point order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 1 for the first checks (FIRST_CHECKS), which go before all else; 0 for every other check. */
export function firstness(finding: Pick<Finding, 'checkId'>): number {
  return FIRST_CHECKS.includes(finding.checkId) ? 1 : 0;
}

/**
 * The first checks (a key AWS caught leaking), then account (findings tied to none last), then
 * gravest first, then check and resource: output that diffs well.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      firstness(b) - firstness(a) ||
      Number(a.accountId === null) - Number(b.accountId === null) ||
      compare(a.accountId ?? '', b.accountId ?? '') ||
      severityRank(b.severity) - severityRank(a.severity) ||
      compare(a.checkId, b.checkId) ||
      compare(a.resourceName, b.resourceName) ||
      compare(a.message, b.message),
  );
}

export interface FindingCounts {
  /** Failures: passes and errors are counted apart. */
  total: number;
  bySeverity: Record<Severity, number>;
  /** Checks that threw: results unknown, not clean. */
  errors: number;
  /** Checks that held on a resource (shown only with --include-passed). */
  passed: number;
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let errors = 0;
  let passed = 0;
  for (const f of findings) {
    if (f.status === 'error') errors += 1;
    else if (f.status === 'pass') passed += 1;
    else bySeverity[f.severity] += 1;
  }
  return { total: findings.length - errors - passed, bySeverity, errors, passed };
}

/** "IAM.4" and "CIS 1.4" style labels for one line of text. */
export function referenceLabels(references: Finding['references']): string[] {
  return [...references.cis.map((n) => `CIS ${n}`), ...references.securityHub];
}

/** Findings grouped by account (null last), keeping the sorted order inside each group. */
export function groupByAccount(findings: readonly Finding[]): Array<{ accountId: string | null; findings: Finding[] }> {
  const groups = new Map<string | null, Finding[]>();
  for (const f of sortFindings(findings)) groups.set(f.accountId, [...(groups.get(f.accountId) ?? []), f]);
  return [...groups.entries()].map(([accountId, list]) => ({ accountId, findings: list }));
}

/**
 * Stable across runs for the same problem on the same resource (the message may change), so a
 * consumer (code scanning, Security Hub) updates one alert instead of piling up duplicates.
 */
export function findingFingerprint(f: Finding): string {
  const identity = [
    f.checkId,
    f.accountId ?? '',
    f.resourceArn ?? f.resourceName,
    f.location?.file ?? '',
    f.location?.pointer ?? '',
  ].join('|');
  return createHash('sha256').update(identity).digest('hex');
}
