import { Command, CommanderError } from 'commander';
import { EXIT, isWriteError, OutputError, UserInputError } from '../errors.js';
import { escapeControls } from '../safe-text.js';
import { TOOL_VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('roleshift')
    .description('Take an AWS account or Organization to zero IAM users, or as close as your dependencies allow.')
    .version(TOOL_VERSION, '-V, --version')
    .option('--json', 'machine output on stdout (logs stay on stderr)')
    .option('--debug', 'show stack traces and extra diagnostics')
    .option('--no-color', 'disable colours (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  exitThroughMain(program);
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage, input or write error,
            3 completed with gaps (something could not be read), 4 internal error.`,
  );
  return program;
}

/**
 * Commands added with addCommand do not inherit exitOverride, and commander would then call
 * process.exit(1) itself on a bad option; every (sub)command must throw so main maps it to 2.
 */
function exitThroughMain(command: Command): void {
  command.exitOverride().showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) exitThroughMain(sub);
}

const WRITING_CALLS = new Set(['write', 'writev', 'mkdir', 'rename', 'fsync', 'ftruncate', 'copyfile']);

/** A write the environment refused in a path no command wrapped: still exit 2 with one line. */
function asOutputError(error: unknown): OutputError | null {
  if (!isWriteError(error)) return null;
  const { syscall, path } = error as NodeJS.ErrnoException;
  return syscall !== undefined && WRITING_CALLS.has(syscall) ? new OutputError(path ?? 'the output', error.code) : null;
}

/** The only place that turns errors into exit codes and stack traces into one line. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return EXIT.ok;
      return EXIT.usage;
    }
    const userError = error instanceof UserInputError ? error : asOutputError(error);
    if (userError !== null) {
      process.stderr.write(`roleshift: ${escapeControls(userError.message)}\n`);
      if (debug && userError.stack) process.stderr.write(`${userError.stack}\n`);
      return userError.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `roleshift: internal error: ${escapeControls(message)}${debug ? '' : ' (run again with --debug for details)'}\n`,
    );
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}
