import { attachPlanResult, planAttach, replacements, type AttachResult } from '../../services/profile/attach-plan.js';
import { applyAttach } from '../../services/profile/attach-apply.js';
import { ExitCode, UsageError } from '../../services/errors.js';
import { failuresExitCode } from '../../services/exit-codes.js';
import { renderAttach } from '../../output/attach.js';
import { resolveScope } from '../shared/scope.js';
import { readInstanceIds, readTagFilters, validateInstanceProfileName, validateWholeNumber } from '../shared/validate.js';
import type { Context, Outcome } from '../types.js';

/** Failed instances, instances attached but not seen `associated` (--wait), and unread regions. */
function exitCode(r: AttachResult): ExitCode {
  return failuresExitCode([
    ...r.instances.filter((i) => i.error !== null).map((i) => i.error?.code),
    ...r.regions.filter((x) => !x.ok).map((x) => x.error?.code),
  ]);
}

export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
  if (opts.name === undefined) throw new UsageError('MissingOption', 'profile attach needs --name PROFILE', 'Create one first with: ssm-perms profile create');
  const profileName = validateInstanceProfileName(String(opts.name));
  const instanceIds = readInstanceIds(opts.instanceId);
  const tags = readTagFilters(opts.tag);
  if (instanceIds.length === 0 && tags.length === 0) {
    throw new UsageError(
      'MissingOption',
      'profile attach needs --instance-id ID and/or --tag KEY=VALUE to choose instances',
      'It never targets every instance implicitly.',
    );
  }
  const concurrency = validateWholeNumber(opts.concurrency === undefined ? '8' : String(opts.concurrency), '--concurrency', 1, 64);
  const scope = await resolveScope(ctx);
  const plan = await planAttach(ctx.services, {
    partition: scope.partition,
    account: scope.account,
    regions: scope.regions,
    iamRegion: scope.home,
    profileName,
    instanceIds,
    tags,
    replace: opts.replace === true,
    concurrency,
    wait: opts.wait === true,
  });
  if (ctx.flags.dryRun) {
    const r = attachPlanResult(plan);
    // A dry run exits as the real run would for what the plan already knows (a region not read, an instance not found).
    return { data: r, text: (s) => renderAttach(r, s), exitCode: exitCode(r), warnings: plan.warnings };
  }
  const swaps = replacements(plan);
  if (swaps.length > 0) {
    const list =
      swaps
        .slice(0, 10)
        .map((t) => `${t.instanceId} (${t.previousInstanceProfileArn})`)
        .join(', ') + (swaps.length > 10 ? `, and ${swaps.length - 10} more` : '');
    await ctx.requireConsent({
      question: `Replace the instance profile of ${swaps.length} instance(s): ${list}?`,
      refused: `not replacing the instance profile of ${swaps.length} instance(s)`,
      answer: 'replace them',
      flags: '--yes with --replace',
    });
  }
  const r = await applyAttach(ctx.services, plan);
  const changed = r.summary.attached + r.summary.replaced;
  return {
    data: r,
    text: (s) => renderAttach(r, s),
    exitCode: exitCode(r),
    warnings: plan.warnings,
    notes: changed > 0 ? ['SSM Agent picks the new credentials up within minutes; restarting the agent (or the instance) makes it sooner.'] : [],
  };
}
