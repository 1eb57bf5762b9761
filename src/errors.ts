/**
 * Errors a user can act on. Only the CLI entry point turns these into an exit code; everything
 * below it throws or returns. The message is the one line the user sees.
 */
export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  readonly exitCode = 2;
}

/** An input file that is missing, malformed or not what its name says. Names the file. */
export class InputFileError extends UserInputError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/**
 * Output that could not be written: a full disk, a read-only file system, a closed pipe, no
 * permission. The user's environment, not a bug, so exit 2 with one line, never a stack trace.
 */
export class OutputError extends UserInputError {
  constructor(
    readonly target: string,
    readonly code: string,
    note = '',
  ) {
    super(`cannot write ${target}: ${describeWriteError(code)}${note === '' ? '' : `; ${note}`}`);
  }

  /** The same failure with what did succeed before it, e.g. that the scan was saved. */
  withNote(note: string): OutputError {
    return new OutputError(this.target, this.code, note);
  }
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EPIPE: 'the reader closed the pipe before the output was complete',
  EFBIG: 'the file is larger than the system allows (ulimit -f?)',
  EIO: 'an input/output error from the device',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'the folder does not exist',
  ENAMETOOLONG: 'the name is too long',
  ERR_STREAM_DESTROYED: 'the output was closed before everything was written',
};

export function describeWriteError(code: string): string {
  const meaning = WRITE_ERRORS[code];
  return meaning === undefined ? code : `${meaning} (${code})`;
}

/** True for a Node error whose code says the environment refused a write (see OutputError). */
export function isWriteError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in WRITE_ERRORS;
}

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  gaps: 3,
  internal: 4,
} as const;
