import { createReadStream } from 'node:fs';
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { UserInputError } from '../errors.js';
import { decodeText } from '../input-text.js';
import { isEventLogKey } from './parse.js';

/** One log file, local or in S3. `version` (mtime or ETag) with `size` tells a changed file apart. */
export interface LogObject {
  key: string;
  size: number;
  version: string;
  /** Set for files on local disk, which DuckDB can then read itself (see native.ts). */
  localPath?: string;
  open(): Promise<Readable>;
}

export interface LogSource {
  /** What the user gave: a path or an s3:// URL. */
  origin: string;
  list(): AsyncIterable<LogObject>;
}

/** A file found under the folder, or an entry that could not be read (reported, never skipped). */
interface Found {
  path: string;
  problem?: string;
}

function problemOf(error: unknown, what: 'link' | 'folder'): string {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  if (what === 'folder') return `cannot read the folder (${code})`;
  return code === 'ELOOP' ? 'a symbolic link loop' : `a symbolic link that cannot be followed (${code})`;
}

/**
 * Every file under `directory`, in name order. Symbolic links are followed (a log folder is
 * often a link to a mounted bucket), each real folder once, so a loop ends; a link or folder
 * that cannot be read is yielded with its problem, so it becomes an unreadable file.
 */
async function* walk(directory: string, seen: Set<string>): AsyncGenerator<Found> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    yield { path: directory, problem: problemOf(error, 'folder') };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    let kind: 'file' | 'folder' | 'other' = entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : 'other';
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        kind = target.isFile() ? 'file' : target.isDirectory() ? 'folder' : 'other';
      } catch (error) {
        yield { path, problem: problemOf(error, 'link') };
        continue;
      }
    }
    if (kind === 'file') yield { path };
    if (kind !== 'folder') continue;
    const real = await realpath(path);
    if (seen.has(real)) continue;
    seen.add(real);
    yield* walk(path, seen);
  }
}

function unreadableObject(found: Found & { problem: string }): LogObject {
  return {
    key: found.path,
    size: -1,
    version: '',
    open: async () => {
      throw new Error(found.problem);
    },
  };
}

/**
 * A file or a directory tree of CloudTrail logs on disk. Keys are absolute paths, so that the
 * store can hold several sources and a query can keep to one of them by prefix.
 */
export function localSource(given: string): LogSource {
  const path = resolve(given);
  return {
    origin: path,
    async *list() {
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UserInputError(
          `--cloudtrail ${given}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot be read (${code ?? 'unknown error'})`}; give a CloudTrail log file, a folder of them, or s3://BUCKET/PREFIX`,
        );
      }
      const files = info.isDirectory() ? walk(path, new Set([await realpath(path)])) : single(path);
      for await (const found of files) {
        const { path: file, problem } = found;
        if (problem !== undefined) {
          yield unreadableObject({ path: file, problem });
          continue;
        }
        if (info.isDirectory() && !isEventLogKey(relative(path, file))) continue;
        const fileInfo = await stat(file);
        yield {
          key: file,
          size: fileInfo.size,
          version: String(Math.trunc(fileInfo.mtimeMs)),
          localPath: file,
          open: async () => createReadStream(file),
        };
      }
    },
  };
}

async function* single(path: string): AsyncGenerator<Found> {
  yield { path };
}

/**
 * Reads an object to text, gunzipping when the bytes say gzip (names lie: exports drop `.gz`,
 * some tools add it). Stream-decompressed, so only the decompressed text of one file is held.
 */
export async function readLogText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done === true) return '';
  const head = first.value;
  const gzipped = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzipped) {
    chunks.push(head);
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) chunks.push(next.value);
    return decodeText(Buffer.concat(chunks));
  }
  const gunzip = createGunzip();
  const done = (async () => {
    for await (const chunk of gunzip) chunks.push(chunk as Buffer);
  })();
  // Observed below; this only keeps an early rejection from counting as unhandled meanwhile.
  done.catch(() => undefined);
  const write = (chunk: Buffer): Promise<void> =>
    new Promise((resolve, reject) => gunzip.write(chunk, (error) => (error ? reject(error) : resolve())));
  try {
    await write(head);
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) await write(next.value);
    gunzip.end();
    await done;
  } catch (error) {
    gunzip.destroy();
    throw error;
  }
  return decodeText(Buffer.concat(chunks));
}
