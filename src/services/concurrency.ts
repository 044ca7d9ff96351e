// Bounded parallelism for per-region and per-instance work, with p-limit doing the queueing.
import pLimit from 'p-limit';

/** Maps `items` through `fn` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const gate = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item) => gate(() => fn(item))));
}
