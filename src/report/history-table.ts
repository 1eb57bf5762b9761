/** The terminal view of `roleshift history`: one row per stored scan, oldest first. */
import type { HeadlineCounts } from '../model/headline.js';
import { formatInstant, renderTextTable } from './summary.js';
import type { Colour, Style } from './terminal.js';

/** One stored scan as the table shows it (the store's scan summary rows fit). */
export interface HistoryRow extends HeadlineCounts {
  scanId: string;
  collectedAt: string;
  source: string;
  /** KPIs stored with the scan; a missing one is shown as '-', never as 0. */
  kpis: Record<string, number>;
  /** False: the Organization's accounts were not listed; shown, marked, never compared (`isTrendable`). */
  trendable: boolean;
}

/** Why a scan is no trend point, as its change cell says. */
const NOT_A_TREND_POINT = { text: 'none: accounts not listed, counts are floors', style: 'yellow' } as const;

/** The trend moves between complete scans only: each row's previous trend point, if any. */
function previousTrendPoints(scans: readonly HistoryRow[]): Array<HistoryRow | undefined> {
  let previous: HistoryRow | undefined;
  return scans.map((scan) => {
    const before = previous;
    if (scan.trendable) previous = scan;
    return before;
  });
}

/** The move against the previous scan: down is progress towards zero. */
function change(current: number, previous: number | undefined): string | { text: string; style: Style } {
  if (previous === undefined) return '';
  const delta = current - previous;
  if (delta === 0) return '0';
  return delta < 0 ? { text: String(delta), style: 'green' } : { text: `+${delta}`, style: 'red' };
}

/** A count of a scan that could not list every account is a floor: `≥ N`, never a total. */
function atLeast(scan: HistoryRow, count: number): string {
  return scan.trendable ? String(count) : `≥ ${count}`;
}

/** A stored KPI, or '-' when the scan did not have the data (never a fake 0). */
function kpi(scan: HistoryRow, name: string, format: (value: number) => string = String): string {
  const value = scan.kpis[name];
  return value === undefined ? '-' : format(value);
}

export function renderHistory(scans: readonly HistoryRow[], io: Colour): string {
  const previous = previousTrendPoints(scans);
  return renderTextTable(
    io,
    [
      { header: 'scan' },
      { header: 'collected' },
      { header: 'source' },
      { header: 'accounts', align: 'right' },
      { header: 'users', align: 'right' },
      { header: 'long-lived', align: 'right' },
      { header: 'change', align: 'right' },
      { header: 'password', align: 'right' },
      { header: 'with keys', align: 'right' },
      { header: 'active keys', align: 'right' },
      { header: 'root keys', align: 'right' },
      { header: 'gaps', align: 'right' },
      { header: 'humans', align: 'right' },
      { header: 'machines', align: 'right' },
      { header: 'via IdP', align: 'right' },
      { header: 'days to fix p50/p90', align: 'right' },
      { header: 'oldest review (days)', align: 'right' },
    ],
    scans.map((scan, index) => [
      scan.trendable ? scan.scanId : { text: `${scan.scanId} (incomplete)`, style: 'yellow' },
      formatInstant(scan.collectedAt),
      scan.source,
      atLeast(scan, scan.accounts),
      atLeast(scan, scan.users),
      {
        text: atLeast(scan, scan.usersWithLongLivedCredentials),
        style: scan.usersWithLongLivedCredentials === 0 && scan.trendable ? 'green' : 'bold',
      },
      scan.trendable
        ? change(scan.usersWithLongLivedCredentials, previous[index]?.usersWithLongLivedCredentials)
        : NOT_A_TREND_POINT,
      String(scan.usersWithPassword),
      String(scan.usersWithActiveKeys),
      String(scan.activeKeys),
      scan.rootKeys === 0 ? '0' : { text: String(scan.rootKeys), style: 'red' },
      scan.gaps === 0 ? '0' : { text: String(scan.gaps), style: 'yellow' },
      kpi(scan, 'users_long_lived_humans'),
      kpi(scan, 'users_long_lived_machines'),
      kpi(scan, 'human_idp_share', (share) => `${Math.round(share * 100)}%`),
      scan.kpis.days_to_remediation_median === undefined
        ? '-'
        : `${kpi(scan, 'days_to_remediation_median')}/${kpi(scan, 'days_to_remediation_p90')}`,
      kpi(scan, 'exception_review_age_max_days'),
    ]),
  );
}
