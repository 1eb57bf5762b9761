import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { formatInstant, renderTextTable } from '../../report/summary.js';
import { DEFAULT_STORE_PATH, openStore, type ScanSummaryRow } from '../../store/store.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { storePathOf } from '../estate.js';
import type { Io, Style } from '../io.js';

export interface HistoryOptions {
  store?: string;
}

/** Reads the scans without creating a store where there is none. */
export async function readHistory(storeOption: string | undefined): Promise<{ path: string; scans: ScanSummaryRow[] }> {
  const path = storePathOf(storeOption);
  if (!existsSync(path)) return { path, scans: [] };
  const store = await openStore(path);
  try {
    return { path, scans: await store.listScans() };
  } finally {
    store.close();
  }
}

/** The move against the previous scan: down is progress towards zero. */
function change(current: number, previous: number | undefined): string | { text: string; style: Style } {
  if (previous === undefined) return '';
  const delta = current - previous;
  if (delta === 0) return '0';
  return delta < 0 ? { text: String(delta), style: 'green' } : { text: `+${delta}`, style: 'red' };
}

/** A stored KPI, or '-' when the scan did not have the data (never a fake 0). */
function kpi(scan: ScanSummaryRow, name: string, format: (value: number) => string = String): string {
  const value = scan.kpis[name];
  return value === undefined ? '-' : format(value);
}

export function renderHistory(scans: readonly ScanSummaryRow[], io: Pick<Io, 'color'>): string {
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
      { header: 'oldest review d', align: 'right' },
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

export async function runHistory(ctx: CommandContext, options: HistoryOptions): Promise<number> {
  const { path, scans } = await readHistory(options.store);
  if (ctx.io.json) {
    ctx.io.out(JSON.stringify({ store: path, scans }, null, 2));
    return EXIT.ok;
  }
  if (scans.length === 0) {
    ctx.io.log(`no scans in ${path} yet: run roleshift scan`);
    return EXIT.ok;
  }
  ctx.io.out(renderHistory(scans, ctx.io));
  return EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('history')
    .description('List the stored scans with their headline counts, oldest first: the score over time.')
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`)
    .addHelpText(
      'after',
      `
Examples:
  roleshift history                          # table of every scan in ./.roleshift/roleshift.duckdb
  roleshift history --json | jq '.scans[-1]' # the newest scan's counts
  roleshift history --store team.duckdb`,
    );
  program.addCommand(
    withGlobalOptions(command).action(actionOf<HistoryOptions>((ctx, options) => runHistory(ctx, options))),
  );
}
