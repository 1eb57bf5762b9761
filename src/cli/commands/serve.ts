import { Command } from 'commander';
import { EXIT, UserInputError } from '../../errors.js';
import { serveReport } from '../../report/serve.js';
import { DEFAULT_STORE_PATH } from '../../store/store.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { withConfigOption } from '../config-file.js';
import { buildReportHtml } from './report.js';

export interface ServeCommandOptions {
  port?: number;
  store?: string;
  exceptions?: string;
  config?: string;
}

function portOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UserInputError(`--port ${value}: expected a port number from 0 to 65535 (0 picks a free one)`);
  return n;
}

export async function runServe(ctx: CommandContext, options: ServeCommandOptions): Promise<number> {
  const source = { store: options.store, exceptions: options.exceptions, config: options.config };
  // Fail before listening when there is nothing to show (no scan, a broken register): exit 2, one line.
  await buildReportHtml(ctx, source);
  const server = await serveReport({
    port: options.port ?? 0,
    // A fresh context per request: ages are measured from the moment the page is asked for.
    render: async () => (await buildReportHtml({ ...ctx, now: new Date() }, source)).html,
    onError: (error) => ctx.io.warn(`report failed: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (ctx.io.json) ctx.io.out(JSON.stringify({ url: server.url, port: server.port }));
  else
    ctx.io.out(
      `roleshift dashboard: ${server.url}\n(127.0.0.1 only, read-only, shows the newest scan on every reload; Ctrl-C stops it)`,
    );
  await new Promise<void>((resolvePromise) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolvePromise);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  ctx.io.log('stopped');
  return EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('serve')
    .description(
      'Serve the HTML report from the store on 127.0.0.1, behind a random token; every reload shows the newest scan.',
    )
    .option('--port <port>', 'port to listen on (default: a free one)', portOf)
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`)
    .option('--exceptions <file>', 'the exceptions register (default: exceptionsFile from the config)')
    .addHelpText(
      'after',
      `
Examples:
  roleshift serve                  # prints http://127.0.0.1:PORT/?token=...; open it, Ctrl-C to stop
  roleshift serve --port 8765      # a fixed port (still 127.0.0.1 only, still behind the token)
  roleshift serve --json           # {"url": ...} on stdout for scripts`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(command)).action(
      actionOf<ServeCommandOptions>((ctx, options) => runServe(ctx, options)),
    ),
  );
}
