/**
 * `npm run bench -- <name> [flags]`. Benchmarks measure roleshift against a baseline in the
 * same run and print ratios; timings never live in tests.
 */
const BENCHMARKS: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  collect: () => import('./collect.js'),
  activity: () => import('./activity.js'),
  report: () => import('./report.js'),
  permissions: () => import('./permissions.js'),
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : BENCHMARKS[name];
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [flags]\n`);
  process.exitCode = 2;
} else {
  await (await load()).run(args);
}
