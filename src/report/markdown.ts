/** Findings as GitHub-flavoured Markdown, e.g. for a pull-request comment or a job summary. */
import { SEVERITIES, type Finding } from '../model/finding.js';
import { countFindings, groupByAccount, referenceLabels } from './findings-common.js';

/**
 * Everything from AWS is text, never markup: Markdown punctuation is escaped and angle brackets
 * become entities so a user name cannot inject HTML or links into a rendered comment.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Inside a table cell only these can start markup; with [ and ] escaped, ( ) and ! cannot form a link or image.
      .replace(/([\\`*_[\]|~])/g, '\\$1')
  );
}

export function renderFindingsMarkdown(findings: readonly Finding[], options: { title?: string } = {}): string {
  const counts = countFindings(findings);
  const lines = [`# ${escapeMarkdown(options.title ?? 'roleshift findings')}`, ''];
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
        `| ${f.status === 'fail' ? f.severity : `**${f.status}**`} | \`${f.checkId}\` | ${escapeMarkdown(where)} | ${escapeMarkdown(f.message)} | ${escapeMarkdown(referenceLabels(f.references).join(', '))} |`,
      );
    }
  }
  return [...lines, ''].join('\n');
}
