import type { ReportUser, ReportUserExtras } from '../page-model.js';
import { type Child, h } from './dom.js';
import { daysAgo, instant, plural, usage } from './format.js';
import { severityBadge } from './widgets.js';
import { credentialKind, SEVERITIES, type SortKey } from './users-view.js';

export interface UserColumn {
  title: string;
  numeric?: boolean;
  /** The table's fixed layout keeps column widths stable while rows scroll in and out. */
  width: string;
  sort: (user: ReportUser, x: ReportUserExtras | null) => SortKey;
  cell: (user: ReportUser, x: ReportUserExtras | null) => Child[];
}

const CREDENTIAL_ORDER = ['none', 'keys', 'password', 'both'];
const NONE = (): Child[] => [h('span', { class: 'muted', text: '-' })];

function oldestActiveKeyAge(user: ReportUser): number {
  let max = -1;
  for (const key of user.keys)
    if (key.status === 'Active' && key.ageDays !== null && key.ageDays > max) max = key.ageDays;
  return max;
}

/** Days since the most recent use of any credential; Infinity when none was ever seen in use. */
function lastUsedDays(user: ReportUser): number {
  let best = user.password.lastUsedDays ?? Number.POSITIVE_INFINITY;
  for (const key of user.keys) if (key.lastUsedDays !== null && key.lastUsedDays < best) best = key.lastUsedDays;
  return best;
}

function credentials(user: ReportUser, rotationDays: number): Child[] {
  const out: Child[] = [];
  if (user.password.enabled)
    out.push(
      h('span', { class: 'key' }, [
        h('span', { class: 'badge warn', text: 'password' }),
        ' ',
        h('span', {
          class: 'muted',
          title: instant(user.password.lastUsed),
          text: usage('used', user.password.lastUsed, user.password.lastUsedDays),
        }),
        user.mfa.active ? null : h('span', { class: 'badge bad', text: 'no MFA' }),
      ]),
    );
  for (const key of user.keys) {
    const active = key.status === 'Active';
    const tone = !active ? '' : key.ageDays !== null && key.ageDays > rotationDays ? 'bad' : 'warn';
    out.push(
      h('span', { class: 'key' }, [
        h('span', { class: `badge ${tone}`, text: `key ${key.slot}${active ? '' : ' inactive'}` }),
        ' ',
        h('span', {
          title: instant(key.lastRotated),
          text: key.ageDays === null ? 'age unknown' : `${plural(key.ageDays, 'day')} old`,
        }),
      ]),
    );
  }
  return out.length ? out : [h('span', { class: 'muted', text: 'none' })];
}

function remediationTone(stage: string): string {
  if (stage === 'failed') return 'bad';
  return stage === 'not started' ? '' : 'good';
}

/** The table's columns; keys older than the configured rotation age show as overdue. */
export function userColumns(rotationDays: number): readonly UserColumn[] {
  return [
    {
      title: 'User',
      width: '15%',
      sort: (user) => user.name.toLowerCase(),
      cell: (user) => [
        h('button', { class: 'link', type: 'button', 'data-user': `${user.accountId}/${user.name}`, text: user.name }),
        h('div', { class: 'muted mono', text: user.accountId + (user.accountAlias ? ` ${user.accountAlias}` : '') }),
      ],
    },
    {
      title: 'Class',
      width: '9%',
      sort: (_user, x) => (x ? x.class : ''),
      cell: (_user, x) =>
        x
          ? [
              h('span', { class: 'badge', text: x.class }),
              h('div', { class: 'muted', text: `${Math.round(x.confidence * 100)}% sure` }),
            ]
          : NONE(),
    },
    {
      title: 'Credentials',
      width: '20%',
      sort: (user) => CREDENTIAL_ORDER.indexOf(credentialKind(user)),
      cell: (user) => credentials(user, rotationDays),
    },
    {
      title: 'Key age',
      numeric: true,
      width: '7%',
      sort: oldestActiveKeyAge,
      cell: (user) => {
        const age = oldestActiveKeyAge(user);
        return [age < 0 ? '-' : String(age)];
      },
    },
    {
      title: 'Last used',
      width: '9%',
      sort: lastUsedDays,
      cell: (user) => {
        const days = lastUsedDays(user);
        const never = days === Number.POSITIVE_INFINITY;
        return [h('span', { class: never ? 'muted' : '', text: never ? 'never / unknown' : daysAgo(days) })];
      },
    },
    {
      title: 'Findings',
      width: '8%',
      sort: (_user, x) =>
        x ? (x.worstSeverity ? SEVERITIES.indexOf(x.worstSeverity) : -1) * 1000 + x.findings.length : -1,
      cell: (_user, x) =>
        x?.worstSeverity && x.findings.length
          ? [severityBadge(x.worstSeverity), ' ', String(x.findings.length)]
          : [h('span', { class: 'muted', text: x ? 'none' : '-' })],
    },
    {
      title: 'Plan target',
      width: '13%',
      sort: (_user, x) => x?.plan?.strategy ?? '',
      cell: (_user, x) =>
        x?.plan
          ? [
              h('span', { class: 'badge', text: x.plan.strategy }),
              h('div', { class: 'muted small', text: x.plan.target }),
            ]
          : ['-'],
    },
    {
      title: 'Exception',
      width: '9%',
      sort: (_user, x) => x?.exception?.expires ?? '',
      cell: (_user, x) => {
        const exception = x?.exception;
        if (!exception) return NONE();
        const text = `${exception.expired ? 'expired ' : 'until '}${exception.expires.slice(0, 10)}`;
        return [h('span', { class: `badge ${exception.expired ? 'bad' : ''}`, text })];
      },
    },
    {
      title: 'Remediation',
      width: '10%',
      sort: (_user, x) => (x ? x.remediation.stage : ''),
      cell: (_user, x) =>
        x ? [h('span', { class: `badge ${remediationTone(x.remediation.stage)}`, text: x.remediation.stage })] : ['-'],
    },
  ];
}
