/**
 * `demo`: the bundled estate (three fictional accounts and a week of their CloudTrail) scanned
 * offline like a first real run, with its snapshot and HTML report written beside each other.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleReportWarnings } from '../collect/build-account.js';
import { DEFAULT_CONFIG, type RoleshiftConfig } from '../config.js';
import { UserInputError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { cloudTrailOptionsOf } from './cloudtrail.js';
import { buildReport } from './report.js';
import { scanEstate, type ScanPorts, type ScanResult } from './scan.js';

/** The bundled estate sits at the package root, both from `src/` (tsx, tests) and from `dist/`. */
export const DEMO_ESTATE_DIR = fileURLToPath(new URL('../../examples/demo-estate/', import.meta.url));

export interface DemoRequest {
  storePath: string;
  /** Where snapshot.json and report.html go. */
  outDir: string;
  config: RoleshiftConfig;
}

export async function runDemo(
  request: DemoRequest,
  ports: ScanPorts,
): Promise<{ scan: ScanResult; snapshotFile: string; reportFile: string }> {
  if (!existsSync(DEMO_ESTATE_DIR)) {
    throw new UserInputError(
      `the demo estate is missing at ${DEMO_ESTATE_DIR}: reinstall roleshift or run it from a full clone`,
    );
  }
  const snapshotFile = join(request.outDir, 'snapshot.json');
  const reportFile = join(request.outDir, 'report.html');
  // With its CloudTrail logs, as a real first run would be: usage narrows the plan's policies
  // to least privilege and gives the classifier and the KPIs their evidence.
  const scan = await scanEstate(
    {
      source: { kind: 'files', dir: DEMO_ESTATE_DIR },
      cloudTrail: cloudTrailOptionsOf({ cloudtrail: join(DEMO_ESTATE_DIR, 'cloudtrail') }, ports.notes),
      output: snapshotFile,
      storePath: request.storePath,
      config: request.config,
    },
    ports,
  );
  // The full report (classification, findings, plan, trend), the same page `roleshift report` writes.
  const report = await buildReport(
    { snapshot: snapshotFile, storePath: scan.storePath, config: request.config },
    { now: ports.now, notes: ports.notes },
  );
  ports.write(reportFile, report.html);
  return { scan, snapshotFile, reportFile };
}

/**
 * The bundled export is old by design, so the scan's warnings that its credential reports are stale
 * say nothing a newcomer can act on: they give way to one note saying what the export is.
 */
export function demoWarnings(snapshot: Snapshot, now: Date): { warnings: string[]; note: string | null } {
  const stale = new Set(
    staleReportWarnings(snapshot.accounts, now, DEFAULT_CONFIG.thresholds.credentialReportMaxAgeHours),
  );
  const warnings = snapshot.collection.warnings.filter((warning) => !stale.has(warning));
  const generated = snapshot.accounts
    .map((account) => account.credentialReport?.generatedAt)
    .flatMap((when) => (when?.state === 'at' ? [when.at.slice(0, 10)] : []))
    .sort();
  const note =
    stale.size === 0
      ? null
      : `the demo estate is a fixed export: its credential reports date from ${generated[0]}, so they are older than a live scan's would be (by design)`;
  return { warnings, note };
}
