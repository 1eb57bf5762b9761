/**
 * `npm run bench -- <name> [flags]`. Benchmarks measure roleshift against a baseline in the
 * same run and print ratios; timings never live in tests.
 */
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

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : BENCHMARKS[name];
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [flags]\n`);
  process.exitCode = 2;
} else {
  await (await load()).run(args);
}
