// Doctor's reads, batched so the number of calls grows with pages, distinct profiles, roles and VPCs -
// never with the number of instances: per region, DescribeInstances (filters), the profile
// associations, DescribeInstanceInformation (50 a page), the DHMC setting, and the route tables,
// VPC endpoints and security groups of all the instances' VPCs at once; then each distinct instance
// profile, role and policy once for the whole fleet.
import type { Tag } from '../iam/role-setup.js';
import { AbortedError } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import type { Ec2Api, IamApi, SsmApi } from '../aws/clients.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { mapLimit } from '../concurrency.js';
import { allPages } from '../paginate.js';
import { readRole, rolePolicies } from '../iam/role.js';
import { filterBatches } from '../aws/ec2-filters.js';
import { describeSelectedInstances, tagRecord } from '../aws/instances.js';
import { readDhmcSettingOrError, type DhmcRegionStatus } from '../dhmc/setting.js';
import type { Endpoint, Permission, RouteTable, SecurityGroup } from '../../policies/network.js';
import type { DhmcFacts, FleetFacts, InstanceFacts, ManagedNode, ProfileFacts, QuickSetupAssociation, RegionFacts, RoleFacts, VpcFacts } from './facts.js';

export interface Selection {
  partition: string;
  account: string;
  regions: readonly string[];
  iamRegion: string;
  instanceIds: readonly string[];
  tags: readonly Tag[];
  /** Called as regions finish, for a progress line. */
  onRegionDone?: (done: number, total: number) => void;
  /** DHMC settings already read (dhmc status --check), so they are not read twice. */
  dhmcSettings?: ReadonlyMap<string, DhmcRegionStatus>;
}

const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** Every security group of the instance: the primary ones and those of each network interface. */
function securityGroupsOf(i: { SecurityGroups?: { GroupId?: string }[]; NetworkInterfaces?: { Groups?: { GroupId?: string }[] }[] }): string[] {
  const ids = [...(i.SecurityGroups ?? []), ...(i.NetworkInterfaces ?? []).flatMap((n) => n.Groups ?? [])].map((g) => g.GroupId ?? '');
  return [...new Set(ids.filter(Boolean))];
}

async function readInstances(ec2: Ec2Api, region: string, sel: Selection): Promise<InstanceFacts[]> {
  const out: InstanceFacts[] = [];
  for (const i of await describeSelectedInstances(ec2, sel, [{ Name: 'instance-state-name', Values: LIVE_STATES }])) {
    if (!i.InstanceId) continue;
    const tags = tagRecord(i);
    out.push({
      instanceId: i.InstanceId,
      region,
      name: tags.Name ?? null,
      state: i.State?.Name ?? 'unknown',
      vpcId: i.VpcId ?? null,
      subnetId: i.SubnetId ?? null,
      privateIp: i.PrivateIpAddress ?? null,
      hasPublicIp: !!i.PublicIpAddress,
      securityGroupIds: securityGroupsOf(i),
      httpEndpoint: i.MetadataOptions?.HttpEndpoint ?? 'enabled',
      httpTokens: i.MetadataOptions?.HttpTokens ?? 'optional',
      profileArn: i.IamInstanceProfile?.Arn ?? null,
      tags,
    });
  }
  return out;
}

/** The association is the truth for the attached profile (DescribeInstances can lag behind a replace). */
async function readAssociations(ec2: Ec2Api, instances: InstanceFacts[], fleetWide: boolean): Promise<Map<string, string>> {
  const byInstance = new Map<string, string>();
  const filters = fleetWide
    ? [undefined]
    : filterBatches(
        [],
        'instance-id',
        instances.map((i) => i.instanceId),
      );
  for (const Filters of filters) {
    const pages = await allPages(
      (NextToken) => ec2.describeIamInstanceProfileAssociations({ Filters, MaxResults: 1000, NextToken }),
      (p) => p.NextToken,
    );
    for (const a of pages.flatMap((p) => p.IamInstanceProfileAssociations ?? [])) {
      if (a.InstanceId && a.IamInstanceProfile?.Arn && (a.State === 'associated' || a.State === 'associating'))
        byInstance.set(a.InstanceId, a.IamInstanceProfile.Arn);
    }
  }
  return byInstance;
}

