import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotSchema } from '../../src/model/snapshot.js';
import { describeWithMoto } from '../harness/moto.js';
import { runProcess } from '../harness/run-process.js';
import { smallFileSystem, SMALL_FILE_SYSTEMS, type SmallFileSystem } from '../harness/small-file-system.js';
import { BUILT_CLI, cleanEnv, ONE_ACCOUNT_FIXTURE, runCli } from './run-cli.js';

/**
 * Issue 15 point 7 and point 5, with the built CLI as a user runs it: every failure of the
 * environment (a full or read-only disk, a closed pipe, a device as -o, an unreadable folder, a
 * symbolic link loop, a missing bucket) ends in its documented exit code with one line on
 * stderr, never a stack trace or exit 4, and never loses what was already collected.
 */

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-exit-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/**
 * A full device for the test alone: as root, code that wrongly replaced `-o /dev/full` with a
 * regular file would break the machine's own /dev/full, so a private one is made with mknod
 * (the same device, 1:7). Without root /dev/full cannot be replaced, so the real one is used.
 */
function fullDevice(): string {
  if (process.getuid?.() !== 0) return '/dev/full';
  const path = join(work, 'full');
  const made = spawnSync('mknod', ['-m', '666', path, 'c', '1', '7']);
  if (made.status !== 0) throw new Error('mknod of a private full device failed');
  return path;
}

const sh = (script: string) => runProcess('sh', ['-c', script], { cwd: work, env: cleanEnv(), timeoutMs: 120_000 });
const cli = `"${process.execPath}" "${BUILT_CLI}"`;

async function storedScans(): Promise<number> {
  const history = await runCli(['history', '--store', 'rs.duckdb', '--json'], { cwd: work });
  return (JSON.parse(history.stdout) as { scans: unknown[] }).scans.length;
}

function expectOneLineError(stderr: string, pattern: RegExp): void {
  const errors = stderr.split('\n').filter((line) => line.startsWith('roleshift:'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/ at .*\.js:\d+|internal error/);
}

describe('stdout that cannot be written (issue 15 point 7)', () => {
  it('Given stdout on a full device, When scan --json runs, Then the scan is saved, exit 2, and one line says both', async () => {
    const run = await sh(`${cli} scan --from "${ONE_ACCOUNT_FIXTURE}" --json --store rs.duckdb > "${fullDevice()}"`);
    expect(run.status).toBe(2);
    expectOneLineError(
      run.stderr,
      /^roleshift: cannot write stdout: no space left on the device \(ENOSPC\); the scan itself is saved as \S+ in .*rs\.duckdb$/,
    );
    expect(await storedScans()).toBe(1);
  });

  it('Given stdout on a full device, When findings prints, Then exit 2 with one line and no stack trace', async () => {
    await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb'], { cwd: work });
    const run = await sh(`${cli} findings --store rs.duckdb > "${fullDevice()}"`);
    expect(run.status).toBe(2);
    expectOneLineError(run.stderr, /^roleshift: cannot write stdout: no space left on the device \(ENOSPC\)$/);
  });
});

describe('-o refuses what is not a regular file, and writes through links (issue 15 point 5)', () => {
  it('Given -o naming a full device, When scanned, Then it is refused before the scan and the device stays a device', async () => {
    const device = fullDevice();
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', device], {
      cwd: work,
    });
    expect(run.status).toBe(2);
    expectOneLineError(
      run.stderr,
      /^roleshift: -o \S*full is a device: give the path of a regular file, or - for stdout$/,
    );
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(existsSync(join(work, 'rs.duckdb'))).toBe(false);
  });

  it('Given -o naming a FIFO, When scanned, Then it is refused (no reader needed, nothing blocks)', async () => {
    expect(spawnSync('mkfifo', [join(work, 'pipe')]).status).toBe(0);
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', 'pipe'], {
      cwd: work,
    });
    expect(run.status).toBe(2);
    expectOneLineError(run.stderr, /-o pipe is a named pipe \(FIFO\)/);
  });

  it('Given -o naming a symbolic link to a file, When scanned, Then the target gets the snapshot and the link stays', async () => {
    writeFileSync(join(work, 'target.json'), 'old');
    chmodSync(join(work, 'target.json'), 0o640);
    symlinkSync('target.json', join(work, 'link.json'));
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', 'link.json'], {
      cwd: work,
    });
    expect(run.status).toBe(0);
    expect(readlinkSync(join(work, 'link.json'))).toBe('target.json');
    expect(SnapshotSchema.parse(JSON.parse(readFileSync(join(work, 'target.json'), 'utf8'))).accounts).toHaveLength(1);
    expect(lstatSync(join(work, 'target.json')).mode & 0o777).toBe(0o640);
    expect(readdirSync(work).sort()).toEqual(['link.json', 'rs.duckdb', 'target.json']);
  });

  it('Given -o naming a dangling symbolic link, When scanned, Then it is refused', async () => {
    symlinkSync('nowhere.json', join(work, 'link.json'));
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', 'link.json'], {
      cwd: work,
    });
    expect(run.status).toBe(2);
    expectOneLineError(run.stderr, /-o link\.json is a symbolic link to a file that does not exist/);
  });

  it('Given -o in a folder the user may not write, When scanned, Then exit 2 with one line (EACCES) before the scan', async () => {
    const locked = join(work, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(work, 0o777);
    // As root every folder is writable: run the CLI as nobody, as a real user would be refused.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = await runProcess(
      process.execPath,
      [BUILT_CLI, 'scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', 'locked/s.json'],
      { cwd: work, env: cleanEnv(), ...asNobody },
    );
    expect(run.status).toBe(2);
    expectOneLineError(run.stderr, /^roleshift: cannot write .*locked\/s\.json: permission denied \(EACCES\)$/);
    expect(readdirSync(locked)).toEqual([]);
    expect(existsSync(join(work, 'rs.duckdb'))).toBe(false);
  });

  it('Given -o and a --store that is not a store, When scanned, Then exit 2 with one line and no snapshot is written', async () => {
    writeFileSync(join(work, 'notes.duckdb'), 'meeting notes, not a database\n');
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'notes.duckdb', '-o', 's.json'], {
      cwd: work,
    });
    expect(run.status).toBe(2);
    expectOneLineError(run.stderr, /^roleshift: .*notes\.duckdb is not a DuckDB database, not a roleshift store/);
    expect(existsSync(join(work, 's.json'))).toBe(false);
  });

  it('Given -o -, When scanned, Then stdout is the snapshot and the summary is on stderr', async () => {
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', '-'], { cwd: work });
    expect(run.status).toBe(0);
    expect(SnapshotSchema.parse(JSON.parse(run.stdout)).accounts).toHaveLength(1);
    expect(run.stderr).toMatch(/IAM users with long-lived credentials/);
    expect(existsSync(join(work, '-'))).toBe(false);
  });
});

