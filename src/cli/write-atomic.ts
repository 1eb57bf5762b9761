import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { isWriteError, OutputError, UserInputError } from '../errors.js';
import type { Io } from './io.js';

/** `-o -`: the output goes to stdout. */
export const STDOUT = '-';

function kindOf(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function statOrNull(path: string, follow: boolean): Stats | null {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (isWriteError(error)) throw new OutputError(path, error.code);
    throw new UserInputError(`-o ${path}: cannot be looked at (${code ?? 'unknown error'})`);
  }
}

/**
 * Where writing `path` really goes. A regular file, or one that does not exist yet, is written
 * as it is; a symbolic link to a regular file is written through (its target changes, the link
 * stays); anything else is refused before a long scan, never replaced by a regular file: a
 * device such as /dev/full, a FIFO, a socket, a folder, a link to any of these or to nothing.
 */
export function resolveOutputFile(path: string): string {
  const target = realTarget(path);
  assertWritableFolder(target);
  return target;
}

function realTarget(path: string): string {
  const refuse = (what: string) =>
    new UserInputError(`-o ${path} is ${what}: give the path of a regular file, or - for stdout`);
  const link = statOrNull(path, false);
  if (link === null) return resolve(path);
  if (!link.isSymbolicLink()) {
    const kind = kindOf(link);
    if (kind !== null) throw refuse(kind);
    return resolve(path);
  }
  const target = statOrNull(path, true);
  if (target === null) throw refuse('a symbolic link to a file that does not exist');
  const kind = kindOf(target);
  if (kind !== null) throw refuse(`a symbolic link to ${kind}`);
  return realpathSync(path);
}

/**
 * The nearest existing folder of `target` must take new files: known before a scan that may take
 * an hour, rather than after it. (A full disk can only show when writing.)
 */
function assertWritableFolder(target: string): void {
  let folder = dirname(target);
  while (statOrNull(folder, true) === null && dirname(folder) !== folder) folder = dirname(folder);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    if (isWriteError(error)) throw new OutputError(target, error.code);
    throw error;
  }
}

function tempBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Runs a file-system write, turning the environment's refusals into a one-line OutputError. */
function writing<T>(target: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isWriteError(error)) throw new OutputError(target, error.code);
    throw error;
  }
}

/** The folders `mkdir -p dir` would create, outermost first (to remove them again on failure). */
function missingFolders(dir: string): string[] {
  const missing: string[] = [];
  for (let folder = resolve(dir); statOrNull(folder, true) === null; folder = dirname(folder)) {
    missing.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  return missing;
}

/** A file's text, whole or in pieces: a 1,000-account snapshot is never one string. */
export type FileContent = string | Iterable<string>;

function writeNewFile(path: string, content: FileContent): void {
  const file = openSync(path, 'wx');
  try {
    for (const piece of typeof content === 'string' ? [content] : content) writeSync(file, piece, null, 'utf8');
  } finally {
    closeSync(file);
  }
}

function removeAll(paths: readonly string[]): void {
  for (const path of [...paths].reverse()) rmSync(path, { recursive: true, force: true });
}

/**
 * Writes a file so that readers only ever see the old content or the whole new content: a crash,
 * a full disk or Ctrl-C half way leaves neither a truncated file nor a stray temp file. The temp
 * file sits beside the real target so the rename cannot cross file systems; an existing file
 * keeps its permissions. Write failures are `OutputError` (exit 2), and folders created for the
 * file are removed again when it could not be written.
 */
export function writeFileAtomic(path: string, content: FileContent): void {
  writeFilesAtomic([{ path, content }]);
}

/**
 * Several files, all or nothing: every temp file is written before the first rename, so a full
 * disk leaves the targets as they were and no folder that was not there before.
 */
export function writeFilesAtomic(files: ReadonlyArray<{ path: string; content: FileContent }>): void {
  const targets = files.map((file) => ({ target: resolveOutputFile(file.path), content: file.content }));
  const created = [...new Set(targets.flatMap(({ target }) => missingFolders(dirname(target))))].sort();
  const temps: string[] = [];
  let renamed = 0;
  try {
    for (const folder of created) writing(folder, () => mkdirSync(folder));
    for (const { target, content } of targets) {
      const temp = tempBeside(target);
      temps.push(temp);
      writing(target, () => writeNewFile(temp, content));
      const existing = statOrNull(target, true);
      if (existing !== null) writing(target, () => chmodSync(temp, existing.mode & 0o7777));
    }
    for (const [index, { target }] of targets.entries()) {
      writing(target, () => renameSync(temps[index] as string, target));
      renamed += 1;
    }
  } catch (error) {
    removeAll(temps.slice(renamed));
    // Once a file is in place its folder is in use; before that, no folder of ours is left behind.
    if (renamed === 0) removeAll(created);
    throw error;
  }
}

/** Files under `dir`; a path that would leave it is a bug, refused before anything is written. */
export function filesUnder(dir: string, files: ReadonlyArray<{ path: string; content: string }>) {
  const root = resolve(dir);
  return files.map((file) => {
    const target = resolve(root, file.path);
    if (!target.startsWith(`${root}${sep}`)) throw new Error(`refusing to write ${file.path} outside ${root}`);
    return { path: target, content: file.content };
  });
}

/** `-o FILE`, or stdout for `-o -`. */
export function writeOutput(io: Pick<Io, 'out'>, path: string, content: FileContent): void {
  if (path !== STDOUT) writeFileAtomic(path, content);
  else io.out(typeof content === 'string' ? content : [...content].join(''));
}
