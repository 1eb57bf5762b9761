/** The terminal view of findings: one block per account, gravest first, coloured when allowed. */
import { SEVERITIES, type Finding, type Severity } from '../model/finding.js';
import { NAME_CELL_MAX, TABLE_CELL_MAX } from '../safe-text.js';
import { countFindings, groupByAccount } from './findings-common.js';
import { renderTextTable } from './summary.js';
import { paint, type Colour, type Style } from './terminal.js';

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: 'magenta',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'dim',
};

function severityCell(f: Finding): { text: string; style: Style } {
  if (f.status === 'pass') return { text: 'PASS', style: 'green' };
  return f.status === 'error'
    ? { text: 'ERROR', style: 'bold' }
    : { text: f.severity.toUpperCase(), style: SEVERITY_STYLE[f.severity] };
}

export function renderFindingsTable(findings: readonly Finding[], io: Colour): string {
  if (findings.length === 0) return paint(io, 'green', 'No findings.');
  const blocks = groupByAccount(findings).map(({ accountId, findings: list }) => {
    const heading = paint(io, 'bold', accountId === null ? 'Not tied to an account' : `Account ${accountId}`);
    // AWS names are short (a longer one is crafted and cut); file paths in lint findings may be long.
    const resourceWidth = list.some((f) => f.location) ? TABLE_CELL_MAX : NAME_CELL_MAX;
    const table = renderTextTable(
      io,
      [
        { header: 'severity' },
        { header: 'check' },
        { header: 'resource', maxWidth: resourceWidth },
        { header: 'finding' },
      ],
      list.map((f) => [
        severityCell(f),
        f.checkId,
        f.location ? `${f.location.file}${f.location.line === null ? '' : `:${f.location.line}`}` : f.resourceName,
        f.message,
      ]),
    );
    return `${heading}\n${table}`;
  });
  const counts = countFindings(findings);
  const parts = [...SEVERITIES]
    .reverse()
    .filter((s) => counts.bySeverity[s] > 0)
    .map((s) => paint(io, SEVERITY_STYLE[s], `${counts.bySeverity[s]} ${s}`));
  const errors =
    counts.errors > 0
      ? `; ${paint(io, 'bold', `${counts.errors} check${counts.errors === 1 ? '' : 's'} failed to run (results unknown)`)}`
      : '';
  const passed = counts.passed > 0 ? `; ${paint(io, 'green', `${counts.passed} passed`)}` : '';
  const summary = `${counts.total} finding${counts.total === 1 ? '' : 's'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}${errors}${passed}`;
  return [...blocks, summary].join('\n\n');
}
