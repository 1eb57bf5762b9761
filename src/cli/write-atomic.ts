import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers only ever see the old content or the whole new content: a crash,
 * a full disk or Ctrl-C half way leaves at most a stray temp file, never a truncated snapshot.
 * The temp file sits in the same folder so the rename cannot cross file systems. Content given
 * in pieces is written piece by piece (a 1,000-account snapshot is never one string).
 */
export function writeFileAtomic(path: string, content: string | Iterable<string>): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = openSync(temp, 'wx');
    try {
      for (const piece of typeof content === 'string' ? [content] : content) writeSync(file, piece, null, 'utf8');
    } finally {
      closeSync(file);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
