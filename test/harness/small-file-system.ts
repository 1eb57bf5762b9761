import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A tiny tmpfs for tests of a full (ENOSPC) or read-only (EROFS) disk: the real errors from the
 * real kernel, not a stand-in. Mounting needs root (CAP_SYS_ADMIN); elsewhere the tests that use
 * it are skipped, and say so in their name.
 */
export interface SmallFileSystem {
  path: string;
  readOnly(): void;
  unmount(): void;
}

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'roleshift-mount-probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return mounted;
}

export const SMALL_FILE_SYSTEMS = canMount();

/** Mounts `kilobytes` of tmpfs on a fresh folder under the temp dir. */
export function smallFileSystem(kilobytes: number): SmallFileSystem {
  const path = mkdtempSync(join(tmpdir(), 'roleshift-small-disk-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kilobytes}k,mode=0777`, 'tmpfs', path], {
    encoding: 'utf8',
  });
  if (mount.status !== 0) throw new Error(`cannot mount a tmpfs on ${path}: ${mount.stderr}`);
  return {
    path,
    readOnly() {
      const remount = spawnSync('mount', ['-o', 'remount,ro', path], { encoding: 'utf8' });
      if (remount.status !== 0) throw new Error(`cannot remount ${path} read-only: ${remount.stderr}`);
    },
    unmount() {
      spawnSync('umount', [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