async function readManaged(ssm: SsmApi, instances: InstanceFacts[]): Promise<Map<string, ManagedNode>> {
  const managed = new Map<string, ManagedNode>();
  // A few instances: ask for them by id; a fleet: list every node, 50 a page (the API's maximum).
  const filterSets: ({ Key: string; Values: string[] }[] | undefined)[] =
    instances.length <= 50 ? [[{ Key: 'InstanceIds', Values: instances.map((i) => i.instanceId) }]] : [undefined];
  if (instances.length === 0) return managed;
  for (const Filters of filterSets) {
    const pages = await allPages(
      (NextToken) => ssm.describeInstanceInformation({ Filters, MaxResults: 50, NextToken }),
      (p) => p.NextToken,
    );
    for (const n of pages.flatMap((p) => p.InstanceInformationList ?? [])) {
      if (!n.InstanceId) continue;
      managed.set(n.InstanceId, {
        pingStatus: n.PingStatus ?? null,
        agentVersion: n.AgentVersion ?? null,
        lastPing: n.LastPingDateTime ? new Date(n.LastPingDateTime).toISOString() : null,
        platform: n.PlatformType ?? null,
      });
    }
  }
  return managed;
}

function permissions(
  list:
    | {
        IpProtocol?: string;
        FromPort?: number;
        ToPort?: number;
        IpRanges?: { CidrIp?: string }[];
        UserIdGroupPairs?: { GroupId?: string }[];
        PrefixListIds?: { PrefixListId?: string }[];
      }[]
    | undefined,
): Permission[] {
  return (list ?? []).map((p) => ({
    protocol: p.IpProtocol ?? '-1',
    fromPort: p.FromPort ?? null,
    toPort: p.ToPort ?? null,
    cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter(Boolean),
    groupIds: (p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
    prefixListIds: (p.PrefixListIds ?? []).map((x) => x.PrefixListId ?? '').filter(Boolean),
  }));
}

/** `site.operation` follows the call in progress, so a failure names the action that was refused. */
async function readVpcs(ec2: Ec2Api, region: string, vpcIds: string[], site: { operation: string }): Promise<Map<string, VpcFacts>> {
  const vpcs = new Map<string, VpcFacts>(vpcIds.map((id) => [id, { routeTables: [], endpoints: [], groups: new Map() }]));
  for (const Filters of filterBatches([], 'vpc-id', vpcIds)) {
    site.operation = 'DescribeRouteTables';
    const tables = await allPages(
      (NextToken) => ec2.describeRouteTables({ Filters, MaxResults: 100, NextToken }),
      (p) => p.NextToken,
    );
    for (const t of tables.flatMap((p) => p.RouteTables ?? [])) {
      const table: RouteTable = {
        id: t.RouteTableId ?? '',
        main: (t.Associations ?? []).some((a) => a.Main),
        subnetIds: (t.Associations ?? []).map((a) => a.SubnetId ?? '').filter(Boolean),
        routes: (t.Routes ?? []).map((r) => ({
          destination: r.DestinationCidrBlock ?? null,
          gatewayId: r.GatewayId ?? null,
          natGatewayId: r.NatGatewayId ?? null,
          otherTarget: r.TransitGatewayId ?? r.VpcPeeringConnectionId ?? r.NetworkInterfaceId ?? r.InstanceId ?? null,
          blackhole: r.State === 'blackhole',
        })),
      };
      vpcs.get(t.VpcId ?? '')?.routeTables.push(table);
    }
    site.operation = 'DescribeVpcEndpoints';
    const interfaces = new Map<Endpoint, string[]>();
    const endpoints = await allPages(
      (NextToken) => ec2.describeVpcEndpoints({ Filters, MaxResults: 1000, NextToken }),
      (p) => p.NextToken,
    );
    for (const e of endpoints.flatMap((p) => p.VpcEndpoints ?? [])) {
      if ((e.VpcEndpointType ?? '').toLowerCase() !== 'interface') continue;
      const endpoint: Endpoint = {
        id: e.VpcEndpointId ?? '',
        // com.amazonaws.us-east-1.ssm -> ssm (China keeps the com.amazonaws prefix for these).
        service: (e.ServiceName ?? '').split('.').pop() ?? '',
        privateDns: e.PrivateDnsEnabled === true,
        available: (e.State ?? 'available').toLowerCase() === 'available',
        groupIds: (e.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
        ips: [],
      };
      if ((e.ServiceName ?? '').includes(`.${region}.`)) {
        vpcs.get(e.VpcId ?? '')?.endpoints.push(endpoint);
        interfaces.set(endpoint, e.NetworkInterfaceIds ?? []);
      }
    }
    // Where an instance's HTTPS to an endpoint goes: the private IPs of its network interfaces, read in batches.
    const eniIds = [...new Set([...interfaces.values()].flat())];
    const ipsOf = new Map<string, string[]>();
    site.operation = 'DescribeNetworkInterfaces';
    for (const Filters of filterBatches([], 'network-interface-id', eniIds)) {
      const pages = await allPages(
        (NextToken) => ec2.describeNetworkInterfaces({ Filters, MaxResults: 1000, NextToken }),
        (p) => p.NextToken,
      );
      for (const n of pages.flatMap((p) => p.NetworkInterfaces ?? [])) {
        const ips = (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress ?? '').filter(Boolean);
        ipsOf.set(n.NetworkInterfaceId ?? '', ips.length ? ips : [n.PrivateIpAddress ?? ''].filter(Boolean));
      }
    }
    for (const [endpoint, ids] of interfaces) endpoint.ips = ids.flatMap((id) => ipsOf.get(id) ?? []);
    site.operation = 'DescribeSecurityGroups';
    const groups = await allPages(
      (NextToken) => ec2.describeSecurityGroups({ Filters, MaxResults: 1000, NextToken }),
      (p) => p.NextToken,
    );
    for (const g of groups.flatMap((p) => p.SecurityGroups ?? [])) {
      const group: SecurityGroup = { id: g.GroupId ?? '', ingress: permissions(g.IpPermissions), egress: permissions(g.IpPermissionsEgress) };
      vpcs.get(g.VpcId ?? '')?.groups.set(group.id, group);
    }
  }
  return vpcs;
}

async function readQuickSetup(ssm: SsmApi): Promise<QuickSetupAssociation[]> {
  const pages = await allPages(
    (NextToken) => ssm.listAssociations({ AssociationFilterList: [{ key: 'Name', value: 'AWS-AttachIAMToInstance' }], MaxResults: 50, NextToken }),
    (p) => p.NextToken,
  );
  return pages
    .flatMap((p) => p.Associations ?? [])
    .filter((a) => a.Name === 'AWS-AttachIAMToInstance')
    .map((a) => ({
      associationId: a.AssociationId ?? '',
      associationName: a.AssociationName ?? null,
      targets: (a.Targets ?? []).map((t) => ({ key: t.Key ?? '', values: t.Values ?? [] })),
    }));
}

async function region(env: ServiceEnv, sel: Selection, name: string): Promise<RegionFacts> {
  const gaps = new Map<string, ReturnType<typeof translateAwsError>['info']>();
  const attempt = async <T>(what: string, site: { operation: string }, service: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      const err = translateAwsError(e, { service, operation: site.operation, region: name });
      if (err instanceof AbortedError) throw err;
      gaps.set(what, err.info);
      return fallback;
    }
  };
  const dhmcState = sel.dhmcSettings?.get(name) ?? (await readDhmcSettingOrError(env, { partition: sel.partition, account: sel.account }, name));
  const dhmc: DhmcFacts = { enabled: dhmcState.enabled, settingValue: dhmcState.settingValue, roleName: dhmcState.roleName, error: dhmcState.error };
  const ec2 = await env.clients.ec2(name);
  let instances: InstanceFacts[];
  try {
    instances = await readInstances(ec2, name, sel);
  } catch (e) {
    const err = translateAwsError(e, { service: 'ec2', operation: 'DescribeInstances', region: name });
    if (err instanceof AbortedError) throw err;
    return { region: name, instances: [], managed: new Map(), dhmc, vpcs: new Map(), quickSetup: [], error: err.info, gaps };
  }
  const ssm = await env.clients.ssm(name);
  const fleetWide = sel.instanceIds.length === 0 && sel.tags.length === 0;
  const networkSite = { operation: 'DescribeRouteTables' };
  const [assoc, managed, vpcs, quickSetup] = await Promise.all([
    attempt(
      'associations',
      { operation: 'DescribeIamInstanceProfileAssociations' },
      'ec2',
      () => readAssociations(ec2, instances, fleetWide || instances.length > 1000),
      null,
    ),
    attempt('managed', { operation: 'DescribeInstanceInformation' }, 'ssm', () => readManaged(ssm, instances), null),
    attempt(
      'network',
      networkSite,
      'ec2',
      () => readVpcs(ec2, name, [...new Set(instances.map((i) => i.vpcId).filter((v): v is string => !!v))], networkSite),
      new Map<string, VpcFacts>(),
    ),
    attempt('quickSetup', { operation: 'ListAssociations' }, 'ssm', () => readQuickSetup(ssm), []),
  ]);
  if (assoc) for (const i of instances) i.profileArn = assoc.get(i.instanceId) ?? null;
  return { region: name, instances, managed: managed ?? new Map(), dhmc, vpcs, quickSetup, error: null, gaps };
}

/** One role as doctor judges it, read as every command reads roles (iam/role.ts); a failure is kept, not thrown. */
async function readRoleFacts(iam: IamApi, name: string, policyCache: Map<string, Promise<string | null>>): Promise<RoleFacts> {
  const facts: RoleFacts = {
    name,
    arn: null,
    exists: false,
    trustPolicy: undefined,
    attachedPolicyArns: [],
    policies: [],
    boundary: null,
    tags: {},
    error: null,
  };
  try {
    const role = await readRole(iam, name);
    if (!role) return facts;
    Object.assign(facts, {
      exists: true,
      arn: role.arn || null,
      trustPolicy: role.trustPolicy,
      tags: Object.fromEntries(role.tags.map((t) => [t.Key, t.Value])),
      attachedPolicyArns: role.attachedPolicyArns,
      ...(await rolePolicies(iam, role, policyCache)),
    });
  } catch (e) {
    const err = translateAwsError(e, { service: 'iam', operation: 'GetRole', region: null });
    if (err instanceof AbortedError) throw err;
    facts.error = err.info;
  }
  return facts;
}

async function readProfile(iam: IamApi, arn: string): Promise<ProfileFacts> {
  const name = arn.split('/').pop() ?? arn;
  try {
    const p = (await iam.getInstanceProfile({ InstanceProfileName: name })).InstanceProfile;
    return { name, arn, exists: true, roleName: p?.Roles?.[0]?.RoleName ?? null, error: null };
  } catch (e) {
    if (sdkErrorCode(e) === 'NoSuchEntity') return { name, arn, exists: false, roleName: null, error: null };
    const err = translateAwsError(e, { service: 'iam', operation: 'GetInstanceProfile', region: null });
    if (err instanceof AbortedError) throw err;
    return { name, arn, exists: false, roleName: null, error: err.info };
  }
}

export async function collectFleet(env: ServiceEnv, sel: Selection): Promise<FleetFacts> {
  let done = 0;
  const regions = await mapLimit(sel.regions, env.regionConcurrency, async (r) => {
    const facts = await region(env, sel, r);
    done += 1;
    sel.onRegionDone?.(done, sel.regions.length);
    return facts;
  });

  const iam = await env.clients.iam(sel.iamRegion);
  const profileArns = [...new Set(regions.flatMap((r) => r.instances.map((i) => i.profileArn)).filter((a): a is string => !!a))];
  const profiles = new Map<string, ProfileFacts>();
  for (const p of await mapLimit(profileArns, 4, (arn) => readProfile(iam, arn))) profiles.set(p.arn, p);

  const roleNames = new Set<string>();
  for (const p of profiles.values()) if (p.roleName) roleNames.add(p.roleName);
  for (const r of regions) if (r.dhmc.roleName) roleNames.add(r.dhmc.roleName);
  const policyCache = new Map<string, Promise<string | null>>();
  const roles = new Map<string, RoleFacts>();
  for (const role of await mapLimit([...roleNames], 4, (n) => readRoleFacts(iam, n, policyCache))) roles.set(role.name, role);
  return { account: sel.account, partition: sel.partition, readAt: new Date(env.clock.now()), regions, profiles, roles };
}
