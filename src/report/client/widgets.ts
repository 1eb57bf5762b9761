import type { Severity } from '../../model/finding.js';
import type { ReportFinding } from '../page-model.js';
import { h } from './dom.js';

export type Tone = '' | 'good' | 'warn' | 'bad';

const SEVERITY_TONE: Record<Severity, Tone> = { info: '', low: '', medium: 'warn', high: 'bad', critical: 'bad' };

export function card(label: string, value: string | number, tone: Tone, note?: string | null): HTMLElement {
  return h('div', { class: `card ${tone}` }, [
    h('div', { class: 'value', text: value }),
    h('div', { class: 'label', text: label }),
    note ? h('div', { class: 'note', text: note }) : null,
  ]);
}

export function severityBadge(severity: Severity): HTMLElement {
  return h('span', { class: `badge sev ${SEVERITY_TONE[severity]}`, text: severity });
}

export function references(finding: Pick<ReportFinding, 'cis' | 'securityHub'>): HTMLElement {
  const { cis, securityHub } = finding;
  return h('span', { class: 'muted' }, [
    cis.length ? `CIS ${cis.join(', ')}` : null,
    cis.length && securityHub.length ? ' \u00b7 ' : null,
    securityHub.length ? `Security Hub ${securityHub.join(', ')}` : null,
  ]);
}

/** The check id and its CIS / Security Hub references, as every findings table shows them. */
export function referencesCell(finding: ReportFinding): HTMLElement {
  return h('td', { class: 'nowrap' }, [h('div', { class: 'mono small', text: finding.checkId }), references(finding)]);
}

export function tableHead(titles: readonly string[], numeric: (index: number) => boolean = () => false): HTMLElement {
  return h('thead', {}, [
    h(
      'tr',
      {},
      titles.map((title, i) => h('th', { class: numeric(i) ? 'num' : undefined, text: title })),
    ),
  ]);
}

export function copyButton(text: string): HTMLElement {
  const button = h('button', { class: 'copy', type: 'button', text: 'Copy' });
  const done = (ok: boolean): void => {
    button.textContent = ok ? 'Copied' : 'Select and copy';
    setTimeout(() => {
      button.textContent = 'Copy';
    }, 1500);
  };
  button.addEventListener('click', () => {
    if (navigator.clipboard?.writeText)
      navigator.clipboard.writeText(text).then(
        () => done(true),
        () => done(false),
      );
    else done(false);
  });
  return button;
}

export function muted(text: string): HTMLElement {
  return h('p', { class: 'muted', text });
}
