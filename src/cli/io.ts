import { isWriteError, OutputError } from '../errors.js';
import { warningText, terminalOutput } from '../safe-text.js';

/**
 * Terminal output shared by every command: data goes to stdout, logs to stderr, colour only
 * when allowed (NO_COLOR, --no-color, not a TTY). Every line passes the one sanitizer's last
 * check (`terminalOutput`): no control character from AWS data reaches the terminal, whichever
 * path printed it; JSON keeps its values.
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
  /**
   * Waits until everything written to stdout has been taken by the OS; throws an OutputError
   * (exit 2) when a write failed (a full disk, a closed pipe). Write errors arrive after the
   * write call returns, so a command that must say what it did before the failure awaits this.
   */
  settle?(): Promise<void>;
}

export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  color?: boolean;
  store?: string;
  snapshot?: string;
}

type Stream = Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'writableLength'>;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Counts stdout writes in flight and keeps the first failure, which a real stream reports to the
 * write's callback. Errors on stderr are ignored: there is nowhere left to report them, and the
 * exit code still tells.
 */
function trackedStdout(stdout: Stream): { write(text: string): void; settle(): Promise<void> } {
  let pending = 0;
  let failure: NodeJS.ErrnoException | null = null;
  let waiting: Array<() => void> = [];
  const written = (error?: Error | null): void => {
    pending -= 1;
    if (error && failure === null) failure = error;
    for (const resolve of waiting) resolve();
    waiting = [];
  };
  return {
    write(text) {
      pending += 1;
      stdout.write(text, written);
    },
    async settle() {
      while (pending > 0) {
        // Bytes still queued: their callbacks will come. None queued: callbacks come within a
        // turn of the event loop, or never (a stand-in for the stream that ignores them).
        if (stdout.writableLength > 0) await new Promise<void>((resolve) => waiting.push(resolve));
        else {
          await nextTurn();
          if (stdout.writableLength === 0) break;
        }
      }
      if (failure !== null) throw new OutputError('stdout', isWriteError(failure) ? failure.code : 'EIO');
    },
  };
}

export function createIo(options: GlobalOptions, streams: { stdout: Stream; stderr: Stream } = process): Io {
  const isTty = Boolean(streams.stderr.isTTY);
  const color = options.color !== false && !process.env.NO_COLOR && isTty;
  const stdout = trackedStdout(streams.stdout);
  const safe = (text: string): string => terminalOutput(text, { colour: color });
  const stderr = (text: string) => void streams.stderr.write(safe(text), () => undefined);
  return {
    out: (text) => stdout.write(safe(text.endsWith('\n') ? text : `${text}\n`)),
    log: (text) => stderr(`${text}\n`),
    // With --debug a warning may carry a raw AWS answer over several lines (controls still escaped).
    warn: (text) =>
      stderr(`${color ? '\u001b[33mwarning:\u001b[0m' : 'warning:'} ${options.debug ? text : warningText(text)}\n`),
    color,
    json: Boolean(options.json),
    debug: Boolean(options.debug),
    isTty,
    settle: stdout.settle,
  };
}
