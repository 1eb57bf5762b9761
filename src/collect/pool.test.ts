import { describe, expect, it } from 'vitest';
import { runBounded } from './pool.js';

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
