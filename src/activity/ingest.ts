import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTEGER, listValue, LIST, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { runPool } from '../pool.js';
import type { UnreadableFile } from '../model/usage.js';
import { EVENT_LINE_COLUMNS, lineColumns, lineFileJoin } from './event-line.js';
import { linesOf, type ChunkLines, type FileLines, type FileOutcome } from './file-lines.js';
import {
  appendFileRows,
  ingestNatively,
  isFileProblem,
  nativelyReadable,
  type FileRow,
  type NativeFileCount,
} from './native.js';
import { ParseWorkers } from './parse-workers.js';
import { keyInWindow, parseLogText } from './parse.js';
import { readLogText, type LogObject, type LogSource } from './source.js';
import { ensureActivityTables } from './tables.js';

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
  /**
   * Worker threads that read local files of at most `workerFileBytes` (0: none). DuckDB's reader
   * costs about 0.2 ms per file whatever its size, so an organization trail's small files are
   * gunzipped, parsed and flattened on workers, one per core, and DuckDB reads their lines as
   * one large file per batch; larger files stay with DuckDB's reader, faster per byte
   * (bench/README.md).
   */
  parseWorkers?: number;
  workerFileBytes?: number;
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
/** 16 MB put only 40 files of a large-file trail in a statement, and ingestion took half again as long (bench/README.md). */
const DEFAULT_NATIVE_BATCH_BYTES = 64 * 1024 * 1024;
const DEFAULT_WORKER_FILE_BYTES = 64 * 1024;
/** Files sent to one worker at once: few messages, and every worker busy. */
const WORKER_CHUNK_FILES = 64;
/** Small files read on the workers while the previous batch's lines go to DuckDB. */
const WORKER_BATCH_FILES = 2_048;

async function knownFiles(connection: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await connection.runAndReadAll('SELECT file_key, size, version FROM ct_files');
  const known = new Map<string, string>();
  for (const row of reader.getRowObjectsJS())
    known.set(String(row.file_key), `${String(row.size)}|${String(row.version)}`);
  return known;
}

/** Reads one file, number `number` in its lines, with the JavaScript parser; a file it cannot read is named, with the problem. */
async function readWithJavaScript(object: LogObject, number: number): Promise<FileLines> {
  try {
    return linesOf(object.key, number, parseLogText(await readLogText(await object.open())));
  } catch (error) {
    return { key: object.key, problem: (error as Error).message };
  }
}

/** A file whose lines wait to be written, with the number its lines name it by (`eventLine`). */
type NumberedFile = FileRow & { number: number };

/**
 * Rows parsed in JavaScript, waiting to be written: events as JSON lines in work files that
 * DuckDB reads (the workers write their own; the JavaScript path's are kept in memory until
 * then), and each file's `ct_files` row, committed together.
 */
