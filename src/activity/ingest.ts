import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runPool } from '../pool.js';
import type { UnreadableFile } from '../model/usage.js';
import type { FlatEvent } from './event.js';
import { ingestNatively, isFileProblem, nativelyReadable, type NativeFileCount } from './native.js';
import { keyInWindow, parseLogText, type ParsedLog } from './parse.js';
import { sqlString } from './queries.js';
import { readLogText, type LogObject, type LogSource } from './source.js';
import { EVENT_COLUMNS, ensureActivityTables } from './tables.js';

export interface IngestOptions {
  since?: Date | null;
  until?: Date | null;
  /** Files decompressed and parsed at once by the JavaScript path; decompression runs on libuv's pool. */
  concurrency?: number;
  /** Rows appended before the batch and its file rows are committed together. */
  batchRows?: number;
  /**
   * Local files handed to DuckDB's own reader in one statement, at most (0: parse everything in
   * JavaScript). A statement has a fixed cost (thread start-up, a commit), so an organization
   * trail's thousands of small files go in few statements (bench/README.md); a batch that fails
   * is halved until the odd file is alone.
   */
  nativeBatchFiles?: number;
  /** ... and at most this many compressed bytes, which bounds the memory one statement takes. */
  nativeBatchBytes?: number;
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

const DEFAULT_NATIVE_BATCH_FILES = 2_048;
const DEFAULT_NATIVE_BATCH_BYTES = 16 * 1024 * 1024;

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
  });
}

const BATCH_COLUMNS = `{${EVENT_COLUMNS.map((column) => `${column}: '${column === 'mfa_used' || column === 'login_succeeded' ? 'BOOLEAN' : column === 'resources' ? 'VARCHAR[]' : 'VARCHAR'}'`).join(', ')}}`;

async function knownFiles(connection: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await connection.runAndReadAll('SELECT file_key, size, version FROM ct_files');
  const known = new Map<string, string>();
  for (const row of reader.getRowObjectsJS())
    known.set(String(row.file_key), `${String(row.size)}|${String(row.version)}`);
  return known;
}

/** Reads one file with the JavaScript parser; a file it cannot read is named, with the problem. */
async function parseWithJavaScript(object: LogObject): Promise<ParsedLog | UnreadableFile> {
  try {
    return parseLogText(await readLogText(await object.open()));
  } catch (error) {
    return { file: object.key, problem: (error as Error).message };
  }
}

/**
 * Rows parsed in JavaScript, waiting to be written: events as JSON lines in a work file that
 * DuckDB reads, and each file's `ct_files` row, committed together.
 */
