/**
 * Stands in for the CLI in test/cli/relaunch.test.ts: relaunched the way `roleshift report` is,
 * its child prints its pid and V8 flags, then does what the test asks: exit with a code, end by a
 * signal, or wait (for its parent to be killed).
 */
import { followParent, hasYoungGeneration, relaunchWithYoungGeneration } from '../../src/cli/relaunch.js';

const [action = 'exit', value = '0'] = process.argv.slice(2);
followParent();
if (!hasYoungGeneration(process.execArgv)) {
  process.exitCode = (await relaunchWithYoungGeneration(process.argv.slice(2))) ?? 99;
} else {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, execArgv: process.execArgv })}\n`);
  if (action === 'exit') process.exitCode = Number(value);
  else if (action === 'signal') process.kill(process.pid, value as NodeJS.Signals);
  else setInterval(() => undefined, 1000);
}
