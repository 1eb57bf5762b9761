import { spawn } from 'node:child_process';

export interface ProcessRun {
  /** The exit code, or null when a signal ended the process. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** The child is killed (SIGKILL) and the run rejected after this long. */
  timeoutMs?: number;
  /** Run as another user (tests that need a user whom the file system refuses, when run as root). */
  uid?: number;
  gid?: number;
}

const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Runs a program and resolves with what it printed, without blocking the test worker.
 *
 * Why never `spawnSync` in tests: vitest's workers report to the main process over an RPC channel
 * whose calls time out after 60 s. A worker blocked in `spawnSync` cannot read the answers, so on a
 * loaded machine a child that takes a minute makes vitest raise "Timeout calling onTaskUpdate" as an
 * unhandled error, which fails the whole run even though every test passed.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      uid: options.uid,
      gid: options.gid,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
    // A child that exits without reading its input must not crash the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
  });
}

/** Whether a program runs at all (`--version` or similar exits 0), asked once per test file. */
export async function programRuns(command: string, args: readonly string[]): Promise<boolean> {
  try {
    return (await runProcess(command, args, { timeoutMs: 120_000 })).status === 0;
  } catch {
    return false;
  }
}
