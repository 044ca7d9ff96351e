// Regions and account for a command that talks to AWS: the regions are validated before the first
// call, then STS names the account every ARN is built with.
import { callerIdentity } from '../services/account.js';
import type { Context, ResolvedRegions } from './types.js';

export interface CommandScope extends ResolvedRegions {
  account: string;
  callerArn: string;
}

export async function resolveScope(ctx: Context): Promise<CommandScope> {
  const regions = await ctx.regions();
  const id = await callerIdentity(ctx.services, regions.home);
  return { ...regions, account: id.account, callerArn: id.arn };
}
