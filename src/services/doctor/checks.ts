// The per-instance checks of doctor, as pure functions of the collected facts. Each check has an id,
// a status (pass / warn / fail / skip), a message and, where one exists, the command that fixes it.
import { DHMC_DEFAULT_POLICY, INSTANCE_CORE_POLICY } from '../../policies/managed-policies.js';
import { atLeast, DHMC_MIN_AGENT, SSMMESSAGES_ONLY_AGENT } from '../../policies/agent-version.js';
import { judgeAgentRole, type AgentJudgement } from './agent-judge.js';
import { DEFAULT_PROFILE_NAME } from '../../policies/defaults.js';
import { egressAllows, ingressAllows, internetPath, routeTableFor, type SecurityGroup } from '../../policies/network.js';
import { awsManagedPolicyArn } from '../../policies/partition.js';
import { checkServiceTrust as readServiceTrust, EC2_SERVICE_PRINCIPAL, SSM_SERVICE_PRINCIPAL, type TrustCheck } from '../../policies/trust.js';
import { trustAddingService, updateTrustCommand } from '../../policies/trust-merge.js';
import type { FleetFacts, InstanceFacts, QuickSetupAssociation, RegionFacts, RoleFacts } from './facts.js';

/** `unknown`: the check could not be decided because a read failed (never a silent pass or fail). */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'unknown';

export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  /**
   * The commands that fix it, one per line, each ready to paste as it is (run in order); null when no
   * command can (the message then says what to do).
   */
  fix: string | null;
  /** Another way to fix it, instead of `fix` (e.g. a profile instead of DHMC); null or absent when none. */
  alternative?: string | null;
}

/** `uncertain`: the profile may or may not register the agent (a condition on a key AWS does not show). */
export type Route = 'instance-profile' | 'dhmc' | 'uncertain' | 'none';

// `alternative` only where a check has one, so the checks without keep their four keys.
const check = (id: string, status: CheckStatus, message: string, fix: string | null = null, alternative: string | null = null): Check =>
  alternative === null ? { id, status, message, fix } : { id, status, message, fix, alternative };

/**
 * A role's trust for a service, read once per document: it is a function of the text alone, and doctor
 * asks it of the same role for every instance that uses it.
 */
const trustChecks = new Map<string, Map<string | undefined, TrustCheck>>();
function checkServiceTrust(documentText: string | undefined, service: string): TrustCheck {
  let byText = trustChecks.get(service);
  if (!byText) trustChecks.set(service, (byText = new Map()));
  let found = byText.get(documentText);
  if (!found) byText.set(documentText, (found = readServiceTrust(documentText, service)));
  return found;
}

/** The agent version of the instance as SSM last saw it, or null. */
function agentVersionOf(i: InstanceFacts, r: RegionFacts): string | null {
  return r.managed.get(i.instanceId)?.agentVersion ?? null;
}

/** Whether a role lets the agent of this instance register and work, judged by the IAM evaluator. */
export function judgeRole(role: RoleFacts, i: InstanceFacts, r: RegionFacts, fleet: FleetFacts, route: 'instance-profile' | 'dhmc'): AgentJudgement {
  return judgeAgentRole(
    role,
    {
      partition: fleet.partition,
      account: fleet.account,
      region: r.region,
      instanceId: i.instanceId,
      instanceTags: i.tags,
      privateIp: i.privateIp,
      vpcId: i.vpcId,
      agentVersion: agentVersionOf(i, r),
      ...(fleet.readAt ? { now: fleet.readAt } : {}),
    },
    route,
  );
}

/** "statement S of policy P depends on K, which cannot be known from the AWS side", for warnings. */
function uncertainty(j: AgentJudgement, action?: string): string {
  const u = j.uncertain.find((x) => x.action === (action ?? 'ssm:UpdateInstanceInformation')) ?? j.uncertain[0];
  if (!u) return 'a statement may or may not apply';
  return u.keys.length ? `${u.statement} depends on ${u.keys.join(', ')}, which cannot be known from the AWS side` : `${u.statement} could not be read in full`;
}

