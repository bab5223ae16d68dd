/** Groups items by key, keeping the order in which keys are first seen. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) pushAt(groups, key(item), item);
  return groups;
}

/** Splits items into consecutive slices of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Appends every item to `target` in place. `target.push(...items)` passes each item as an argument,
 * and past some hundred thousand items that overflows the call stack (RangeError); a loop does not.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/**
 * The value at `key` of a Map or WeakMap, made by `make` and stored the first time it is asked for. In a loop, pass a
 * function made once (`newMap`, `newSet`), not an arrow written in the call, which is a new closure
 * each time round.
 */
export function getOrCreate<K, V>(
  map: { get(key: K): V | undefined; set(key: K, value: V): unknown },
  key: K,
  make: () => NoInfer<V>,
): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Appends `value` to the list at `key`, a list of its own the first time. */
export function pushAt<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export const newMap = <K, V>(): Map<K, V> => new Map();
export const newSet = <T>(): Set<T> => new Set();
