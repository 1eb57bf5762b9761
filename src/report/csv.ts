/** Findings as RFC 4180 CSV, safe to open in a spreadsheet (every cell through the one sanitizer). */
import type { Finding } from '../model/finding.js';
import { csvCell } from '../safe-text.js';
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
    ].map(csvCell),
  );
  return `${[COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n')}\r\n`;
}
