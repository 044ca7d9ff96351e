// endpoints create, reading: what the VPC has now (its CIDR blocks, DNS attributes, subnets, the
// subnets its instances use, route tables, VPC endpoints and the endpoint security group) and which
// endpoint services the region offers in which availability zones. Every listing is paginated; the
// reads run side by side once the VPC is known to exist.
import type * as EC2 from '@aws-sdk/client-ec2';
import type { Ec2Api } from '../aws/clients.js';
import { allPages } from '../paginate.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { UsageError, type ErrorInfo } from '../errors.js';
import type { Permission, RouteTable } from '../../policies/network.js';
import { ENDPOINT_GROUP_NAME } from '../../policies/endpoint-names.js';

export interface SubnetState {
  id: string;
  az: string;
}

export interface EndpointState {
  id: string;
  type: string;
  serviceName: string;
  state: string;
  privateDns: boolean;
  subnetIds: string[];
  groupIds: string[];
  routeTableIds: string[];
}

export interface GroupState {
  id: string;
  name: string;
  vpcId: string;
  ingress: Permission[];
}

export interface VpcState {
  vpcId: string;
  ipv4Cidrs: string[];
  ipv6Cidrs: string[];
  dnsSupport: boolean;
  dnsHostnames: boolean;
  subnets: SubnetState[];
  /** Subnet id -> how many instances (not terminated) it holds; empty when --subnet-id was given. */
  instanceSubnets: Map<string, number>;
  routeTables: RouteTable[];
  endpoints: EndpointState[];
  /** The group given with --security-group-id, or the VPC's `ssm-endpoints` group, or null. */
  group: GroupState | null;
  /** Service name -> its availability zones; null when DescribeVpcEndpointServices could not be read. */
  services: Map<string, string[]> | null;
  servicesError: ErrorInfo | null;
}

export interface ReadOptions {
  region: string;
  vpcId: string;
  serviceNames: readonly string[];
  /** Look at the instances to choose subnets (no --subnet-id given). */
  instances: boolean;
  /** Read route tables (--s3-gateway). */
  routeTables: boolean;
  securityGroupId: string | null;
}

type Filters = { Name: string; Values: string[] }[];

// States of an endpoint that no longer serves (DescribeVpcEndpoints: State): a new one is made instead.
const GONE = new Set(['deleting', 'deleted', 'rejected', 'failed', 'expired']);

/**
 * A read's failure as the error family has it (access denied names the action, exit 4; others exit 5),
 * so a refused DescribeVpcAttribute is reported as such, not as a bug.
 */
function as<T>(operation: string, region: string, read: Promise<T>): Promise<T> {
  return read.catch((e: unknown) => {
    throw translateAwsError(e, { service: 'ec2', operation, region });
  });
}

export async function readVpc(ec2: Ec2Api, o: ReadOptions): Promise<VpcState> {
  const vpc = await as('DescribeVpcs', o.region, describeVpc(ec2, o));
  const byVpc: Filters = [{ Name: 'vpc-id', Values: [o.vpcId] }];
  const attribute = async (Attribute: 'enableDnsSupport' | 'enableDnsHostnames') => {
    const r = await ec2.describeVpcAttribute({ VpcId: o.vpcId, Attribute });
    return (Attribute === 'enableDnsSupport' ? r.EnableDnsSupport?.Value : r.EnableDnsHostnames?.Value) === true;
  };
  const r = o.region;
  const [dnsSupport, dnsHostnames, subnets, instanceSubnets, routeTables, endpoints, group, services] = await Promise.all([
    as('DescribeVpcAttribute', r, attribute('enableDnsSupport')),
    as('DescribeVpcAttribute', r, attribute('enableDnsHostnames')),
    as('DescribeSubnets', r, readSubnets(ec2, byVpc)),
    o.instances ? as('DescribeInstances', r, readInstanceSubnets(ec2, byVpc)) : Promise.resolve(new Map<string, number>()),
    o.routeTables ? as('DescribeRouteTables', r, readRouteTables(ec2, byVpc)) : Promise.resolve([]),
    as('DescribeVpcEndpoints', r, readEndpoints(ec2, byVpc)),
    as('DescribeSecurityGroups', r, readGroup(ec2, o)),
    readServices(ec2, o),
  ]);
  return {
    vpcId: o.vpcId,
    // Only blocks in use: a block being disassociated no longer routes (DescribeVpcs: CidrBlockState).
    ipv4Cidrs: (vpc.CidrBlockAssociationSet ?? []).filter((b) => b.CidrBlockState?.State === 'associated').map((b) => b.CidrBlock ?? ''),
    ipv6Cidrs: (vpc.Ipv6CidrBlockAssociationSet ?? []).filter((b) => b.Ipv6CidrBlockState?.State === 'associated').map((b) => b.Ipv6CidrBlock ?? ''),
    dnsSupport,
    dnsHostnames,
    subnets,
    instanceSubnets,
    routeTables,
    endpoints,
    group,
    services: services.map,
    servicesError: services.error,
  };
}

