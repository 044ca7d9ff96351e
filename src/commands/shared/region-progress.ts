// Regions done, for the progress line of a command that reads many regions (`--region all` is 17 or
// more): the service is run one region at a time, as many at once as it would run them itself, and
// each region that finishes moves the counter ("dhmc status: read 5 of 17 regions").
import { mapLimit } from '../../services/concurrency.js';
import type { Context } from '../types.js';

/** The counter's text; doctor's, attach's and dhmc's read the same. */
export const regionsRead = (label: string, done: number, total: number): string => `${label}: read ${done} of ${total} region${total === 1 ? '' : 's'}`;

/**
 * `read` for each region (it gets one region and returns that region's results), in the order of
 * `regions`. One region is one short read: no counter. The line is erased when the reads end, or fail.
 */
export async function perRegionWithProgress<T>(ctx: Context, label: string, regions: readonly string[], read: (region: string) => Promise<T[]>): Promise<T[]> {
  const { progress, regionConcurrency } = ctx.services;
  if (regions.length < 2) return (await mapLimit(regions, regionConcurrency, read)).flat();
  let done = 0;
  try {
    const results = await mapLimit(regions, regionConcurrency, async (region) => {
      try {
        return await read(region);
      } finally {
        done += 1;
        progress({ kind: 'progress', message: regionsRead(label, done, regions.length) });
      }
    });
    return results.flat();
  } finally {
    progress({ kind: 'progress', message: '', done: true });
  }
}
