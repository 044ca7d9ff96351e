import { dhmcAdminPolicy } from '../../policies/dhmc-admin-policy.js';
import { partitionId } from '../../policies/partition.js';
import { callerIdentity } from '../../services/account.js';
import { validateAccountId } from '../shared/validate.js';
import { DHMC_FEATURE, dhmcRoleChoice } from '../shared/dhmc-role-options.js';
import type { Context, Outcome } from '../types.js';
import { ExitCode } from '../../services/errors.js';

export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
  const role = dhmcRoleChoice(opts);
  const givenAccount = opts.account === undefined ? undefined : validateAccountId(String(opts.account));
  const regions = await ctx.regions({ feature: DHMC_FEATURE });
  const account = givenAccount ?? (await callerIdentity(ctx.services, regions.home)).account;
  const policy = dhmcAdminPolicy({
    partition: partitionId(regions.home),
    account,
    regions: regions.regions,
    roleName: role.roleName,
    rolePath: role.rolePath,
    withRoleSetup: opts.withRoleSetup === true,
  });
  return { data: policy, text: () => JSON.stringify(policy, null, 2) + '\n', exitCode: ExitCode.Ok };
}
