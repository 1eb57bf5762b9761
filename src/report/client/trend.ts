import type { PageHistoryPoint, ReportData } from '../page-model.js';
import { h, svg } from './dom.js';
import { plural } from './format.js';
import { card } from './widgets.js';

/** The KPIs of kpisToRecord (src/assess/kpis.ts) in reading order: name, label, note. */
const KPI_CARDS: ReadonlyArray<readonly [string, string, string]> = [
  ['users_long_lived_total', 'IAM users with long-lived credentials', 'goal: 0'],
  ['users_long_lived_humans', 'people with long-lived credentials', 'goal: 0, through the identity provider'],
  ['users_long_lived_machines', 'machines with long-lived credentials', 'roles, or a registered exception'],
  ['users_long_lived_break_glass', 'break-glass users', ''],
  ['users_long_lived_unknown', 'unclassified users', 'review by hand'],
  ['active_access_keys', 'active access keys', ''],
  ['human_idp_share', 'human access through the identity provider', ''],
  ['days_to_remediation_median', 'days from CreateUser to remediation, median', ''],
  ['days_to_remediation_p90', 'days from CreateUser to remediation, p90', ''],
  ['remediated_users', 'users remediated', 'deleted or registered as exceptions'],
  ['exceptions', 'registered exceptions', ''],
  ['exception_review_age_max_days', 'days since the oldest exception review', ''],
  ['exceptions_never_reviewed', 'exceptions never reviewed', ''],
];

/** Shown inside the share's note rather than as cards of their own. */
const KPIS_IN_NOTES: readonly string[] = ['human_idp_events', 'human_iam_user_events'];

function kpiNote(name: string, kpis: Record<string, number>): string {
  if (name !== 'human_idp_share') return '';
  const idp = kpis['human_idp_events'] ?? 0;
  return `${idp} of ${idp + (kpis['human_iam_user_events'] ?? 0)} human events in CloudTrail`;
}

function kpiValue(name: string, value: number): string | number {
  return name === 'human_idp_share' ? `${Math.round(value * 100)}%` : Math.round(value * 100) / 100;
}

/** The KPIs stored with the newest scan, when the scan computed them; a KPI the list does not know still shows. */
function renderKpis(history: readonly PageHistoryPoint[]): HTMLElement | null {
  const kpis = history[history.length - 1]?.kpis;
  if (!kpis || Object.keys(kpis).length === 0) return null;
  const named = new Set([...KPI_CARDS.map(([name]) => name), ...KPIS_IN_NOTES]);
  const listed = KPI_CARDS.flatMap(([name, label, note]) => {
    const value = kpis[name];
    return value === undefined ? [] : [card(label, kpiValue(name, value), '', note || kpiNote(name, kpis))];
  });
  const others = Object.keys(kpis)
    .sort()
    .filter((name) => !named.has(name))
    .map((name) => card(name.split('_').join(' '), kpiValue(name, kpis[name] ?? 0), ''));
  return h('div', { class: 'cards', id: 'kpis' }, [...listed, ...others]);
}

const WIDTH = 640;
const HEIGHT = 140;
const PAD = 28;

function label(x: number, y: number, text: string, fill: string, anchor?: string): SVGElement {
  const attributes: Record<string, string | number> = { x, y, 'font-size': 11, fill };
  if (anchor) attributes['text-anchor'] = anchor;
  return svg('text', attributes, [], text);
}

/** The goal line over the stored scans: an inline SVG, no library. */
function renderTrendChart(history: readonly PageHistoryPoint[]): HTMLElement {
  if (history.length < 2)
    return h('p', {
      class: 'muted',
      text: history.length
        ? 'One scan stored so far: the trend appears after the next scan.'
        : 'No stored scans: run roleshift scan to keep score over time.',
    });
  const points = history.map((point) => ({ x: point.collectedAt, y: point.usersWithLongLivedCredentials }));
  const max = Math.max(1, ...points.map((point) => point.y));
  const px = (i: number): number => PAD + ((WIDTH - 2 * PAD) * i) / (points.length - 1);
  const py = (v: number): number => HEIGHT - PAD - ((HEIGHT - 2 * PAD) * v) / max;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${px(i).toFixed(1)} ${py(p.y).toFixed(1)}`).join(' ');
  const first = points[0] ?? { x: '', y: 0 };
  const last = points[points.length - 1] ?? first;
  const children: SVGElement[] = [
    svg('line', { x1: PAD, y1: py(0), x2: WIDTH - PAD, y2: py(0), stroke: 'var(--good)', 'stroke-dasharray': '4 4' }),
    svg('path', { d: path, fill: 'none', stroke: 'var(--bad)', 'stroke-width': 2.5 }),
    ...points.map((p, i) =>
      svg('circle', { cx: px(i), cy: py(p.y), r: 3.5, fill: 'var(--bad)' }, [
        svg('title', {}, [], `${p.x.slice(0, 10)}: ${p.y}`),
      ]),
    ),
    label(PAD, HEIGHT - 6, first.x.slice(0, 10), 'var(--muted)'),
    label(WIDTH - PAD, HEIGHT - 6, last.x.slice(0, 10), 'var(--muted)', 'end'),
    label(2, py(max) + 4, String(max), 'var(--muted)'),
    label(2, py(0) + 4, '0', 'var(--good)'),
  ];
  return h('div', { id: 'trend-chart' }, [
    svg(
      'svg',
      {
        viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
        width: '100%',
        role: 'img',
        'aria-label': 'users with long-lived credentials per scan',
      },
      children,
    ),
    h('div', {
      class: 'caption',
      text: `${plural(points.length, 'scan')}: ${first.y} \u2192 ${last.y} users with long-lived credentials (goal: the dashed line at 0)`,
    }),
  ]);
}

export function renderTrend(data: ReportData): HTMLElement {
  const kpis = renderKpis(data.history);
  const chart = renderTrendChart(data.history);
  return kpis ? h('div', {}, [chart, kpis]) : chart;
}
