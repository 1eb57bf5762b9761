import type { ReportData } from '../page-model.js';
import { h } from './dom.js';
import { plural } from './format.js';
import { extrasOf } from './extras.js';
import { card } from './widgets.js';

const MACHINE_CLASSES: readonly string[] = ['ci-cd', 'workload', 'third-party'];

function credentialBar(data: ReportData): HTMLElement {
  const { users, longLived } = data.summary;
  const bar = h('div', { class: 'bar', role: 'img', 'aria-label': 'users by kind of long-lived credential' });
  const parts: Array<[string, number, string]> = [
    ['both', longLived.both, 'var(--both)'],
    ['pw', longLived.passwordOnly, 'var(--pw)'],
    ['key', longLived.keysOnly, 'var(--key)'],
  ];
  for (const [title, count, color] of parts) {
    if (count === 0 || users === 0) continue;
    const span = h('span', { title });
    span.style.width = `${(100 * count) / users}%`;
    span.style.background = color;
    bar.appendChild(span);
  }
  return bar;
}

function trendLine(data: ReportData): string | null {
  const previous = data.history.length > 1 ? data.history[data.history.length - 2] : undefined;
  if (previous === undefined) return null;
  const delta = data.summary.longLived.total - previous.usersWithLongLivedCredentials;
  const change = delta === 0 ? 'unchanged' : `${delta > 0 ? '+' : ''}${delta}`;
  return `${change} since the scan of ${previous.collectedAt.slice(0, 10)}`;
}

function legendItem(color: string, text: string): HTMLElement {
  return h('span', {}, [h('span', { class: 'dot', style: `background: ${color}` }), text]);
}

function summaryCards(data: ReportData): HTMLElement {
  const s = data.summary;
  const oldest = s.oldestActiveKey;
  const unused = s.unusedKeys.count;
  return h('div', { class: 'cards' }, [
    card('active access keys', s.activeKeys, s.activeKeys ? 'warn' : 'good'),
    card(
      'oldest active key',
      oldest ? plural(oldest.days, 'day') : '-',
      oldest && oldest.days > s.keyRotationDays ? 'bad' : '',
      oldest ? `${oldest.accountId}/${oldest.userName} key ${oldest.slot}` : null,
    ),
    card(
      `keys unused ${s.unusedKeys.thresholdDays}+ days`,
      unused,
      unused ? 'warn' : 'good',
      s.unusedKeys.unknown ? `${s.unusedKeys.unknown} more with unknown last use` : null,
    ),
    card(
      'root access keys',
      s.rootKeys.count,
      s.rootKeys.count ? 'bad' : 'good',
      s.rootKeys.accountIds.join(', ') || null,
    ),
    card(
      'gaps',
      s.gaps.length,
      s.gaps.length ? 'bad' : 'good',
      s.gaps.length ? 'some calls failed: results are incomplete' : 'every call succeeded',
    ),
  ]);
}

export function renderHeadline(data: ReportData): HTMLElement {
  const s = data.summary;
  const ll = s.longLived;
  const trend = trendLine(data);
  return h('div', {}, [
    h('div', { class: 'hero' }, [
      h('div', {}, [
        h('div', { class: `big ${ll.total === 0 ? 'good' : 'bad'}`, id: 'headline-count', text: ll.total }),
        h('div', { class: 'caption', text: 'IAM users with long-lived credentials. Goal: 0.' }),
        trend ? h('div', { class: 'caption', text: trend }) : null,
      ]),
      h('div', {}, [
        credentialBar(data),
        h('div', { class: 'legend' }, [
          legendItem('var(--both)', `password and keys: ${ll.both}`),
          legendItem('var(--pw)', `console password only: ${ll.passwordOnly}`),
          legendItem('var(--key)', `access keys only: ${ll.keysOnly}`),
          h('span', {}, [`of ${plural(s.users, 'IAM user')} in ${plural(s.accounts, 'account')}`]),
        ]),
      ]),
    ]),
    summaryCards(data),
  ]);
}

/** People, machines and accepted exceptions among the users still holding long-lived credentials. */
export function renderSplit(data: ReportData): HTMLElement | null {
  const extras = data.extras;
  if (!extras) return null;
  let people = 0;
  let machines = 0;
  let other = 0;
  let excepted = 0;
  for (const user of data.users) {
    if (!user.longLived) continue;
    const x = extrasOf(data, user);
    if (!x) continue;
    if (x.exception && !x.exception.expired) excepted += 1;
    else if (x.class === 'human') people += 1;
    else if (MACHINE_CLASSES.includes(x.class)) machines += 1;
    else other += 1;
  }
  return h('div', { class: 'cards', id: 'headline-split' }, [
    card('people', people, people ? 'bad' : 'good', 'move to IAM Identity Center'),
    card(
      'machines',
      machines,
      machines ? 'bad' : 'good',
      'move to roles: OIDC, compute roles, Roles Anywhere, ExternalId',
    ),
    card('break-glass and unclassified', other, other ? 'warn' : 'good', 'review by hand'),
    card(
      'accepted exceptions',
      excepted,
      '',
      extras.hasExceptionsRegister ? 'in the register, not expired' : 'no exceptions register',
    ),
  ]);
}
