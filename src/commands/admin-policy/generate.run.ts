import { dhmcAdminPolicy } from '../../policies/dhmc-admin-policy.js';
import { partitionId } from '../../policies/partition.js';
import { callerIdentity } from '../../services/account.js';
import { DHMC_FEATURE } from '../shared/dhmc-role-options.js';
import type { Context, Outcome } from '../types.js';
import type { AdminPolicyInput } from './generate.js';
import { ExitCode } from '../../services/errors.js';

export async function run(input: AdminPolicyInput, ctx: Context): Promise<Outcome> {
  const regions = await ctx.regions({ feature: DHMC_FEATURE });
  const account = input.account ?? (await callerIdentity(ctx.services, regions.home)).account;
  const policy = dhmcAdminPolicy({
    partition: partitionId(regions.home),
    account,
    regions: regions.regions,
    roleName: input.roleName,
    rolePath: input.rolePath,
    withRoleSetup: input.withRoleSetup,
  });
  return { data: policy, text: () => JSON.stringify(policy, null, 2) + '\n', exitCode: ExitCode.Ok };
}
