import { Command } from 'commander';
import { readHistory } from '../../app/history.js';
import { EXIT } from '../../errors.js';
import { renderHistory } from '../../report/history-table.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { DEFAULT_STORE_PATH, storePathOf } from '../estate.js';

export interface HistoryOptions {
  store?: string;
}

export async function runHistory(ctx: CommandContext, options: HistoryOptions): Promise<number> {
  const path = storePathOf(options.store);
  const scans = await readHistory(path);
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
