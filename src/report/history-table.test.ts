import { describe, expect, it } from 'vitest';
import type { ScanSummaryRow } from '../store/store.js';
import { renderHistory } from './history-table.js';

function row(scanId: string, longLived: number): ScanSummaryRow {
  return {
    scanId,
    savedAt: '2026-11-23T10:00:00.000Z',
    collectedAt: '2026-11-23T09:00:00.000Z',
    source: 'files',
    origin: 'test',
    toolVersion: '0.1.0',
    accounts: 1,
    users: 9,
    usersWithLongLivedCredentials: longLived,
    usersWithPassword: 1,
    usersWithActiveKeys: 2,
    activeKeys: 3,
    rootKeys: 0,
    gaps: 0,
    kpis: {},
    organizationGaps: 0,
    trendable: true,
  };
}

describe('renderHistory', () => {
  it('Given a scan whose Organization listing failed between two complete ones, When rendered, Then it is marked, its counts are floors and the next change compares with the last complete scan', () => {
    const failed = { ...row('b', 0), accounts: 0, users: 0, organizationGaps: 1, gaps: 1, trendable: false };
    const lines = renderHistory([row('a', 13), failed, row('c', 12)], { color: false }).split('\n');
    expect(lines[2]).toMatch(/^b \(incomplete\)\s+.*≥ 0\s+≥ 0\s+≥ 0\s+none: accounts not listed, counts are floors/);
    expect(lines[2]).not.toMatch(/-13/);
    const start = lines[0]?.indexOf('change') ?? -1;
    expect(lines[3]?.slice(start, start + 'change'.length).trim()).toBe('-1');
  });

  it('Given three scans, When rendered, Then each row shows its counts and the change since the scan before', () => {
    const lines = renderHistory([row('a', 5), row('b', 3), row('c', 4)], { color: false }).split('\n');
    expect(lines[0]).toMatch(/^scan\s+collected\s+source\s+accounts\s+users\s+long-lived\s+change\s+password/);
    const start = lines[0]?.indexOf('change') ?? -1;
    const changeColumn = lines.slice(1).map((line) => line.slice(start, start + 'change'.length).trim());
    expect(changeColumn).toEqual(['', '-2', '+1']);
    expect(lines[1]).toMatch(/^a\s+2026-11-23 09:00 UTC\s+files\s+1\s+9\s+5\s+1\s+2\s+3\s+0\s+0\s+-\s+-\s+-\s+-\s+-$/);
    expect(lines[2]).toMatch(/\s3\s+-2\s+1\s+2\s+3\s+0\s+0\s+-\s+-\s+-\s+-\s+-$/);
  });

  it('Given scans with stored KPIs, When rendered, Then each row shows humans, machines, the IdP share, days to remediation and the oldest review', () => {
    const scored = {
      ...row('k', 2),
      kpis: {
        users_long_lived_humans: 1,
        users_long_lived_machines: 1,
        human_idp_share: 0.756,
        days_to_remediation_median: 12,
        days_to_remediation_p90: 40,
        exception_review_age_max_days: 95,
      },
    };
    const lines = renderHistory([row('a', 5), scored], { color: false }).split('\n');
    expect(lines[0]).toMatch(/gaps\s+humans\s+machines\s+via IdP\s+days to fix p50\/p90\s+oldest review \(days\)$/);
    expect(lines[2]).toMatch(/\s0\s+0\s+1\s+1\s+76%\s+12\/40\s+95$/);
  });
});
