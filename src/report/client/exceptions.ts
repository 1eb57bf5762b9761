import type { ReportData, ReportException } from '../page-model.js';
import { h } from './dom.js';
import { plural } from './format.js';
import { muted, tableHead } from './widgets.js';

function reviewCell(exception: ReportException): HTMLElement {
  const overdue = exception.reviewOverdueDays;
  if (overdue === null) return h('td', {}, [h('span', { class: 'muted', text: 'not due' })]);
  const text = overdue < 0 ? 'due: never reviewed' : `overdue ${plural(overdue, 'day')}`;
  return h('td', {}, [h('span', { class: 'badge bad', text })]);
}

export function renderExceptions(data: ReportData): HTMLElement | null {
  const extras = data.extras;
  if (!extras) return null;
  if (!extras.hasExceptionsRegister)
    return muted(
      'No exceptions register: every IAM user with credentials counts against the goal. Write roleshift.exceptions.yaml to accept the ones that must stay.',
    );
  if (extras.exceptions.length === 0) return muted('The exceptions register is empty.');
  const rows = extras.exceptions.map((e) =>
    h('tr', {}, [
      h('td', {}, [
        h('strong', { text: e.userName }),
        h('div', { class: 'muted mono', text: e.accountId }),
        e.userFound ? null : h('span', { class: 'badge warn', text: 'user not in the estate' }),
      ]),
      h('td', { text: e.reason }),
      h('td', { text: e.owner }),
      h('td', {}, [
        h('span', { class: `badge ${e.expired ? 'bad' : ''}`, text: `${e.expired ? 'expired ' : ''}${e.expires}` }),
      ]),
      reviewCell(e),
    ]),
  );
  return h('div', { class: 'scroll' }, [
    h('table', { id: 'exceptions-table' }, [
      tableHead(['User', 'Reason', 'Owner', 'Expires', 'Review']),
      h('tbody', {}, rows),
    ]),
  ]);
}
