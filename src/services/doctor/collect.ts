// Doctor's reads, batched so the number of calls grows with pages, distinct profiles, roles and VPCs -
// never one call per instance: per region, DescribeInstances (filters) page by page, each page's
// instances asked of SSM by id (DescribeInstanceInformation, 100 ids a call, batches side by side) as
// soon as the page arrives, the profile associations, the DHMC setting, and the route tables, VPC
// endpoints and security groups of all the instances' VPCs side by side; each distinct instance
// profile, role and policy once for the whole run, read as soon as a region names it. Only the facts
// the checks read are kept of each page, so memory grows with the fleet's facts, not with the raw
// answers, and the time with the round trips in a row, not with the instances.
import pLimit from 'p-limit';
import type * as EC2 from '@aws-sdk/client-ec2';
import type { Tag } from '../iam/role-setup.js';
import { AbortedError } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import type { Ec2Api, IamApi, SsmApi } from '../aws/clients.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { mapLimit } from '../concurrency.js';
import { allPages } from '../paginate.js';
import { readRole, rolePolicies } from '../iam/role.js';
import { filterBatches } from '../aws/ec2-filters.js';
import { tagRecord } from '../aws/instances.js';
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

/** What the checks read of one instance: the raw DescribeInstances item is dropped once this is made. */
function instanceFacts(i: EC2.Instance & { InstanceId: string }, region: string): InstanceFacts {
  const tags = tagRecord(i);
  return {
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
  };
}

/**
 * The selected live instances, page by page: `onPage` gets each page's facts as it arrives, and only the
 * pagination token of a page is kept (allPages still guards against a token sent twice). The id and tag
 * filters are those of every reader of instances (aws/instances.ts): EC2's 200 filter values a call.
 */
async function readInstancePages(ec2: Ec2Api, region: string, sel: Selection, onPage: (page: InstanceFacts[]) => void): Promise<void> {
  const base = [{ Name: 'instance-state-name', Values: LIVE_STATES }, ...sel.tags.map((t) => ({ Name: `tag:${t.Key}`, Values: [t.Value] }))];
  for (const Filters of filterBatches(base, 'instance-id', sel.instanceIds.length ? sel.instanceIds : null)) {
    await allPages(
      async (NextToken) => {
        const page = await ec2.describeInstances({ Filters, MaxResults: 1000, NextToken });
        const facts: InstanceFacts[] = [];
        for (const r of page.Reservations ?? [])
          for (const i of r.Instances ?? []) if (i.InstanceId) facts.push(instanceFacts(i as EC2.Instance & { InstanceId: string }, region));
        onPage(facts);
        return { NextToken: page.NextToken };
      },
      (p) => p.NextToken,
    );
  }
}

/**
 * The association is the truth for the attached profile (DescribeInstances can lag behind a replace).
 * `ids` null lists every association of the region; else they are asked for in batches of instance ids.
 */
async function readAssociations(ec2: Ec2Api, ids: string[] | null): Promise<Map<string, string>> {
  const byInstance = new Map<string, string>();
  const filters = ids === null ? [undefined] : filterBatches([], 'instance-id', ids);
  for (const Filters of filters) {
    await allPages(
      async (NextToken) => {
        const page = await ec2.describeIamInstanceProfileAssociations({ Filters, MaxResults: 1000, NextToken });
        for (const a of page.IamInstanceProfileAssociations ?? []) {
          if (a.InstanceId && a.IamInstanceProfile?.Arn && (a.State === 'associated' || a.State === 'associating'))
            byInstance.set(a.InstanceId, a.IamInstanceProfile.Arn);
        }
        return { NextToken: page.NextToken };
      },
      (p) => p.NextToken,
    );
  }
  return byInstance;
}

/**
 * DescribeInstanceInformation asked by instance id: at most 100 values in a filter
 * (InstanceInformationStringFilter, "Array Members: Minimum number of 1 item. Maximum number of 100
 * items", https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_InstanceInformationStringFilter.html;
 * botocore's ssm/2014-11-06/service-2.json, shape InstanceInformationFilterValueSet, max 100) and at most
 * 50 nodes a page (MaxResults "Valid Range: Minimum value of 5. Maximum value of 50.",
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeInstanceInformation.html;
 * shape MaxResultsEC2Compatible), so a batch of 100 registered instances is two pages.
 */