async function describeVpc(ec2: Ec2Api, o: ReadOptions): Promise<EC2.Vpc> {
  try {
    const r = await ec2.describeVpcs({ VpcIds: [o.vpcId] });
    const vpc = r.Vpcs?.find((v) => v.VpcId === o.vpcId);
    if (vpc) return vpc;
  } catch (e) {
    if (sdkErrorCode(e) !== 'InvalidVpcID.NotFound') throw e;
  }
  throw new UsageError(
    'VpcNotFound',
    `VPC ${o.vpcId} does not exist in ${o.region} (nothing was changed)`,
    `A VPC belongs to one region: pass the region it is in with --region. List them with: aws ec2 describe-vpcs --region ${o.region} --query "Vpcs[].VpcId"`,
  );
}

async function readSubnets(ec2: Ec2Api, Filters: Filters): Promise<SubnetState[]> {
  const pages = await allPages(
    (NextToken) => ec2.describeSubnets({ Filters, MaxResults: 1000, NextToken }),
    (p) => p.NextToken,
  );
  return pages.flatMap((p) => p.Subnets ?? []).map((s) => ({ id: s.SubnetId ?? '', az: s.AvailabilityZone ?? '' }));
}

async function readInstanceSubnets(ec2: Ec2Api, byVpc: Filters): Promise<Map<string, number>> {
  // Instances that exist (a terminated one keeps its subnet id for an hour, but needs no endpoint).
  const Filters = [...byVpc, { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];
  const pages = await allPages(
    (NextToken) => ec2.describeInstances({ Filters, MaxResults: 1000, NextToken }),
    (p) => p.NextToken,
  );
  const counts = new Map<string, number>();
  for (const i of pages.flatMap((p) => p.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
    if (i.SubnetId) counts.set(i.SubnetId, (counts.get(i.SubnetId) ?? 0) + 1);
  }
  return counts;
}

async function readRouteTables(ec2: Ec2Api, Filters: Filters): Promise<RouteTable[]> {
  const pages = await allPages(
    (NextToken) => ec2.describeRouteTables({ Filters, MaxResults: 100, NextToken }),
    (p) => p.NextToken,
  );
  return pages
    .flatMap((p) => p.RouteTables ?? [])
    .map((t) => ({
      id: t.RouteTableId ?? '',
      main: (t.Associations ?? []).some((a) => a.Main),
      subnetIds: (t.Associations ?? []).map((a) => a.SubnetId ?? '').filter(Boolean),
      // The routes are not needed to place a gateway endpoint.
      routes: [],
    }));
}

async function readEndpoints(ec2: Ec2Api, Filters: Filters): Promise<EndpointState[]> {
  const pages = await allPages(
    (NextToken) => ec2.describeVpcEndpoints({ Filters, MaxResults: 1000, NextToken }),
    (p) => p.NextToken,
  );
  return pages
    .flatMap((p) => p.VpcEndpoints ?? [])
    .map((e) => ({
      id: e.VpcEndpointId ?? '',
      type: (e.VpcEndpointType ?? '').toLowerCase(),
      serviceName: e.ServiceName ?? '',
      state: (e.State ?? 'available').toLowerCase(),
      privateDns: e.PrivateDnsEnabled === true,
      subnetIds: e.SubnetIds ?? [],
      groupIds: (e.Groups ?? []).map((g) => g.GroupId ?? '').filter(Boolean),
      routeTableIds: e.RouteTableIds ?? [],
    }))
    .filter((e) => !GONE.has(e.state));
}

async function readGroup(ec2: Ec2Api, o: ReadOptions): Promise<GroupState | null> {
  let groups: EC2.SecurityGroup[];
  if (o.securityGroupId) {
    try {
      groups = (await ec2.describeSecurityGroups({ GroupIds: [o.securityGroupId] })).SecurityGroups ?? [];
    } catch (e) {
      if (sdkErrorCode(e) !== 'InvalidGroup.NotFound') throw e;
      groups = [];
    }
    const g = groups.find((x) => x.GroupId === o.securityGroupId);
    if (!g || g.VpcId !== o.vpcId) {
      throw new UsageError(
        'InvalidSecurityGroup',
        `invalid --security-group-id ${o.securityGroupId}: ${g ? `it belongs to VPC ${g.VpcId}, not ${o.vpcId}` : `it does not exist in ${o.region}`} (nothing was changed)`,
        `Name a security group of ${o.vpcId}, or leave the option out to use (or create) the group ${ENDPOINT_GROUP_NAME}.`,
      );
    }
    return groupState(g);
  }
  const Filters = [
    { Name: 'vpc-id', Values: [o.vpcId] },
    { Name: 'group-name', Values: [ENDPOINT_GROUP_NAME] },
  ];
  const pages = await allPages(
    (NextToken) => ec2.describeSecurityGroups({ Filters, MaxResults: 1000, NextToken }),
    (p) => p.NextToken,
  );
  const g = pages.flatMap((p) => p.SecurityGroups ?? []).find((x) => x.GroupName === ENDPOINT_GROUP_NAME && x.VpcId === o.vpcId);
  return g ? groupState(g) : null;
}

function groupState(g: EC2.SecurityGroup): GroupState {
  return {
    id: g.GroupId ?? '',
    name: g.GroupName ?? '',
    vpcId: g.VpcId ?? '',
    ingress: (g.IpPermissions ?? []).map((p) => ({
      protocol: p.IpProtocol ?? '-1',
      fromPort: p.FromPort ?? null,
      toPort: p.ToPort ?? null,
      cidrs: [...(p.IpRanges ?? []).map((r) => r.CidrIp ?? ''), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? '')].filter(Boolean),
      groupIds: (p.UserIdGroupPairs ?? []).map((x) => x.GroupId ?? '').filter(Boolean),
      prefixListIds: (p.PrefixListIds ?? []).map((x) => x.PrefixListId ?? '').filter(Boolean),
    })),
  };
}

/**
 * The region's endpoint services by name, with their availability zones: aws-cdk's advice for the
 * China names ("the vpc endpoint services could be fetched using ... aws ec2 describe-vpc-endpoint-services")
 * and its lookupSupportedAzs (an endpoint cannot be placed in a zone its service does not offer). A
 * refused or failed read is not fatal: the documented names are used and CreateVpcEndpoint judges.
 */
async function readServices(ec2: Ec2Api, o: ReadOptions): Promise<{ map: Map<string, string[]> | null; error: ErrorInfo | null }> {
  try {
    const pages = await allPages(
      (NextToken) => ec2.describeVpcEndpointServices({ ServiceNames: [...o.serviceNames], NextToken }),
      (p) => p.NextToken,
    );
    const map = new Map<string, string[]>();
    for (const d of pages.flatMap((p) => p.ServiceDetails ?? [])) {
      const name = d.ServiceName ?? '';
      map.set(name, [...new Set([...(map.get(name) ?? []), ...(d.AvailabilityZones ?? [])])]);
    }
    return { map, error: null };
  } catch (e) {
    const err = translateAwsError(e, { service: 'ec2', operation: 'DescribeVpcEndpointServices', region: o.region });
    if (err.code === 'Interrupted') throw err;
    return { map: null, error: err.info };
  }
}
