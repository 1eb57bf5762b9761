import type { Io } from './io.js';

/** A formatted duration: 45s, 3m05s, 1h02m. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line: bar, done/total, failures, ETA from the average time per finished item. */
export function progressLine(
  state: { done: number; total: number; failed: number; elapsedSeconds: number; label: string },
  width = 24,
): string {
  const ratio = state.total === 0 ? 1 : state.done / state.total;
  const filled = Math.round(ratio * width);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  const remaining = state.total - state.done;
  const eta =
    state.done === 0 || remaining === 0
      ? ''
      : `, ETA ${formatDuration((state.elapsedSeconds / state.done) * remaining)}`;
  const failed = state.failed > 0 ? `, ${state.failed} failed` : '';
  return `[${bar}] ${state.done}/${state.total} ${state.label}${failed}${eta}`;
}

export interface Progress {
  update(state: { done: number; total: number; failed: number; item?: string }): void;
  finish(): void;
}

/**
 * A redrawn bar on a TTY; one plain line per finished item otherwise (CI logs stay readable);
 * nothing with `quiet`. Always on stderr so `--json` output stays clean.
 */
export function createProgress(io: Io, options: { label: string; quiet: boolean; clock: () => number }): Progress {
  const started = options.clock();
  let drawn = false;
  const elapsed = () => (options.clock() - started) / 1000;
  if (options.quiet) return { update: () => undefined, finish: () => undefined };
  if (!io.isTty) {
    return {
      update: (state) =>
        io.log(
          `${options.label}: ${state.done}/${state.total} done${state.failed ? `, ${state.failed} failed` : ''}${state.item ? ` (${state.item})` : ''}`,
        ),
      finish: () => undefined,
    };
  }
  return {
    update(state) {
      process.stderr.write(`\r\u001b[2K${progressLine({ ...state, elapsedSeconds: elapsed(), label: options.label })}`);
      drawn = true;
    },
    finish() {
      if (drawn) process.stderr.write('\r\u001b[2K');
    },
  };
}
