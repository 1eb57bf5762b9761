import { Command } from 'commander';
import { startDashboard } from '../../app/report.js';
import { EXIT, UserInputError } from '../../errors.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig, withConfigOption } from '../config-file.js';
import { DEFAULT_STORE_PATH, estateRequestOf, withSeedOption } from '../estate.js';

export interface ServeCommandOptions {
  seed?: string;
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

/** Resolves when the user stops the server (Ctrl-C or SIGTERM). */
function untilStopped(close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolvePromise) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void close().then(resolvePromise);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function runServe(ctx: CommandContext, options: ServeCommandOptions): Promise<number> {
  const config = resolveConfig({ config: options.config });
  const server = await startDashboard(estateRequestOf(options, config), {
    port: options.port ?? 0,
    notes: ctx.io,
    clock: () => new Date(),
  });
  if (ctx.io.json) ctx.io.out(JSON.stringify({ url: server.url, port: server.port }));
  else
    ctx.io.out(
      `roleshift dashboard: ${server.url}\n(127.0.0.1 only, read-only, shows the newest scan on every reload; Ctrl-C stops it)`,
    );
  await untilStopped(() => server.close());
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
    withGlobalOptions(withConfigOption(withSeedOption(command))).action(
      actionOf<ServeCommandOptions>((ctx, options) => runServe(ctx, options)),
    ),
  );
}
