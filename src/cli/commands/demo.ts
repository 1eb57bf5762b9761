import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { EXIT, UserInputError } from '../../errors.js';
import { renderSummary, summarizeSnapshot } from '../../report/summary.js';
import { DEFAULT_STORE_PATH } from '../../store/store.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { paint } from '../io.js';
import { writeFileAtomic } from '../write-atomic.js';
import { buildReportHtml } from './report.js';
import { reportProblems, scanAndSave, scanJson } from './scan.js';

/** The bundled estate sits at the package root, both from `src/` (tsx, tests) and from `dist/`. */
export const DEMO_ESTATE_DIR = fileURLToPath(new URL('../../../examples/demo-estate/', import.meta.url));

export interface DemoOptions {
  store?: string;
  outDir?: string;
}

export async function runDemo(ctx: CommandContext, options: DemoOptions): Promise<number> {
  if (!existsSync(DEMO_ESTATE_DIR)) {
    throw new UserInputError(
      `the demo estate is missing at ${DEMO_ESTATE_DIR}: reinstall roleshift or run it from a full clone`,
    );
  }
  const outDir = resolve(options.outDir ?? '.roleshift/demo');
  const snapshotFile = join(outDir, 'snapshot.json');
  const reportFile = join(outDir, 'report.html');
  // With its CloudTrail logs, as a real first run would be: usage narrows the plan's policies
  // to least privilege and gives the classifier and the KPIs their evidence.
  const scan = await scanAndSave(ctx, {
    from: DEMO_ESTATE_DIR,
    cloudtrail: join(DEMO_ESTATE_DIR, 'cloudtrail'),
    output: snapshotFile,
    store: options.store,
  });
  // The full report (classification, findings, plan, trend), the same page `roleshift report` writes.
  writeFileAtomic(reportFile, (await buildReportHtml(ctx, { snapshot: snapshotFile, store: scan.storePath })).html);
  const summary = summarizeSnapshot(scan.snapshot, ctx.now);
  if (ctx.io.json) {
    ctx.io.out(JSON.stringify({ ...scanJson(scan, summary), reportFile }, null, 2));
  } else {
    const shown = (path: string) => relative(process.cwd(), path) || path;
    ctx.io.out(
      [
        paint(ctx.io, 'bold', 'roleshift demo: a fictional company with three AWS accounts'),
        '',
        renderSummary(summary, ctx.io),
        '',
        `  snapshot  ${shown(snapshotFile)}`,
        `  report    ${shown(reportFile)}   (open it in a browser)`,
        `  store     ${shown(scan.storePath)}   (scan ${scan.scanId}; see roleshift history)`,
        '',
        paint(ctx.io, 'bold', 'next, on the same scan (all read-only):'),
        '  roleshift findings                      # CIS / Security Hub checks, trust policies, exceptions',
        '  roleshift plan                          # what replaces each IAM user, least risky first',
        '  roleshift generate --format terraform -o .roleshift/demo/terraform',
        `  roleshift ci-migrate examples/workflows/webapp   # rewrite a workflow that uses access keys`,
        '  roleshift history                       # every scan with its headline counts and KPIs',
      ].join('\n'),
    );
  }
  reportProblems(ctx, scan.snapshot);
  return scan.snapshot.gaps.length > 0 ? EXIT.gaps : EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('demo')
    .description(
      'Scan the bundled demo estate (three fictional accounts and a week of their CloudTrail) offline: no AWS account needed.',
    )
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`)
    .option('--out-dir <dir>', 'where to write snapshot.json and report.html', '.roleshift/demo')
    .addHelpText(
      'after',
      `
Examples:
  roleshift demo                 # writes .roleshift/demo/snapshot.json and .roleshift/demo/report.html
  roleshift demo --json          # the same summary as JSON
  roleshift history              # the demo scan is in the store like any other`,
    );
  program.addCommand(withGlobalOptions(command).action(actionOf<DemoOptions>((ctx, options) => runDemo(ctx, options))));
}
