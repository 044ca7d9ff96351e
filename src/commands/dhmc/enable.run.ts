import { applyDhmcEnable, enablePlanResult, planDhmcEnable, type EnablePlan } from '../../services/dhmc/enable.js';
import { renderMutation } from '../../output/changes.js';
import { mutationExitCode } from '../../services/exit-codes.js';
import { resolveScope } from '../shared/scope.js';
import { DHMC_FEATURE } from '../shared/dhmc-role-options.js';
import { withSettingProgress } from '../shared/region-progress.js';
import { validatePolicyArn } from '../shared/validate.js';
import type { Context, Outcome } from '../types.js';
import type { DhmcEnableInput } from './enable.js';

async function consentToOverwrite(plan: EnablePlan, ctx: Context): Promise<void> {
  if (plan.overwrites.length === 0) return;
  const list = plan.overwrites.map((o) => `${o.region} (now ${o.from})`).join(', ');
  await ctx.requireConsent({
    question: `DHMC already uses another role in ${list}. Replace it with ${plan.settingValue}?`,
    refused: `not replacing the DHMC role in ${list} with ${plan.settingValue}`,
    answer: 'replace it',
    otherwise: ctx.canPrompt ? ', or leave those regions out' : ', or leave those regions out with --region',
    warnings: plan.warnings,
  });
}

export async function run(input: DhmcEnableInput, ctx: Context): Promise<Outcome> {
  const { createRole, extraPolicyArns: extra, ...role } = input;
  const scope = await resolveScope(ctx, undefined, { feature: DHMC_FEATURE });
  for (const a of extra) validatePolicyArn(a, scope.partition);

  const request = { scope, regions: scope.regions, iamRegion: scope.home, ...role, createRole, extraPolicyArns: extra };
  const plan = await withSettingProgress(ctx, 'dhmc enable', 'getServiceSetting', scope.regions, (services) => planDhmcEnable(services, request));
  if (ctx.flags.dryRun) {
    const r = enablePlanResult(plan);
    const notes =
      plan.overwrites.length && !ctx.flags.yes
        ? [`replacing the role in ${plan.overwrites.map((o) => o.region).join(', ')} will need --yes (or a y at the prompt)`]
        : [];
    return { data: r, text: (s) => renderMutation(r, s), exitCode: mutationExitCode(r), warnings: plan.warnings, notes };
  }
  await consentToOverwrite(plan, ctx);
  const regionsChanged = plan.regionChanges.map((c) => c.region);
  const r = await withSettingProgress(ctx, 'dhmc enable', 'updateServiceSetting', regionsChanged, (services) => applyDhmcEnable(services, plan));
  const changedRegions = r.changes.filter((c) => c.region && c.status === 'applied').map((c) => c.region!);
  const notes: string[] = [];
  if (changedRegions.length > 0) {
    notes.push(
      `Instances in ${changedRegions.join(', ')} can take up to 30 minutes to pick up role ${plan.settingValue}; restarting SSM Agent (or the instance) makes it sooner.`,
      'An instance profile whose role allows ssm:UpdateInstanceInformation takes precedence over DHMC: remove that permission from such profiles for DHMC to apply.',
      'DHMC needs IMDSv2 and SSM Agent 3.2.582.0 or later on each instance.',
      `Next: ssm-perms dhmc status --region ${scope.regions.join(',')}`,
    );
  }
  return { data: r, text: (s) => renderMutation(r, s), exitCode: mutationExitCode(r), warnings: plan.warnings, notes };
}
