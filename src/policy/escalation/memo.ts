/** The value kept under `key`, made by `make` and kept on first use: the caches of the search. */
export function keptOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
