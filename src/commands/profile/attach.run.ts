import { attachPlanResult, planAttach, replacements, type AttachResult } from '../../services/profile/attach-plan.js';
import { applyAttach } from '../../services/profile/attach-apply.js';
import { ExitCode } from '../../services/errors.js';
import { failuresExitCode } from '../../services/exit-codes.js';
import { attachTable, renderAttach, replaceQuestion } from '../../output/attach.js';
import { askedEveryRegion, fleetScope, resolveScope } from '../shared/scope.js';
import type { ProfileAttachInput } from './attach.js';
import type { Context, Outcome } from '../types.js';

/** Failed instances, instances attached but not seen `associated` (--wait), and unread regions. */
function exitCode(r: AttachResult): ExitCode {
  return failuresExitCode([
    ...r.instances.filter((i) => i.error !== null).map((i) => i.error?.code),
    ...r.regions.filter((x) => !x.ok).map((x) => x.error?.code),
  ]);
}

export async function run(input: ProfileAttachInput, ctx: Context): Promise<Outcome> {
  const { profileName, instanceIds, tags, concurrency } = input;
  const scope = await resolveScope(ctx);
  const plan = await planAttach(ctx.services, {
    ...fleetScope(scope),
    profileName,
    instanceIds,
    tags,
    replace: input.replace,
    concurrency,
    wait: input.wait,
    elsewhere: ctx.account !== undefined,
  });
  const view = { regions: scope.regions, everyRegion: askedEveryRegion(ctx), notHere: plan.notHere };
  // Across accounts the run judges the ids no account holds (exit 5, as one account's InstanceNotFound).
  const lookedFor = instanceIds.length && ctx.account !== undefined ? { notFound: plan.notHere, notFoundExitCode: ExitCode.AwsError } : {};
  if (ctx.flags.dryRun) {
    const r = attachPlanResult(plan);
    const swapsPlanned = replacements(plan).length;
    // As dhmc enable's dry run says it: the real run will ask.
    const notes =
      swapsPlanned > 0 && !ctx.flags.yes
        ? [`replacing the profile of ${swapsPlanned === 1 ? '1 instance' : `${swapsPlanned} instances`} will need --yes (or a y at the prompt)`]
        : [];
    // A dry run exits as the real run would for what the plan already knows (a region not read, an instance not found).
    return {
      data: r,
      text: (s) => renderAttach(r, s, view),
      table: (s) => attachTable(r, s, view),
      exitCode: exitCode(r),
      warnings: plan.warnings,
      notes,
      ...lookedFor,
    };
  }
  const swaps = replacements(plan);
  if (swaps.length > 0) {
    await ctx.requireConsent({
      question: replaceQuestion(swaps, plan.profile.name),
      refused: `not replacing the instance profile of ${swaps.length === 1 ? '1 instance' : `${swaps.length} instances`}`,
      answer: 'replace them',
      flags: '--yes with --replace',
      warnings: plan.warnings,
    });
  }
  const r = await applyAttach(ctx.services, plan);
  const changed = r.summary.attached + r.summary.replaced;
  // Read once the work is over: a Ctrl-C during it left the rest not attempted.
  const interrupted = ctx.services.signal.aborted;
  return {
    data: r,
    text: (s) => renderAttach(r, s, { ...view, interrupted }),
    table: (s) => attachTable(r, s, { ...view, interrupted }),
    exitCode: exitCode(r),
    warnings: plan.warnings,
    notes: changed > 0 ? ['SSM Agent picks the new credentials up within minutes; restarting the agent (or the instance) makes it sooner.'] : [],
    ...lookedFor,
  };
}
