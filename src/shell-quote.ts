/**
 * POSIX shell quoting for every command roleshift prints for a user to copy (export scripts, plan
 * steps, CHANGES.md, the report's copy buttons): a value from AWS is hostile, so it is always one
 * single-quoted word, whatever it contains.
 */

/** Single-quoted for sh: the only character to escape is the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
