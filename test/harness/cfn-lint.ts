import { inject } from 'vitest';
import { runProcess } from './run-process.js';

export const CFN_LINT_AVAILABLE = inject('tools').cfnLint;

/** Runs the real cfn-lint on template files; returns its exit status and what it printed. */
export async function cfnLint(files: string[]): Promise<{ status: number | null; output: string }> {
  const result = await runProcess('cfn-lint', ['--format', 'parseable', '--', ...files]);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
