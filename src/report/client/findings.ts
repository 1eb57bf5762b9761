import type { ReportData, ReportFinding } from '../page-model.js';
import { h } from './dom.js';
import { muted, referencesCell, severityBadge, tableHead } from './widgets.js';

function findingCell(finding: ReportFinding): HTMLElement {
  return h('td', {}, [h('strong', { text: finding.title }), h('div', { text: finding.message })]);
}

export function renderRoles(data: ReportData): HTMLElement | null {
  const extras = data.extras;
  if (!extras) return null;
  if (extras.roles.length === 0)
    return muted('No role findings: every role passed the trust, administrator and escalation checks.');
  const rows = extras.roles.flatMap((role) =>
    role.findings.map((finding, i) =>
      h('tr', {}, [
        h(
          'td',
          {},
          i === 0
            ? [
                h('strong', { text: role.roleName }),
                h('div', { class: 'muted mono', text: role.accountId }),
                role.description ? h('div', { class: 'muted small', text: role.description }) : null,
              ]
            : [],
        ),
        h('td', {}, [severityBadge(finding.severity)]),
        findingCell(finding),
        referencesCell(finding),
      ]),
    ),
  );
  return h('div', { class: 'scroll' }, [
    h('table', { id: 'roles-table' }, [tableHead(['Role', 'Severity', 'Finding', 'References']), h('tbody', {}, rows)]),
  ]);
}

export function renderOtherFindings(data: ReportData): HTMLElement | null {
  const extras = data.extras;
  if (!extras || extras.otherFindings.length === 0) return null;
  const rows = extras.otherFindings.map((finding) =>
    h('tr', {}, [
      h('td', {}, [severityBadge(finding.severity)]),
      h('td', {}, [
        h('span', { class: 'mono', text: finding.accountId ?? '' }),
        h('div', { text: finding.resourceName }),
      ]),
      findingCell(finding),
      referencesCell(finding),
    ]),
  );
  return h('div', { class: 'scroll' }, [
    h('table', { id: 'other-findings' }, [
      tableHead(['Severity', 'Where', 'Finding', 'References']),
      h('tbody', {}, rows),
    ]),
  ]);
}
