import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChunkLines } from './file-lines.js';
import type { ParseRequest } from './parse-worker.js';

interface Pending {
  resolve: (chunk: ChunkLines) => void;
  reject: (error: Error) => void;
}

/**
 * A new worker running the script beside this module. Run from the TypeScript sources (tests,
 * benchmarks) that is the `.ts` file, which the worker loads after registering tsx, as its
 * parent did: a worker does not inherit its parent's module hooks.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url));
  const script = JSON.stringify(new URL('./parse-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${script}); });`, {
    eval: true,
  });
}

/**
 * Worker threads, one per core, that gunzip, parse and flatten small log files in parallel
 * (`writeChunkLines`), so that DuckDB reads a few large files of lines instead of opening
 * thousands of small ones: its reader costs about 0.2 ms per file (bench/README.md). A worker that fails
 * fails every request in flight: that is an error of roleshift, never an odd file.
 */
export class ParseWorkers {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: Array<() => void> = [];
  private nextId = 0;
  private failure: Error | null = null;

  constructor(readonly count = availableParallelism()) {
    for (let index = 0; index < count; index += 1) {
      const worker = startWorker();
      worker.on('message', (answer: { id: number; chunk: ChunkLines }) => this.answered(worker, answer));
      worker.on('error', (error) => this.fail(error));
      // Exiting without an error (terminated, or process.exit in the worker) would leave its requests unanswered.
      worker.on('exit', (code) => {
        if (this.pending.size > 0) this.fail(new Error(`it stopped with files still being read (exit code ${code})`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Reads `keys` on the next idle worker, which writes their lines to `out` (`writeChunkLines`). */
  async read(keys: string[], firstNumber: number, out: string): Promise<ChunkLines> {
    const worker = await this.idleWorker();
    const id = this.nextId++;
    return new Promise<ChunkLines>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, keys, firstNumber, out } satisfies ParseRequest);
    });
  }

  /** Every worker, busy ones too: a run stopped by an error still has requests in flight. */
  async close(): Promise<void> {
    this.idle.length = 0;
    await Promise.all(this.workers.splice(0).map((worker) => worker.terminate()));
  }

  private async idleWorker(): Promise<Worker> {
    for (;;) {
      if (this.failure !== null) throw this.failure;
      const worker = this.idle.pop();
      if (worker !== undefined) return worker;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private answered(worker: Worker, answer: { id: number; chunk: ChunkLines }): void {
    const pending = this.pending.get(answer.id);
    this.pending.delete(answer.id);
    this.idle.push(worker);
    this.waiting.shift()?.();
    pending?.resolve(answer.chunk);
  }

  private fail(error: Error): void {
    this.failure = new Error(`a CloudTrail parsing worker failed: ${error.message}`);
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }
}
