/**
 * `report` and `serve`: the HTML page of the newest scan (or a snapshot file) with its trend,
 * assessment, plan, exceptions and remediation journal, assessed by the one pipeline so the page
 * shows the same plan and ExternalIds as `plan` and `generate`.
 */
import { isTrendable } from '../model/completeness.js';
import type { Snapshot } from '../model/snapshot.js';
import type { JournalOperation } from '../remediate/journal.js';
import { renderReport } from '../report/html.js';
import { reportExtras, type ReportOperation } from '../report/report-data.js';
import { serveReport, type RunningServer } from '../report/serve.js';
import type { ScanSummaryRow } from '../store/store.js';
import { TOOL_VERSION } from '../version.js';
import { assessEstate } from './assess.js';
import { loadEstate, type EstateRequest, type RunContext } from './estate.js';

export interface BuiltReport {
  html: string;
  snapshot: Snapshot;
  /** The stored scan shown; null for a snapshot file. */
  scanId: string | null;
}

function reportOperation(operation: JournalOperation): ReportOperation {
  return {
    kind: operation.kind,
    accountId: operation.accountId,
    userName: operation.userName,
    status: operation.status,
    createdAt: operation.createdAt,
    finishedAt: operation.finishedAt,
    lastError: operation.lastError,
  };
}

export async function buildReport(request: EstateRequest, context: RunContext): Promise<BuiltReport> {
  const loaded = await loadEstate(request, context);
  const { estate } = loaded;
  const assessment = await assessEstate(estate);
  const extras = reportExtras({
    snapshot: estate.snapshot,
    now: estate.now,
    classifications: assessment.classifications,
    findings: assessment.findings,
    plan: assessment.plan,
    exceptions: estate.exceptions,
    operations: loaded.journal === null ? null : loaded.journal.map(reportOperation),
  });
  const html = renderReport({
    snapshot: estate.snapshot,
    now: estate.now,
    history: trendPoints(loaded.history, estate.snapshot),
    toolVersion: TOOL_VERSION,
    extras,
    thresholds: estate.config.thresholds,
  });
  return { html, snapshot: estate.snapshot, scanId: loaded.scanId };
}

/**
 * The scans the trend and the KPIs read: complete ones only. A scan that could not list the
 * Organization's accounts counts a floor; as a point it would read as a sudden drop. When the
 * scan shown is such a scan, the page gets no trend at all (its gaps say why), never a
 * comparison with an earlier complete scan.
 */
function trendPoints(history: readonly ScanSummaryRow[], shown: Snapshot): ScanSummaryRow[] {
  return isTrendable(shown) ? history.filter((scan) => scan.trendable) : [];
}

/**
 * The dashboard: the same page on 127.0.0.1 behind a token, rebuilt from the store on every
 * request. Fails before listening when there is nothing to show (no scan, a broken register).
 */
export async function startDashboard(
  request: EstateRequest,
  options: { port: number; notes: RunContext['notes']; clock: () => Date },
): Promise<RunningServer> {
  await buildReport(request, { now: options.clock(), notes: options.notes });
  // Said once above; every reload would repeat it.
  const quiet = { log: () => {}, warn: options.notes.warn };
  return serveReport({
    port: options.port,
    // A fresh clock per request: ages are measured from the moment the page is asked for.
    render: async () => (await buildReport(request, { now: options.clock(), notes: quiet })).html,
    onError: (error) => options.notes.warn(`report failed: ${error instanceof Error ? error.message : String(error)}`),
  });
}