/**
 * Why a role refuses the agent's actions, and what would change that: an added Allow does nothing
 * against an explicit Deny or a permissions boundary, so those are named with their own fix.
 * `actions` are the refused ones (registration first); their causes come from the judgement.
 */
export function refusalOf(
  j: AgentJudgement,
  roleName: string,
  actions: readonly string[] = ['ssm:UpdateInstanceInformation'],
): { message: string; fix: string | null } {
  const causes = actions.map((a) => (a === 'ssm:UpdateInstanceInformation' ? j.blockedBy : (j.causes[a] ?? null)));
  const named = actions.join(', ');
  const deny = causes.find((c) => c?.kind === 'deny');
  if (deny?.kind === 'deny') {
    const inline = deny.policy.startsWith('inline:') ? deny.policy.slice('inline:'.length) : null;
    const show = inline ? `aws iam get-role-policy --role-name ${roleName} --policy-name ${inline}` : `aws iam get-policy --policy-arn ${deny.policy}`;
    // No command can decide how to narrow someone's Deny: the fix shows it, the message says what to do.
    return { message: `denies ${named} (${deny.statement}); remove or narrow that Deny: adding permissions cannot override it`, fix: show };
  }
  const boundary = causes.find((c) => c?.kind === 'boundary' || c?.kind === 'role-and-boundary');
  if (boundary) {
    const removal = `aws iam delete-role-permissions-boundary --role-name ${roleName}`;
    return boundary.kind === 'boundary'
      ? {
          message: `is limited by permissions boundary ${boundary.policy}, which does not allow ${named}; add them to the boundary policy, or remove the boundary`,
          fix: removal,
        }
      : {
          message: `does not allow ${named}, and neither does its permissions boundary ${boundary.policy}; add them to the boundary policy too, or remove the boundary`,
          fix: `ssm-perms profile update --role-name ${roleName}\n${removal}`,
        };
  }
  return { message: `${j.denied ? 'denies' : 'does not allow'} ${named}`, fix: null };
}

/** The agent's actions other than registration that may or may not be allowed. */
function uncertainActions(j: AgentJudgement): string[] {
  return [...new Set(j.uncertain.map((u) => u.action).filter((a) => a !== 'ssm:UpdateInstanceInformation'))];
}

/** The DHMC role of a region: it exists, trusts ssm.amazonaws.com, and carries the agent's permissions. */
export function dhmcRoleChecks(role: RoleFacts | undefined, roleName: string, judgement: AgentJudgement | null, region: string, partition: string): Check[] {
  const fixEnable = `ssm-perms dhmc enable --region ${region}`;
  if (role?.error) return [check('dhmc-role', 'unknown', `could not read the DHMC role ${roleName}: ${role.error.code} (${role.error.message})`)];
  if (!role || !role.exists) return [check('dhmc-role', 'fail', `the DHMC role ${roleName} does not exist`, fixEnable)];
  if (!judgement) return [check('dhmc-role', 'unknown', `could not judge the DHMC role ${roleName}`)];
  const out: Check[] = [];
  out.push(
    checkServiceTrust(role.trustPolicy, SSM_SERVICE_PRINCIPAL).trusted
      ? check('dhmc-role-trust', 'pass', `role ${roleName} trusts ${SSM_SERVICE_PRINCIPAL}`)
      : check(
          'dhmc-role-trust',
          'fail',
          `role ${roleName} does not trust ${SSM_SERVICE_PRINCIPAL}`,
          // The role's other trust stays (an instance profile's role also trusts ec2.amazonaws.com).
          updateTrustCommand(roleName, trustAddingService(role.trustPolicy, SSM_SERVICE_PRINCIPAL)),
        ),
  );
  const known = [DHMC_DEFAULT_POLICY, INSTANCE_CORE_POLICY].map((p) => awsManagedPolicyArn(partition, p));
  const hasKnown = role.attachedPolicyArns.some((a) => known.includes(a));
  const fixPolicy = `aws iam attach-role-policy --role-name ${roleName} --policy-arn ${awsManagedPolicyArn(partition, DHMC_DEFAULT_POLICY)}`;
  if (judgement.registers === 'maybe') {
    out.push(check('dhmc-role-policy', 'warn', `role ${roleName} may not allow ssm:UpdateInstanceInformation: ${uncertainty(judgement)}`));
  } else if (judgement.registers === 'yes' && judgement.missing.length === 0 && uncertainActions(judgement).length > 0) {
    const maybe = uncertainActions(judgement);
    out.push(check('dhmc-role-policy', 'warn', `role ${roleName} may not allow ${maybe.join(', ')}: ${uncertainty(judgement, maybe[0])}`));
  } else if (judgement.registers === 'yes' && judgement.missing.length === 0) {
    out.push(check('dhmc-role-policy', 'pass', `role ${roleName} allows the agent's actions${hasKnown ? '' : ' (through custom policies)'}`));
  } else {
    const what = judgement.registers === 'no' ? ['ssm:UpdateInstanceInformation', ...judgement.missing] : judgement.missing;
    const refusal = refusalOf(judgement, roleName, what);
    out.push(check('dhmc-role-policy', 'fail', `role ${roleName} ${refusal.message}`, refusal.fix ?? fixPolicy));
  }
  return out;
}

