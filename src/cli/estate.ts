import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputFileError, UserInputError } from '../errors.js';
import { decodeInputBytes, parseJsonInput } from '../input-text.js';
import { SnapshotSchema, type Snapshot } from '../model/snapshot.js';
import { DEFAULT_STORE_PATH, openStore } from '../store/store.js';
import type { CommandContext } from './command.js';

/** The store a command uses: `--store FILE`, else `./.roleshift/roleshift.duckdb`. */
export function storePathOf(option: string | undefined): string {
  return resolve(option ?? DEFAULT_STORE_PATH);
}

/** Adds `--snapshot FILE` and `--store FILE` to a command that reads an estate. */
export function withEstateOptions(command: Command): Command {
  return command
    .option('--snapshot <file>', 'read this snapshot file instead of the latest scan in the store')
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`);
}

/** Reads and validates a snapshot file; every problem is one line naming the file. */
export function readSnapshotFile(file: string): Snapshot {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(
      file,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a snapshot file'
          : `cannot read (${code ?? 'unknown error'})`,
    );
  }
  // BOM and UTF-16 read like the AWS CLI's files; an error gives a position, never the content.
  const raw = parseJsonInput(decodeInputBytes(bytes, file), file);
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new InputFileError(
      file,
      `not a roleshift snapshot${where}: ${issue?.message ?? 'invalid'} (write one with roleshift scan -o FILE)`,
    );
  }
  return parsed.data;
}

/**
 * The estate a command works on: `--snapshot FILE` when given, else the latest scan in the store.
 * A missing store is not created here: reading commands must leave no trace.
 */
export async function loadEstate(
  ctx: CommandContext,
  options: { snapshot?: string; store?: string },
): Promise<Snapshot> {
  if (options.snapshot !== undefined) {
    ctx.io.log(`reading snapshot ${options.snapshot}`);
    return readSnapshotFile(options.snapshot);
  }
  const path = storePathOf(options.store);
  const none = new UserInputError(`no scan yet in ${path}: run roleshift scan first (or pass --snapshot FILE)`);
  if (!existsSync(path)) throw none;
  const store = await openStore(path);
  try {
    const latest = await store.latestScan();
    if (latest === null) throw none;
    ctx.io.log(`using scan ${latest.scanId} from ${path}`);
    return latest.snapshot;
  } finally {
    store.close();
  }
}
