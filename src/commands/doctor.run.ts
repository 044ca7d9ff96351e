import { diagnoseFleet, type DoctorReport } from '../services/doctor/diagnose.js';
import { fleetLine, renderDoctor } from '../output/doctor.js';
import { renderDoctorMarkdown } from '../output/doctor-markdown.js';
import { failuresExitCode } from '../services/exit-codes.js';
import { ExitCode } from '../services/errors.js';
import { askedEveryRegion, fleetScope, resolveScope } from './shared/scope.js';
import { withReadProgress } from './shared/region-progress.js';
import { awsFixNote } from './shared/account-fixes.js';
import type { DoctorInput } from './doctor.js';
import { watchFleet } from '../services/doctor/watch.js';
import { renderWatchSummary } from '../output/doctor-watch.js';
import type { Context, Outcome } from './types.js';
import { runFix } from './doctor-fix.run.js';

export async function run({ instanceIds, tags, watch, fix }: DoctorInput, ctx: Context): Promise<Outcome> {
  const scope = await resolveScope(ctx);
  const selection = { ...fleetScope(scope), instanceIds, tags };
  const diagnose = () =>
    withReadProgress(ctx, 'doctor', selection.regions.length, (services, onRegionDone) => diagnoseFleet(services, { ...selection, onRegionDone }));
  if (fix) return runFix(ctx, scope, fix, watch, diagnose, instanceIds.length > 0);
  const first = await diagnose();
  const watched = watch ? await watchFleet(ctx.services, first, diagnose, watch) : null;
  const report = watched ? watched.report : first;
  // A read that failed makes the answer partial: exit 4 (denied) or 5, as for any AWS error.
  const readFailures = [...report.regions.filter((r) => !r.ok).map((r) => r.error?.code), ...report.readErrors.map((e) => e.error.code)];
  const warnings = report.readErrors.map(
    (e) => `could not read ${e.read}${e.region ? ` in ${e.region}` : ''} (${e.error.code}: ${e.error.message}); ${e.effect}`,
  );
  // Stopped instances are counted apart and never make a run fail; ids that do not exist do (exit 6) -
  // except in one account of a run across accounts, where an id is usually in another account: the run
  // fails for the ids no account holds (cli/accounts-outcome.ts).
  // A watch succeeds when every running instance is managed, and fails (6) when the timeout came first.
  const elsewhere = ctx.account !== undefined;
  const exitCode = readFailures.length
    ? failuresExitCode(readFailures)
    : (report.notFound.length > 0 && !elsewhere) || (watched ? !watched.allManaged : report.summary.notReady > 0)
      ? ExitCode.CheckFailed
      : ExitCode.Ok;
  // One instance asked by its id: every check, not a group of one.
  const view = { regions: fleetScope(scope).regions, detail: instanceIds.length === 1, elsewhere, everyRegion: askedEveryRegion(ctx) };
  const watchData = watched && {
    rounds: watched.rounds,
    elapsedSeconds: watched.elapsedSeconds,
    allManaged: watched.allManaged,
    timedOut: watched.timedOut,
    changes: watched.changes,
  };
  return {
    data: watchData ? { ...report, watch: watchData } : report,
    text: (s) => renderDoctor(report, s, view) + (watched ? renderWatchSummary(watched, s) : ''),
    markdown: () => renderDoctorMarkdown(report),
    exitCode,
    // Across accounts, the verdicts of every account added up under the run's summary.
    totals: { counts: { ...report.summary }, line: (c) => `in all, ${fleetLine(c as DoctorReport['summary'])}` },
    // Said only when ids were asked for: a run across accounts judges them (cli/accounts-outcome.ts).
    ...(instanceIds.length ? { notFound: report.notFound } : {}),
    warnings,
    // The fixes printed: the groups', or every check's for one instance in detail.
    notes: awsFixNote(view.detail ? report.instances : report.groups, ctx),
  };
}
