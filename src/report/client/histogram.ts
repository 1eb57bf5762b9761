import type { ReportData } from '../page-model.js';
import { h } from './dom.js';

const AGE_BUCKETS: ReadonlyArray<readonly [number, number, string]> = [
  [0, 30, '0-30 days'],
  [31, 90, '31-90'],
  [91, 180, '91-180'],
  [181, 365, '181-365'],
  [366, 730, '1-2 years'],
  [731, Number.POSITIVE_INFINITY, 'over 2 years'],
];

function bucketColor(from: number, rotationDays: number): string {
  if (from > rotationDays) return 'var(--bad)';
  return from > 30 ? 'var(--warn)' : 'var(--good)';
}

/** Active access keys by age, with the keys whose age is unknown in a row of their own. */
export function renderHistogram(data: ReportData): HTMLElement {
  const counts = AGE_BUCKETS.map(() => 0);
  let unknown = 0;
  for (const user of data.users) {
    for (const key of user.keys) {
      if (key.status !== 'Active') continue;
      const age = key.ageDays;
      if (age === null) {
        unknown += 1;
        continue;
      }
      const bucket = AGE_BUCKETS.findIndex(([from, to]) => age >= from && age <= to);
      if (bucket >= 0) counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
  }
  const max = Math.max(...counts, unknown, 1);
  const rows: Array<[string, number, string]> = AGE_BUCKETS.map(([from, , name], i) => [
    name,
    counts[i] ?? 0,
    bucketColor(from, data.summary.keyRotationDays),
  ]);
  if (unknown) rows.push(['age unknown', unknown, 'var(--muted)']);
  return h('div', { class: 'histogram', id: 'key-age-histogram' }, [
    ...rows.map(([name, count, color]) => {
      const bar = h('span', { class: 'hbar' });
      bar.style.width = `${(100 * count) / max}%`;
      bar.style.background = color;
      return h('div', { class: 'hrow' }, [
        h('span', { class: 'hlabel', text: name }),
        h('span', { class: 'htrack' }, [bar]),
        h('span', { class: 'hcount', text: count }),
      ]);
    }),
    h('div', {
      class: 'caption',
      text: `Active access keys by age. CIS 1.14 asks for rotation every ${data.summary.keyRotationDays} days; the goal is no keys at all.`,
    }),
  ]);
}
