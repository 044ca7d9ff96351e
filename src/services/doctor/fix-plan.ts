// doctor --fix, planning: from one diagnosis to one plan of fixes, grouped so that each change is made
// once for everything it serves - one `endpoints create` per VPC, one policy attachment per role, one
// DHMC role per account, one profile attachment per region - and a "left for you" list of what cannot
// be fixed from the AWS side, each with its reason. Pure: the report's checks carry what a fix needs
// (their `fix` lines are the ready-to-paste commands doctor prints, so the ids and names they hold are
// exactly the ones doctor judged). The reads and writes are in fix-apply.ts.
import { atLeast, DHMC_MIN_AGENT } from '../../policies/agent-version.js';
import { DHMC_DEFAULT_ROLE_NAME } from '../../policies/dhmc-setting.js';
import { DHMC_DEFAULT_POLICY, INSTANCE_CORE_POLICY } from '../../policies/managed-policies.js';
import type { DoctorReport, InstanceReport } from './diagnose.js';
import type { Check } from './checks.js';

export type FixStrategy = 'profile' | 'dhmc';

export interface FixOptions {
  /** No identity: attach an instance profile (default) or turn DHMC on in the region. */
  strategy: FixStrategy;
  /** The instance profile attached (created when missing, as `profile create` does). */
  profileName: string;
  /** IMDSv1 allowed: require IMDSv2 only when asked (it can break applications that still use IMDSv1). */
  requireImdsv2: boolean;
  /** Run AWS-UpdateSSMAgent on managed instances whose agent is too old for DHMC. */
  updateAgent: boolean;
}

/**
 * The kinds of fix, in the order they are applied: IAM (roles, policies, profiles) before what uses it
 * (the attachments, the DHMC setting pointing at a role), then the instances and the network.
 */
export const FIX_ORDER = ['dhmc-enable', 'role-policy', 'profile-create', 'profile-attach', 'imds', 'egress-443', 'endpoints', 'update-agent'] as const;
export type FixKind = (typeof FIX_ORDER)[number];

export interface FixGroup {
  /** Stable key: kind and what it changes (`endpoints:us-east-1:vpc-0abc`). */
  id: string;
  kind: FixKind;
  /** null for IAM (global) fixes. */
  region: string | null;
  /** What the fix changes: a role, a profile, a VPC, a security group, or the regions' instances. */
  target: string;
  /** What is done, in words. */
  summary: string;
  /** The instances the fix serves. */
  instanceIds: string[];
  /** role-policy: other instances whose profiles carry the same role (they gain the permissions too). */
  sharedWith: string[];
  /** Groups that must have been applied first (a profile before it is attached). */
  dependsOn: string[];
  /** Regions a dhmc-enable turns DHMC on in (or repairs). */
  regions: string[];
  /** role-policy: the AWS managed policy attached (its name). */
  policy: string | null;
  /** imds: turn the metadata service on (and require IMDSv2), or only require IMDSv2. */
  imds: 'enable' | 'require-v2' | null;
  /** endpoints: the interface endpoint for ec2messages too (agents older than 3.3.40.0). */
  ec2messages: boolean;
  /** Said before consent: what the change can break. */
  warning: string | null;
}

export interface LeftForYou {
  instanceId: string;
  region: string;
  reason: string;
  /** A command that helps, when doctor has one (to review and run by hand). */
  command: string | null;
}

export interface FixPlan {
  options: FixOptions;
  groups: FixGroup[];
  leftForYou: LeftForYou[];
  /** What is not planned unless asked (IMDSv1, old agents), with the option that plans it. */
  notes: string[];
}

/** What a fix group must say; the rest starts empty. */
export type FixGroupSpec = Pick<FixGroup, 'id' | 'kind' | 'region' | 'target' | 'summary'> & Partial<FixGroup>;

