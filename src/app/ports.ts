/**
 * What a use-case is given to talk to the world besides its request: notes for people, a file
 * writer, and (where it asks one) a yes/no question. The CLI passes its terminal and
 * `writeFileAtomic`; a test passes arrays.
 */

/** Notes for people while a job runs; the CLI sends them to stderr so machine output stays clean. */
export interface Notes {
  log(line: string): void;
  warn(line: string): void;
}

/**
 * Writes one whole file (the CLI writes atomically: never a half-written output). Content may come
 * in pieces, so a 1,000-account snapshot is never held as one string.
 */
export type WriteFile = (path: string, content: string | Iterable<string>) => void;
