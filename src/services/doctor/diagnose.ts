// doctor: collect the fleet's facts in batches, run the checks on each instance, and give a verdict
// with the one reason that matters most and the command that fixes it.
import type { ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import { collectFleet, type Selection } from './collect.js';
import { runChecks, type Check, type Route } from './checks.js';

/**
 * `stopped`: the instance is not running (pending, stopping, stopped), so its agent is not running
 * either; it is neither managed nor failing, and its checks say what it will meet when it runs.
 */
export type Verdict = 'managed' | 'ready' | 'not-ready' | 'stopped';

export interface InstanceReport {
  instanceId: string;
  region: string;
  name: string | null;
  state: string;
  verdict: Verdict;
  route: Route;
  reason: string;
  fix: string | null;
  checks: Check[];
}

export interface DoctorReport {
  account: string;
  instances: InstanceReport[];
  summary: { total: number; managed: number; ready: number; notReady: number; stopped: number };
  /** --instance-id values found in none of the regions read. */
  notFound: string[];
  regions: { region: string; ok: boolean; dhmcEnabled: boolean | null; error: ErrorInfo | null }[];
}

/** Which failure explains an instance best, most fundamental first. */
const PRIORITY = ['imds', 'instance-profile', 'identity-route', 'dhmc-role', 'dhmc-role-trust', 'dhmc-role-policy', 'network', 'agent-version', 'managed'];

const NOT_RUNNING = new Set(['pending', 'stopping', 'stopped']);

export function verdictOf(checks: readonly Check[], state = 'running'): { verdict: Verdict; reason: string; fix: string | null } {
  const managed = checks.find((c) => c.id === 'managed');
  if (managed?.status === 'pass') return { verdict: 'managed', reason: managed.message, fix: null };
  if (NOT_RUNNING.has(state)) {
    const fails = checks.filter((c) => c.status === 'fail').length;
    return { verdict: 'stopped', reason: `the instance is ${state}: SSM Agent runs only while it runs${fails ? ` (${fails} check${fails === 1 ? '' : 's'} would fail once it starts)` : ''}`, fix: null };
  }
  const fails = checks.filter((c) => c.status === 'fail').sort((a, b) => PRIORITY.indexOf(a.id) - PRIORITY.indexOf(b.id));
  if (fails.length > 0) return { verdict: 'not-ready', reason: fails[0]!.message, fix: fails[0]!.fix };
  const route = checks.find((c) => c.id === 'identity-route');
  return {
    verdict: 'ready',
    reason: `not registered yet, but nothing blocks it: ${route?.message ?? 'an identity is available'}; expect it within minutes (up to 30 with DHMC)`,
    fix: null,
  };
}

export async function diagnoseFleet(env: ServiceEnv, sel: Selection): Promise<DoctorReport> {
  const fleet = await collectFleet(env, sel);
  const instances: InstanceReport[] = [];
  for (const r of fleet.regions) {
    for (const i of r.instances) {
      const d = runChecks(i, r, fleet);
      instances.push({ instanceId: i.instanceId, region: i.region, name: i.name, state: i.state, ...verdictOf(d.checks, i.state), route: d.route, checks: d.checks });
    }
  }
  const count = (v: Verdict) => instances.filter((i) => i.verdict === v).length;
  return {
    account: fleet.account,
    instances,
    summary: { total: instances.length, managed: count('managed'), ready: count('ready'), notReady: count('not-ready'), stopped: count('stopped') },
    notFound: sel.instanceIds.filter((id) => !instances.some((i) => i.instanceId === id)),
    regions: fleet.regions.map((r) => ({ region: r.region, ok: r.error === null, dhmcEnabled: r.dhmc.error ? null : r.dhmc.enabled, error: r.error })),
  };
}
