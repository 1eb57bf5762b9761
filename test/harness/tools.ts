import { programRuns } from './run-process.js';

/**
 * The programs outside Node that some tests drive for real. Each is started once per test run, in
 * global-setup, and the answers are handed to every worker with vitest's `provide`/`inject`: asking
 * in every test file started a Python interpreter per file and per tool, synchronously.
 */
export interface ExternalTools {
  motoServer: boolean;
  cfnLint: boolean;
  terraform: boolean;
}

export async function detectTools(): Promise<ExternalTools> {
  const [motoServer, cfnLint, terraform] = await Promise.all([
    programRuns('moto_server', ['--help']),
    programRuns('cfn-lint', ['--version']),
    programRuns('terraform', ['version']),
  ]);
  return { motoServer, cfnLint, terraform };
}

declare module 'vitest' {
  export interface ProvidedContext {
    tools: ExternalTools;
  }
}
