import { applyDhmcDisable, disablePlanResult, planDhmcDisable } from '../../services/dhmc/disable.js';
import { renderMutation } from '../../output/changes.js';
import { mutationExitCode } from '../../services/exit-codes.js';
import { resolveScope } from '../shared/scope.js';
import { DHMC_FEATURE } from '../shared/dhmc-role-options.js';
import { withSettingProgress } from '../shared/region-progress.js';
import type { Context, Outcome } from '../types.js';
import type { DhmcDisableInput } from './disable.js';

export async function run(_input: DhmcDisableInput, ctx: Context): Promise<Outcome> {
  const scope = await resolveScope(ctx, undefined, { feature: DHMC_FEATURE });
  const plan = await withSettingProgress(ctx, 'dhmc disable', 'getServiceSetting', scope.regions, (services) =>
    planDhmcDisable(services, scope, scope.regions),
  );
  if (ctx.flags.dryRun || plan.changes.length === 0) {
    const r = ctx.flags.dryRun ? disablePlanResult(plan) : { ...disablePlanResult(plan), dryRun: false };
    // As dhmc enable's dry run says it: the real run will ask.
    const notes =
      ctx.flags.dryRun && plan.changes.length > 0 && !ctx.flags.yes
        ? [`turning DHMC off in ${plan.changes.map((c) => c.region).join(', ')} will need --yes (or a y at the prompt)`]
        : [];
    return { data: r, text: (s) => renderMutation(r, s), exitCode: mutationExitCode(r), notes };
  }
  const regions = plan.changes.map((c) => c.region).join(', ');
  await ctx.requireConsent({
    question: `Turn DHMC off in ${regions}? Instances managed only through it will stop being managed.`,
    refused: `not turning DHMC off in ${regions}`,
    answer: 'turn it off',
  });
  const regionsChanged = plan.changes.map((c) => c.region);
  const r = await withSettingProgress(ctx, 'dhmc disable', 'resetServiceSetting', regionsChanged, (services) => applyDhmcDisable(services, plan));
  return {
    data: r,
    text: (s) => renderMutation(r, s),
    exitCode: mutationExitCode(r),
    notes: [
      'Instances that relied on DHMC lose Systems Manager access as their credentials expire, unless they have an instance profile that allows Systems Manager.',
    ],
  };
}
