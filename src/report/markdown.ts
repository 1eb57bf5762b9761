/** Findings as GitHub-flavoured Markdown, e.g. for a pull-request comment or a job summary. */
import { SEVERITIES, type Finding } from '../model/finding.js';
import { markdownText, NAME_CELL_MAX } from '../safe-text.js';
import { countFindings, groupByAccount, referenceLabels } from './findings-common.js';

/** Everything from AWS is text, never markup: every value passes `markdownText`, the one sanitizer. */
export function renderFindingsMarkdown(findings: readonly Finding[], options: { title?: string } = {}): string {
  const counts = countFindings(findings);
  const lines = [`# ${markdownText(options.title ?? 'roleshift findings')}`, ''];
  if (findings.length === 0) return [...lines, 'No findings.', ''].join('\n');
  lines.push('| severity | findings |', '|---|---:|');
  for (const s of [...SEVERITIES].reverse()) lines.push(`| ${s} | ${counts.bySeverity[s]} |`);
  if (counts.errors > 0) lines.push(`| checks that failed to run | ${counts.errors} |`);
  if (counts.passed > 0) lines.push(`| checks that passed (evidence) | ${counts.passed} |`);
  for (const { accountId, findings: list } of groupByAccount(findings)) {
    lines.push('', `## ${accountId === null ? 'Not tied to an account' : `Account ${accountId}`}`, '');
    lines.push('| severity | check | resource | finding | references |', '|---|---|---|---|---|');
    for (const f of list) {
      const where = f.location
        ? `${f.location.file}${f.location.line === null ? '' : `:${f.location.line}`}`
        : f.resourceName;
      lines.push(
        `| ${f.status === 'fail' ? f.severity : `**${f.status}**`} | \`${f.checkId}\` | ${markdownText(where, f.location ? undefined : NAME_CELL_MAX)} | ${markdownText(f.message)} | ${markdownText(referenceLabels(f.references).join(', '))} |`,
      );
    }
  }
  return [...lines, ''].join('\n');
}
