// `--region all`: every region enabled for the account, as ec2:DescribeRegions lists them. The
// opt-in status is filtered here too, because not every endpoint honours the request's filter.
import type { ServiceEnv } from './env.js';
import { translateAwsError } from './aws/translate-error.js';

export async function enabledRegions(env: ServiceEnv, homeRegion: string): Promise<string[]> {
  try {
    const ec2 = await env.clients.ec2(homeRegion);
    const out = await ec2.describeRegions({ AllRegions: false });
    return (out.Regions ?? [])
      .filter((r) => r.RegionName && r.OptInStatus !== 'not-opted-in')
      .map((r) => r.RegionName!)
      .sort();
  } catch (e) {
    throw translateAwsError(e, { service: 'ec2', operation: 'DescribeRegions', region: homeRegion });
  }
}