function managedCheck(i: InstanceFacts, r: RegionFacts): Check {
  const node = r.managed.get(i.instanceId);
  if (node) {
    const since = node.lastPing ? `, last ping ${node.lastPing}` : '';
    if (node.pingStatus === 'Online') return check('managed', 'pass', `managed: Online, agent ${node.agentVersion ?? 'unknown'}${since}`);
    return check(
      'managed',
      'fail',
      // Only on the instance itself can the agent be restarted: no command from here, the steps in words.
      `registered but ${node.pingStatus ?? 'not Online'}${since}: the agent stopped reporting (agent stopped, or it lost its route or credentials); check the other findings, then restart SSM Agent on the instance`,
    );
  }
  if (r.gaps.has('managed'))
    return check(
      'managed',
      'unknown',
      `could not read the managed nodes (ssm:DescribeInstanceInformation: ${r.gaps.get('managed')!.code}), so whether it is registered is not known`,
    );
  if (i.state === 'stopped' || i.state === 'stopping')
    return check('managed', 'skip', `the instance is ${i.state}; Systems Manager lists running instances only`);
  return check('managed', 'warn', 'not registered with Systems Manager');
}

function imdsCheck(i: InstanceFacts): Check {
  const fix = (options: string) => `aws ec2 modify-instance-metadata-options --instance-id ${i.instanceId} ${options} --region ${i.region}`;
  if (i.httpEndpoint === 'disabled') {
    return check(
      'imds',
      'fail',
      'the instance metadata service is disabled: the agent can get neither instance profile nor DHMC credentials',
      fix('--http-endpoint enabled --http-tokens required'),
    );
  }
  if (i.httpTokens !== 'required')
    return check('imds', 'warn', 'IMDSv1 is still allowed (HttpTokens optional; Security Hub EC2.8); DHMC uses IMDSv2', fix('--http-tokens required'));
  return check('imds', 'pass', 'IMDS enabled, IMDSv2 required');
}

interface Identity {
  route: Route;
  checks: Check[];
}

/** Whether the instance profile gives the agent credentials it can register with. */
interface ProfileVerdict {
  usable: 'yes' | 'no' | 'maybe';
  check: Check;
}