export const NODE_IDS_PER_CALL = 100;
export const NODE_PAGE_SIZE = 50;
/**
 * Batches of one region in flight at once. They share the region's one SSM client (clients.ts caches a
 * client per service and region), and so its retry strategy: in adaptive mode that strategy's token
 * bucket (@smithy/core util-retry AdaptiveRetryStrategy: one DefaultRateLimiter per strategy, consulted
 * before every attempt and slowed by every throttling error) paces all the batches together. No retry
 * of our own is layered on top.
 */
export const NODE_BATCHES_AT_ONCE = 8;

/**
 * The managed-node reads of one region, started batch by batch as DescribeInstances pages arrive. The
 * first failed batch fails the read as a whole (the `managed` gap, as when one listing failed) and no
 * further batch is sent; `result()` waits for the batches in flight.
 */
function managedNodeReader(ssm: SsmApi) {
  const managed = new Map<string, ManagedNode>();
  const gate = pLimit(NODE_BATCHES_AT_ONCE);
  const running: Promise<void>[] = [];
  let failure: { error: unknown } | null = null;
  const readBatch = async (ids: string[]) => {
    if (failure) return;
    const Filters = [{ Key: 'InstanceIds', Values: ids }];
    try {
      await allPages(
        async (NextToken) => {
          const page = await ssm.describeInstanceInformation({ Filters, MaxResults: NODE_PAGE_SIZE, NextToken });
          for (const n of page.InstanceInformationList ?? []) {
            if (!n.InstanceId) continue;
            managed.set(n.InstanceId, {
              pingStatus: n.PingStatus ?? null,
              agentVersion: n.AgentVersion ?? null,
              lastPing: n.LastPingDateTime ? new Date(n.LastPingDateTime).toISOString() : null,
              platform: n.PlatformType ?? null,
            });
          }
          return { NextToken: page.NextToken };
        },
        (p) => p.NextToken,
      );
    } catch (error) {
      failure ??= { error };
    }
  };
  // Ids wait here until a batch is full, so pages of any size still make calls of 100 ids.
  let pending: string[] = [];
  const send = (batch: string[]) => running.push(gate(() => readBatch(batch)));
  return {
    add(ids: readonly string[]) {
      pending.push(...ids);
      while (pending.length >= NODE_IDS_PER_CALL) send(pending.splice(0, NODE_IDS_PER_CALL));
    },
    /** Sends the last, partial batch: every page has been added. */
    flush() {
      if (pending.length) send(pending);
      pending = [];
    },
    /** Stops sending batches not yet started (the region failed). */
    cancel() {
      failure ??= { error: null };
    },
    async result(): Promise<Map<string, ManagedNode>> {
      await Promise.all(running);
      if (failure) throw failure.error;
      return managed;
    },
  };
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

/**
 * The network of the VPCs: route tables, interface endpoints (then their network interfaces) and
 * security groups, the three read side by side. `site.operation` names the first read that failed, so
 * the gap names the action that was refused.
 */
async function readVpcs(ec2: Ec2Api, region: string, vpcIds: string[], site: { operation: string }): Promise<Map<string, VpcFacts>> {
  const vpcs = new Map<string, VpcFacts>(vpcIds.map((id) => [id, { routeTables: [], endpoints: [], groups: new Map() }]));
  let failed = false;
  const named =
    (operation: string) =>
    (e: unknown): never => {
      if (!failed) site.operation = operation;
      failed = true;
      throw e;
    };
  for (const Filters of filterBatches([], 'vpc-id', vpcIds)) {
    await Promise.all([
      readRouteTables(ec2, Filters, vpcs).catch(named('DescribeRouteTables')),
      readEndpoints(ec2, region, Filters, vpcs, named),
      readSecurityGroups(ec2, Filters, vpcs).catch(named('DescribeSecurityGroups')),
    ]);
  }
  return vpcs;
}

type Filters = { Name: string; Values: string[] }[];

async function readRouteTables(ec2: Ec2Api, Filters: Filters, vpcs: Map<string, VpcFacts>): Promise<void> {
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
}

async function readEndpoints(
  ec2: Ec2Api,
  region: string,
  Filters: Filters,
  vpcs: Map<string, VpcFacts>,
  named: (operation: string) => (e: unknown) => never,
): Promise<void> {
  const interfaces = new Map<Endpoint, string[]>();
  const endpoints = await allPages(
    (NextToken) => ec2.describeVpcEndpoints({ Filters, MaxResults: 1000, NextToken }),
    (p) => p.NextToken,
  ).catch(named('DescribeVpcEndpoints'));
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
  for (const EniFilters of filterBatches([], 'network-interface-id', eniIds)) {
    const pages = await allPages(
      (NextToken) => ec2.describeNetworkInterfaces({ Filters: EniFilters, MaxResults: 1000, NextToken }),
      (p) => p.NextToken,
    ).catch(named('DescribeNetworkInterfaces'));
    for (const n of pages.flatMap((p) => p.NetworkInterfaces ?? [])) {
      const ips = (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress ?? '').filter(Boolean);
      ipsOf.set(n.NetworkInterfaceId ?? '', ips.length ? ips : [n.PrivateIpAddress ?? ''].filter(Boolean));
    }
  }
  for (const [endpoint, ids] of interfaces) endpoint.ips = ids.flatMap((id) => ipsOf.get(id) ?? []);
}

async function readSecurityGroups(ec2: Ec2Api, Filters: Filters, vpcs: Map<string, VpcFacts>): Promise<void> {
  const groups = await allPages(
    (NextToken) => ec2.describeSecurityGroups({ Filters, MaxResults: 1000, NextToken }),
    (p) => p.NextToken,
  );
  for (const g of groups.flatMap((p) => p.SecurityGroups ?? [])) {
    const group: SecurityGroup = { id: g.GroupId ?? '', ingress: permissions(g.IpPermissions), egress: permissions(g.IpPermissionsEgress) };
    vpcs.get(g.VpcId ?? '')?.groups.set(group.id, group);
  }
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

async function region(env: ServiceEnv, sel: Selection, name: string, iam: IamReader): Promise<RegionFacts> {
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
  // The DHMC setting is read beside the instances, and its role as soon as the setting names it.
  const known = sel.dhmcSettings?.get(name);
  const dhmcRead = known ? Promise.resolve(known) : readDhmcSettingOrError(env, { partition: sel.partition, account: sel.account }, name);
  dhmcRead
    .then((d) => {
      if (d.roleName) void iam.role(d.roleName);
    })
    .catch(() => undefined);
  const dhmcFacts = async (): Promise<DhmcFacts> => {
    const d = await dhmcRead;
    return { enabled: d.enabled, settingValue: d.settingValue, roleName: d.roleName, error: d.error };
  };
  const ec2 = await env.clients.ec2(name);
  const ssm = await env.clients.ssm(name);
  const fleetWide = sel.instanceIds.length === 0 && sel.tags.length === 0;
  const nodes = managedNodeReader(ssm);
  const instances: InstanceFacts[] = [];
  // The reads that need no list of instances start once the first page shows the region can be read,
  // and run beside the rest of the pages: Quick Setup's associations, and every profile association
  // of the region when the whole fleet is read.
  const early: { assoc?: Promise<Map<string, string> | null>; quickSetup?: Promise<QuickSetupAssociation[]> } = {};
  // The profiles the associations name are read as soon as they are known.
  const readAssoc = (ids: string[] | null) =>
    attempt('associations', { operation: 'DescribeIamInstanceProfileAssociations' }, 'ec2', () => readAssociations(ec2, ids), null).then((assoc) => {
      for (const arn of new Set(assoc?.values())) void iam.profile(arn);
      return assoc;
    });
  const readQuick = () => attempt('quickSetup', { operation: 'ListAssociations' }, 'ssm', () => readQuickSetup(ssm), []);
  try {
    await readInstancePages(ec2, name, sel, (page) => {
      early.quickSetup ??= readQuick();
      if (fleetWide) early.assoc ??= readAssoc(null);
      for (const i of page) instances.push(i);
      nodes.add(page.map((i) => i.instanceId));
    });
    nodes.flush();
  } catch (e) {
    nodes.cancel();
    const err = translateAwsError(e, { service: 'ec2', operation: 'DescribeInstances', region: name });
    // What was started for the earlier pages ends before the region answers; its results go with the region.
    await Promise.allSettled([nodes.result(), early.assoc, early.quickSetup, dhmcRead]);
    if (err instanceof AbortedError) throw err;
    return { region: name, instances: [], managed: new Map(), dhmc: await dhmcFacts(), vpcs: new Map(), quickSetup: [], error: err.info, gaps: new Map() };
  }
  const networkSite = { operation: 'DescribeRouteTables' };
  const [assoc, managed, vpcs, quickSetup] = await Promise.all([
    early.assoc ?? readAssoc(instances.length > 1000 ? null : instances.map((i) => i.instanceId)),
    attempt('managed', { operation: 'DescribeInstanceInformation' }, 'ssm', () => nodes.result(), null),
    attempt(
      'network',
      networkSite,
      'ec2',
      () => readVpcs(ec2, name, [...new Set(instances.map((i) => i.vpcId).filter((v): v is string => !!v))], networkSite),
      new Map<string, VpcFacts>(),
    ),
    early.quickSetup ?? readQuick(),
  ]);
  if (assoc) for (const i of instances) i.profileArn = assoc.get(i.instanceId) ?? null;
  for (const arn of new Set(instances.map((i) => i.profileArn))) if (arn) void iam.profile(arn);
  return { region: name, instances, managed: managed ?? new Map(), dhmc: await dhmcFacts(), vpcs, quickSetup, error: null, gaps };
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

/** IAM reads at once (GetInstanceProfile, and each role's GetRole and policy reads). */
const IAM_READS_AT_ONCE = 4;

/**
 * The run's IAM reads: each instance profile and role once, started as soon as a region knows it needs
 * it (the DHMC role when the setting is read, a profile when the associations name it), so they run
 * beside the rest of the fleet's reads instead of after them. A read that fails is kept in its facts
 * (readProfile, readRoleFacts); only an interruption rejects, and the caller sees it when it awaits.
 */
function iamReader(env: ServiceEnv, iamRegion: string) {
  const gate = pLimit(IAM_READS_AT_ONCE);
  let client: Promise<IamApi> | undefined;
  const api = () => (client ??= env.clients.iam(iamRegion));
  const policyCache = new Map<string, Promise<string | null>>();
  const profiles = new Map<string, Promise<ProfileFacts>>();
  const roles = new Map<string, Promise<RoleFacts>>();
  // Marked as handled at once: a read started for a region that then fails is awaited by no one.
  const handled = <T>(p: Promise<T>) => {
    p.catch(() => undefined);
    return p;
  };
  const role = (name: string): Promise<RoleFacts> => {
    let read = roles.get(name);
    if (!read) roles.set(name, (read = handled(gate(async () => readRoleFacts(await api(), name, policyCache)))));
    return read;
  };
  const profile = (arn: string): Promise<ProfileFacts> => {
    let read = profiles.get(arn);
    if (!read) {
      read = handled(
        gate(async () => readProfile(await api(), arn)).then((p) => {
          if (p.roleName) void role(p.roleName);
          return p;
        }),
      );
      profiles.set(arn, read);
    }
    return read;
  };
  return { api, role, profile };
}
type IamReader = ReturnType<typeof iamReader>;

export async function collectFleet(env: ServiceEnv, sel: Selection): Promise<FleetFacts> {
  const iam = iamReader(env, sel.iamRegion);
  let done = 0;
  const regions = await mapLimit(sel.regions, env.regionConcurrency, async (r) => {
    const facts = await region(env, sel, r, iam);
    done += 1;
    sel.onRegionDone?.(done, sel.regions.length);
    return facts;
  });

  await iam.api();
  // The facts in the order the instances name them, then the DHMC roles region by region, as they are reported.
  const profileArns = [...new Set(regions.flatMap((r) => r.instances.map((i) => i.profileArn)).filter((a): a is string => !!a))];
  const profiles = new Map<string, ProfileFacts>();
  for (const p of await Promise.all(profileArns.map(iam.profile))) profiles.set(p.arn, p);

  const roleNames = new Set<string>();
  for (const p of profiles.values()) if (p.roleName) roleNames.add(p.roleName);
  for (const r of regions) if (r.dhmc.roleName) roleNames.add(r.dhmc.roleName);
  const roles = new Map<string, RoleFacts>();
  for (const role of await Promise.all([...roleNames].map(iam.role))) roles.set(role.name, role);
  return { account: sel.account, partition: sel.partition, readAt: new Date(env.clock.now()), regions, profiles, roles };
}
