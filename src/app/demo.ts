/**
 * `demo`: the bundled estate (three fictional accounts and a week of their CloudTrail) scanned
 * offline like a first real run, with its snapshot and HTML report written beside each other.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoleshiftConfig } from '../config.js';
import { UserInputError } from '../errors.js';
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