function profileVerdict(i: InstanceFacts, r: RegionFacts, fleet: FleetFacts): ProfileVerdict {
  const profileArn = i.profileArn!;
  const profile = fleet.profiles.get(profileArn);
  const name = profile?.name ?? profileArn.split('/').pop()!;
  const dhmcOn = r.dhmc.enabled;
  // A broken profile is not the end: the agent then falls back to DHMC (ec2_role_provider.go).
  const broken = (message: string, fix: string): ProfileVerdict => ({
    usable: 'no',
    check: dhmcOn
      ? check('instance-profile', 'warn', `${message}, so the agent falls back to DHMC`, fix)
      : r.dhmc.error
        ? check('instance-profile', 'warn', `${message}, so the agent falls back to DHMC, whose setting could not be read`, fix)
        : check('instance-profile', 'fail', message, fix),
  });
  if (!profile || profile.error) {
    return {
      usable: 'maybe',
      check: check('instance-profile', 'unknown', `could not read instance profile ${name}${profile?.error ? `: ${profile.error.code}` : ''}`),
    };
  }
  if (!profile.exists) return broken(`instance profile ${name} is attached but no longer exists`, `ssm-perms profile create --name ${name}`);
  const role = profile.roleName ? fleet.roles.get(profile.roleName) : undefined;
  // A role that could not be read is unknown, not missing: the error comes before the absence.
  if (role?.error)
    return {
      usable: 'maybe',
      check: check('instance-profile', 'unknown', `could not read role ${role.name} of instance profile ${name}: ${role.error.code} (${role.error.message})`),
    };
  if (!profile.roleName || !role?.exists) {
    return broken(`instance profile ${name} holds no usable role`, `aws iam add-role-to-instance-profile --instance-profile-name ${name} --role-name ROLE`);
  }
  // EC2 hands the profile's credentials to the instance only if the role trusts ec2.amazonaws.com
  // (IMDS answers AssumeRoleUnauthorizedAccess otherwise), and then the agent falls back to DHMC.
  if (!checkServiceTrust(role.trustPolicy, EC2_SERVICE_PRINCIPAL).trusted) {
    return broken(
      `instance profile ${name}: role ${role.name} does not trust ${EC2_SERVICE_PRINCIPAL}, so EC2 cannot give its credentials to the instance`,
      updateTrustCommand(role.name, trustAddingService(role.trustPolicy, EC2_SERVICE_PRINCIPAL)),
    );
  }
  const j = judgeRole(role, i, r, fleet, 'instance-profile');
  if (j.registers === 'maybe') {
    return {
      usable: 'maybe',
      check: check('instance-profile', 'warn', `instance profile ${name}: role ${role.name} may not allow ssm:UpdateInstanceInformation: ${uncertainty(j)}`),
    };
  }
  if (j.registers === 'yes') {
    const maybe = uncertainActions(j);
    return {
      usable: 'yes',
      check:
        j.missing.length > 0
          ? (() => {
              const refusal = refusalOf(j, role.name, j.missing);
              return check(
                'instance-profile',
                'warn',
                `instance profile ${name}: role ${role.name} lets the agent register, but ${refusal.message} (the features that need them - Run Command, Session Manager, associations, inventory - fail)`,
                refusal.fix ?? `ssm-perms profile update --role-name ${role.name}`,
              );
            })()
          : maybe.length > 0
            ? check(
                'instance-profile',
                'warn',
                `instance profile ${name}: role ${role.name} lets the agent register; it may not allow ${maybe.join(', ')}: ${uncertainty(j, maybe[0])}`,
              )
            : check('instance-profile', 'pass', `instance profile ${name}: role ${role.name} allows the agent's actions`),
    };
  }
  const refusal = refusalOf(j, role.name);
  return broken(`instance profile ${name}: role ${role.name} ${refusal.message}`, refusal.fix ?? `ssm-perms profile update --role-name ${role.name}`);
}

/**
 * The agent's identity, in its own order (amazon-ssm-agent, common/identity/credentialproviders/
 * ec2roleprovider/ec2_role_provider.go): the instance profile's credentials first; when there is no
 * profile, the profile has no role, or its role is refused ssm:UpdateInstanceInformation, DHMC.
 */
