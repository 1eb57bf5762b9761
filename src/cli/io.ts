/**
 * Terminal output shared by every command: data goes to stdout, logs to stderr, colour only
 * when allowed (NO_COLOR, --no-color, not a TTY).
 */
export interface Io {
  /** Machine or human data: the command's result. */
  out(text: string): void;
  /** Progress and notes for people; always stderr so `--json` stdout stays parseable. */
  log(text: string): void;
  warn(text: string): void;
  color: boolean;
  json: boolean;
  debug: boolean;
  isTty: boolean;
}

export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  color?: boolean;
  store?: string;
  snapshot?: string;
}

export function createIo(options: GlobalOptions, streams = { stdout: process.stdout, stderr: process.stderr }): Io {
  const isTty = Boolean(streams.stderr.isTTY);
  const color = options.color !== false && !process.env.NO_COLOR && isTty;
  return {
    out: (text) => streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    log: (text) => streams.stderr.write(`${text}\n`),
    warn: (text) => streams.stderr.write(`${color ? '\u001b[33mwarning:\u001b[0m' : 'warning:'} ${text}\n`),
    color,
    json: Boolean(options.json),
    debug: Boolean(options.debug),
    isTty,
  };
}
