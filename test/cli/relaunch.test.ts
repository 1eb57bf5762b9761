import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shouldRelaunch, YOUNG_GENERATION_FLAGS } from '../../src/cli/relaunch.js';
import { runProcess } from '../harness/run-process.js';

const PROBE = fileURLToPath(new URL('./relaunch-probe.ts', import.meta.url));
const TSX = ['--import', 'tsx'];

describe('shouldRelaunch', () => {
  it.each([
    [['report', '--store', 'x.duckdb'], true],
    [['--json', '--no-color', 'findings'], true],
    [['--debug', 'plan', '--snapshot', 'scan.json'], true],
    [['generate', '-o', 'out'], true],
    [['scan', '--org'], false],
    [['serve'], false],
    [['remediate', 'start'], false],
    [['--version'], false],
    [[], false],
  ])('Given the arguments %j, When deciding, Then relaunch is %s', (argv, expected) => {
    expect(shouldRelaunch(argv, [], {})).toBe(expected);
  });

  it('Given a process already started with the flags or marked as relaunched, When deciding, Then it never relaunches again', () => {
    expect(shouldRelaunch(['report'], [...YOUNG_GENERATION_FLAGS], {})).toBe(false);
    expect(shouldRelaunch(['report'], [], { ROLESHIFT_RELAUNCHED: '1' })).toBe(false);
  });

  it('Given a debugger on the process, When deciding, Then the command stays where the debugger is', () => {
    expect(shouldRelaunch(['report'], ['--inspect-brk=9230'], {})).toBe(false);
    expect(shouldRelaunch(['report'], [], { NODE_OPTIONS: '--max-old-space-size=4096 --inspect' })).toBe(false);
    expect(shouldRelaunch(['report'], [], { NODE_OPTIONS: '--max-old-space-size=4096' })).toBe(true);
  });
});

interface ProbeChild {
  pid: number;
  execArgv: string[];
}

/**
 * An orphaned child that has ended stays a zombie until whatever adopted it reaps it, and a
 * container's first process may never do so: a zombie has ended, so it does not count as alive.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits, never longer than `limitMs`, for a condition a process will make true by itself. */
async function eventually(condition: () => boolean, limitMs: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < limitMs; ) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

/** Starts the probe's parent and resolves with its child once the child has said who it is. */
function startWaitingProbe(): Promise<{ parent: ReturnType<typeof spawn>; child: ProbeChild }> {
  const parent = spawn(process.execPath, [...TSX, PROBE, 'wait'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    parent.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve({ parent, child: JSON.parse(out) as ProbeChild });
    });
    parent.once('exit', () => reject(new Error(`the probe ended before its child spoke: ${out}`)));
  });
}

function exitOf(parent: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => parent.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('relaunchWithYoungGeneration', () => {
  it('Given a relaunched command, When it exits, Then it ran with the flags in its own process and its exit code is the parent’s', async () => {
    const run = await runProcess(process.execPath, [...TSX, PROBE, 'exit', '3'], { timeoutMs: 60_000 });
    const child = JSON.parse(run.stdout) as ProbeChild;
    expect(run.status).toBe(3);
    expect(child.execArgv).toEqual(expect.arrayContaining([...YOUNG_GENERATION_FLAGS]));
    expect(child.pid).not.toBe(0);
  });

  it('Given a relaunched command ended by a signal, When the parent learns it, Then the parent ends by the same signal', async () => {
    const run = await runProcess(process.execPath, [...TSX, PROBE, 'signal', 'SIGTERM'], { timeoutMs: 60_000 });
    expect(run.signal).toBe('SIGTERM');
    expect(run.status).toBeNull();
  });

  it('Given a running relaunched command, When its parent receives SIGTERM, Then the child gets it too and both end', async () => {
    const { parent, child } = await startWaitingProbe();
    const ended = exitOf(parent);
    parent.kill('SIGTERM');
    expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await eventually(() => !alive(child.pid), 10_000)).toBe(true);
  });

  it('Given a running relaunched command, When its parent is killed outright, Then the child does not go on alone', async () => {
    const { parent, child } = await startWaitingProbe();
    const ended = exitOf(parent);
    parent.kill('SIGKILL');
    await ended;
    const gone = await eventually(() => !alive(child.pid), 10_000);
    if (!gone) process.kill(child.pid, 'SIGKILL');
    expect(gone).toBe(true);
  });
});
