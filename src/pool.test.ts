import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, runBounded, runPool } from './pool.js';

describe('runBounded', () => {
  it('given 10 items and a limit of 3, when run, then never more than 3 are in flight and all settle in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runBounded([...Array(10).keys()], 3, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return n * 2;
    });
    expect(peak).toBe(3);
    expect(results.map((r) => (r.ok ? r.value : null))).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('given a worker that throws for one item, when run, then the others still complete and the failure is reported', async () => {
    const settled: string[] = [];
    const results = await runBounded(
      ['a', 'b', 'c'],
      2,
      async (item) => {
        if (item === 'b') throw new Error('denied');
        return item.toUpperCase();
      },
      (item, outcome) => settled.push(`${item}:${outcome.ok ? 'ok' : 'failed'}`),
    );
    expect(results.filter((r) => r.ok).map((r) => r.item)).toEqual(['a', 'c']);
    expect(settled.sort()).toEqual(['a:ok', 'b:failed', 'c:ok']);
  });
});

describe('runPool with a limit that changes', () => {
  it('Given a limit raised from 1 to 4 after the first item, When run, Then later items run 4 at a time', async () => {
    const limit = { current: 1 };
    let inFlight = 0;
    const peaks: number[] = [];
    await runPool([...Array(9).keys()], limit, async (n) => {
      inFlight += 1;
      peaks[n] = inFlight;
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      limit.current = 4;
    });
    expect(peaks[0]).toBe(1);
    expect(Math.max(...peaks)).toBe(4);
  });

  it('Given back-pressure that refuses new starts, When run, Then one item at a time still runs and every item settles', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runPool(
      [...Array(5).keys()],
      8,
      async (n) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight -= 1;
        return n;
      },
      { canStart: () => false },
    );
    expect(peak).toBe(1);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
  });

  it('Given a worker that throws before its first await, When run, Then it settles as a failure and the others complete', async () => {
    const results = await runPool([1, 2, 3], 2, (n) => {
      if (n === 2) throw new Error('synchronous');
      return Promise.resolve(n);
    });
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
  });
});

describe('AdaptiveLimit', () => {
  it('Given no throttling, When rounds complete, Then the limit doubles per round up to its maximum', () => {
    const limit = new AdaptiveLimit({ initial: 4, max: 20 });
    const limitAfter = (completions: number) => {
      for (let i = 0; i < completions; i += 1) limit.completed();
      return limit.current;
    };
    expect(limit.current).toBe(4);
    expect(limitAfter(4)).toBe(8);
    expect(limitAfter(8)).toBe(16);
    expect(limitAfter(16)).toBe(20);
  });

  it('Given a burst of throttles, When reported, Then the limit halves once per round of completions and then grows by one per round', () => {
    const limit = new AdaptiveLimit({ initial: 16, max: 64 });
    limit.throttled();
    limit.throttled();
    limit.throttled();
    expect(limit.current).toBe(8);
    for (let i = 0; i < 8; i += 1) limit.completed();
    expect(limit.current).toBe(9);
    limit.throttled();
    expect(limit.current).toBe(9);
    limit.completed();
    limit.throttled();
    expect(limit.current).toBe(4);
  });

  it('Given throttling at the minimum, When reported, Then the limit never drops below it', () => {
    const limit = new AdaptiveLimit({ initial: 2, max: 8, min: 2 });
    limit.throttled();
    expect(limit.current).toBe(2);
  });
});