function identity(i: InstanceFacts, r: RegionFacts, fleet: FleetFacts): Identity {
  const region = i.region;
  const profile = i.profileArn
    ? profileVerdict(i, r, fleet)
    : { usable: 'no' as const, check: check('instance-profile', 'skip', 'no instance profile attached') };
  const checks: Check[] = [profile.check];
  const profileName = i.profileArn?.split('/').pop();

  if (profile.usable === 'yes') {
    checks.push(
      r.dhmc.enabled
        ? check(
            'identity-route',
            'warn',
            `the agent uses instance profile ${profileName}, which takes precedence over DHMC (DHMC does not apply to this instance; to use DHMC instead, detach the profile or remove ssm:UpdateInstanceInformation from its role)`,
          )
        : check('identity-route', 'pass', `the agent uses instance profile ${profileName}`),
    );
    return { route: 'instance-profile', checks };
  }
  // Without the DHMC setting, the fallback cannot be judged: say so rather than call DHMC off.
  const dhmcUnread = r.dhmc.error ? `the DHMC setting could not be read (ssm:GetServiceSetting: ${r.dhmc.error.code})` : null;
  if (profile.usable === 'maybe' && dhmcUnread) {
    checks.push(
      check('identity-route', 'unknown', `the agent uses instance profile ${profileName} if it can register with it, and DHMC otherwise, but ${dhmcUnread}`),
    );
    return { route: 'uncertain', checks };
  }
  if (profile.usable === 'maybe') {
    checks.push(
      r.dhmc.enabled
        ? check(
            'identity-route',
            'warn',
            `the agent uses instance profile ${profileName} if it can register with it, and DHMC (role ${r.dhmc.settingValue}) otherwise`,
          )
        : check(
            'identity-route',
            'warn',
            `the agent can only use instance profile ${profileName}, and whether it may register with it is not certain; DHMC is off in ${region}`,
            `ssm-perms dhmc enable --region ${region}`,
          ),
    );
    return { route: r.dhmc.enabled ? 'uncertain' : 'instance-profile', checks };
  }
  if (r.dhmc.enabled) {
    checks.push(
      check(
        'identity-route',
        'pass',
        `the agent uses DHMC (role ${r.dhmc.settingValue})${i.profileArn ? `, as instance profile ${profileName} cannot register it` : ''}`,
      ),
    );
    return { route: 'dhmc', checks };
  }
  if (dhmcUnread) {
    checks.push(
      check(
        'identity-route',
        'unknown',
        `${i.profileArn ? 'the instance profile cannot register the agent' : 'no instance profile'}, so the agent turns to DHMC, but ${dhmcUnread}`,
      ),
    );
    return { route: 'uncertain', checks };
  }
  checks.push(
    check(
      'identity-route',
      'fail',
      `no identity: ${i.profileArn ? 'the instance profile cannot register the agent' : 'no instance profile'} and DHMC is off in ${region}`,
      `ssm-perms dhmc enable --region ${region}`,
      i.profileArn ? null : attachDefaultProfile(i.instanceId, region),
    ),
  );
  return { route: 'none', checks };
}

/**
 * Give an instance the default profile: created first (profile create changes nothing when it exists
 * as asked), so that the pasted lines work in an account that has no SSMInstanceProfile yet.
 */
const attachDefaultProfile = (instanceId: string, region: string) =>
  `ssm-perms profile create --name ${DEFAULT_PROFILE_NAME} --region ${region}\nssm-perms profile attach --name ${DEFAULT_PROFILE_NAME} --instance-id ${instanceId} --region ${region}`;

function agentCheck(i: InstanceFacts, r: RegionFacts, route: Route): Check {
  const version = r.managed.get(i.instanceId)?.agentVersion ?? null;
  if (!version) {
    return route === 'dhmc'
      ? check('agent-version', 'warn', `agent version unknown until the instance registers; DHMC needs ${DHMC_MIN_AGENT} or later`)
      : check('agent-version', 'skip', 'agent version unknown until the instance registers');
  }
  if (route === 'dhmc' && !atLeast(version, DHMC_MIN_AGENT)) {
    return check(
      'agent-version',
      'fail',
      `agent ${version} is older than ${DHMC_MIN_AGENT}, the minimum for DHMC: give the instance a profile, or update SSM Agent on it by other means (it cannot register to run AWS-UpdateSSMAgent)`,
      attachDefaultProfile(i.instanceId, i.region),
    );
  }
  return check('agent-version', 'pass', `agent ${version}`);
}

