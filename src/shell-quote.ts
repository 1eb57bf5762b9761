/**
 * POSIX shell quoting for every command roleshift prints for a user to copy (export scripts, plan
 * steps, CHANGES.md, the report's copy buttons): a value from AWS is hostile, so it is always one
 * single-quoted word, whatever it contains. Identifiers a command names (instance ids, ARNs,
 * account ids) are also checked against their pattern: one that does not match is not what it
 * claims to be, and the caller puts a placeholder and a blocker in its place.
 */

/** Single-quoted for sh: the only character to escape is the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Characters sh (and zsh, bash) give no meaning to, when the word does not start with `=`, `-` or `~`. */
const BARE_WORD = /^[A-Za-z0-9_./][A-Za-z0-9_@%+=:,./-]*$/;

/** One shell word: as it is when nothing in it means anything to the shell, else single-quoted. */
export function shellWord(value: string): string {
  return BARE_WORD.test(value) ? value : shellQuote(value);
}

/** What each kind of identifier a printed command names looks like. */
export const IDENTIFIER_PATTERNS = {
  'account id': /^\d{12}$/,
  'EC2 instance id': /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/,
  ARN: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:[A-Za-z0-9_+=,.@/:*-]+$/,
  'EKS cluster name': /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/,
  'Kubernetes name': /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/,
  'Lambda function name':
    /^[A-Za-z0-9_-]{1,64}$|^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$/,
  'IAM name': /^[A-Za-z0-9_+=,.@-]{1,128}$/,
} as const satisfies Record<string, RegExp>;

export type IdentifierKind = keyof typeof IDENTIFIER_PATTERNS;

/** Whether `value` is a well-formed identifier of that kind (and so safe to print in a command). */
export function isIdentifier(kind: IdentifierKind, value: string): boolean {
  return IDENTIFIER_PATTERNS[kind].test(value);
}
