/** How many workers may run at once; read before each start, so it may change while a pool runs. */
export interface ConcurrencyLimit {
  readonly current: number;
}

export type Settled<T, R> = { item: T; ok: true; value: R } | { item: T; ok: false; error: unknown };

export interface PoolOptions<T, R> {
  /** Called as each item settles, in completion order. */
  onSettled?: (item: T, outcome: { ok: true; value: R } | { ok: false; error: unknown }) => void;
  /** Asked before each start beyond the first in flight (memory back-pressure); false waits for a completion. */
  canStart?: () => boolean;
}

/**
 * Runs `worker` over `items`, starting a new one whenever fewer than `limit` are in flight. Every
 * item settles: a worker that throws is reported with its error, never aborting the others.
 * Results keep the order of `items`.
 */
export function runPool<T, R>(
  items: readonly T[],
  limit: ConcurrencyLimit | number,
  worker: (item: T, index: number) => Promise<R>,
  options: PoolOptions<T, R> = {},
): Promise<Array<Settled<T, R>>> {
  const results = new Array<Settled<T, R>>(items.length);
  if (items.length === 0) return Promise.resolve(results);
  const allowed = () => Math.max(1, typeof limit === 'number' ? limit : limit.current);
  return new Promise((resolve) => {
    let next = 0;
    let inFlight = 0;
    let settled = 0;
    const settle = (index: number, outcome: { ok: true; value: R } | { ok: false; error: unknown }): void => {
      const item = items[index] as T;
      results[index] = { item, ...outcome };
      options.onSettled?.(item, outcome);
      inFlight -= 1;
      settled += 1;
      if (settled === items.length) resolve(results);
      else pump();
    };
    const pump = (): void => {
      while (next < items.length && inFlight < allowed() && (inFlight === 0 || (options.canStart?.() ?? true))) {
        const index = next;
        next += 1;
        inFlight += 1;
        // Through a promise, so a worker that throws before its first await settles like any other.
        Promise.resolve(index)
          .then((at) => worker(items[at] as T, at))
          .then(
            (value) => settle(index, { ok: true, value }),
            (error: unknown) => settle(index, { ok: false, error }),
          );
      }
    };
    pump();
  });
}

/** `runPool` with a fixed number of workers. */
export function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<R>,
  onSettled?: PoolOptions<T, R>['onSettled'],
): Promise<Array<Settled<T, R>>> {
  return runPool(items, concurrency, (item) => worker(item), onSettled === undefined ? {} : { onSettled });
}

/**
 * A concurrency limit that follows throttling, as TCP follows congestion: it doubles per round of
 * completions until the first throttle, then grows by one per round, and halves on a throttle,
 * at most once per round (the throttles of one burst are one signal). Used for what AWS limits
 * per caller (STS, Organizations), where more accounts at once means more calls against one limit.
 */
export class AdaptiveLimit implements ConcurrencyLimit {
  private value: number;
  private threshold: number;
  /** Completions since the last cut (a burst of throttles within one round cuts once). */
  private sinceCut = Number.POSITIVE_INFINITY;
  /** Completions since the last additive step. */
  private sinceStep = 0;
  private readonly min: number;
  private readonly max: number;

  constructor(options: { initial: number; max: number; min?: number }) {
    this.min = Math.max(1, Math.floor(options.min ?? 1));
    this.max = Math.max(this.min, Math.floor(options.max));
    this.value = Math.min(this.max, Math.max(this.min, Math.floor(options.initial)));
    this.threshold = this.max;
  }

  get current(): number {
    return this.value;
  }

  completed(): void {
    this.sinceCut += 1;
    this.sinceStep += 1;
    if (this.value < this.threshold) this.value += 1;
    else if (this.sinceStep >= this.value) this.value += 1;
    else return;
    this.sinceStep = 0;
    this.value = Math.min(this.max, this.value);
  }

  throttled(): void {
    if (this.sinceCut < this.value) return;
    this.value = Math.max(this.min, Math.floor(this.value / 2));
    this.threshold = this.value;
    this.sinceCut = 0;
    this.sinceStep = 0;
  }
}
