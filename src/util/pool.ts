import pLimit from 'p-limit';

/**
 * Bounded concurrency: `fn` over every item with at most `limit` calls in flight (p-limit's queue).
 * Results come back in the order of `items`, whatever order the calls finish in, so that what a
 * caller builds from them does not depend on timing. One item's failure does not stop the others:
 * every call runs to its end, then the first failure in item order is thrown, so nothing is still
 * running once this returns or throws.
 */
export async function mapLimit<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const run = pLimit(limit);
  const settled = await Promise.allSettled(Array.from(items, (item, index) => run(() => fn(item, index))));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

/** `mapLimit` for calls run for their effect. */
export async function eachLimit<T>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  await mapLimit(items, limit, fn);
}