class JavaScriptRows {
  private files: NumberedFile[] = [];
  private numbered = 0;
  /** Events in the work files and blocks waiting to be inserted. */
  private lineEvents = 0;
  private blocks: string[] = [];
  private chunkFiles: string[] = [];
  private rows = 0;
  private chunks = 0;
  private readonly work = mkdtempSync(join(tmpdir(), 'roleshift-ingest-'));

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly batchRows: number,
  ) {}

  /** The first of `count` new file numbers, for the lines of the files about to be read. */
  reserveNumbers(count: number): number {
    const first = this.numbered;
    this.numbered += count;
    return first;
  }

  /** A work file for a worker to write a chunk's lines to. */
  chunkPath(): string {
    this.chunks += 1;
    return join(this.work, `chunk-${this.chunks}.jsonl`);
  }

  /** Lines a worker wrote (`events` of them), for the files added after it. */
  addChunkFile(path: string, events: number): void {
    this.chunkFiles.push(path);
    this.lineEvents += events;
  }

  /** A file read: its events as `eventLine`s (each ending in a newline), or '' when they are in a chunk file. */
  add(object: LogObject, number: number, records: number, badRecords: number, lines = ''): void {
    if (lines !== '') {
      this.blocks.push(lines);
      this.lineEvents += records;
    }
    this.rows += records;
    this.files.push({ key: object.key, size: object.size, version: object.version, records, badRecords, number });
  }

  /**
   * Commits once a batch is full. Called between whole work files only: a commit while some of a
   * work file's files were still to be added would join its lines to too few keys.
   */
  async commitIfFull(): Promise<void> {
    if (this.rows >= this.batchRows) await this.commit();
  }

  async commit(): Promise<void> {
    const { files, blocks, chunkFiles, lineEvents } = this;
    this.files = [];
    this.blocks = [];
    this.chunkFiles = [];
    this.rows = 0;
    this.lineEvents = 0;
    if (blocks.length > 0) {
      const batchFile = join(this.work, 'batch.jsonl');
      writeFileSync(batchFile, blocks.join(''));
      chunkFiles.push(batchFile);
    }
    if (chunkFiles.length > 0) {
      await this.insertLines(chunkFiles, files, lineEvents);
      for (const file of chunkFiles) rmSync(file, { force: true });
    }
    if (files.length > 0) await appendFileRows(this.connection, files);
  }

  /**
   * Inserts the `lineEvents` lines of `chunkFiles`, their file numbers joined back to the keys of
   * `files`. A line whose number matched no file would be an event lost: the counts must agree.
   */
  private async insertLines(
    chunkFiles: readonly string[],
    files: readonly NumberedFile[],
    lineEvents: number,
  ): Promise<void> {
    const inserted = await this.connection.run(
      `INSERT INTO ct_events SELECT ${lineColumns('line', 'file')}
       FROM read_json($1, format = 'newline_delimited', columns = ${EVENT_LINE_COLUMNS}) AS line
       JOIN (SELECT unnest($2) AS n, unnest($3) AS file_key) AS file ON ${lineFileJoin('line', 'file')}`,
      [listValue(chunkFiles), listValue(files.map((file) => file.number)), listValue(files.map((file) => file.key))],
      [LIST(VARCHAR), LIST(INTEGER), LIST(VARCHAR)],
    );
    const read = files.reduce((sum, file) => sum + file.records, 0);
    if (inserted.rowsChanged !== read || lineEvents !== read)
      throw new Error(
        `${inserted.rowsChanged} of ${lineEvents} events written for ${read} read: the work files and the files read disagree`,
      );
  }

  dispose(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** Files read on a worker: their lines name them from `firstNumber` on. */
interface WorkerChunk {
  objects: LogObject[];
  firstNumber: number;
  chunk: ChunkLines;
}

type IngestSettings = Required<
  Pick<IngestOptions, 'concurrency' | 'nativeBatchFiles' | 'nativeBatchBytes' | 'parseWorkers' | 'workerFileBytes'>
> &
  IngestOptions;

/** One ingestion run: what it has read so far, and where each file goes. */
class Ingestion {
  readonly result: IngestResult;
  readonly rows: JavaScriptRows;
  private jsPending: LogObject[] = [];
  private nativePending: LogObject[] = [];
  private nativeBytes = 0;
  private workerPending: LogObject[] = [];
  private workers: ParseWorkers | null = null;
  /** The batch the workers are reading while the one before it is written. */
  private onWorkers: Promise<WorkerChunk[]> | null = null;

  constructor(
    readonly connection: DuckDBConnection,
    origin: string,
    readonly options: IngestSettings,
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

  /**
   * A file to read: small local files go to the worker threads, other local delivered logs to
   * DuckDB's reader, everything else (S3 objects, odd paths) to the JavaScript parser.
   */
  async add(object: LogObject): Promise<void> {
    const local = object.localPath === object.key;
    if (local && this.options.parseWorkers > 0 && object.size <= this.options.workerFileBytes) {
      this.workerPending.push(object);
      if (this.workerPending.length >= WORKER_BATCH_FILES) await this.flushWorkers();
      return;
    }
    const native = this.options.nativeBatchFiles > 0 && local && nativelyReadable(object.key);
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
    await this.flushWorkers();
    await this.flushWorkers();
    await this.flushNative();
    await this.flushJavaScript();
    await this.rows.commit();
    this.result.unreadable.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  async close(): Promise<void> {
    // A batch still on the workers when an error stopped the run: its outcome no longer matters.
    this.onWorkers?.catch(() => undefined);
    await this.workers?.close();
    this.rows.dispose();
  }

  /** Parses the waiting files concurrently (one pool), then accepts them in order so batches stay whole. */
  async flushJavaScript(objects: readonly LogObject[] = this.takeJavaScript()): Promise<void> {
    const first = this.rows.reserveNumbers(objects.length);
    const parsed = await runPool(objects, this.options.concurrency, (object, index) =>
      readWithJavaScript(object, first + index),
    );
    for (const [index, entry] of parsed.entries()) {
      if (!entry.ok) throw entry.error;
      this.accept(entry.item, first + index, entry.value);
      await this.rows.commitIfFull();
    }
  }

  private takeJavaScript(): LogObject[] {
    const objects = this.jsPending;
    this.jsPending = [];
    return objects;
  }

  /**
   * Sends the waiting small files to the workers, then writes the batch sent before (so DuckDB
   * inserts one batch while the workers read the next). Called twice at the end: the second
   * call writes the last batch.
   */
  private async flushWorkers(): Promise<void> {
    const batch = this.workerPending;
    this.workerPending = [];
    const previous = this.onWorkers;
    this.onWorkers = batch.length > 0 ? this.readOnWorkers(batch) : null;
    // Observed when its turn comes; this only keeps an early failure from counting as unhandled.
    this.onWorkers?.catch(() => undefined);
    if (previous === null) return;
    for (const { objects, firstNumber, chunk } of await previous) {
      if (chunk.file !== null) this.rows.addChunkFile(chunk.file, chunk.events);
      for (const [index, outcome] of chunk.outcomes.entries())
        this.accept(objects[index] as LogObject, firstNumber + index, outcome);
      await this.rows.commitIfFull();
    }
  }

  private readOnWorkers(objects: LogObject[]): Promise<WorkerChunk[]> {
    this.workers ??= new ParseWorkers(this.options.parseWorkers);
    const workers = this.workers;
    const chunks: LogObject[][] = [];
    for (let start = 0; start < objects.length; start += WORKER_CHUNK_FILES)
      chunks.push(objects.slice(start, start + WORKER_CHUNK_FILES));
    return Promise.all(
      chunks.map(async (chunk) => {
        const firstNumber = this.rows.reserveNumbers(chunk.length);
        const keys = chunk.map((object) => object.key);
        return { objects: chunk, firstNumber, chunk: await workers.read(keys, firstNumber, this.rows.chunkPath()) };
      }),
    );
  }

  private accept(object: LogObject, number: number, read: FileLines | FileOutcome): void {
    if ('problem' in read) {
      this.result.unreadable.push({ file: read.key, problem: read.problem });
      this.options.log?.(`cloudtrail: cannot read ${read.key}: ${read.problem}`);
      return;
    }
    this.result.filesRead += 1;
    this.result.records += read.records;
    this.result.badRecords += read.badRecords;
    this.rows.add(object, number, read.records, read.badRecords, 'lines' in read ? read.lines : '');
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
    parseWorkers: Math.max(0, options.parseWorkers ?? availableParallelism()),
    workerFileBytes: Math.max(0, options.workerFileBytes ?? DEFAULT_WORKER_FILE_BYTES),
  });
  // Row order in ct_events means nothing (every query groups), and keeping it makes DuckDB
  // insert on one thread: about a quarter slower (bench/README.md).
  await connection.run('SET preserve_insertion_order = false');
  try {
    for await (const object of source.list()) if (await shouldRead(run, known, object)) await run.add(object);
    await run.finish();
  } finally {
    await run.close();
    await connection.run('RESET preserve_insertion_order');
  }
  return run.result;
}
