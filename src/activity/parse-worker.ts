/**
 * A worker thread of `ParseWorkers`: reads the files it is sent, writes their lines to the work
 * file named, and answers with the counts, in the order asked.
 */
import { parentPort } from 'node:worker_threads';
import { writeChunkLines } from './file-lines.js';

export interface ParseRequest {
  id: number;
  keys: string[];
  /** The number of the first key's file in its lines (`eventLine`); the others follow. */
  firstNumber: number;
  out: string;
}

parentPort?.on('message', (request: ParseRequest) => {
  parentPort?.postMessage({ id: request.id, chunk: writeChunkLines(request.keys, request.firstNumber, request.out) });
});
