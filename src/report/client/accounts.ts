import type { ReportData } from '../page-model.js';
import { h } from './dom.js';
import { tableHead } from './widgets.js';

export function renderProblems(data: ReportData): HTMLElement | null {
  const { gaps, warnings } = data.summary;
  if (gaps.length === 0 && warnings.length === 0) return null;
  return h('div', {}, [
    ...gaps.map((gap) =>
      h('div', { class: 'notice gap' }, [
        h('strong', { text: gap.api }),
        ` ${[gap.accountId, gap.region].filter(Boolean).join(' ')}: `,
        h('span', { class: 'mono', text: gap.errorCode }),
        ` ${gap.message}`,
      ]),
    ),
    ...warnings.map((warning) => h('div', { class: 'notice', text: warning })),
  ]);
}

export function renderAccounts(data: ReportData): HTMLElement {
  const rows = data.summary.perAccount.map((a) =>
    h('tr', {}, [
      h('td', {}, [
        h('span', { class: 'mono', text: a.accountId }),
        a.alias ? h('span', { class: 'muted', text: ` ${a.alias}` }) : null,
      ]),
      h('td', { class: 'num', text: a.users }),
      h('td', { class: 'num' }, [
        h('span', { class: `badge ${a.longLived.total ? 'bad' : 'good'}`, text: a.longLived.total }),
      ]),
      h('td', { class: 'num', text: a.longLived.passwordOnly + a.longLived.both }),
      h('td', { class: 'num', text: a.activeKeys }),
      h('td', { class: 'num' }, [a.rootKeys ? h('span', { class: 'badge bad', text: a.rootKeys }) : '0']),
      h('td', { text: a.identityCenterInUse ? 'in use' : '-' }),
    ]),
  );
  const titles = [
    'Account',
    'IAM users',
    'Long-lived',
    'Console password',
    'Active keys',
    'Root keys',
    'Identity Center',
  ];
  return h('div', { class: 'scroll' }, [
    h('table', {}, [tableHead(titles, (i) => i > 0 && i < 6), h('tbody', {}, rows)]),
  ]);
}
