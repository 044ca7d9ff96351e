// Region resolution, as AWS CLI users expect it: --region > AWS_REGION > AWS_DEFAULT_REGION > the
// profile's region. Every source goes through the same checks (a region code, a region AWS has, a
// partition the feature is documented in); `all` is expanded with ec2:DescribeRegions.
import type { Context, RegionOptions, ResolvedRegions } from '../commands/types.js';
import { requireDocumentedPartition, validateKnownRegion, validateOnePartition, validateRegion } from '../commands/shared/validate.js';
import { PARTITIONS, partitionOf } from '../policies/partition.js';
import { ConfigError } from '../services/errors.js';
import { noRegionError } from '../commands/shared/scope.js';
import type { ServiceEnv } from '../services/env.js';
import { enabledRegions } from '../services/regions.js';

export interface RegionSources {
  /** --region tokens, already checked for form by the parser. */
  tokens: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** --endpoint-url given: the SDK's region list is not applied (see validateKnownRegion). */
  endpointUrl: string | undefined;
}

/** A custom endpoint, as the SDK honours it: --endpoint-url, AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE>. */
export function customEndpointGiven(sources: Pick<RegionSources, 'env' | 'endpointUrl'>): boolean {
  return Boolean(sources.endpointUrl) || Object.entries(sources.env).some(([k, v]) => v && /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(k));
}

/**
 * Where IAM and STS are called when no region is given anywhere, for the commands that call nothing
 * else: the AWS CLI signs IAM calls without a region for `aws-global`, whose credentialScope is
 * us-east-1 (botocore/data/endpoints.json: iam "partitionEndpoint": "aws-global"; botocore/regions.py
 * EndpointResolver.construct_endpoint uses the partition endpoint "if no region is supplied", and
 * without a region it looks in the `aws` partition). The other partitions' global endpoints sign in
 * their home regions (aws-cn-global: cn-north-1, aws-us-gov-global: us-gov-west-1, the same file),
 * which is PARTITIONS' homeRegion; they are only reached with a region of theirs given.
 */
export const NO_REGION_HOME = PARTITIONS.find((p) => p.id === 'aws')!.homeRegion;

export async function resolveRegions(
  sources: RegionSources,
  services: ServiceEnv,
  options: RegionOptions & { optional?: boolean } = {},
): Promise<ResolvedRegions | null> {
  const { tokens, env } = sources;
  const customEndpoint = customEndpointGiven(sources);
  // Each region named by the user or the configuration: a region AWS has (unless a custom endpoint
  // decides), in a partition where the feature is documented - before any call.
  const gate = (region: string, source: string) => {
    validateKnownRegion(region, source, customEndpoint);
    if (options.feature) requireDocumentedPartition(region, options.feature);
    return region;
  };
  // A profile named but missing is the first thing to say, before "no region" (its region is unknown)
  // and before any call. The offline form (`optional`) calls nothing, so needs no profile.
  if (!options.optional) await services.clients.checkProfile();
  // The environment's region is where `all` is looked up, and the default otherwise.
  const fromEnv = async (): Promise<string | undefined> => {
    if (env.AWS_REGION) return gate(validateRegion(env.AWS_REGION, 'AWS_REGION'), 'AWS_REGION');
    if (env.AWS_DEFAULT_REGION) return gate(validateRegion(env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION'), 'AWS_DEFAULT_REGION');
    if (options.optional) return undefined;
    const fromProfile = await services.clients.profileRegion();
    return fromProfile ? gate(validateRegion(fromProfile, "the profile's region"), "the profile's region") : undefined;
  };

  let regions: string[];
  const expandAll = tokens.length === 1 && tokens[0] === 'all';
  if (expandAll && !options.ignoreAll) {
    const home = (await fromEnv()) ?? 'us-east-1';
    if (options.feature) requireDocumentedPartition(home, options.feature);
    // The regions AWS lists for the account are real by definition, newer than the SDK's list or not.
    regions = await enabledRegions(services, home);
    if (regions.length === 0) throw new ConfigError('NoRegions', `ec2:DescribeRegions in ${home} listed no enabled region`, null);
    // `all` means every region of the partition the credentials live in.
    const partition = partitionOf(home)!.id;
    regions = regions.filter((r) => partitionOf(r)?.id === partition);
  } else if (tokens.length > 0 && !expandAll) {
    regions = tokens.map((t) => gate(t, '--region'));
  } else {
    const r = await fromEnv();
    if (!r && options.optional) return null;
    if (!r && options.global) return { regions: [], partition: partitionOf(NO_REGION_HOME)!.id, home: NO_REGION_HOME };
    if (!r) throw noRegionError();
    regions = [r];
  }
  const partition = validateOnePartition(regions);
  return { regions, partition, home: regions[0]! };
}

/**
 * Where a run across accounts calls Organizations and STS (and whose partition its ARNs are in): the
 * first region given that is not `all`, else the environment's or the profile's, else the `aws`
 * partition's global one. `all` is expanded later, in each account (the regions enabled differ by account).
 */
export async function homeRegion(ctx: Pick<Context, 'regions'>): Promise<string> {
  return (await ctx.regions({ global: true, ignoreAll: true })).home;
}
