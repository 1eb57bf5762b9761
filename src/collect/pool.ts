/**
 * Runs `worker` over `items` with at most `concurrency` in flight. Every item settles: a worker
 * that throws is reported through `onSettled` with its error, never aborting the others.
 */
export async function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T) => Promise<R>,
  onSettled?: (item: T, outcome: { ok: true; value: R } | { ok: false; error: unknown }) => void,
): Promise<Array<{ item: T; ok: true; value: R } | { item: T; ok: false; error: unknown }>> {
  const results: Array<{ item: T; ok: true; value: R } | { item: T; ok: false; error: unknown }> = new Array(
    items.length,
  );
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      try {
        const value = await worker(item);
        results[index] = { item, ok: true, value };
        onSettled?.(item, { ok: true, value });
      } catch (error) {
        results[index] = { item, ok: false, error };
        onSettled?.(item, { ok: false, error });
      }
    }
  });
  await Promise.all(lanes);
  return results;
}
