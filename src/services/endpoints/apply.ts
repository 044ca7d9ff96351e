// endpoints create, applying: the planned steps in order (DNS attributes, the endpoint group and its
// rule, then the endpoints), stopping at the first failure and reporting the rest as not attempted.
import type { ServiceEnv } from '../env.js';
import { regionOutcomes, type MutationResult } from '../result.js';
import { runSteps } from '../steps.js';
import type { EndpointsPlan } from './plan.js';

export async function applyEndpoints(env: ServiceEnv, plan: EndpointsPlan): Promise<MutationResult> {
  const changes = await runSteps(env, plan.steps);
  return {
    account: plan.request.account,
    dryRun: false,
    changes,
    regions: regionOutcomes([plan.request.region], new Map(), changes),
    warnings: plan.warnings,
  };
}