export function fixGroup(g: FixGroupSpec): FixGroup {
  return { instanceIds: [], sharedWith: [], dependsOn: [], regions: [], policy: null, imds: null, ec2messages: false, warning: null, ...g };
}

const checkOf = (i: InstanceReport, id: string): Check | undefined => i.checks.find((c) => c.id === id);
const failed = (i: InstanceReport, id: string) => checkOf(i, id)?.status === 'fail';
/** A value following an option in one of doctor's commands (`--vpc-id vpc-0abc`). */
const optionIn = (command: string | null | undefined, option: string): string | null => new RegExp(`${option} (\\S+)`).exec(command ?? '')?.[1] ?? null;
/** The role a profile check names: `instance profile P: role R ...`. */
const profileRoleOf = (i: InstanceReport): string | null => /: role (\S+) /.exec(checkOf(i, 'instance-profile')?.message ?? '')?.[1] ?? null;
/** The agent version of a managed instance: `managed: Online, agent 3.2.1.0, ...`. */
const agentOf = (i: InstanceReport): string | null => /agent (\d[\d.]*)/.exec(checkOf(i, 'managed')?.message ?? '')?.[1] ?? null;

/** `profile update --role-name R` is the fix of a role that lacks permissions (no Deny, no boundary in the way). */
const lacksPermissions = (c: Check | undefined, role: string | null) => role !== null && c?.fix === `ssm-perms profile update --role-name ${role}`;

