import { spawn } from 'node:child_process';

/**
 * V8's young generation, 128 MB per semi-space from the start instead of growing from 1 MB to 16
 * MB. The assessment of an estate keeps almost everything it makes (classifications, findings,
 * plans, proofs), so with the default size every few megabytes allocated end in a scavenge that
 * copies what survived: 190 scavenges and 1.3 s of the 5.8 s assessment of 100,000 users. With
 * this size the 100,000-user report's generation takes about a tenth less time, and `roleshift
 * report` end to end about a twentieth (bench/README.md, report "ninth round"). V8 sizes its heap once,
 * when the process starts: neither `v8.setFlagsFromString` nor anything later changes it, so a
 * command that wants it runs in a child process started with these flags.
 */
export const YOUNG_GENERATION_FLAGS: readonly string[] = ['--min-semi-space-size=128', '--max-semi-space-size=128'];

/**
 * The commands that assess a whole estate, print or write the result and exit: read-only, so a
 * child left behind could do no harm, and long enough that one more process start (under a tenth
 * of a second) is nothing beside them. `scan` (a memory target of its own at 1,000 accounts),
 * `serve` (long running), `remediate` (writes to AWS) and the rest run in the process the user
 * started.
 */
const ASSESSING_COMMANDS: ReadonlySet<string> = new Set(['findings', 'plan', 'generate', 'report']);

/** Set in the child: it is never relaunched again, and it ends when its parent is gone. */
const RELAUNCHED = 'ROLESHIFT_RELAUNCHED';

/** The command a CLI invocation names: global options (`--json`, `--debug`, `--no-color`) take no value. */
function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((arg) => !arg.startsWith('-'));
}

/** Whether this process was started with the young generation's flags (as a relaunched one is). */
export function hasYoungGeneration(execArgv: readonly string[]): boolean {
  return YOUNG_GENERATION_FLAGS.every((flag) => execArgv.includes(flag));
}

/** A debugger listening in this process: a child would ask for the same port and lose the session. */
function isInspected(execArgv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return [...execArgv, env.NODE_OPTIONS ?? ''].some((option) => option.includes('--inspect'));
}

export function shouldRelaunch(argv: readonly string[], execArgv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (env[RELAUNCHED] !== undefined || hasYoungGeneration(execArgv) || isInspected(execArgv, env)) return false;
  return ASSESSING_COMMANDS.has(commandOf(argv) ?? '');
}

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs this CLI again, with the young generation's flags, in a child process that shares this
 * one's standard streams (so terminals, pipes and exit codes behave as if there were one
 * process). Signals sent to this process are passed on; a child killed by a signal makes this
 * process end by the same signal. Resolves with the child's exit code, or null when no child
 * could be started (then the caller runs the command itself).
 */
export function relaunchWithYoungGeneration(argv: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, ...YOUNG_GENERATION_FLAGS, process.argv[1] ?? '', ...argv],
      // The IPC channel is how the child learns that this process died, even by SIGKILL.
      { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: { ...process.env, [RELAUNCHED]: '1' } },
    );
    let started = false;
    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    const stopForwarding = () => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    };
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
    child.once('spawn', () => {
      started = true;
    });
    child.on('error', () => {
      // After the start an error is a failed kill, and the exit still comes.
      if (started) return;
      stopForwarding();
      resolve(null);
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      if (signal !== null) process.kill(process.pid, signal);
      else resolve(code ?? 0);
    });
  });
}

/**
 * In the relaunched child: end when the parent is gone (its IPC channel closes), so that killing
 * the process the user started never leaves the command running on its own. The channel itself
 * must not keep the child alive.
 */
export function followParent(): void {
  if (process.env[RELAUNCHED] === undefined || process.channel === undefined) return;
  process.channel.unref();
  process.once('disconnect', () => process.exit(1));
}
