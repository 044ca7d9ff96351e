// `dhmc status`: the setting in every region asked, in parallel; a failing region reports its error
// while the others still report.
import type { ServiceEnv } from '../env.js';
import { mapLimit } from '../concurrency.js';
import { readDhmcSettingOrError, type DhmcRegionStatus, type Scope } from './setting.js';

export async function dhmcStatus(env: ServiceEnv, scope: Scope, regions: readonly string[]): Promise<DhmcRegionStatus[]> {
  return mapLimit(regions, env.regionConcurrency, (region) => readDhmcSettingOrError(env, scope, region));
}
