// doctor: collect the fleet's facts in batches, run the checks on each instance, and give a verdict
// with the one reason that matters most and the command that fixes it.
import type { ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import { collectFleet, type Selection } from './collect.js';
import type { FleetFacts } from './facts.js';
import { runChecks, type Check, type Route } from './checks.js';
import { groupInstances, type DoctorGroup } from './group.js';

/**
 * `stopped`: the instance is not running (pending, stopping, stopped), so its agent is not running
 * either; it is neither managed nor failing, and its checks say what it will meet when it runs.
 * `unknown`: nothing known fails, but a read that a check needs failed - never "nothing blocks it".
 */
export type Verdict = 'managed' | 'ready' | 'not-ready' | 'stopped' | 'unknown';

export interface InstanceReport {
  instanceId: string;
  region: string;
  name: string | null;
  state: string;
  verdict: Verdict;
  route: Route;
  /** The check that decided a not-ready verdict (`identity-route`, `imds`...); null otherwise. */
  cause: string | null;
  reason: string;
  /** The commands that fix it, one per line, ready to paste; null when none. */
  fix: string | null;
  /** Another way to fix it, instead of `fix`; null when none. */
  alternative: string | null;
  checks: Check[];
}

export interface DoctorReport {
  account: string;
  instances: InstanceReport[];
  summary: { total: number; managed: number; ready: number; notReady: number; stopped: number; unknown: number };
  /** --instance-id values found in none of the regions (only when every region could be read). */
  notFound: string[];
  /** Reads that failed (a region's network, its managed nodes, a role...): the checks that needed them are `unknown`. */
  readErrors: { region: string | null; read: string; effect: string; error: ErrorInfo }[];
  regions: { region: string; ok: boolean; dhmcEnabled: boolean | null; error: ErrorInfo | null }[];
  /** The instances grouped by region, verdict and main reason, each group with one fix for all of it. */
  groups: DoctorGroup[];
}

/** Which failure explains an instance best, most fundamental first. */
const PRIORITY = ['imds', 'instance-profile', 'identity-route', 'dhmc-role', 'dhmc-role-trust', 'dhmc-role-policy', 'network', 'agent-version', 'managed'];

const NOT_RUNNING = new Set(['pending', 'stopping', 'stopped']);

type VerdictOf = { verdict: Verdict; cause: string | null; reason: string; fix: string | null; alternative: string | null };

export function verdictOf(checks: readonly Check[], state = 'running'): VerdictOf {
  const none = { cause: null, fix: null, alternative: null };
  const managed = checks.find((c) => c.id === 'managed');
  if (managed?.status === 'pass') return { verdict: 'managed', reason: managed.message, ...none };
  const byPriority = (status: Check['status']) => checks.filter((c) => c.status === status).sort((a, b) => PRIORITY.indexOf(a.id) - PRIORITY.indexOf(b.id));
  const fails = byPriority('fail');
  if (NOT_RUNNING.has(state)) {
    const failing = fails.length ? ` (failing now: ${fails.map((c) => c.id).join(', ')})` : '';
    return { verdict: 'stopped', reason: `the instance is ${state}: SSM Agent runs only while it runs${failing}`, ...none };
  }
  const main = fails[0];
  if (main) return { verdict: 'not-ready', cause: main.id, reason: main.message, fix: main.fix, alternative: main.alternative ?? null };
  const unknown = byPriority('unknown');
  if (unknown.length > 0) return { verdict: 'unknown', reason: `could not tell: ${unknown[0]!.message}`, ...none };
  const route = checks.find((c) => c.id === 'identity-route');
  // A warning that the identity may not work is not "nothing blocks it": say which statement is in doubt.
  const doubt = checks.find((c) => c.id === 'instance-profile' && c.status === 'warn' && / may not /.test(c.message));
  if (doubt && route?.status === 'warn') {
    return { verdict: 'ready', reason: `not registered yet, and it may not be able to: ${doubt.message}`, ...none };
  }
  const viaDhmc = route?.status === 'pass' && /uses DHMC/.test(route.message);
  return {
    verdict: 'ready',
    reason: `not registered yet, but nothing blocks it: ${route?.message ?? 'an identity is available'}; expect it within minutes${viaDhmc ? ' (up to 30 with DHMC)' : ''}`,
    ...none,
  };
}

/** Each partial read: what it is, and what its failure does to the answer. */
const READS: Record<string, { read: string; effect: string }> = {
  associations: { read: 'ec2:DescribeIamInstanceProfileAssociations', effect: "each instance's profile is taken from DescribeInstances instead" },
  managed: { read: 'ssm:DescribeInstanceInformation', effect: 'whether instances are registered is unknown' },
  network: { read: 'the network (route tables, VPC endpoints, their interfaces, security groups)', effect: 'the network checks are unknown' },
  quickSetup: { read: 'ssm:ListAssociations', effect: 'the Quick Setup check is skipped' },
};

function readErrors(fleet: FleetFacts): DoctorReport['readErrors'] {
  const out: DoctorReport['readErrors'] = [];
  for (const r of fleet.regions) {
    if (r.dhmc.error)
      out.push({
        region: r.region,
        read: 'ssm:GetServiceSetting',
        effect: 'where instances would fall back to DHMC, the identity is unknown',
        error: r.dhmc.error,
      });
    for (const [what, error] of r.gaps)
      out.push({ region: r.region, ...(READS[what] ?? { read: what, effect: 'the checks that need it are unknown' }), error });
  }
  for (const p of fleet.profiles.values())
    if (p.error) out.push({ region: null, read: `instance profile ${p.name}`, effect: 'the identity of its instances is unknown', error: p.error });
  for (const role of fleet.roles.values())
    if (role.error) out.push({ region: null, read: `role ${role.name}`, effect: 'the checks that judge it are unknown', error: role.error });
  return out;
}

export async function diagnoseFleet(env: ServiceEnv, sel: Selection): Promise<DoctorReport> {
  const fleet = await collectFleet(env, sel);
  const instances: InstanceReport[] = [];
  for (const r of fleet.regions) {
    for (const i of r.instances) {
      const d = runChecks(i, r, fleet);
      instances.push({
        instanceId: i.instanceId,
        region: i.region,
        name: i.name,
        state: i.state,
        ...verdictOf(d.checks, i.state),
        route: d.route,
        checks: d.checks,
      });
    }
  }
  const count = (v: Verdict) => instances.filter((i) => i.verdict === v).length;
  return {
    account: fleet.account,
    instances,
    summary: {
      total: instances.length,
      managed: count('managed'),
      ready: count('ready'),
      notReady: count('not-ready'),
      stopped: count('stopped'),
      unknown: count('unknown'),
    },
    // With a region unread, an id missing from the others may well be there: not "not found".
    notFound: fleet.regions.every((r) => r.error === null) ? sel.instanceIds.filter((id) => !instances.some((i) => i.instanceId === id)) : [],
    readErrors: readErrors(fleet),
    regions: fleet.regions.map((r) => ({ region: r.region, ok: r.error === null, dhmcEnabled: r.dhmc.error ? null : r.dhmc.enabled, error: r.error })),
    groups: groupInstances(instances, sel),
  };
}
