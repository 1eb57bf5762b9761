import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { UnreadableFile } from '../model/usage.js';
import type { FlatEvent } from './event.js';
import { keyInWindow, parseLogText, type ParsedLog } from './parse.js';
import { ingestNatively, nativelyReadable, type NativeFileCount } from './native.js';
import { readLogText, type LogObject, type LogSource } from './source.js';
import { sqlString } from './queries.js';
import { EVENT_COLUMNS, ensureActivityTables } from './tables.js';

export interface IngestOptions {
  since?: Date | null;
  until?: Date | null;
  /** Files decompressed and parsed at once; decompression runs on libuv's thread pool. */
  concurrency?: number;
  /** Rows appended before the batch and its file rows are committed together. */
  batchRows?: number;
  /**
   * Local files handed to DuckDB's own reader at once (0: parse everything in JavaScript). Big
   * batches keep both cores busy (32 files per statement took half again as long at 1 GB); a
   * batch that fails is halved until the odd file is alone.
   */
  nativeBatchFiles?: number;
  log?: (line: string) => void;
}

export interface IngestResult {
  origin: string;
  filesRead: number;
  filesSkipped: number;
  /** Files outside --since/--until by the date in their key: not even opened. */
  filesPruned: number;
  unreadable: UnreadableFile[];
  records: number;
  badRecords: number;
  /** Of `filesRead`, those DuckDB read itself (the rest went through the JavaScript parser). */
  filesReadNatively: number;
}

interface FileRow {
  key: string;
  size: number;
  version: string;
  records: number;
  badRecords: number;
}

/**
 * One flattened event as a JSON line. Rows go to DuckDB through `read_json` on a batch file:
 * DuckDB parses it natively on all cores, which is several times faster than appending value
 * by value through the Node binding (measured: bench/README.md).
 */
function eventLine(fileKey: string, event: FlatEvent): string {
  return JSON.stringify({
    file_key: fileKey,
    event_time: event.eventTime,
    event_source: event.eventSource,
    event_name: event.eventName,
    aws_region: event.awsRegion,
    source_ip: event.sourceIp,
    user_agent: event.userAgent,
    error_code: event.errorCode,
    identity_type: event.identityType,
    principal_arn: event.principalArn,
    account_id: event.accountId,
    access_key_id: event.accessKeyId,
    user_name: event.userName,
    session_issuer_arn: event.sessionIssuerArn,
    mfa_used: event.mfaUsed,
    login_succeeded: event.loginSucceeded,
    federation_provider: event.federationProvider,
    federation_subject: event.federationSubject,
    role_arn: event.roleArn,
    resources: event.resources.length === 0 ? null : event.resources,
    request_references: event.requestReferences,
  });
}

const BATCH_COLUMNS = `{${EVENT_COLUMNS.map((column) => `${column}: '${column === 'mfa_used' || column === 'login_succeeded' ? 'BOOLEAN' : column === 'resources' || column === 'request_references' ? 'VARCHAR[]' : 'VARCHAR'}'`).join(', ')}}`;

async function knownFiles(connection: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await connection.runAndReadAll('SELECT file_key, size, version FROM ct_files');
  const known = new Map<string, string>();
  for (const row of reader.getRowObjectsJS())
    known.set(String(row.file_key), `${String(row.size)}|${String(row.version)}`);
  return known;
}

/**
 * Reads new and changed log files into `ct_events`. A file counts as ingested only once its
 * events are committed (events first, then its `ct_files` row, per batch); rows left by an
 * interrupted run are removed on the next one, so a re-run never double-counts.
 * Unreadable files are not recorded, so every run reports them again until they are fixed.
 */
