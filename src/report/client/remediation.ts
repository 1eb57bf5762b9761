import type { RemediationStage, ReportData, ReportOperation } from '../page-model.js';
import { h } from './dom.js';
import { minutes } from './format.js';
import { card, tableHead } from './widgets.js';
import { extrasOf } from './extras.js';

const STAGES: readonly RemediationStage[] = [
  'not started',
  'in progress',
  'switched off',
  'rolled back',
  'deleted',
  'restored',
  'failed',
];
/** The journal table shows the newest operations; the stage cards count every user. */
const OPERATIONS_SHOWN = 200;

function operationRow(o: ReportOperation): HTMLElement {
  const tone = o.lastError ? 'bad' : o.status === 'done' ? 'good' : 'warn';
  return h('tr', {}, [
    h('td', { class: 'nowrap', text: minutes(o.createdAt) }),
    h('td', {}, [h('strong', { text: o.userName }), ' ', h('span', { class: 'muted mono', text: o.accountId })]),
    h('td', { text: o.kind }),
    h('td', {}, [
      h('span', { class: `badge ${tone}`, text: o.status }),
      o.lastError ? h('div', { class: 'muted', text: o.lastError }) : null,
    ]),
  ]);
}

export function renderRemediation(data: ReportData): HTMLElement | null {
  const extras = data.extras;
  if (!extras) return null;
  const stages = new Map<RemediationStage, number>();
  for (const user of data.users) {
    const x = extrasOf(data, user);
    if (x) stages.set(x.remediation.stage, (stages.get(x.remediation.stage) ?? 0) + 1);
  }
  return h('div', {}, [
    h(
      'div',
      { class: 'cards', id: 'remediation-stages' },
      STAGES.flatMap((stage) => {
        const count = stages.get(stage);
        if (!count) return [];
        return [card(stage, count, stage === 'failed' ? 'bad' : stage === 'deleted' ? 'good' : '')];
      }),
    ),
    extras.hasJournal
      ? null
      : h('p', {
          class: 'muted',
          text: 'No remediation journal in the store yet: roleshift remediate start switches keys off reversibly and records every step.',
        }),
    extras.operations.length
      ? h('div', { class: 'scroll' }, [
          h('table', { id: 'operations-table' }, [
            tableHead(['When', 'User', 'Operation', 'Status']),
            h('tbody', {}, extras.operations.slice(0, OPERATIONS_SHOWN).map(operationRow)),
          ]),
        ])
      : null,
  ]);
}
