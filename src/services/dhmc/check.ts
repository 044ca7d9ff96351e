// `dhmc status --check`: per region, the DHMC role checks and a preview of the fleet for DHMC -
// how many instances are ready for it, shadowed by an instance profile, without IMDS or IMDSv2, or
// with an agent too old (or not known yet).
import { atLeast, DHMC_MIN_AGENT } from '../../policies/agent-version.js';
import type { ServiceEnv } from '../env.js';
import { collectFleet } from '../doctor/collect.js';
import { dhmcRoleChecks, judgeRole, type Check } from '../doctor/checks.js';
import { judgeAgentRole } from '../doctor/agent-judge.js';
import type { FleetFacts, InstanceFacts, RegionFacts } from '../doctor/facts.js';
import type { DhmcRegionStatus, Scope } from './setting.js';
import type { ErrorInfo } from '../errors.js';

/** "1 instance has" / "3 instances have". */
const count = (n: number) => `${n} ${n === 1 ? 'instance has' : 'instances have'}`;

export interface FleetPreview {
  instances: number;
  managed: number;
  /** No profile that registers the agent, IMDS on, agent recent enough or not known yet. */
  readyForDhmc: number;
  shadowedByProfile: number;
  imdsDisabled: number;
  imdsV1Allowed: number;
  agentTooOld: number;
  agentUnknown: number;
}

export interface RegionCheck {
  region: string;
  checks: Check[];
  fleet: FleetPreview | null;
  /** Reads that failed for this region's checks (the instances, the DHMC role, profiles' roles, partial fleet reads). */
  readErrors: ErrorInfo[];
}

function registersThroughProfile(i: InstanceFacts, r: RegionFacts, fleet: FleetFacts): boolean {
  const profile = i.profileArn ? fleet.profiles.get(i.profileArn) : undefined;
  const role = profile?.roleName ? fleet.roles.get(profile.roleName) : undefined;
  return !!role?.exists && !role.error && judgeRole(role, i, r, fleet, 'instance-profile').registers === 'yes';
}

function preview(r: RegionFacts, fleet: FleetFacts): FleetPreview {
  const p: FleetPreview = {
    instances: 0,
    managed: 0,
    readyForDhmc: 0,
    shadowedByProfile: 0,
    imdsDisabled: 0,
    imdsV1Allowed: 0,
    agentTooOld: 0,
    agentUnknown: 0,
  };
  for (const i of r.instances) {
    p.instances += 1;
    const node = r.managed.get(i.instanceId);
    if (node?.pingStatus === 'Online') p.managed += 1;
    const shadowed = registersThroughProfile(i, r, fleet);
    if (shadowed) p.shadowedByProfile += 1;
    if (i.httpEndpoint === 'disabled') p.imdsDisabled += 1;
    else if (i.httpTokens !== 'required') p.imdsV1Allowed += 1;
    const version = node?.agentVersion ?? null;
    const oldAgent = version !== null && !atLeast(version, DHMC_MIN_AGENT);
    if (version === null) p.agentUnknown += 1;
    if (oldAgent) p.agentTooOld += 1;
    if (!shadowed && i.httpEndpoint !== 'disabled' && !oldAgent) p.readyForDhmc += 1;
  }
  return p;
}

/** `settings`: the regions' DHMC settings as dhmc status just read them. */
export async function dhmcCheck(env: ServiceEnv, scope: Scope & { iamRegion: string }, settings: readonly DhmcRegionStatus[]): Promise<RegionCheck[]> {
  const fleet = await collectFleet(env, {
    ...scope,
    regions: settings.map((s) => s.region),
    instanceIds: [],
    tags: [],
    dhmcSettings: new Map(settings.map((s) => [s.region, s])),
  });
  return fleet.regions.map((r) => {
    const checks: Check[] = [];
    if (r.dhmc.error) checks.push({ id: 'dhmc-setting', status: 'skip', message: `the setting could not be read: ${r.dhmc.error.code}`, fix: null });
    else if (!r.dhmc.enabled)
      checks.push({ id: 'dhmc-setting', status: 'skip', message: 'DHMC is off: no role to check', fix: `ssm-perms dhmc enable --region ${r.region}` });
    else {
      // For the region as a whole: the role must serve every instance (the request names instance/*).
      const role = fleet.roles.get(r.dhmc.roleName!);
      const judgement =
        role?.exists && !role.error
          ? judgeAgentRole(role, { partition: fleet.partition, account: fleet.account, region: r.region, instanceId: null, agentVersion: null }, 'dhmc')
          : null;
      checks.push(...dhmcRoleChecks(role, r.dhmc.roleName!, judgement, r.region, fleet.partition));
    }
    if (r.error) checks.push({ id: 'fleet', status: 'skip', message: `instances could not be read: ${r.error.code}`, fix: null });
    const fleetPreview = r.error ? null : preview(r, fleet);
    if (fleetPreview && fleetPreview.imdsDisabled + fleetPreview.agentTooOld > 0) {
      checks.push({
        id: 'fleet',
        status: 'warn',
        message: `${[
          fleetPreview.imdsDisabled ? `${count(fleetPreview.imdsDisabled)} IMDS disabled` : '',
          fleetPreview.agentTooOld ? `${count(fleetPreview.agentTooOld)} an agent older than ${DHMC_MIN_AGENT}` : '',
        ]
          .filter(Boolean)
          .join(', and ')}: DHMC cannot reach ${fleetPreview.imdsDisabled + fleetPreview.agentTooOld === 1 ? 'it' : 'them'}`,
        fix: `ssm-perms doctor --region ${r.region}`,
      });
    }
    if (fleetPreview && fleetPreview.shadowedByProfile > 0) {
      checks.push({
        id: 'fleet-shadowed',
        status: 'warn',
        message: `${fleetPreview.shadowedByProfile} ${fleetPreview.shadowedByProfile === 1 ? 'instance uses' : 'instances use'} an instance profile that allows ssm:UpdateInstanceInformation, which takes precedence over DHMC`,
        fix: null,
      });
    }
    // The instances not read at all leave the preview undone: a read error like the partial ones.
    const readErrors: ErrorInfo[] = [...(r.error ? [r.error] : []), ...r.gaps.values()];
    const dhmcRole = r.dhmc.roleName ? fleet.roles.get(r.dhmc.roleName) : undefined;
    if (dhmcRole?.error) readErrors.push(dhmcRole.error);
    for (const i of r.instances) {
      const profile = i.profileArn ? fleet.profiles.get(i.profileArn) : undefined;
      const role = profile?.roleName ? fleet.roles.get(profile.roleName) : undefined;
      for (const e of [profile?.error, role?.error]) if (e && !readErrors.includes(e)) readErrors.push(e);
    }
    return { region: r.region, checks, fleet: fleetPreview, readErrors };
  });
}
