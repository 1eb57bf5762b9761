import { Command, CommanderError } from 'commander';
import { register } from '../../src/cli/commands/remediate.js';
import { UserInputError } from '../../src/errors.js';

/**
 * The remediate command alone, as a separate process, for the crash tests: they SIGKILL it mid
 * command. Only this command is loaded so the test does not depend on the others' state.
 */
const program = new Command('roleshift').exitOverride();
register(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else if (error instanceof UserInputError) {
    process.stderr.write(`roleshift: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`roleshift: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 4;
  }
}
