/**
 * `npm run bench -- <name> [flags]`. Benchmarks measure roleshift against a baseline in the
 * same run and print ratios; timings never live in tests.
 */
import { followParent, hasYoungGeneration, relaunchWithYoungGeneration } from '../src/cli/relaunch.js';
import { tuneRuntimeForShortCommands } from '../src/cli/runtime.js';

// Every benchmark measures the code as the CLI runs it, with the same V8 settings (baselines too).
tuneRuntimeForShortCommands();

// The SDK's notice about its own future Node requirement is noise in every benchmark's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BENCHMARKS: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  collect: () => import('./collect.js'),
  activity: () => import('./activity.js'),
  report: () => import('./report.js'),
  permissions: () => import('./permissions.js'),
  'permissions-digest': () => import('./permissions-digest.js'),
};

/**
 * These measure what `roleshift report`, `findings` and `plan` do, which the CLI runs in a process
 * with a larger young generation (src/cli/relaunch.ts): so do they, started the same way.
 */
const RELAUNCHED_LIKE_THE_CLI: ReadonlySet<string> = new Set(['report', 'permissions']);

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : BENCHMARKS[name];
followParent();
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [flags]\n`);
  process.exitCode = 2;
} else {
  const relaunched =
    RELAUNCHED_LIKE_THE_CLI.has(name as string) && !hasYoungGeneration(process.execArgv)
      ? await relaunchWithYoungGeneration(process.argv.slice(2))
      : null;
  if (relaunched === null) await (await load()).run(args);
  else process.exitCode = relaunched;
}
