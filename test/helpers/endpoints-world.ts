// A VPC as EC2 describes it, for the endpoints create tests: its CIDR blocks and DNS attributes,
// subnets, instances, route tables, endpoints, security groups and the region's endpoint services,
// answered through the shared EC2 mock. Writes answer with new ids.
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  type SecurityGroup,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { ec2 } from './aws-mocks.js';

export const VPC = 'vpc-0123456789abcdef0';
export const SG = 'sg-0aaaaaaaaaaaaaaa1';

export interface World {
  region?: string;
  ipv4?: string[];
  ipv6?: string[];
  dnsSupport?: boolean;
  dnsHostnames?: boolean;
  /** [subnet id, zone] */
  subnets?: [string, string][];
  /** the subnet of each instance */
  instances?: string[];
  /** [table id, main, subnet ids] */
  routeTables?: [string, boolean, string[]][];
  endpoints?: VpcEndpoint[];
  groups?: SecurityGroup[];
  /** service name -> zones; default: every name asked, in every zone of the subnets */
  services?: Record<string, string[]>;
}

/** The ssm-endpoints group, with the inbound rules given as [from, to, cidrs]. */
export function endpointGroup(rules: [number, number, string[]][], id = SG, name = 'ssm-endpoints', vpc = VPC): SecurityGroup {
  return {
    GroupId: id,
    GroupName: name,
    VpcId: vpc,
    IpPermissions: rules.map(([FromPort, ToPort, cidrs]) => ({
      IpProtocol: 'tcp',
      FromPort,
      ToPort,
      IpRanges: cidrs.filter((c) => !c.includes(':')).map((CidrIp) => ({ CidrIp })),
      Ipv6Ranges: cidrs.filter((c) => c.includes(':')).map((CidrIpv6) => ({ CidrIpv6 })),
    })),
  };
}

export function interfaceEndpoint(id: string, service: string, subnets: string[], groups: string[], privateDns = true): VpcEndpoint {
  return {
    VpcEndpointId: id,
    VpcEndpointType: 'Interface',
    VpcId: VPC,
    ServiceName: service,
    State: 'Available',
    SubnetIds: subnets,
    Groups: groups.map((GroupId) => ({ GroupId, GroupName: 'x' })),
    PrivateDnsEnabled: privateDns,
  };
}

export function vpcWorld(w: World = {}): void {
  const subnets = w.subnets ?? [
    ['subnet-0aaaaaaaaaaaaaaa1', 'us-east-1a'],
    ['subnet-0bbbbbbbbbbbbbbb1', 'us-east-1b'],
  ];
  ec2.on(DescribeVpcsCommand).resolves({
    Vpcs: [
      {
        VpcId: VPC,
        CidrBlockAssociationSet: (w.ipv4 ?? ['10.0.0.0/16']).map((CidrBlock) => ({ CidrBlock, CidrBlockState: { State: 'associated' } })),
        Ipv6CidrBlockAssociationSet: (w.ipv6 ?? []).map((Ipv6CidrBlock) => ({ Ipv6CidrBlock, Ipv6CidrBlockState: { State: 'associated' } })),
      },
    ],
  });
  ec2.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsSupport' }).resolves({ VpcId: VPC, EnableDnsSupport: { Value: w.dnsSupport ?? true } });
  ec2.on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' }).resolves({ VpcId: VPC, EnableDnsHostnames: { Value: w.dnsHostnames ?? true } });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: subnets.map(([SubnetId, AvailabilityZone]) => ({ SubnetId, AvailabilityZone, VpcId: VPC })) });
  ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [{ Instances: (w.instances ?? []).map((SubnetId, n) => ({ InstanceId: `i-0${String(n).padStart(16, '0')}`, SubnetId })) }],
  });
  ec2.on(DescribeRouteTablesCommand).resolves({
    RouteTables: (w.routeTables ?? []).map(([RouteTableId, Main, ids]) => ({
      RouteTableId,
      VpcId: VPC,
      Associations: [...(Main ? [{ Main: true }] : []), ...ids.map((SubnetId) => ({ Main: false, SubnetId }))],
    })),
  });
  ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: w.endpoints ?? [] });
  const groups = w.groups ?? [];
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { GroupIds?: string[] }) => ({
    SecurityGroups: input.GroupIds ? groups.filter((g) => input.GroupIds!.includes(g.GroupId!)) : groups.filter((g) => g.GroupName === 'ssm-endpoints'),
  }));
  const zones = [...new Set(subnets.map(([, az]) => az))];
  ec2.on(DescribeVpcEndpointServicesCommand).callsFake((input: { ServiceNames?: string[] }) => ({
    ServiceDetails: (input.ServiceNames ?? [])
      .filter((n) => !w.services || n in w.services)
      .map((ServiceName) => ({ ServiceName, AvailabilityZones: w.services?.[ServiceName] ?? zones })),
  }));
  let n = 0;
  ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0ccccccccccccccc1' });
  ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  ec2.on(CreateVpcEndpointCommand).callsFake(() => ({ VpcEndpoint: { VpcEndpointId: `vpce-0${String(++n).padStart(16, '0')}` } }));
  ec2.on(ModifyVpcEndpointCommand).resolves({ Return: true });
  ec2.on(ModifyVpcAttributeCommand).resolves({});
}

/** Every EC2 write sent, in order, as [operation, input]. */
export function ec2Writes(): [string, Record<string, unknown>][] {
  return ec2
    .calls()
    .map((c) => c.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> })
    .map((cmd) => [cmd.constructor.name.replace(/Command$/, ''), cmd.input] as [string, Record<string, unknown>])
    .filter(([name]) => !/^(Get|List|Describe)/.test(name));
}
