// End to end: endpoints create against the emulator (moto), each result read back with the AWS CLI.
// moto's new VPCs have DNS support on and DNS hostnames off, as AWS's non-default VPCs do.
import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms } from '../helpers/child.js';

const suite = emulatorSuite();
const json = (s: string) => JSON.parse(s);

interface Endpoint {
  VpcEndpointId: string;
  VpcEndpointType: string;
  ServiceName: string;
  SubnetIds: string[];
  Groups?: { GroupId: string; GroupName: string }[];
  PrivateDnsEnabled: boolean;
  RouteTableIds: string[];
}

let vpc = '';
let subnetA = '';
let subnetB = '';
let subnetC = '';

async function ec2<T>(...args: string[]): Promise<T> {
  return (await aws(['ec2', ...args], suite.env)) as T;
}

async function endpoints(): Promise<Endpoint[]> {
  const r = await ec2<{ VpcEndpoints: Endpoint[] }>('describe-vpc-endpoints', '--filters', `Name=vpc-id,Values=${vpc}`);
  return r.VpcEndpoints.sort((a, b) => a.ServiceName.localeCompare(b.ServiceName));
}

async function endpointGroups(): Promise<
  { GroupId: string; IpPermissions: { IpProtocol: string; FromPort: number; ToPort: number; IpRanges: { CidrIp: string }[] }[] }[]
> {
  const r = await ec2<{ SecurityGroups: never[] }>(
    'describe-security-groups',
    '--filters',
    `Name=vpc-id,Values=${vpc}`,
    'Name=group-name,Values=ssm-endpoints',
  );
  return r.SecurityGroups;
}

async function dnsHostnames(): Promise<boolean> {
  const r = await ec2<{ EnableDnsHostnames: { Value: boolean } }>('describe-vpc-attribute', '--vpc-id', vpc, '--attribute', 'enableDnsHostnames');
  return r.EnableDnsHostnames.Value;
}

async function subnet(cidr: string, az: string): Promise<string> {
  return (await ec2<{ Subnet: { SubnetId: string } }>('create-subnet', '--vpc-id', vpc, '--cidr-block', cidr, '--availability-zone', az)).Subnet.SubnetId;
}

/** A VPC with subnets in three zones, instances in A (two) and B, none in C. */
beforeEach(async () => {
  vpc = (await ec2<{ Vpc: { VpcId: string } }>('create-vpc', '--cidr-block', '10.20.0.0/16')).Vpc.VpcId;
  subnetA = await subnet('10.20.1.0/24', 'us-east-1a');
  subnetB = await subnet('10.20.2.0/24', 'us-east-1b');
  subnetC = await subnet('10.20.3.0/24', 'us-east-1c');
  for (const s of [subnetA, subnetA, subnetB]) await ec2('run-instances', '--image-id', 'ami-12345678', '--subnet-id', s);
});

