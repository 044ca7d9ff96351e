import { dhmcStatus, reportedStatus } from '../../services/dhmc/status.js';
import { dhmcCheck } from '../../services/dhmc/check.js';
import { dhmcStatusTable, renderDhmcChecks, renderDhmcStatus } from '../../output/dhmc-status.js';
import { failuresExitCode } from '../../services/exit-codes.js';
import { ExitCode } from '../../services/errors.js';
import { fleetScope, resolveScope } from '../shared/scope.js';
import { DHMC_FEATURE } from '../shared/dhmc-role-options.js';
import { withSettingProgress } from '../shared/region-progress.js';
import { awsFixNote } from '../shared/account-fixes.js';
import type { Context, Outcome } from '../types.js';
import type { DhmcStatusInput } from './status.js';

export async function run(input: DhmcStatusInput, ctx: Context): Promise<Outcome> {
  const scope = await resolveScope(ctx, undefined, { feature: DHMC_FEATURE });
  const regions = await withSettingProgress(ctx, 'dhmc status', 'getServiceSetting', scope.regions, (services) => dhmcStatus(services, scope, scope.regions));
  const warnings = regions.filter((r) => r.error?.hint).map((r) => `${r.region}: ${r.error!.hint}`);
  const readFailures = failuresExitCode(regions.filter((r) => r.error).map((r) => r.error!.code));
  if (!input.check) {
    return {
      data: { account: scope.account, regions: regions.map(reportedStatus) },
      text: (style) => renderDhmcStatus(regions, style),
      table: (style) => dhmcStatusTable(regions, style),
      exitCode: readFailures,
      warnings,
    };
  }
  const checks = await dhmcCheck(ctx.services, fleetScope(scope), regions);
  const withChecks = regions.map((r) => {
    const c = checks.find((x) => x.region === r.region);
    return { ...reportedStatus(r), checks: c?.checks ?? [], fleet: c?.fleet ?? null };
  });
  const failed = checks.some((c) => c.checks.some((x) => x.status === 'fail'));
  // A read the checks needed that failed makes the answer partial: exit 4 or 5 before any verdict.
  const checkReadErrors = checks.flatMap((c) => c.readErrors.map((e) => ({ region: c.region, error: e })));
  const readWarnings = checkReadErrors.map(
    (x) => `${x.region}: could not read what a check needs (${x.error.code}: ${x.error.message}); that check is "unknown"`,
  );
  return {
    data: { account: scope.account, regions: withChecks },
    text: (style) => renderDhmcStatus(regions, style) + renderDhmcChecks(checks, style),
    table: (style) => {
      const t = dhmcStatusTable(regions, style);
      return { ...t, after: t.after + renderDhmcChecks(checks, style) };
    },
    exitCode: readFailures || failuresExitCode(checkReadErrors.map((x) => x.error.code)) || (failed ? ExitCode.CheckFailed : ExitCode.Ok),
    warnings: [...warnings, ...readWarnings],
    notes: awsFixNote(checks, ctx),
  };
}
