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
}

/** The move against the previous scan: down is progress towards zero. */
function change(current: number, previous: number | undefined): string | { text: string; style: Style } {
  if (previous === undefined) return '';
  const delta = current - previous;
  if (delta === 0) return '0';
  return delta < 0 ? { text: String(delta), style: 'green' } : { text: `+${delta}`, style: 'red' };
}

/** A stored KPI, or '-' when the scan did not have the data (never a fake 0). */
function kpi(scan: HistoryRow, name: string, format: (value: number) => string = String): string {
  const value = scan.kpis[name];
  return value === undefined ? '-' : format(value);
}

export function renderHistory(scans: readonly HistoryRow[], io: Colour): string {
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
      scan.scanId,
      formatInstant(scan.collectedAt),
      scan.source,
      String(scan.accounts),
      String(scan.users),
      {
        text: String(scan.usersWithLongLivedCredentials),
        style: scan.usersWithLongLivedCredentials === 0 ? 'green' : 'bold',
      },
      change(scan.usersWithLongLivedCredentials, scans[index - 1]?.usersWithLongLivedCredentials),
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