describe('endpoints create', () => {
  it('--dry-run plans the DNS attribute, the group, its rule and both endpoints, and creates nothing', async () => {
    const r = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--dry-run', '--json', '--debug'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.changes.map((c: { operation: string; status: string }) => `${c.operation}:${c.status}`)).toEqual([
      'ec2:ModifyVpcAttribute:planned',
      'ec2:CreateSecurityGroup:planned',
      'ec2:AuthorizeSecurityGroupIngress:planned',
      'ec2:CreateVpcEndpoint:planned',
      'ec2:CreateVpcEndpoint:planned',
    ]);
    const calls = [...r.stderr.matchAll(/^debug: \w+ (\w+) region=/gm)].map((m) => m[1]!);
    expect(calls.filter((op) => !/^(Get|List|Describe)/.test(op))).toEqual([]);
    expect(await endpoints()).toEqual([]);
    expect(await endpointGroups()).toEqual([]);
    expect(await dnsHostnames()).toBe(false);
  });

  it('refuses to turn DNS hostnames on without consent (exit 2, nothing changed), then with --yes creates everything; a rerun changes nothing', async () => {
    const refused = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc], suite.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: not turning on enableDnsHostnames in VPC ${vpc}`);
    expect(refused.stderr).toContain('hint: Pass --yes to turn it on.');
    expect(await endpoints()).toEqual([]);
    expect(await endpointGroups()).toEqual([]);
    expect(await dnsHostnames()).toBe(false);

    const r = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--yes', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(await dnsHostnames()).toBe(true);

    // The group admits TCP 443 from the VPC's block.
    const [group] = await endpointGroups();
    expect(group!.IpPermissions).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [expect.objectContaining({ CidrIp: '10.20.0.0/16' })] }),
    ]);

    // ssm and ssmmessages, private DNS, the zones of the instances (A and B, not C), the group.
    const made = await endpoints();
    expect(made.map((e) => [e.ServiceName, e.VpcEndpointType, e.PrivateDnsEnabled, [...e.SubnetIds].sort(), e.Groups?.map((g) => g.GroupId)])).toEqual([
      ['com.amazonaws.us-east-1.ssm', 'Interface', true, [subnetA, subnetB].sort(), [group!.GroupId]],
      ['com.amazonaws.us-east-1.ssmmessages', 'Interface', true, [subnetA, subnetB].sort(), [group!.GroupId]],
    ]);
    // The document names each endpoint by its ARN, as the AWS CLI lists it.
    const resources = json(r.stdout)
      .changes.filter((c: { operation: string }) => c.operation === 'ec2:CreateVpcEndpoint')
      .map((c: { resource: string }) => c.resource)
      .sort();
    expect(resources).toEqual(made.map((e) => `arn:aws:ec2:us-east-1:123456789012:vpc-endpoint/${e.VpcEndpointId}`).sort());

    const again = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--json'], suite.env);
    expect(again.code, again.stderr).toBe(0);
    expect(json(again.stdout).changes).toEqual([]);
    expect(await endpoints()).toHaveLength(2);
  });

  it('completes an endpoint made by hand (the zone it lacks) and reuses an existing ssm-endpoints group, adding only the missing rule', async () => {
    await ec2('modify-vpc-attribute', '--vpc-id', vpc, '--enable-dns-hostnames', '{"Value":true}');
    const groupId = (await ec2<{ GroupId: string }>('create-security-group', '--group-name', 'ssm-endpoints', '--description', 'mine', '--vpc-id', vpc))
      .GroupId;
    await ec2(
      'create-vpc-endpoint',
      '--vpc-id',
      vpc,
      '--vpc-endpoint-type',
      'Interface',
      '--service-name',
      'com.amazonaws.us-east-1.ssm',
      '--subnet-ids',
      subnetA,
      '--security-group-ids',
      groupId,
      '--private-dns-enabled',
    );
    const r = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(
      json(r.stdout).changes.map((c: { operation: string; details: Record<string, string | null> }) => [
        c.operation,
        c.details.addSubnetIds ?? c.details.serviceName ?? c.details.cidrs,
      ]),
    ).toEqual([
      ['ec2:AuthorizeSecurityGroupIngress', '10.20.0.0/16'],
      ['ec2:ModifyVpcEndpoint', subnetB],
      ['ec2:CreateVpcEndpoint', 'com.amazonaws.us-east-1.ssmmessages'],
    ]);
    const [ssm, messages] = await endpoints();
    expect([...ssm!.SubnetIds].sort()).toEqual([subnetA, subnetB].sort());
    expect(messages!.Groups?.map((g) => g.GroupId)).toEqual([groupId]);
    expect(await endpointGroups()).toHaveLength(1);
  });

  it('--subnet-id, --ec2messages and --s3-gateway: the given subnet, three interface endpoints and the S3 gateway on its route table', async () => {
    await ec2('modify-vpc-attribute', '--vpc-id', vpc, '--enable-dns-hostnames', '{"Value":true}');
    const table = (await ec2<{ RouteTable: { RouteTableId: string } }>('create-route-table', '--vpc-id', vpc)).RouteTable.RouteTableId;
    await ec2('associate-route-table', '--route-table-id', table, '--subnet-id', subnetC);
    const r = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--subnet-id', subnetC, '--ec2messages', '--s3-gateway'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`create gateway endpoint com.amazonaws.us-east-1.s3`);
    const made = await endpoints();
    expect(made.map((e) => [e.ServiceName, e.VpcEndpointType, e.VpcEndpointType === 'Gateway' ? e.RouteTableIds : e.SubnetIds])).toEqual([
      ['com.amazonaws.us-east-1.ec2messages', 'Interface', [subnetC]],
      ['com.amazonaws.us-east-1.s3', 'Gateway', [table]],
      ['com.amazonaws.us-east-1.ssm', 'Interface', [subnetC]],
      ['com.amazonaws.us-east-1.ssmmessages', 'Interface', [subnetC]],
    ]);
    const again = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--subnet-id', subnetC, '--ec2messages', '--s3-gateway', '--json'], suite.env);
    expect(json(again.stdout).changes).toEqual([]);
  });

  it('a VPC of another region, or a subnet of another VPC: exit 2, nothing created', async () => {
    const other = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--region', 'us-west-2', '--yes'], suite.env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`error: VPC ${vpc} does not exist in us-west-2`);
    const bad = await ssmPerms(['endpoints', 'create', '--vpc-id', vpc, '--subnet-id', 'subnet-0123456789abcdef0', '--yes'], suite.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`error: invalid --subnet-id subnet-0123456789abcdef0: it is not a subnet of ${vpc}`);
    expect(await endpoints()).toEqual([]);
  });
});
