import type { Command } from 'commander';
import { createIo, type GlobalOptions, type Io } from './io.js';

/**
 * What every command action receives. Commands return an exit code; they never call
 * process.exit themselves (only main.ts does), so they stay testable in-process.
 */
export interface CommandContext {
  io: Io;
  global: GlobalOptions;
  /** The clock for the whole command, read once at the edge. */
  now: Date;
}

export type CommandAction<O> = (ctx: CommandContext, options: O, args: string[]) => Promise<number>;

/** Adds the options every roleshift command takes. */
export function withGlobalOptions(command: Command): Command {
  return command
    .option('--json', 'machine output on stdout (logs stay on stderr)')
    .option('--debug', 'show stack traces and extra diagnostics')
    .option('--no-color', 'disable colours (NO_COLOR is honoured too)');
}

export function actionOf<O extends object>(action: CommandAction<O>): (...raw: unknown[]) => Promise<void> {
  return async (...raw: unknown[]) => {
    const command = raw[raw.length - 1] as Command;
    const options = command.optsWithGlobals() as O & GlobalOptions;
    const args = command.args;
    const ctx: CommandContext = { io: createIo(options), global: options, now: new Date() };
    process.exitCode = await action(ctx, options, args);
    // A failed write to stdout (full disk, closed pipe) is the command's failure too: exit 2.
    await ctx.io.settle?.();
  };
}
