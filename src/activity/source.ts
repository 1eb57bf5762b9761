import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { UserInputError } from '../errors.js';
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

async function* walk(directory: string): AsyncGenerator<string> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
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
      } catch {
        throw new UserInputError(
          `--cloudtrail ${given}: no such file or directory; give a CloudTrail log file, a folder of them, or s3://BUCKET/PREFIX`,
        );
      }
      const files = info.isDirectory() ? walk(path) : single(path);
      for await (const file of files) {
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

async function* single(path: string): AsyncGenerator<string> {
  yield path;
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
    return Buffer.concat(chunks).toString('utf8');
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
  return Buffer.concat(chunks).toString('utf8');
}