export async function ingestCloudTrail(
  connection: DuckDBConnection,
  source: LogSource,
  options: IngestOptions = {},
): Promise<IngestResult> {
  await ensureActivityTables(connection);
  await connection.run('DELETE FROM ct_events WHERE file_key NOT IN (SELECT file_key FROM ct_files)');
  const known = await knownFiles(connection);
  const since = options.since ?? null;
  const until = options.until ?? null;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const batchRows = options.batchRows ?? 100_000;
  const result: IngestResult = {
    origin: source.origin,
    filesRead: 0,
    filesSkipped: 0,
    filesPruned: 0,
    unreadable: [],
    records: 0,
    badRecords: 0,
    filesReadNatively: 0,
  };

  // Row order in ct_events means nothing (every query groups), and keeping it makes DuckDB
  // insert on one thread: about a quarter slower (bench/README.md).
  await connection.run('SET preserve_insertion_order = false');
  const work = mkdtempSync(join(tmpdir(), 'roleshift-ingest-'));
  const batchFile = join(work, 'batch.jsonl');
  let pendingFiles: FileRow[] = [];
  let pendingLines: string[] = [];

  const commit = async (): Promise<void> => {
    const files = pendingFiles;
    const lines = pendingLines;
    pendingFiles = [];
    pendingLines = [];
    if (lines.length > 0) {
      writeFileSync(batchFile, `${lines.join('\n')}\n`);
      await connection.run(
        `INSERT INTO ct_events SELECT ${EVENT_COLUMNS.join(', ')} FROM read_json(${sqlString(batchFile)}, format = 'newline_delimited', columns = ${BATCH_COLUMNS})`,
      );
    }
    for (const file of files) {
      await connection.run('INSERT OR REPLACE INTO ct_files VALUES ($1, $2, $3, $4, $5, NULL)', [
        file.key,
        file.size,
        file.version,
        file.records,
        file.badRecords,
      ]);
    }
  };

  const accept = async (object: LogObject, parsed: ParsedLog): Promise<void> => {
    for (const event of parsed.events) pendingLines.push(eventLine(object.key, event));
    pendingFiles.push({
      key: object.key,
      size: object.size,
      version: object.version,
      records: parsed.events.length,
      badRecords: parsed.badRecords,
    });
    result.filesRead += 1;
    result.records += parsed.events.length;
    result.badRecords += parsed.badRecords;
    if (pendingLines.length >= batchRows) await commit();
  };

  const read = async (object: LogObject): Promise<ParsedLog | UnreadableFile> => {
    try {
      return parseLogText(await readLogText(await object.open()));
    } catch (error) {
      return { file: object.key, problem: (error as Error).message };
    }
  };

  // Files are read concurrently but accepted one at a time, so batches stay whole; a change in
  // an already-ingested file first removes its old rows.
  let appendChain: Promise<void> = Promise.resolve();
  const settle = async (object: LogObject, parsed: ParsedLog | UnreadableFile): Promise<void> => {
    if ('problem' in parsed) {
      result.unreadable.push(parsed);
      options.log?.(`cloudtrail: cannot read ${parsed.file}: ${parsed.problem}`);
    } else {
      await accept(object, parsed);
    }
  };

  const countNative = (count: NativeFileCount): void => {
    result.filesRead += 1;
    result.filesReadNatively += 1;
    result.records += count.records;
    result.badRecords += count.badRecords;
  };

  /**
   * A failed native read says only that some file in the batch is unusual (truncated, another
   * shape, a field of another type), so the batch is halved until the file is alone, and that
   * file goes through the JavaScript parser, which names the problem or reads the other shape.
   */
  const ingestBatch = async (objects: readonly LogObject[]): Promise<void> => {
    let counts: NativeFileCount[];
    try {
      counts = await ingestNatively(connection, objects);
    } catch {
      const [only] = objects;
      if (objects.length === 1 && only !== undefined) {
        await settle(only, await read(only));
        return;
      }
      const half = Math.ceil(objects.length / 2);
      await ingestBatch(objects.slice(0, half));
      await ingestBatch(objects.slice(half));
      return;
    }
    const byKey = new Map(counts.map((count) => [count.fileKey, count]));
    for (const object of objects) {
      const count = byKey.get(object.key);
      // Absent: no non-empty "Records" array (a bare array, JSON lines, an empty log).
      if (count === undefined) await settle(object, await read(object));
      else countNative(count);
    }
  };

  const nativeBatchFiles = Math.max(0, options.nativeBatchFiles ?? 256);
  let nativePending: LogObject[] = [];
  const flushNative = async (): Promise<void> => {
    const batch = nativePending;
    nativePending = [];
    if (batch.length === 0) return;
    // On the append chain, so DuckDB never sees this and a JavaScript batch at the same time.
    appendChain = appendChain.then(() => ingestBatch(batch));
    await appendChain;
  };

  const inFlight = new Set<Promise<void>>();
  try {
    for await (const object of source.list()) {
      if (!keyInWindow(object.key, since, until)) {
        result.filesPruned += 1;
        continue;
      }
      const previous = known.get(object.key);
      if (previous === `${object.size}|${object.version}`) {
        result.filesSkipped += 1;
        continue;
      }
      if (previous !== undefined) {
        await connection.run('DELETE FROM ct_events WHERE file_key = $1', [object.key]);
        await connection.run('DELETE FROM ct_files WHERE file_key = $1', [object.key]);
      }
      if (nativeBatchFiles > 0 && object.localPath === object.key && nativelyReadable(object.key)) {
        nativePending.push(object);
        if (nativePending.length >= nativeBatchFiles) await flushNative();
        continue;
      }
      const task: Promise<void> = read(object).then((parsed) => {
        appendChain = appendChain.then(() => settle(object, parsed));
        return appendChain;
      });
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task)).catch(() => undefined);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await flushNative();
    await Promise.all(inFlight);
    await appendChain;
    await commit();
  } finally {
    rmSync(work, { recursive: true, force: true });
    await connection.run('RESET preserve_insertion_order');
  }
  result.unreadable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return result;
}
