// `dhmc status`: the setting in every region asked, in parallel; a failing region reports its error
// while the others still report.
import type { ServiceEnv } from '../env.js';
import { mapLimit } from '../concurrency.js';
import { readDhmcSettingOrError, type DhmcRegionStatus, type Scope } from './setting.js';

export async function dhmcStatus(env: ServiceEnv, scope: Scope, regions: readonly string[]): Promise<DhmcRegionStatus[]> {
  return mapLimit(regions, env.regionConcurrency, (region) => readDhmcSettingOrError(env, scope, region));
}

/** A region as `dhmc status --json` reports it: `enabled` is null when the setting could not be read. */
export type DhmcRegionReport = Omit<DhmcRegionStatus, 'enabled'> & { enabled: boolean | null };

/**
 * Unknown is not off: a region whose read failed says `"enabled": null` (with its `error`), so
 * `select(.enabled == false)` lists only regions known to be off, and a script cannot take a denied
 * read for a region to turn on.
 */
export function reportedStatus(r: DhmcRegionStatus): DhmcRegionReport {
  return r.error ? { ...r, enabled: null } : r;
}