function networkCheck(i: InstanceFacts, r: RegionFacts): Check {
  if (r.gaps.has('network'))
    return check('network', 'unknown', `could not read the network (route tables, endpoints, security groups): ${r.gaps.get('network')!.code}`);
  const vpc = i.vpcId ? r.vpcs.get(i.vpcId) : undefined;
  if (!vpc) return check('network', 'skip', 'no VPC information for this instance');
  const groups = i.securityGroupIds.map((id) => vpc.groups.get(id)).filter((g): g is SecurityGroup => !!g);
  const path = internetPath(routeTableFor(vpc.routeTables, i.subnetId), i.hasPublicIp);
  const sgFix = `aws ec2 authorize-security-group-egress --group-id ${i.securityGroupIds[0] ?? 'sg-...'} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}] --region ${i.region}`;

  const version = r.managed.get(i.instanceId)?.agentVersion ?? null;
  // ec2messages only for agents known to be older than 3.3.40.0 (RELEASENOTES 3.3.40.0).
  const needed = ['ssm', 'ssmmessages', ...(version && !atLeast(version, SSMMESSAGES_ONLY_AGENT) ? ['ec2messages'] : [])];
  const usable = (service: string) => vpc.endpoints.find((e) => e.service === service && e.available && e.privateDns);
  const endpointsOk = ['ssm', 'ssmmessages'].every((s) => usable(s));

  // A stopped instance has no public IP until it starts; whether it gets one then is not shown.
  if (path.path === 'igw-without-public-ip' && i.state !== 'running' && egressAllows(groups, { anyIp: true })) {
    return check(
      'network',
      'warn',
      `${path.detail.replace(', but the instance has no public IP', '')}; the instance is ${i.state}, so whether it has a public IP once it starts is not known`,
    );
  }
  if (path.path === 'internet-gateway' || path.path === 'nat') {
    if (!egressAllows(groups, { anyIp: true }) && !endpointsOk)
      return check('network', 'fail', `${path.detail}, but the security groups allow no outbound HTTPS (443)`, sgFix);
    if (egressAllows(groups, { anyIp: true })) return check('network', 'pass', `${path.detail}; outbound 443 allowed`);
  }
  if (endpointsOk) {
    const problems: string[] = [];
    // The rules that would open the way, as commands (one per rule, deduplicated): inbound 443 from the
    // instance's first group on each endpoint group; outbound 443 to the endpoint's groups.
    const rules = new Set<string>();
    const instanceGroup = i.securityGroupIds[0];
    for (const service of needed) {
      const e = usable(service);
      if (!e) {
        problems.push(
          `no ${service} endpoint with private DNS${service === 'ec2messages' ? ` (agent ${version} is older than ${SSMMESSAGES_ONLY_AGENT} and still needs it for commands)` : ''}`,
        );
        continue;
      }
      const endpointGroups = e.groupIds.map((id) => vpc.groups.get(id)).filter((g): g is SecurityGroup => !!g);
      if (!ingressAllows(endpointGroups, { ip: i.privateIp, groupIds: i.securityGroupIds })) {
        problems.push(`endpoint ${e.id} (${service}) does not allow inbound 443 from the instance`);
        if (instanceGroup && e.groupIds[0])
          rules.add(
            `aws ec2 authorize-security-group-ingress --group-id ${e.groupIds[0]} --protocol tcp --port 443 --source-group ${instanceGroup} --region ${i.region}`,
          );
      }
      // Egress is judged against where the traffic goes: the endpoint's interfaces (or its groups).
      if (!egressAllows(groups, { ips: e.ips, groupIds: e.groupIds })) {
        problems.push(`the instance's security groups allow no outbound 443 to endpoint ${e.id}${e.ips.length ? ` (${e.ips.join(', ')})` : ''}`);
        if (instanceGroup && e.groupIds[0])
          rules.add(
            `aws ec2 authorize-security-group-egress --group-id ${instanceGroup} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=${e.groupIds[0]}}] --region ${i.region}`,
          );
      }
    }
    const hard = problems.filter((p) => !p.startsWith('no ec2messages'));
    if (hard.length) return check('network', 'fail', `through VPC endpoints: ${hard.join('; ')}`, rules.size ? [...rules].join('\n') : null);
    if (problems.length)
      return check(
        'network',
        'warn',
        `through VPC endpoints; ${problems.join('; ')}`,
        // endpoints create keeps the endpoints there are and adds ec2messages (with private DNS, in the
        // instances' zones, behind a group that admits 443 from the VPC).
        `ssm-perms endpoints create --vpc-id ${i.vpcId} --ec2messages --region ${i.region}`,
      );
    return check('network', 'pass', `through VPC endpoints (${needed.join(', ')}) with private DNS; 443 allowed both ways`);
  }
  if (path.path === 'other') return check('network', 'warn', `${path.detail}; make sure it reaches the ssm and ssmmessages endpoints on 443`);
  const missing = ['ssm', 'ssmmessages'].filter((s) => !usable(s));
  return check(
    'network',
    'fail',
    `no route to Systems Manager: ${path.detail}, and the VPC has no interface endpoint with private DNS for ${missing.join(' and ')} (create them, or route 0.0.0.0/0 to a NAT gateway)`,
    // endpoints create makes what the bare CreateVpcEndpoint calls would not: the VPC's DNS attributes that
    // private DNS needs (with consent), a security group admitting 443 from the VPC, one subnet per zone
    // of the instances; it keeps the endpoints the VPC has. One command for a whole VPC, so doctor's
    // groups merge it.
    `ssm-perms endpoints create --vpc-id ${i.vpcId}${needed.includes('ec2messages') && !usable('ec2messages') ? ' --ec2messages' : ''} --region ${i.region}`,
  );
}

