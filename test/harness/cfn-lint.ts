import { spawnSync } from 'node:child_process';

export const CFN_LINT_AVAILABLE = spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs the real cfn-lint on template files; returns its exit status and what it printed. */
export function cfnLint(files: string[]): { status: number | null; output: string } {
  const result = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
