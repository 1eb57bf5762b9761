import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../harness/run-process.js';
import { BUILT_CLI, cleanEnv, REPO_ROOT } from './run-cli.js';

const DEMO_ESTATE = fileURLToPath(new URL('../../examples/demo-estate/', import.meta.url));

describe('roleshift in a pipeline (built CLI)', () => {
  // More than a pipe buffer (64 KiB) of SARIF, so the writer really meets the closed pipe.
  it('given a reader that closes the pipe early (| head -c 20), when 150 KB of SARIF is written, then there is no stack trace, one line says the output is incomplete, and the exit is 2', async () => {
    const cli = `"${process.execPath}" "${BUILT_CLI}"`;
    const script = `${cli} scan --from "${DEMO_ESTATE}" -o "$T/s.json" --store "$T/rs.duckdb" >/dev/null 2>&1; ${cli} findings --snapshot "$T/s.json" --format sarif | head -c 20`;
    const result = await runProcess(
      'bash',
      ['-o', 'pipefail', '-c', `T=$(mktemp -d); trap 'rm -rf "$T"' EXIT; ${script}`],
      { cwd: REPO_ROOT, env: cleanEnv() },
    );
    expect(result.stdout).toMatch(/^\{/);
    // The SARIF on stdout is cut short: saying so (exit 2, issue 15) beats a silent 0 in a pipeline.
    expect(result.stderr.split('\n').filter((line) => line.startsWith('roleshift:'))).toEqual([
      'roleshift: cannot write stdout: the reader closed the pipe before the output was complete (EPIPE)',
    ]);
    expect(result.stderr).not.toMatch(/Error|at .*\.js/);
    expect(result.status).toBe(2);
  });
});
