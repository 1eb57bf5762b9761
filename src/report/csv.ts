/** Findings as RFC 4180 CSV, safe to open in a spreadsheet. */
import type { Finding } from '../model/finding.js';
import { sortFindings } from './findings-common.js';

const COLUMNS = [
  'account_id',
  'severity',
  'status',
  'check_id',
  'title',
  'resource_type',
  'resource_name',
  'resource_arn',
  'message',
  'cis',
  'security_hub',
  'remediation',
  'file',
  'line',
] as const;

/**
 * Quotes a field when needed, and defuses spreadsheet formulas: names and tags come from AWS,
 * and a cell starting with = + - @ would run as a formula when the file is opened.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderFindingsCsv(findings: readonly Finding[]): string {
  const rows = sortFindings(findings).map((f) =>
    [
      f.accountId ?? '',
      f.severity,
      f.status,
      f.checkId,
      f.title,
      f.resourceType,
      f.resourceName,
      f.resourceArn ?? '',
      f.message,
      f.references.cis.join(' '),
      f.references.securityHub.join(' '),
      f.remediation,
      f.location?.file ?? '',
      f.location?.line === null || f.location?.line === undefined ? '' : String(f.location.line),
    ].map(csvField),
  );
  return `${[COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`;
}
