// Region resolution, as AWS CLI users expect it: --region > AWS_REGION > AWS_DEFAULT_REGION > the
// profile's region. Every source is validated; `all` is expanded with ec2:DescribeRegions.
import type { ResolvedRegions } from '../commands/types.js';
import { requireDocumentedPartition, validateOnePartition, validateRegion } from '../commands/shared/validate.js';
import { partitionOf } from '../policies/partition.js';
import { ConfigError } from '../services/errors.js';
import type { ServiceEnv } from '../services/env.js';
import { enabledRegions } from '../services/regions.js';

export async function resolveRegions(
  tokens: readonly string[],
  env: Record<string, string | undefined>,
  services: ServiceEnv,
  options: { optional?: boolean; feature?: string } = {},
): Promise<ResolvedRegions | null> {
  // A feature tied to documented partitions is checked on each region before any call, `all` on its home.
  const gate = (region: string) => {
    if (options.feature) requireDocumentedPartition(region, options.feature);
    return region;
  };
  // The environment's region is where `all` is looked up, and the default otherwise.
  const fromEnv = async (): Promise<string | undefined> => {
    if (env.AWS_REGION) return validateRegion(env.AWS_REGION, 'AWS_REGION');
    if (env.AWS_DEFAULT_REGION) return validateRegion(env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION');
    if (options.optional) return undefined;
    const fromProfile = await services.clients.profileRegion();
    return fromProfile ? validateRegion(fromProfile, "the profile's region") : undefined;
  };

  let regions: string[];
  if (tokens.length === 1 && tokens[0] === 'all') {
    const home = gate((await fromEnv()) ?? 'us-east-1');
    regions = await enabledRegions(services, home);
    if (regions.length === 0) throw new ConfigError('NoRegions', `ec2:DescribeRegions in ${home} listed no enabled region`, null);
    // `all` means every region of the partition the credentials live in.
    const partition = partitionOf(home)!.id;
    regions = regions.filter((r) => partitionOf(r)?.id === partition);
  } else if (tokens.length > 0) {
    regions = tokens.map(gate);
  } else {
    const r = await fromEnv();
    if (!r && options.optional) return null;
    if (!r) {
      throw new ConfigError(
        'NoRegion',
        'no region given',
        'Pass --region (e.g. --region us-east-2, a comma list, or all), or set AWS_REGION, or a region in your AWS profile.',
      );
    }
    regions = [gate(r)];
  }
  const partition = validateOnePartition(regions);
  return { regions, partition, home: regions[0]! };
}
