import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { buildReport } from '../../app/report.js';
import { EXIT } from '../../errors.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig, withConfigOption } from '../config-file.js';
import { estateRequestOf, withEstateOptions, withSeedOption } from '../estate.js';
import { resolveOutputFile, STDOUT, writeFileAtomic } from '../write-atomic.js';

export interface ReportOptions {
  seed?: string;
  output?: string;
  snapshot?: string;
  store?: string;
  exceptions?: string;
  config?: string;
}

export const DEFAULT_REPORT_FILE = 'roleshift-report.html';

export async function runReport(ctx: CommandContext, options: ReportOptions): Promise<number> {
  const config = resolveConfig({ config: options.config });
  const build = () => buildReport(estateRequestOf(options, config), { now: ctx.now, notes: ctx.io });
  if (options.output === STDOUT) {
    ctx.io.out((await build()).html);
    return EXIT.ok;
  }
  const output = resolve(options.output ?? DEFAULT_REPORT_FILE);
  resolveOutputFile(output);
  const { html, snapshot, scanId } = await build();
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
    withGlobalOptions(withConfigOption(withSeedOption(withEstateOptions(command)))).action(
      actionOf<ReportOptions>((ctx, options) => runReport(ctx, options)),
    ),
  );
}