describe.skipIf(!SMALL_FILE_SYSTEMS)('a full or read-only disk (issue 15 point 7; needs root to mount a tmpfs)', () => {
  // One page: smaller than the smallest snapshot (about 8 KB) and than the generated Terraform.
  // Mounted in beforeAll, not while the file is collected: hooks of a skipped block never run.
  let disk: SmallFileSystem | null = null;
  beforeAll(() => {
    disk = smallFileSystem(4);
  });
  afterAll(() => disk?.unmount());

  it('Given -o on a full disk, When scanned, Then exit 2 with one line and no snapshot or temp file', async () => {
    const run = await runCli(
      ['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', join(disk?.path ?? '', 'snapshot.json')],
      {
        cwd: work,
      },
    );
    expect(run.status).toBe(2);
    expectOneLineError(
      run.stderr,
      /^roleshift: cannot write .*snapshot\.json: no space left on the device \(ENOSPC\)$/,
    );
    expect(readdirSync(disk?.path ?? '')).toEqual([]);
  });

  it('Given generate -o on a full disk, When run, Then exit 2 and no empty folder is left', async () => {
    expect((await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb'], { cwd: work })).status).toBe(
      0,
    );
    const run = await runCli(
      ['generate', '--format', 'terraform', '--store', 'rs.duckdb', '-o', join(disk?.path ?? '', 'out')],
      {
        cwd: work,
      },
    );
    expect(run.status).toBe(2);
    expectOneLineError(run.stderr, /^roleshift: cannot write .*: no space left on the device \(ENOSPC\)$/);
    expect(readdirSync(disk?.path ?? '')).toEqual([]);
  });

  it('Given -o on a read-only file system, When scanned, Then exit 2 with one line', async () => {
    disk?.readOnly();
    const run = await runCli(
      ['scan', '--from', ONE_ACCOUNT_FIXTURE, '--store', 'rs.duckdb', '-o', join(disk?.path ?? '', 's.json')],
      {
        cwd: work,
      },
    );
    expect(run.status).toBe(2);
    expectOneLineError(run.stderr, /^roleshift: cannot write .*s\.json: the file system is read-only \(EROFS\)$/);
  });
});

describe('--from trees that cannot be fully read (issue 15 points 1 and 7)', () => {
  it('Given a symbolic link loop in --from, When scanned, Then exit 2 with one line naming it, not 4', async () => {
    cpSync(ONE_ACCOUNT_FIXTURE, join(work, 'in'), { recursive: true });
    symlinkSync('b.json', join(work, 'in', 'a.json'));
    symlinkSync('a.json', join(work, 'in', 'b.json'));
    const run = await runCli(['scan', '--from', 'in', '--store', 'rs.duckdb'], { cwd: work });
    expect(run.status).toBe(2);
    expectOneLineError(
      run.stderr,
      /^roleshift: in\/a\.json: is a symbolic link loop: remove it or point it at a file$/,
    );
  });

  it('Given a condition nested 100,000 deep in a GAAD, When scanned, Then exit 2 with one line, not a stack overflow', async () => {
    cpSync(ONE_ACCOUNT_FIXTURE, join(work, 'in'), { recursive: true });
    const path = join(work, 'in', 'get-account-authorization-details.json');
    const gaad = JSON.parse(readFileSync(path, 'utf8')) as { UserDetailList: Array<Record<string, unknown>> };
    const deep = `${'['.repeat(100_000)}"x"${']'.repeat(100_000)}`;
    const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:username":${deep}}}}]}`;
    const text = JSON.stringify(gaad).replace(
      '"UserName":"alice"',
      `"UserName":"alice","UserPolicyList":[{"PolicyName":"deep","PolicyDocument":${policy}}]`,
    );
    writeFileSync(path, text);
    const run = await runCli(['scan', '--from', 'in', '--store', 'rs.duckdb'], { cwd: work });
    expect(run.status).toBe(2);
    expectOneLineError(
      run.stderr,
      /get-account-authorization-details\.json: nests deeper than 100 levels at line 1, column \d+/,
    );
  });

  it('Given an account sub-folder the scanner cannot read beside a readable one, When scanned, Then the readable account is kept and the other is a gap (exit 3)', async () => {
    const root = join(work, 'estate');
    cpSync(ONE_ACCOUNT_FIXTURE, join(root, '123456789012-prod'), { recursive: true });
    mkdirSync(join(root, '210987654321-dev'));
    writeFileSync(join(root, '210987654321-dev', 'get-account-authorization-details.json'), '{}');
    chmodSync(join(root, '210987654321-dev'), 0o000);
    chmodSync(work, 0o777);
    // As root every folder is readable: run the CLI as nobody, as a real scan would be denied.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = await runProcess(
      process.execPath,
      [BUILT_CLI, 'scan', '--from', 'estate', '--store', 'rs.duckdb', '-o', 's.json'],
      {
        cwd: work,
        env: cleanEnv(),
        ...asNobody,
      },
    );
    chmodSync(join(root, '210987654321-dev'), 0o755);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(
      /gap: iam:GetAccountAuthorizationDetails in 210987654321 failed: EACCES: .*210987654321-dev: cannot read the folder \(EACCES\)/,
    );
    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(join(work, 's.json'), 'utf8')));
    expect(snapshot.accounts.map((account) => account.accountId)).toEqual(['123456789012']);
    expect(run.stdout).toMatch(
      /at least 2\s+goal: 0 — incomplete: 210987654321 iam:GetAccountAuthorizationDetails EACCES/,
    );
  });
});

describeWithMoto('CloudTrail that cannot be read after the IAM scan (issue 15 point 7)', (moto) => {
  it('Given --cloudtrail s3://missing-bucket, When scanned, Then the IAM data is saved, the bucket is a gap and the exit is 3', async () => {
    const run = await runCli(
      [
        'scan',
        '--from',
        ONE_ACCOUNT_FIXTURE,
        '--cloudtrail',
        's3://missing-bucket/AWSLogs/',
        '--store',
        'rs.duckdb',
        '-o',
        's.json',
      ],
      { cwd: work, env: moto().env() },
    );
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(
      /gap: cloudtrail:ReadLogs failed: \w+: CloudTrail s3:\/\/missing-bucket\/AWSLogs\/ could not be read/,
    );
    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(join(work, 's.json'), 'utf8')));
    expect(snapshot.accounts[0]?.users).toHaveLength(3);
    expect(await storedScans()).toBe(1);
  });
});
