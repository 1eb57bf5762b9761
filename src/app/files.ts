/** Reading the user's input files: one clear line naming the file when one cannot be used. */
import { existsSync, readFileSync } from 'node:fs';
import { parseExceptions, type ExceptionEntry } from '../assess/exceptions.js';
import type { RoleshiftConfig } from '../config.js';
import { InputFileError } from '../errors.js';
import { decodeInputBytes, parseJsonInput } from '../input-text.js';
import { SnapshotSchema, type Snapshot } from '../model/snapshot.js';

/** The text of an input file; `what` names what a folder given in its place should have been. */
export function readTextFile(file: string, what = 'file'): string {
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
          ? `is a folder, not a ${what}`
          : `cannot read (${code ?? 'unknown error'})`,
    );
  }
  // BOM and UTF-16 read like the AWS CLI's files; bytes that are not text are refused, never guessed.
  return decodeInputBytes(bytes, file);
}

/** Reads and validates a snapshot file; every problem is one line naming the file. */
export function readSnapshotFile(file: string): Snapshot {
  // An error gives a position, never the content: the file may not be a snapshot at all.
  const raw = parseJsonInput(readTextFile(file, 'snapshot file'), file);
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

/** The register named by --exceptions (must exist), else the configured file when it exists; null when none. */
export function readExceptionsRegister(option: string | undefined, config: RoleshiftConfig): ExceptionEntry[] | null {
  if (option !== undefined) return parseExceptions(readTextFile(option), option);
  if (!existsSync(config.exceptionsFile)) return null;
  return parseExceptions(readTextFile(config.exceptionsFile), config.exceptionsFile);
}