/** Does a State Manager association target the instance? Targets it cannot judge (resource groups) count. */
export function targets(a: QuickSetupAssociation, i: InstanceFacts): boolean {
  return a.targets.every((t) => {
    if (t.key === 'InstanceIds') return t.values.includes('*') || t.values.includes(i.instanceId);
    if (t.key.startsWith('tag:')) return t.values.includes(i.tags[t.key.slice(4)] ?? '\u0000');
    if (t.key === 'tag-key') return t.values.some((k) => k in i.tags);
    return true;
  });
}

function quickSetupCheck(i: InstanceFacts, r: RegionFacts): Check {
  if (r.gaps.has('quickSetup')) return check('quick-setup', 'skip', `could not list State Manager associations: ${r.gaps.get('quickSetup')!.code}`);
  const hits = r.quickSetup.filter((a) => targets(a, i));
  if (hits.length === 0) return check('quick-setup', 'pass', 'no association running AWS-AttachIAMToInstance targets this instance');
  const names = hits.map((a) => a.associationName ?? a.associationId).join(', ');
  return check(
    'quick-setup',
    'warn',
    // Advice, not a command: what to do with the association is the operator's choice.
    `association ${names} runs AWS-AttachIAMToInstance on this instance and can replace its profile (ForceReplace defaults to true); review the Quick Setup Host Management configuration before changing profiles by hand`,
  );
}

export interface InstanceDiagnosis {
  route: Route;
  checks: Check[];
}

export function runChecks(i: InstanceFacts, r: RegionFacts, fleet: FleetFacts): InstanceDiagnosis {
  const id = identity(i, r, fleet);
  const checks: Check[] = [managedCheck(i, r), imdsCheck(i), ...id.checks];
  if ((id.route === 'dhmc' || id.route === 'uncertain') && r.dhmc.roleName) {
    const role = fleet.roles.get(r.dhmc.roleName);
    const judgement = role?.exists && !role.error ? judgeRole(role, i, r, fleet, 'dhmc') : null;
    checks.push(...dhmcRoleChecks(role, r.dhmc.roleName, judgement, r.region, fleet.partition));
  }
  checks.push(agentCheck(i, r, id.route), networkCheck(i, r), quickSetupCheck(i, r));
  return { route: id.route, checks };
}
