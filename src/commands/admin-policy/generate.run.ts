import { dhmcAdminPolicy } from '../../policies/dhmc-admin-policy.js';
import { partitionId } from '../../policies/partition.js';
import { accountOf, noRegionError } from '../shared/scope.js';
import { DHMC_FEATURE } from '../shared/dhmc-role-options.js';
import type { Context, Outcome } from '../types.js';
import type { AdminPolicyInput } from './generate.js';
import { ExitCode } from '../../services/errors.js';

export async function run(input: AdminPolicyInput, ctx: Context): Promise<Outcome> {
  // The policy names each region's DHMC setting, so a region is needed even though STS alone is called.
  const regions = await ctx.regions({ feature: DHMC_FEATURE, global: true });
  if (regions.regions.length === 0) throw noRegionError("the policy names each region's DHMC setting");
  // Across accounts (--accounts), the account this run is for; else the one given, or the caller's.
  const account = input.account ?? (await accountOf(ctx, regions.home));
  const policy = dhmcAdminPolicy({
    partition: partitionId(regions.home),
    account,
    regions: regions.regions,
    roleName: input.roleName,
    rolePath: input.rolePath,
    withRoleSetup: input.withRoleSetup,
  });
  return { data: policy, text: () => JSON.stringify(policy, null, 2) + '\n', document: true, exitCode: ExitCode.Ok };
}
