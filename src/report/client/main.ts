/**
 * The report page's script: reads the data block, unpacks it and builds every section with the
 * DOM helpers of dom.ts. Sections are a list; a new one is a render function added to SECTIONS.
 */
import { type PagePack, unpackReport } from '../page-pack.js';
import type { ReportData } from '../page-model.js';
import { renderAccounts, renderProblems } from './accounts.js';
import { h } from './dom.js';
import { renderExceptions } from './exceptions.js';
import { renderOtherFindings, renderRoles } from './findings.js';
import { minutes, plural } from './format.js';
import { renderHeadline, renderSplit } from './headline.js';
import { renderHistogram } from './histogram.js';
import { renderRemediation } from './remediation.js';
import { renderTrend } from './trend.js';
import { renderUsers } from './users-table.js';

interface Section {
  id: string;
  title: string | null;
  /** The link in the header's navigation; null for sections that show only when there is something. */
  nav: string | null;
  render: (data: ReportData) => HTMLElement | null;
}

const SECTIONS: readonly Section[] = [
  { id: 'headline', title: null, nav: 'Overview', render: (d) => h('div', {}, [renderHeadline(d), renderSplit(d)]) },
  { id: 'trend', title: 'Trend: users with long-lived credentials per scan', nav: 'Trend', render: renderTrend },
  { id: 'problems', title: 'Gaps and warnings', nav: null, render: renderProblems },
  { id: 'accounts', title: 'Accounts', nav: 'Accounts', render: renderAccounts },
  { id: 'users', title: 'IAM users', nav: 'Users', render: renderUsers },
  { id: 'key-ages', title: 'Access key age', nav: 'Key ages', render: renderHistogram },
  { id: 'roles', title: 'Findings per role: trust, administrator, escalation', nav: 'Roles', render: renderRoles },
  { id: 'account-findings', title: 'Root, account, group and policy findings', nav: null, render: renderOtherFindings },
  { id: 'exceptions', title: 'Exceptions', nav: 'Exceptions', render: renderExceptions },
  { id: 'remediation', title: 'Remediation', nav: 'Remediation', render: renderRemediation },
];

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

function readData(): ReportData {
  const block = element('roleshift-data');
  const pack = JSON.parse(block.textContent ?? '') as PagePack;
  // Read once: at 100,000 users the text alone is over 100 MB the page need not keep.
  block.textContent = '';
  return unpackReport(pack);
}

function render(data: ReportData): void {
  const main = element('main');
  const nav = element('nav');
  for (const section of SECTIONS) {
    const body = section.render(data);
    if (!body) continue;
    main.appendChild(
      h('section', { class: 'section', id: section.id }, [
        section.title ? h('h2', { text: section.title }) : null,
        body,
      ]),
    );
    if (section.nav) nav.appendChild(h('a', { href: `#${section.id}`, text: section.nav }));
  }
  element('meta').textContent =
    `${plural(data.summary.accounts, 'account')} \u00b7 scanned ${minutes(data.collection.finishedAt)} UTC from ` +
    `${data.collection.source} \u00b7 report ${minutes(data.generatedAt)} UTC`;
}

render(readData());
