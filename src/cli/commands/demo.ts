import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { demoWarnings, runDemo } from '../../app/demo.js';
import { reportProblems, scanJson } from '../../app/scan.js';
import { EXIT } from '../../errors.js';
import { renderSummary, summarizeSnapshot } from '../../report/summary.js';
import { paint } from '../../report/terminal.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig } from '../config-file.js';
import { DEFAULT_STORE_PATH, storePathOf } from '../estate.js';
import { writeFileAtomic } from '../write-atomic.js';

export interface DemoOptions {
  store?: string;
  outDir?: string;
}

// `npx roleshift`: from the clone (`npm run demo`) or a project that installed roleshift, the bare
// name is not on PATH, and a hint that fails on the first try is worse than none.
const NEXT_STEPS = [
  '  npx roleshift findings                  # CIS / Security Hub checks, trust policies, exceptions',
  '  npx roleshift plan                      # what replaces each IAM user, least risky first',
  '  npx roleshift generate --format terraform -o .roleshift/demo/terraform',
  '  npx roleshift ci-migrate examples/workflows/webapp   # rewrite a workflow that uses access keys',
  '  npx roleshift history                   # every scan with its headline counts and KPIs',
];

export async function runDemoCommand(ctx: CommandContext, options: DemoOptions): Promise<number> {
  const config = resolveConfig({});
  const demo = await runDemo(
    {
      storePath: storePathOf(options.store),
      outDir: resolve(options.outDir ?? '.roleshift/demo'),
      config,
    },
    { now: ctx.now, notes: ctx.io, write: writeFileAtomic },
  );
  const { scan, snapshotFile, reportFile } = demo;
  const summary = summarizeSnapshot(scan.snapshot, ctx.now, config.thresholds);
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
        `  store     ${shown(scan.storePath)}   (scan ${scan.scanId}; see npx roleshift history)`,
        '',
        paint(ctx.io, 'bold', 'next, on the same scan (all read-only):'),
        ...NEXT_STEPS,
      ].join('\n'),
    );
  }
  const { warnings, note } = demoWarnings(scan.snapshot, ctx.now);
  if (note !== null) ctx.io.log(`note: ${note}`);
  reportProblems({ ...scan.snapshot, collection: { ...scan.snapshot.collection, warnings } }, ctx.io);
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
  program.addCommand(
    withGlobalOptions(command).action(actionOf<DemoOptions>((ctx, options) => runDemoCommand(ctx, options))),
  );
}