class JavaScriptRows {
  private files: FileRow[] = [];
  private lines: string[] = [];
  private readonly work = mkdtempSync(join(tmpdir(), 'roleshift-ingest-'));

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly batchRows: number,
  ) {}

  async add(object: LogObject, parsed: ParsedLog): Promise<void> {
    for (const event of parsed.events) this.lines.push(eventLine(object.key, event));
    this.files.push({
      key: object.key,
      size: object.size,
      version: object.version,
      records: parsed.events.length,
      badRecords: parsed.badRecords,
    });
    if (this.lines.length >= this.batchRows) await this.commit();
  }

  async commit(): Promise<void> {
    const { files, lines } = this;
    this.files = [];
    this.lines = [];
    if (lines.length > 0) {
      const batchFile = join(this.work, 'batch.jsonl');
      writeFileSync(batchFile, `${lines.join('\n')}\n`);
      await this.connection.run(
        `INSERT INTO ct_events SELECT ${EVENT_COLUMNS.join(', ')} FROM read_json(${sqlString(batchFile)}, format = 'newline_delimited', columns = ${BATCH_COLUMNS})`,
      );
    }
    for (const file of files) {
      await this.connection.run('INSERT OR REPLACE INTO ct_files VALUES ($1, $2, $3, $4, $5, NULL)', [
        file.key,
        file.size,
        file.version,
        file.records,
        file.badRecords,
      ]);
    }
  }

  dispose(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** One ingestion run: what it has read so far, and where each file goes. */
class Ingestion {
  readonly result: IngestResult;
  readonly rows: JavaScriptRows;
  private jsPending: LogObject[] = [];
  private nativePending: LogObject[] = [];
  private nativeBytes = 0;

  constructor(
    readonly connection: DuckDBConnection,
    origin: string,
    readonly options: Required<Pick<IngestOptions, 'concurrency' | 'nativeBatchFiles' | 'nativeBatchBytes'>> &
      IngestOptions,
  ) {
    this.result = {
      origin,
      filesRead: 0,
      filesSkipped: 0,
      filesPruned: 0,
      unreadable: [],
      records: 0,
      badRecords: 0,
      filesReadNatively: 0,
    };
    this.rows = new JavaScriptRows(connection, options.batchRows ?? 100_000);
  }

  /** A file to read: local delivered logs go to DuckDB's reader, everything else to the JavaScript parser. */
  async add(object: LogObject): Promise<void> {
    const native = this.options.nativeBatchFiles > 0 && object.localPath === object.key && nativelyReadable(object.key);
    if (!native) {
      this.jsPending.push(object);
      if (this.jsPending.length >= this.options.concurrency * 4) await this.flushJavaScript();
      return;
    }
    this.nativePending.push(object);
    this.nativeBytes += object.size;
    if (this.nativePending.length >= this.options.nativeBatchFiles || this.nativeBytes >= this.options.nativeBatchBytes)
      await this.flushNative();
  }

  async finish(): Promise<void> {
    await this.flushNative();
    await this.flushJavaScript();
    await this.rows.commit();
    this.result.unreadable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /** Parses the waiting files concurrently (one pool), then accepts them in order so batches stay whole. */
  async flushJavaScript(objects: readonly LogObject[] = this.takeJavaScript()): Promise<void> {
    const parsed = await runPool(objects, this.options.concurrency, parseWithJavaScript);
    for (const entry of parsed) {
      if (entry.ok) await this.accept(entry.item, entry.value);
      else throw entry.error;
    }
  }

  private takeJavaScript(): LogObject[] {
    const objects = this.jsPending;
    this.jsPending = [];
    return objects;
  }

  private async accept(object: LogObject, parsed: ParsedLog | UnreadableFile): Promise<void> {
    if ('problem' in parsed) {
      this.result.unreadable.push(parsed);
      this.options.log?.(`cloudtrail: cannot read ${parsed.file}: ${parsed.problem}`);
      return;
    }
    this.result.filesRead += 1;
    this.result.records += parsed.events.length;
    this.result.badRecords += parsed.badRecords;
    await this.rows.add(object, parsed);
  }

  private async flushNative(): Promise<void> {
    const batch = this.nativePending;
    this.nativePending = [];
    this.nativeBytes = 0;
    if (batch.length > 0) await this.ingestNativeBatch(batch);
  }

  /**
   * A failed native read says only that some file in the batch is unusual (truncated, another
   * shape, a field of another type), so the batch is halved until the file is alone, and that
   * file goes through the JavaScript parser, which names the problem or reads the other shape.
   * Any other failure is an error of its own, never taken for an odd file.
   */
  private async ingestNativeBatch(objects: readonly LogObject[]): Promise<void> {
    let counts: NativeFileCount[];
    try {
      counts = await ingestNatively(this.connection, objects);
    } catch (error) {
      if (!isFileProblem(error, objects)) throw error;
      if (objects.length === 1) return this.flushJavaScript(objects);
      const half = Math.ceil(objects.length / 2);
      await this.ingestNativeBatch(objects.slice(0, half));
      await this.ingestNativeBatch(objects.slice(half));
      return;
    }
    const byKey = new Map(counts.map((count) => [count.fileKey, count]));
    // Absent: no non-empty "Records" array (a bare array, JSON lines, an empty log).
    const otherShapes = objects.filter((object) => !byKey.has(object.key));
    for (const count of counts) this.countNative(count);
    await this.flushJavaScript(otherShapes);
  }

  private countNative(count: NativeFileCount): void {
    this.result.filesRead += 1;
    this.result.filesReadNatively += 1;
    this.result.records += count.records;
    this.result.badRecords += count.badRecords;
  }
}

/** Whether a listed file is read this run: inside the window, and new or changed since it was ingested. */
async function shouldRead(run: Ingestion, known: ReadonlyMap<string, string>, object: LogObject): Promise<boolean> {
  if (!keyInWindow(object.key, run.options.since ?? null, run.options.until ?? null)) {
    run.result.filesPruned += 1;
    return false;
  }
  const previous = known.get(object.key);
  if (previous === `${object.size}|${object.version}`) {
    run.result.filesSkipped += 1;
    return false;
  }
  if (previous !== undefined) {
    // A changed file: its old rows go first.
    await run.connection.run('DELETE FROM ct_events WHERE file_key = $1', [object.key]);
    await run.connection.run('DELETE FROM ct_files WHERE file_key = $1', [object.key]);
  }
  return true;
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
  const run = new Ingestion(connection, source.origin, {
    ...options,
    concurrency: Math.max(1, options.concurrency ?? 4),
    nativeBatchFiles: Math.max(0, options.nativeBatchFiles ?? DEFAULT_NATIVE_BATCH_FILES),
    nativeBatchBytes: Math.max(1, options.nativeBatchBytes ?? DEFAULT_NATIVE_BATCH_BYTES),
  });
  // Row order in ct_events means nothing (every query groups), and keeping it makes DuckDB
  // insert on one thread: about a quarter slower (bench/README.md).
  await connection.run('SET preserve_insertion_order = false');
  try {
    for await (const object of source.list()) if (await shouldRead(run, known, object)) await run.add(object);
    await run.finish();
  } finally {
    run.rows.dispose();
    await connection.run('RESET preserve_insertion_order');
  }
  return run.result;
}
