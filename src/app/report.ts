/**
 * `report` and `serve`: the HTML page of the newest scan (or a snapshot file) with its trend,
 * assessment, plan, exceptions and remediation journal, assessed by the one pipeline so the page
 * shows the same plan and ExternalIds as `plan` and `generate`.
 */
import { isTrendable } from '../model/completeness.js';
import { countHeadline } from '../model/headline.js';
import type { Snapshot } from '../model/snapshot.js';
import type { JournalOperation } from '../remediate/journal.js';
import { renderReport, type HistoryPoint } from '../report/html.js';
import { lazyReportExtras, type ReportOperation } from '../report/report-data.js';
import { serveReport, type RunningServer } from '../report/serve.js';
import type { ScanSummaryRow } from '../store/store.js';
import { TOOL_VERSION } from '../version.js';
import { assessEstate } from './assess.js';
import { estateKey } from './estate-key.js';
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
  const extras = lazyReportExtras({
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
    history: trendPoints(loaded.history, { snapshot: estate.snapshot, scanId: loaded.scanId, kpis: assessment.kpis }),
    toolVersion: TOOL_VERSION,
    extras,
    thresholds: estate.config.thresholds,
  });
  return { html, snapshot: estate.snapshot, scanId: loaded.scanId };
}

/**
 * The scans the trend and the KPIs read: complete ones only, ending with the scan shown, since the
 * page compares the last point with the one before it and shows the last point's KPIs. A scan
 * shown with `--snapshot FILE` is not stored: its point is made from its own counts and KPIs, and
 * stored scans collected after it are left out. A scan that could not list the Organization's
 * accounts counts a floor; as a point it would read as a sudden drop. When the scan shown is
 * such a scan, the page gets no trend at all (its gaps say why), never a comparison with an
 * earlier complete scan.
 */
export function trendPoints(
  history: readonly ScanSummaryRow[],
  shown: { snapshot: Snapshot; scanId: string | null; kpis: Record<string, number> },
): HistoryPoint[] {
  if (!isTrendable(shown.snapshot)) return [];
  const collectedAt = shown.snapshot.collection.finishedAt;
  const stored = history.find((scan) => scan.scanId === shown.scanId);
  const earlier = history.filter(
    (scan) => scan.trendable && scan !== stored && scan.collectedAt.localeCompare(collectedAt) < 0,
  );
  const last: HistoryPoint = stored ?? {
    ...countHeadline(shown.snapshot),
    scanId: 'snapshot-file',
    collectedAt,
    kpis: shown.kpis,
  };
  return [...earlier, last];
}

/**
 * How old the clock of a reused page may be. Ages on the page (idle days, key rotation, expired
 * exceptions) are measured from the time it states; at 100,000 users a build takes most of a
 * minute, so a shorter window would rarely be hit.
 */
export const PAGE_MAX_AGE_MS = 5 * 60_000;

/**
 * The page for each request: the page built last, at once, while the estate's key is unchanged
 * and its clock is less than `PAGE_MAX_AGE_MS` old; else built afresh. Requests that arrive while
 * a page is being built wait for that one build.
 */
function dashboardPages(
  request: EstateRequest,
  clock: () => Date,
  notesOf: (first: boolean) => RunContext['notes'],
): () => Promise<string> {
  let last: { key: string; at: number; page: Promise<string> } | undefined;
  let first = true;
  return async () => {
    const context = { now: clock(), notes: notesOf(first) };
    first = false;
    const key = await estateKey(request, context);
    const age = last === undefined ? -1 : context.now.getTime() - last.at;
    if (key !== null && last?.key === key && age >= 0 && age < PAGE_MAX_AGE_MS) return last.page;
    const page = buildReport(request, context).then((built) => built.html);
    if (key !== null) {
      const entry = { key, at: context.now.getTime(), page };
      last = entry;
      // A failed build is not kept: the next request tries again and reports what is wrong.
      page.catch(() => {
        if (last === entry) last = undefined;
      });
    }
    return page;
  };
}

/**
 * The dashboard: the same page on 127.0.0.1 behind a token, rebuilt from the store when the
 * estate changed. Fails before listening when there is nothing to show (no scan, a broken register).
 */
export async function startDashboard(
  request: EstateRequest,
  options: { port: number; notes: RunContext['notes']; clock: () => Date },
): Promise<RunningServer> {
  // Said once, by the first build; every reload would repeat it.
  const quiet = { log: () => {}, warn: options.notes.warn };
  // A fresh clock per request: a page is rebuilt once its clock is PAGE_MAX_AGE_MS old.
  const page = dashboardPages(request, options.clock, (first) => (first ? options.notes : quiet));
  await page();
  return serveReport({
    port: options.port,
    render: page,
    onError: (error) => options.notes.warn(`report failed: ${error instanceof Error ? error.message : String(error)}`),
  });
}
