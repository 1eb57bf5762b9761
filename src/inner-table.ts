/** What a Map and a WeakMap have in common, so a cache may be keyed by objects or by values. */
interface Table<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/**
 * The inner table of a two-level cache, made empty on first use. The constructor is passed, not a
 * factory: the caches that use this are asked millions of times, and a closure per call was
 * garbage the analysis paid for.
 */
export function innerTable<K, Inner extends Table<never, unknown>>(
  outer: Table<K, Inner>,
  key: K,
  Empty: new () => NoInfer<Inner>,
): Inner {
  let inner = outer.get(key);
  if (inner === undefined) {
    inner = new Empty();
    outer.set(key, inner);
  }
  return inner;
}
