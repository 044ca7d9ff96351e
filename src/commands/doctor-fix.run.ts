// doctor --fix: diagnose, turn the findings into one plan (fix-plan.ts), read what each fix needs
// (fix-apply.ts), print the plan and stop there with --dry-run; otherwise ask once, apply, diagnose
// again (and, with --watch, follow the fleet until it is managed), and print the verdicts before and after.
import type { DoctorReport } from '../services/doctor/diagnose.js';
import { planFixes, type FixOptions } from '../services/doctor/fix-plan.js';
import { applyFixes, fixPlanResult, prepareFixes, type FixResult } from '../services/doctor/fix-apply.js';
import { watchFleet, type WatchOptions } from '../services/doctor/watch.js';
import { failuresExitCode } from '../services/exit-codes.js';
import { ExitCode } from '../services/errors.js';
import { renderBeforeAfter, renderFix, fixQuestion } from '../output/doctor-fix.js';
import { renderWatchSummary } from '../output/doctor-watch.js';
import type { CommandScope } from './shared/scope.js';
import type { Context, Outcome } from './types.js';

const fixCount = (n: number) => `${n} ${n === 1 ? 'fix' : 'fixes'}`;

const failures = (r: FixResult) => [
  ...r.fixes.filter((f) => f.status === 'failed').map((f) => f.error?.code),
  ...r.regions.filter((x) => !x.ok).map((x) => x.error?.code),
];

/**
 * Ids asked for that the diagnosis did not find: said, and the run fails (6) as doctor's does - a typo in
 * --instance-id must not read as "nothing to fix". In one account of a run across accounts the id may be
 * in another: the run judges that (Outcome.notFound).
 */
function withMissing(o: Outcome, before: DoctorReport, asked: boolean, ctx: Context, scope: CommandScope): Outcome {
  if (!asked) return o;
  const missing = before.notFound;
  if (missing.length === 0 || ctx.account !== undefined) return { ...o, notFound: missing };
  return {
    ...o,
    notFound: missing,
    exitCode: o.exitCode === ExitCode.Ok ? ExitCode.CheckFailed : o.exitCode,
    warnings: [
      ...(o.warnings ?? []),
      `not found in ${scope.regions.join(', ')} (or terminated): ${missing.join(', ')}; nothing was planned for them. Instances are regional: to look in every region, add --region all`,
    ],
  };
}

/**
 * How soon the instances register after the fixes made: a new profile within minutes, DHMC within 30
 * (the guide); after a network or IMDS fix the agent simply succeeds at its next retry.
 */
function afterFixNote(r: FixResult, regions: readonly string[]): string {
  const made = new Set(r.fixes.filter((f) => f.status === 'applied').map((f) => f.kind));
  const when = made.has('dhmc-enable')
    ? 'Instances pick up DHMC within 30 minutes'
    : made.has('profile-attach') || made.has('role-policy')
      ? 'Instances pick up their new permissions within minutes'
      : 'SSM Agent registers at its next retry, within minutes';
  return `${when}; follow them with: ssm-perms doctor --watch --region ${regions.join(',')}`;
}

export async function runFix(
  ctx: Context,
  scope: CommandScope,
  options: FixOptions,
  watch: WatchOptions | null,
  diagnose: () => Promise<DoctorReport>,
  asked: boolean,
): Promise<Outcome> {
  const before = await diagnose();
  return withMissing(await fixFrom(ctx, scope, options, watch, diagnose, before), before, asked, ctx, scope);
}

async function fixFrom(
  ctx: Context,
  scope: CommandScope,
  options: FixOptions,
  watch: WatchOptions | null,
  diagnose: () => Promise<DoctorReport>,
  before: DoctorReport,
): Promise<Outcome> {
  const prepared = await prepareFixes(ctx.services, { partition: scope.partition, account: scope.account, iamRegion: scope.home }, planFixes(before, options));
  const plan = fixPlanResult(prepared);
  const warnings = plan.warnings;
  if (ctx.flags.dryRun || plan.changes.length === 0) {
    // Nothing to apply (a second --fix): the plan is the answer; instances still not ready make it 6, as doctor.
    const exitCode = failures(plan).length
      ? failuresExitCode(failures(plan))
      : ctx.flags.dryRun || before.summary.notReady === 0
        ? ExitCode.Ok
        : ExitCode.CheckFailed;
    return {
      // Nothing applied: a dry run, or a real run with nothing to do (which says dryRun: false).
      data: { ...plan, dryRun: ctx.flags.dryRun, before: before.summary, after: null },
      text: (s) => renderFix(plan, s),
      exitCode,
      warnings,
    };
  }
  // What the fixes replace (another DHMC role, a VPC's DNS attributes) is said in the question itself.
  const replaces = prepared.fixes.flatMap((f) => f.replaces);
  await ctx.requireConsent({
    question: fixQuestion(plan, replaces),
    refused: `not applying the ${fixCount(plan.fixes.filter((f) => f.status === 'planned').length)} of doctor --fix`,
    answer: 'apply them',
    otherwise: ', or see the plan with --dry-run',
    warnings,
  });
  const r = await applyFixes(ctx.services, prepared);
  // Ctrl-C after the changes: what was applied is reported (exit 130), without the diagnosis after.
  let after: DoctorReport | null = null;
  try {
    if (!ctx.services.signal.aborted) after = await diagnose();
  } catch (e) {
    if (!ctx.services.signal.aborted) throw e;
  }
  if (!after) {
    return {
      data: { ...r, before: before.summary, after: null },
      text: (s) => renderFix(r, s),
      exitCode: ExitCode.Interrupted,
      warnings,
      notes: [`interrupted after applying: run ssm-perms doctor --region ${scope.regions.join(',')} to see where the fleet stands`],
    };
  }
  const watched = watch ? await watchFleet(ctx.services, after, diagnose, watch) : null;
  if (watched) after = watched.report;
  const failed = failures(r);
  const exitCode = failed.length ? failuresExitCode(failed) : (watched ? !watched.allManaged : after.summary.notReady > 0) ? ExitCode.CheckFailed : ExitCode.Ok;
  const applied = r.fixes.some((f) => f.status === 'applied');
  return {
    data: {
      ...r,
      before: before.summary,
      after: after.summary,
      ...(watched
        ? {
            watch: {
              rounds: watched.rounds,
              elapsedSeconds: watched.elapsedSeconds,
              allManaged: watched.allManaged,
              timedOut: watched.timedOut,
              changes: watched.changes,
            },
          }
        : {}),
    },
    text: (s) => renderFix(r, s) + renderBeforeAfter(before.summary, after!.summary, s) + (watched ? renderWatchSummary(watched, s) : ''),
    exitCode,
    warnings,
    notes: applied && !watched ? [afterFixNote(r, scope.regions)] : [],
  };
}
