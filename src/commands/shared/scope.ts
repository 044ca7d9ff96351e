// Regions and account for a command that talks to AWS: the regions are validated before the first
// call, then STS names the account every ARN is built with.
import { callerIdentity } from '../../services/account.js';
import { ConfigError } from '../../services/errors.js';
import type { Context, RegionOptions, ResolvedRegions } from '../types.js';

export interface CommandScope extends ResolvedRegions {
  account: string;
}

/**
 * The account the credentials act in. In a run across accounts the run has entered it already (by its
 * role, or as the caller's own, which STS named): no sts:GetCallerIdentity again for each account.
 */
export async function accountOf(ctx: Context, home: string): Promise<string> {
  return ctx.account?.id ?? (await callerIdentity(ctx.services, home)).account;
}

/** `check` runs once the regions (and so the partition) are known, before the first call that needs credentials. */
export async function resolveScope(ctx: Context, check?: (r: ResolvedRegions) => void, options?: RegionOptions): Promise<CommandScope> {
  const regions = await ctx.regions(options);
  check?.(regions);
  return { ...regions, account: await accountOf(ctx, regions.home) };
}

/** What the fleet-wide services take: where to look (partition, account, regions) and where IAM is read. */
export function fleetScope(scope: CommandScope): { partition: string; account: string; regions: string[]; iamRegion: string } {
  return { partition: scope.partition, account: scope.account, regions: scope.regions, iamRegion: scope.home };
}

/**
 * "no region given" (exit 3). `why` says what needs one when the command itself does not (an IAM-only
 * command whose document names regions: a hybrid role's trust, the S3 policy's VPC endpoint buckets).
 */
export function noRegionError(why?: string): ConfigError {
  return new ConfigError(
    'NoRegion',
    why ? `no region given: ${why}` : 'no region given',
    'Pass --region (e.g. --region us-east-2, a comma list, or all), or set AWS_REGION, or a region in your AWS profile.',
  );
}

/** --region all was given: every enabled region is read, so advice to add it would be noise. */
export const askedEveryRegion = (ctx: Context): boolean => ctx.flags.regions.length === 1 && ctx.flags.regions[0] === 'all';
