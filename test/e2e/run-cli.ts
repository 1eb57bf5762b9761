import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ProcessRun, runProcess } from '../harness/run-process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
export const ONE_ACCOUNT_FIXTURE = fileURLToPath(new URL('./fixtures/one-account/', import.meta.url));

export type CliRun = ProcessRun;

/**
 * Runs a roleshift entry point as a user would: a separate process, its own cwd and env.
 * Asynchronous on purpose: a test worker blocked on a child for a minute trips vitest's RPC
 * timeout (see runProcess).
 */
export function runNode(
  script: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<CliRun> {
  return runProcess(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    timeoutMs: 120_000,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
}

/** The built CLI (`npm run build`, which `npm test` runs first). */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<CliRun> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: run npm run build first (npm test does)`);
  return await runNode(BUILT_CLI, args, options);
}

/** No AWS configuration from the machine running the tests may leak into a test. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return {
    ...env,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}
