import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT, UserInputError } from '../../errors.js';
import type { Snapshot } from '../../model/snapshot.js';
import { allOperations } from '../../remediate/journal.js';
import { renderReport } from '../../report/html.js';
import { assessForReport, type ReportOperation } from '../../report/report-data.js';
import { openStore, type ScanSummaryRow } from '../../store/store.js';
import { TOOL_VERSION } from '../../version.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { readExceptionsRegister, resolveConfig, withConfigOption } from '../config-file.js';
import { readSnapshotFile, storePathOf, withEstateOptions } from '../estate.js';
import { resolveOutputFile, STDOUT, writeFileAtomic } from '../write-atomic.js';

export interface ReportOptions {
  output?: string;
  snapshot?: string;
  store?: string;
  exceptions?: string;
  config?: string;
}

export const DEFAULT_REPORT_FILE = 'roleshift-report.html';

interface StoreContents {
  latest: { scanId: string; snapshot: Snapshot } | null;
  history: ScanSummaryRow[];
  /** Null when the store has no remediation journal (nothing was ever remediated). */
  operations: ReportOperation[] | null;
}

/** Reads what the report needs from the store in one open; a missing store is never created. */
async function readStore(path: string): Promise<StoreContents> {
  if (!existsSync(path)) return { latest: null, history: [], operations: null };
  const store = await openStore(path);
  try {
    const tables = await store.connection.runAndReadAll(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'remediation_operations'",
    );
    const hasJournal = Number(tables.getRowObjects()[0]?.['n'] ?? 0) > 0;
    const operations = hasJournal
      ? (await allOperations(store.connection)).map((op) => ({
          kind: op.kind,
          accountId: op.accountId,
          userName: op.userName,
          status: op.status,
          createdAt: op.createdAt,
          finishedAt: op.finishedAt,
          lastError: op.lastError,
        }))
      : null;
    return { latest: await store.latestScan(), history: await store.listScans(), operations };
  } finally {
    store.close();
  }
}

/**
 * The whole report page for the newest scan in the store (or a snapshot file), with its trend,
 * assessment, plan, exceptions and remediation journal. Shared by `report` and `serve`.
 */
export async function buildReportHtml(
  ctx: CommandContext,
  options: Omit<ReportOptions, 'output'>,
): Promise<{ html: string; snapshot: Snapshot; scanId: string | null }> {
  const config = resolveConfig({ config: options.config });
  const exceptions = readExceptionsRegister(options.exceptions, config);
  const storePath = storePathOf(options.store);
  const contents = await readStore(storePath);
  let snapshot: Snapshot;
  let scanId: string | null = null;
  if (options.snapshot !== undefined) {
    snapshot = readSnapshotFile(options.snapshot);
  } else if (contents.latest !== null) {
    snapshot = contents.latest.snapshot;
    scanId = contents.latest.scanId;
  } else {
    throw new UserInputError(`no scan yet in ${storePath}: run roleshift scan first (or pass --snapshot FILE)`);
  }
  const extras = assessForReport({
    snapshot,
    config,
    now: ctx.now,
    exceptions,
    operations: contents.operations,
    externalIdSeed: randomBytes(16).toString('hex'),
  });
  const html = renderReport({ snapshot, now: ctx.now, history: contents.history, toolVersion: TOOL_VERSION, extras });
  return { html, snapshot, scanId };
}

export async function runReport(ctx: CommandContext, options: ReportOptions): Promise<number> {
  if (options.output === STDOUT) {
    ctx.io.out((await buildReportHtml(ctx, options)).html);
    return EXIT.ok;
  }
  const output = resolve(options.output ?? DEFAULT_REPORT_FILE);
  resolveOutputFile(output);
  const { html, snapshot, scanId } = await buildReportHtml(ctx, options);
  writeFileAtomic(output, html);
  const users = snapshot.accounts.reduce((sum, account) => sum + account.users.length, 0);
  if (ctx.io.json) {
    ctx.io.out(
      JSON.stringify(
        { reportFile: output, scanId, accounts: snapshot.accounts.length, users, bytes: Buffer.byteLength(html) },
        null,
        2,
      ),
    );
  } else {
    ctx.io.out(
      `wrote ${relative(process.cwd(), output) || output} (${snapshot.accounts.length} account(s), ${users} IAM user(s)): open it in a browser`,
    );
  }
  return EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('report')
    .description(
      'Write the HTML report: one self-contained file (no network requests) with the headline, trend, users, findings, plan, exceptions and remediation.',
    )
    .option('-o, --output <file>', `where to write the report (default ./${DEFAULT_REPORT_FILE}; - for stdout)`)
    .option(
      '--exceptions <file>',
      'the exceptions register (default: exceptionsFile from the config, roleshift.exceptions.yaml)',
    )
    .addHelpText(
      'after',
      `
Examples:
  roleshift report                              # latest scan in the store -> ./${DEFAULT_REPORT_FILE}
  roleshift report -o out/iam-users.html        # somewhere else
  roleshift report --snapshot estate.json       # a saved snapshot (the trend still comes from the store)
  roleshift serve                               # the same page, live from the store, on 127.0.0.1`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(withEstateOptions(command))).action(
      actionOf<ReportOptions>((ctx, options) => runReport(ctx, options)),
    ),
  );
}
