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

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  gaps: 3,
  internal: 4,
} as const;
