// `dhmc disable`: reset the setting (DHMC off) in every region where it is on.
import type { ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import { notAttempted, regionOutcomes, type Change, type MutationResult } from '../result.js';
import { translateAwsError } from '../aws/translate-error.js';
import { mapLimit } from '../concurrency.js';
import { readDhmcSettingOrError, type Scope } from './setting.js';

export interface DisablePlan {
  scope: Scope;
  regions: readonly string[];
  changes: Change[];
  regionErrors: Map<string, ErrorInfo>;
}

export async function planDhmcDisable(env: ServiceEnv, scope: Scope, regions: readonly string[]): Promise<DisablePlan> {
  const states = await mapLimit(regions, env.regionConcurrency, (r) => readDhmcSettingOrError(env, scope, r));
  const changes: Change[] = [];
  const regionErrors = new Map<string, ErrorInfo>();
  for (const s of states) {
    if (s.error) regionErrors.set(s.region, s.error);
    else if (s.enabled) {
      changes.push({
        region: s.region,
        action: 'reset',
        resource: s.settingArn,
        operation: 'ssm:ResetServiceSetting',
        status: 'planned',
        details: { previousValue: s.settingValue },
        error: null,
      });
    }
  }
  return { scope, regions, changes, regionErrors };
}

function result(plan: DisablePlan, changes: Change[], dryRun: boolean): MutationResult {
  return {
    account: plan.scope.account,
    dryRun,
    changes,
    regions: regionOutcomes(plan.regions, plan.regionErrors, changes),
    warnings: [],
  };
}

export function disablePlanResult(plan: DisablePlan): MutationResult {
  return result(plan, plan.changes, true);
}

export async function applyDhmcDisable(env: ServiceEnv, plan: DisablePlan): Promise<MutationResult> {
  const changes = await mapLimit(plan.changes, env.regionConcurrency, async (c): Promise<Change> => {
    if (env.signal.aborted) return notAttempted(c, 'interrupted before this region was changed');
    try {
      const ssm = await env.clients.ssm(c.region!);
      await ssm.resetServiceSetting({ SettingId: c.resource });
      return { ...c, status: 'applied' };
    } catch (e) {
      return { ...c, status: 'failed', error: translateAwsError(e, { service: 'ssm', operation: 'ResetServiceSetting', region: c.region }).info };
    }
  });
  return result(plan, changes, false);
}