export function planFixes(report: DoctorReport, options: FixOptions): FixPlan {
  const groups = new Map<string, FixGroup>();
  const leftForYou: LeftForYou[] = [];
  const v1: InstanceReport[] = [];
  const oldAgents: InstanceReport[] = [];

  // Each group's instances also as a set: a fix shared by a fleet of thousands is not a quadratic scan.
  const members = new Map<string, Set<string>>();
  const add = (g: FixGroupSpec, i: InstanceReport) => {
    const group = groups.get(g.id) ?? fixGroup(g);
    let ids = members.get(g.id);
    if (!ids) members.set(g.id, (ids = new Set()));
    if (!ids.has(i.instanceId)) {
      ids.add(i.instanceId);
      group.instanceIds.push(i.instanceId);
    }
    if (!group.regions.includes(i.region) && g.kind === 'dhmc-enable') group.regions.push(i.region);
    group.ec2messages ||= g.ec2messages ?? false;
    groups.set(g.id, group);
  };
  const left = (i: InstanceReport, reason: string, command: string | null = null) =>
    leftForYou.push({ instanceId: i.instanceId, region: i.region, reason, command });

  const rolePolicy = (i: InstanceReport, role: string, policy: string, why: string) =>
    add(
      { id: `role-policy:${role}:${policy}`, kind: 'role-policy', region: null, target: role, policy, summary: `attach ${policy} to role ${role} (${why})` },
      i,
    );
  const dhmcEnable = (i: InstanceReport, role: string) =>
    add(
      {
        id: `dhmc-enable:${role}`,
        kind: 'dhmc-enable',
        region: null,
        target: role,
        summary: `turn DHMC on with role ${role} (created or completed as dhmc enable does)`,
      },
      i,
    );
  const attachProfile = (i: InstanceReport) => {
    const create = `profile-create:${options.profileName}`;
    add(
      {
        id: create,
        kind: 'profile-create',
        region: null,
        target: options.profileName,
        summary: `instance profile ${options.profileName} (created if missing, as profile create does)`,
      },
      i,
    );
    add(
      {
        id: `profile-attach:${i.region}:${options.profileName}`,
        kind: 'profile-attach',
        region: i.region,
        target: options.profileName,
        summary: `attach instance profile ${options.profileName} to the instances that have none`,
        dependsOn: [create],
      },
      i,
    );
  };

  for (const i of report.instances) {
    if (i.verdict === 'stopped') {
      // A stopped instance's checks say what it will meet; its agent does not run, so nothing registers now.
      if (/failing now/.test(i.reason)) left(i, `${i.reason}; start it, then run doctor --fix again`);
      continue;
    }
    if (i.verdict === 'unknown') {
      left(i, i.reason);
      continue;
    }
    const imds = checkOf(i, 'imds');
    if (imds?.status === 'fail') {
      add(
        {
          id: `imds:${i.region}:enable`,
          kind: 'imds',
          region: i.region,
          target: i.region,
          imds: 'enable',
          summary: 'turn the instance metadata service on, IMDSv2 required (HttpEndpoint=enabled, HttpTokens=required)',
        },
        i,
      );
    } else if (imds?.status === 'warn') {
      // "When IMDSv2 is required, IMDSv1 cannot be used. [...] Before requiring that IMDSv2 is used,
      // ensure that the instance isn't making IMDSv1 calls" (EC2 User Guide, "Modify instance metadata
      // options for existing instances", configuring-IMDS-existing-instances): so only when asked.
      if (options.requireImdsv2)
        add(
          {
            id: `imds:${i.region}:require-v2`,
            kind: 'imds',
            region: i.region,
            target: i.region,
            imds: 'require-v2',
            summary: 'require IMDSv2 (HttpTokens=required)',
            warning: 'applications on these instances that still use IMDSv1 (no session token) lose access to instance metadata',
          },
          i,
        );
      else v1.push(i);
    }

    // Identity: the profile's role first (it takes precedence over DHMC), then no identity at all.
    const profile = checkOf(i, 'instance-profile');
    const role = profileRoleOf(i);
    const route = checkOf(i, 'identity-route');
    // With --strategy dhmc, an instance whose profile cannot register it falls back to DHMC once it is on.
    const viaDhmc = options.strategy === 'dhmc' && route?.status === 'fail';
    if (!viaDhmc && (profile?.status === 'fail' || (profile?.status === 'warn' && / lets the agent register, but /.test(profile.message)))) {
      if (lacksPermissions(profile, role)) rolePolicy(i, role!, INSTANCE_CORE_POLICY, 'the agent needs its permissions');
      else if (profile.fix?.startsWith('ssm-perms profile create --name ')) {
        const name = optionIn(profile.fix, '--name')!;
        add(
          {
            id: `profile-create:${name}`,
            kind: 'profile-create',
            region: null,
            target: name,
            summary: `instance profile ${name} (created, as profile create does)`,
          },
          i,
        );
      } else if (profile.status === 'fail') left(i, `the instance profile cannot be fixed by adding permissions: ${profile.message}`, profile.fix);
    }
    if (route?.status === 'fail') {
      if (options.strategy === 'dhmc') dhmcEnable(i, DHMC_DEFAULT_ROLE_NAME);
      // An instance whose profile cannot register it is fixed through that profile's role (above).
      else if (route.alternative) attachProfile(i);
    }
    if (failed(i, 'dhmc-role')) dhmcEnable(i, /DHMC role (\S+)/.exec(checkOf(i, 'dhmc-role')!.message)?.[1] ?? DHMC_DEFAULT_ROLE_NAME);
    const trust = checkOf(i, 'dhmc-role-trust');
    // dhmc enable refuses a role that does not trust ssm.amazonaws.com rather than rewrite its trust.
    if (trust?.status === 'fail') left(i, `${trust.message}: review and run the command that adds the trust`, trust.fix);
    const dhmcPolicy = checkOf(i, 'dhmc-role-policy');
    if (dhmcPolicy?.status === 'fail') {
      const dhmcRole = optionIn(dhmcPolicy.fix, '--role-name');
      if (dhmcRole && dhmcPolicy.fix?.startsWith('aws iam attach-role-policy '))
        rolePolicy(i, dhmcRole, DHMC_DEFAULT_POLICY, 'the DHMC role lacks the agent permissions');
      else left(i, dhmcPolicy.message, dhmcPolicy.fix);
    }
    const agent = checkOf(i, 'agent-version');
    if (agent?.status === 'fail') {
      if (options.strategy === 'profile') attachProfile(i);
      else left(i, `${agent.message}`);
    }

    const network = checkOf(i, 'network');
    if (network?.status === 'fail') {
      const vpc = optionIn(network.fix, '--vpc-id');
      const sg = optionIn(network.fix, '--group-id');
      if (network.message.startsWith('no route to Systems Manager') && vpc) {
        add(
          {
            id: `endpoints:${i.region}:${vpc}`,
            kind: 'endpoints',
            region: i.region,
            target: vpc,
            summary: `VPC endpoints for Systems Manager in ${vpc} (as endpoints create does)`,
            ec2messages: / --ec2messages\b/.test(network.fix ?? ''),
          },
          i,
        );
      } else if (/allow no outbound HTTPS/.test(network.message) && sg && sg !== 'sg-...') {
        add(
          { id: `egress-443:${i.region}:${sg}`, kind: 'egress-443', region: i.region, target: sg, summary: `allow outbound TCP 443 from security group ${sg}` },
          i,
        );
      } else {
        // Rules between existing endpoints and instances: which group to open is the operator's choice.
        left(i, network.message, network.fix);
      }
    }
    if (failed(i, 'managed')) left(i, checkOf(i, 'managed')!.message);

    // Managed through its profile, but too old for DHMC: the agent can be updated through Run Command.
    const version = agentOf(i);
    if (i.verdict === 'managed' && i.route === 'instance-profile' && version && !atLeast(version, DHMC_MIN_AGENT)) {
      if (options.updateAgent)
        add(
          {
            id: `update-agent:${i.region}`,
            kind: 'update-agent',
            region: i.region,
            target: i.region,
            summary: `update SSM Agent to the latest version (AWS-UpdateSSMAgent through Run Command; DHMC needs ${DHMC_MIN_AGENT} or later)`,
          },
          i,
        );
      else oldAgents.push(i);
    }
  }

  // An instance that nothing from the AWS side blocks and that still is not registered after the fixes.
  const planned = new Set([...groups.values()].flatMap((g) => g.instanceIds));
  const blocked = new Set(leftForYou.map((l) => l.instanceId));
  for (const i of report.instances) {
    if (i.verdict === 'ready' && !planned.has(i.instanceId) && !blocked.has(i.instanceId))
      left(
        i,
        'nothing blocks it from the AWS side, but it is not registered: expect it within minutes (up to 30 with DHMC); if it never registers, SSM Agent is not installed or not running on it',
      );
  }

  // Which other instances carry the same role: they gain the permissions too.
  for (const g of groups.values()) {
    if (g.kind !== 'role-policy') continue;
    g.sharedWith = report.instances.filter((i) => profileRoleOf(i) === g.target && !g.instanceIds.includes(i.instanceId)).map((i) => i.instanceId);
  }

  const notes: string[] = [];
  const some = (n: number) => (n === 1 ? '1 instance allows' : `${n} instances allow`);
  if (v1.length)
    notes.push(`${some(v1.length)} IMDSv1 (${list(v1)}): --require-imdsv2 requires IMDSv2 on them, which breaks applications that still use IMDSv1`);
  if (oldAgents.length)
    notes.push(
      `${oldAgents.length === 1 ? '1 managed instance runs' : `${oldAgents.length} managed instances run`} an SSM Agent older than ${DHMC_MIN_AGENT}, too old for DHMC (${list(oldAgents)}): --update-agent runs AWS-UpdateSSMAgent on them`,
    );
  const ordered = [...groups.values()].sort((a, b) => FIX_ORDER.indexOf(a.kind) - FIX_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id));
  return { options, groups: ordered, leftForYou, notes };
}

const list = (is: readonly InstanceReport[]) =>
  `${is
    .slice(0, 5)
    .map((i) => i.instanceId)
    .join(', ')}${is.length > 5 ? ` and ${is.length - 5} more` : ''}`;
