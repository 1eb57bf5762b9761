/**
 * `report` and `serve`: the HTML page of the newest scan (or a snapshot file) with its trend,
 * assessment, plan, exceptions and remediation journal, assessed by the one pipeline so the page
 * shows the same plan and ExternalIds as `plan` and `generate`.
 */
import type { Snapshot } from '../model/snapshot.js';
import type { JournalOperation } from '../remediate/journal.js';
import { renderReport } from '../report/html.js';
import { reportExtras, type ReportOperation } from '../report/report-data.js';
import { serveReport, type RunningServer } from '../report/serve.js';
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
    history: loaded.history,
    toolVersion: TOOL_VERSION,
    extras,
    thresholds: estate.config.thresholds,
  });
  return { html, snapshot: estate.snapshot, scanId: loaded.scanId };
}

/**
 * The page for each request: built afresh when the estate's key changed (a new scan, another
 * register, journal or seed, the next minute), else the page built last, at once. Requests that
 * arrive while a page is being built wait for that one build.
 */
function dashboardPages(
  request: EstateRequest,
  clock: () => Date,
  notesOf: (first: boolean) => RunContext['notes'],
): () => Promise<string> {
  let last: { key: string; page: Promise<string> } | undefined;
  let first = true;
  return async () => {
    const context = { now: clock(), notes: notesOf(first) };
    first = false;
    const key = await estateKey(request, context);
    if (key !== null && last?.key === key) return last.page;
    const page = buildReport(request, context).then((built) => built.html);
    if (key !== null) {
      const entry = { key, page };
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
  // A fresh clock per request: ages are measured from the minute the page is asked for.
  const page = dashboardPages(request, options.clock, (first) => (first ? options.notes : quiet));
  await page();
  return serveReport({
    port: options.port,
    render: page,
    onError: (error) => options.notes.warn(`report failed: ${error instanceof Error ? error.message : String(error)}`),
  });
}
