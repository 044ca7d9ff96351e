import { CreateVpcEndpointCommand, DescribeVpcEndpointServicesCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2 } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { ec2Writes, endpointGroup, interfaceEndpoint, SG, VPC, vpcWorld } from '../../helpers/endpoints-world.js';
import { chooseSubnets, endpointsPlanResult, planEndpoints, type EndpointsRequest } from '../../../src/services/endpoints/plan.js';
import { applyEndpoints } from '../../../src/services/endpoints/apply.js';
import { cidrCovered } from '../../../src/services/endpoints/cidr.js';
import { endpointServiceName } from '../../../src/policies/endpoint-names.js';
import { PreconditionError, UsageError } from '../../../src/services/errors.js';

const ACCOUNT = '111122223333';
const A1 = 'subnet-0aaaaaaaaaaaaaaa1';
const A2 = 'subnet-0aaaaaaaaaaaaaaa2';
const B1 = 'subnet-0bbbbbbbbbbbbbbb1';
const SSM = 'com.amazonaws.us-east-1.ssm';
const MESSAGES = 'com.amazonaws.us-east-1.ssmmessages';

function request(over: Partial<EndpointsRequest> = {}): EndpointsRequest {
  return {
    partition: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    vpcId: VPC,
    subnetIds: [],
    securityGroupId: null,
    ec2messages: false,
    s3Gateway: false,
    ...over,
  };
}

const ops = (changes: { operation: string }[]) => changes.map((c) => c.operation);

beforeEach(() => ec2.reset());

describe('planEndpoints', () => {
  it('plans the group, its 443 rule from every VPC block (IPv4 and IPv6) and both endpoints in the zones of the instances, and sends no write', async () => {
    vpcWorld({
      ipv4: ['10.0.0.0/16', '10.1.0.0/16'],
      ipv6: ['2600:1f18::/56'],
      subnets: [
        [A1, 'us-east-1a'],
        [A2, 'us-east-1a'],
        [B1, 'us-east-1b'],
        ['subnet-0ccccccccccccccc1', 'us-east-1c'],
      ],
      // Two instances in A2, one in A1 (same zone), one in B1; none in zone c.
      instances: [A2, A2, A1, B1],
    });
    const plan = await planEndpoints(testEnv(), request());
    expect(ec2Writes()).toEqual([]);
    expect(ops(plan.changes)).toEqual(['ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:CreateVpcEndpoint', 'ec2:CreateVpcEndpoint']);
    // The busiest subnet of each zone with instances; zone c has none and is left out.
    expect(plan.subnets.map((s) => s.id)).toEqual([A2, B1]);
    expect(plan.changes[1]!.details).toMatchObject({ port: '443', protocol: 'tcp', cidrs: '10.0.0.0/16,10.1.0.0/16,2600:1f18::/56' });
    expect(plan.changes.slice(2).map((c) => [c.details.serviceName, c.details.subnetIds, c.details.privateDnsEnabled])).toEqual([
      [SSM, `${A2},${B1}`, 'true'],
      [MESSAGES, `${A2},${B1}`, 'true'],
    ]);
    // Not yet created: the plan names the VPC they go in.
    expect(plan.changes.every((c) => c.resource === `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${VPC}`)).toBe(true);
    expect(plan.dnsAttributes).toEqual([]);
    const dry = endpointsPlanResult(plan);
    expect(dry.dryRun).toBe(true);
    expect(dry.changes.every((c) => c.status === 'planned')).toBe(true);
  });

  it('applies in order: the group, its rule on the new group id, then each endpoint with the group, private DNS and one subnet per zone', async () => {
    vpcWorld({ ipv6: ['2600:1f18::/56'], instances: [A1] });
    const r = await applyEndpoints(testEnv(), await planEndpoints(testEnv(), request({ ec2messages: true })));
    const writes = ec2Writes();
    expect(writes.map(([op]) => op)).toEqual([
      'CreateSecurityGroup',
      'AuthorizeSecurityGroupIngress',
      'CreateVpcEndpoint',
      'CreateVpcEndpoint',
      'CreateVpcEndpoint',
    ]);
    expect(writes[0]![1]).toMatchObject({ GroupName: 'ssm-endpoints', VpcId: VPC });
    expect(writes[1]![1]).toEqual({
      GroupId: 'sg-0ccccccccccccccc1',
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          IpRanges: [{ CidrIp: '10.0.0.0/16', Description: 'HTTPS to the Systems Manager VPC endpoints' }],
          Ipv6Ranges: [{ CidrIpv6: '2600:1f18::/56', Description: 'HTTPS to the Systems Manager VPC endpoints' }],
        },
      ],
    });
    for (const [i, service] of ['ssm', 'ssmmessages', 'ec2messages'].entries()) {
      expect(writes[2 + i]![1]).toMatchObject({
        VpcId: VPC,
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.us-east-1.${service}`,
        SubnetIds: [A1],
        SecurityGroupIds: ['sg-0ccccccccccccccc1'],
        PrivateDnsEnabled: true,
      });
      expect(writes[2 + i]![1].ClientToken).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Applied changes name what they made, in the partition's ARN form.
    expect(r.changes.map((c) => [c.status, c.resource])).toEqual([
      ['applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0ccccccccccccccc1`],
      ['applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-0ccccccccccccccc1`],
      ['applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-00000000000000001`],
      ['applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-00000000000000002`],
      ['applied', `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-00000000000000003`],
    ]);
    expect(r.changes[2]!.details).toMatchObject({ vpcEndpointId: 'vpce-00000000000000001', securityGroupId: 'sg-0ccccccccccccccc1' });
    expect(r.regions).toEqual([{ region: 'us-east-1', ok: true, error: null }]);
  });

  it('without instances, takes one subnet per zone of the VPC (the first by id)', async () => {
    vpcWorld({
      subnets: [
        [A2, 'us-east-1a'],
        [A1, 'us-east-1a'],
        [B1, 'us-east-1b'],
      ],
    });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.subnets.map((s) => s.id)).toEqual([A1, B1]);
  });

  it('reuses an existing endpoint: adds the zones it lacks, the group and private DNS in one ModifyVpcEndpoint; leaves a covered zone alone', async () => {
    vpcWorld({
      subnets: [
        [A1, 'us-east-1a'],
        [A2, 'us-east-1a'],
        [B1, 'us-east-1b'],
      ],
      instances: [A1, B1],
      groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])],
      // Zone a is covered through A2 (not A1): adding A1 would be a second subnet in the zone.
      endpoints: [interfaceEndpoint('vpce-0aaaaaaaaaaaaaaa1', SSM, [A2], ['sg-0ddddddddddddddd1'], false)],
    });
    const plan = await planEndpoints(testEnv(), request());
    expect(ops(plan.changes)).toEqual(['ec2:ModifyVpcEndpoint', 'ec2:CreateVpcEndpoint']);
    expect(plan.changes[0]).toMatchObject({
      action: 'update',
      resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-0aaaaaaaaaaaaaaa1`,
      details: { addSubnetIds: B1, addSecurityGroupIds: SG, privateDnsEnabled: 'true' },
    });
    await applyEndpoints(testEnv(), plan);
    expect(ec2Writes()[0]).toEqual([
      'ModifyVpcEndpoint',
      { VpcEndpointId: 'vpce-0aaaaaaaaaaaaaaa1', AddSubnetIds: [B1], AddSecurityGroupIds: [SG], PrivateDnsEnabled: true },
    ]);
    expect(ec2Writes()[1]![1]).toMatchObject({ ServiceName: MESSAGES, SecurityGroupIds: [SG] });
  });

  it('plans nothing when the endpoints, the group and its rule are all there', async () => {
    vpcWorld({
      instances: [A1, B1],
      // A rule for 0-65535 from a wider block covers 443 from the VPC.
      groups: [endpointGroup([[0, 65535, ['10.0.0.0/8']]])],
      endpoints: [interfaceEndpoint('vpce-0aaaaaaaaaaaaaaa1', SSM, [A1, B1], [SG]), interfaceEndpoint('vpce-0aaaaaaaaaaaaaaa2', MESSAGES, [A1, B1], [SG])],
    });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.changes).toEqual([]);
    const r = await applyEndpoints(testEnv(), plan);
    expect(r.changes).toEqual([]);
    expect(ec2Writes()).toEqual([]);
  });

  it('adds only the VPC blocks the existing group does not admit on 443', async () => {
    vpcWorld({
      ipv4: ['10.0.0.0/16', '172.16.0.0/16'],
      groups: [
        endpointGroup([
          [22, 22, ['172.16.0.0/16']],
          [443, 443, ['10.0.0.0/16']],
        ]),
      ],
    });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.changes[0]).toMatchObject({
      operation: 'ec2:AuthorizeSecurityGroupIngress',
      resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${SG}`,
      details: { cidrs: '172.16.0.0/16', groupId: SG },
    });
  });

  it('adds the IPv6 block an existing group admits only over IPv4', async () => {
    vpcWorld({ ipv6: ['2600:1f18::/56'], groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])] });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.changes[0]).toMatchObject({ operation: 'ec2:AuthorizeSecurityGroupIngress', details: { cidrs: '2600:1f18::/56' } });
    await applyEndpoints(testEnv(), plan);
    expect(ec2Writes()[0]![1]).toEqual({
      GroupId: SG,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          Ipv6Ranges: [{ CidrIpv6: '2600:1f18::/56', Description: 'HTTPS to the Systems Manager VPC endpoints' }],
        },
      ],
    });
  });

  it('plans DNS support, then DNS hostnames, before anything else, and lists them for consent', async () => {
    vpcWorld({ dnsSupport: false, dnsHostnames: false });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.dnsAttributes).toEqual(['enableDnsSupport', 'enableDnsHostnames']);
    expect(plan.changes.slice(0, 2).map((c) => [c.operation, c.details.attribute])).toEqual([
      ['ec2:ModifyVpcAttribute', 'enableDnsSupport'],
      ['ec2:ModifyVpcAttribute', 'enableDnsHostnames'],
    ]);
    await applyEndpoints(testEnv(), plan);
    expect(ec2Writes().slice(0, 2)).toEqual([
      ['ModifyVpcAttribute', { VpcId: VPC, EnableDnsSupport: { Value: true } }],
      ['ModifyVpcAttribute', { VpcId: VPC, EnableDnsHostnames: { Value: true } }],
    ]);
  });

  it('only hostnames off: one attribute planned', async () => {
    vpcWorld({ dnsHostnames: false });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.dnsAttributes).toEqual(['enableDnsHostnames']);
    expect(ops(plan.changes).filter((o) => o === 'ec2:ModifyVpcAttribute')).toHaveLength(1);
  });

  it('uses a given security group as it is, warning when it does not admit 443 from the VPC', async () => {
    const mine = 'sg-0eeeeeeeeeeeeeee1';
    vpcWorld({ groups: [endpointGroup([[22, 22, ['10.0.0.0/16']]], mine, 'my-endpoints')] });
    const plan = await planEndpoints(testEnv(), request({ securityGroupId: mine }));
    expect(ops(plan.changes)).toEqual(['ec2:CreateVpcEndpoint', 'ec2:CreateVpcEndpoint']);
    expect(plan.changes[0]!.details.securityGroupId).toBe(mine);
    expect(plan.warnings.join('\n')).toContain(`security group ${mine} does not allow inbound TCP 443 from 10.0.0.0/16`);
  });

  it('refuses a given group of another VPC, or one that does not exist (usage errors, nothing planned)', async () => {
    vpcWorld({ groups: [endpointGroup([], 'sg-0fffffffffffffff1', 'other', 'vpc-0ffffffffffffffff')] });
    await expect(planEndpoints(testEnv(), request({ securityGroupId: 'sg-0fffffffffffffff1' }))).rejects.toThrow(/belongs to VPC vpc-0ffffffffffffffff/);
    await expect(planEndpoints(testEnv(), request({ securityGroupId: 'sg-01111111111111111' }))).rejects.toThrow(UsageError);
  });

  it('refuses a VPC that does not exist in the region', async () => {
    vpcWorld();
    ec2.on(DescribeVpcsCommand).rejects(awsError('InvalidVpcID.NotFound', "The vpc ID 'vpc-0123456789abcdef0' does not exist"));
    const e = await planEndpoints(testEnv(), request()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(e).toMatchObject({ code: 'VpcNotFound', message: expect.stringContaining(`VPC ${VPC} does not exist in us-east-1`) });
  });

  it('leaves out a zone the service does not offer (with a warning), and fails when none is left', async () => {
    vpcWorld({ instances: [A1, B1], services: { [SSM]: ['us-east-1b'], [MESSAGES]: ['us-east-1a', 'us-east-1b'] } });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.changes.filter((c) => c.operation === 'ec2:CreateVpcEndpoint').map((c) => c.details.subnetIds)).toEqual([B1, `${A1},${B1}`]);
    expect(plan.warnings.join('\n')).toContain(`${SSM} is not offered in us-east-1a`);

    ec2.reset();
    vpcWorld({ instances: [A1], services: { [SSM]: ['us-east-1b'], [MESSAGES]: ['us-east-1a'] } });
    await expect(planEndpoints(testEnv(), request())).rejects.toThrow(PreconditionError);
  });

  it('fails when the region does not offer a service, and goes on with the documented names when the list cannot be read', async () => {
    vpcWorld({ services: { [SSM]: ['us-east-1a'] } });
    await expect(planEndpoints(testEnv(), request())).rejects.toThrow(`us-east-1 does not offer the endpoint service ${MESSAGES}`);

    ec2.reset();
    vpcWorld();
    ec2.on(DescribeVpcEndpointServicesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.warnings.join('\n')).toContain('could not list the region');
    expect(ops(plan.changes)).toContain('ec2:CreateVpcEndpoint');
  });

  it('a service name EC2 answers InvalidServiceName for is not offered: exit 6 before any change', async () => {
    vpcWorld();
    ec2
      .on(DescribeVpcEndpointServicesCommand)
      .rejects(awsError('InvalidServiceName', "The Vpc Endpoint Service 'com.amazonaws.us-east-1.ssmmessages' does not exist"));
    const e = await planEndpoints(testEnv(), request()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PreconditionError);
    expect(e).toMatchObject({ code: 'EndpointServiceNotFound', message: expect.stringContaining("'com.amazonaws.us-east-1.ssmmessages' does not exist") });
    expect(ec2Writes()).toEqual([]);
  });

  it('Ctrl-C while the services are read stops the plan (it is not taken for an unreadable list)', async () => {
    vpcWorld();
    ec2.on(DescribeVpcEndpointServicesCommand).rejects(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    await expect(planEndpoints(testEnv(), request())).rejects.toMatchObject({ code: 'Interrupted' });
  });

  it('--s3-gateway: the gateway endpoint on the route tables of the chosen subnets (explicit, else the main table)', async () => {
    vpcWorld({
      instances: [A1, B1],
      routeTables: [
        ['rtb-0aaaaaaaaaaaaaaa1', true, []],
        ['rtb-0bbbbbbbbbbbbbbb1', false, [B1]],
        ['rtb-0ccccccccccccccc1', false, ['subnet-0ccccccccccccccc1']],
      ],
    });
    const plan = await planEndpoints(testEnv(), request({ s3Gateway: true }));
    const s3 = plan.changes.at(-1)!;
    expect(s3).toMatchObject({
      operation: 'ec2:CreateVpcEndpoint',
      details: { serviceName: 'com.amazonaws.us-east-1.s3', vpcEndpointType: 'Gateway', routeTableIds: 'rtb-0aaaaaaaaaaaaaaa1,rtb-0bbbbbbbbbbbbbbb1' },
    });
    await applyEndpoints(testEnv(), plan);
    expect(ec2Writes().at(-1)![1]).toMatchObject({
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.us-east-1.s3',
      RouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb1'],
    });
  });

  it('--s3-gateway reuses a gateway endpoint, adding the route tables it lacks', async () => {
    vpcWorld({
      instances: [A1, B1],
      routeTables: [
        ['rtb-0aaaaaaaaaaaaaaa1', true, []],
        ['rtb-0bbbbbbbbbbbbbbb1', false, [B1]],
      ],
      groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])],
      endpoints: [
        interfaceEndpoint('vpce-0aaaaaaaaaaaaaaa1', SSM, [A1, B1], [SG]),
        interfaceEndpoint('vpce-0aaaaaaaaaaaaaaa2', MESSAGES, [A1, B1], [SG]),
        {
          VpcEndpointId: 'vpce-0aaaaaaaaaaaaaaa3',
          VpcEndpointType: 'Gateway',
          ServiceName: 'com.amazonaws.us-east-1.s3',
          State: 'Available',
          RouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1'],
        },
      ],
    });
    const plan = await planEndpoints(testEnv(), request({ s3Gateway: true }));
    expect(plan.changes).toEqual([
      expect.objectContaining({ operation: 'ec2:ModifyVpcEndpoint', details: expect.objectContaining({ addRouteTableIds: 'rtb-0bbbbbbbbbbbbbbb1' }) }),
    ]);
  });

  it('--s3-gateway: an S3 interface endpoint is not a gateway endpoint; the gateway endpoint is still planned', async () => {
    vpcWorld({
      routeTables: [['rtb-0aaaaaaaaaaaaaaa1', true, []]],
      endpoints: [interfaceEndpoint('vpce-0aaaaaaaaaaaaaaa3', 'com.amazonaws.us-east-1.s3', [A1], [SG], false)],
    });
    const plan = await planEndpoints(testEnv(), request({ s3Gateway: true }));
    expect(plan.changes.at(-1)).toMatchObject({ operation: 'ec2:CreateVpcEndpoint', details: { vpcEndpointType: 'Gateway' } });
  });

  it('an endpoint being deleted is not reused: a new one is planned', async () => {
    vpcWorld({
      groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])],
      endpoints: [{ ...interfaceEndpoint('vpce-0aaaaaaaaaaaaaaa1', SSM, [A1, B1], [SG]), State: 'Deleting' }],
    });
    const plan = await planEndpoints(testEnv(), request());
    expect(plan.changes.map((c) => [c.operation, c.details.serviceName])).toEqual([
      ['ec2:CreateVpcEndpoint', SSM],
      ['ec2:CreateVpcEndpoint', MESSAGES],
    ]);
  });

  it('China: the interface endpoints keep com.amazonaws., S3 is cn.com.amazonaws., ARNs are aws-cn', async () => {
    vpcWorld({
      subnets: [[A1, 'cn-north-1a']],
      routeTables: [['rtb-0aaaaaaaaaaaaaaa1', true, []]],
    });
    const plan = await planEndpoints(testEnv(), request({ partition: 'aws-cn', region: 'cn-north-1', s3Gateway: true }));
    expect(plan.changes.filter((c) => c.operation === 'ec2:CreateVpcEndpoint').map((c) => c.details.serviceName)).toEqual([
      'com.amazonaws.cn-north-1.ssm',
      'com.amazonaws.cn-north-1.ssmmessages',
      'cn.com.amazonaws.cn-north-1.s3',
    ]);
    expect(plan.changes[0]!.resource).toBe(`arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:vpc/${VPC}`);
    // The names asked of DescribeVpcEndpointServices are the same.
    expect(ec2.commandCalls(DescribeVpcEndpointServicesCommand)[0]!.args[0].input.ServiceNames).toEqual([
      'com.amazonaws.cn-north-1.ssm',
      'com.amazonaws.cn-north-1.ssmmessages',
      'cn.com.amazonaws.cn-north-1.s3',
    ]);
  });
});

describe('applyEndpoints failures', () => {
  it('stops at a failed endpoint and reports the rest as not attempted; the region fails with the error', async () => {
    vpcWorld({ groups: [endpointGroup([[443, 443, ['10.0.0.0/16']]])] });
    ec2.on(CreateVpcEndpointCommand).rejectsOnce(awsError('VpcEndpointLimitExceeded', 'The maximum number of VPC endpoints has been reached.'));
    const r = await applyEndpoints(testEnv(), await planEndpoints(testEnv(), request()));
    expect(r.changes.map((c) => [c.status, c.error?.code ?? null])).toEqual([
      ['failed', 'VpcEndpointLimitExceeded'],
      ['failed', 'NotAttempted'],
    ]);
    expect(r.regions[0]).toMatchObject({ ok: false, error: { code: 'VpcEndpointLimitExceeded' } });
    expect(ec2Writes()).toHaveLength(1);
  });
});

describe('chooseSubnets', () => {
  const state = {
    subnets: [
      { id: A1, az: 'us-east-1a' },
      { id: A2, az: 'us-east-1a' },
      { id: B1, az: 'us-east-1b' },
    ],
    instanceSubnets: new Map<string, number>(),
  };
  const req = { vpcId: VPC, region: 'us-east-1' };

  it('takes --subnet-id as given, in order', () => {
    expect(chooseSubnets({ ...req, subnetIds: [B1, A2] }, state, []).map((s) => s.id)).toEqual([B1, A2]);
  });

  it('refuses a subnet of another VPC and two subnets of one zone', () => {
    expect(() => chooseSubnets({ ...req, subnetIds: ['subnet-09999999999999999'] }, state, [])).toThrow(/is not a subnet of vpc-0123456789abcdef0/);
    expect(() => chooseSubnets({ ...req, subnetIds: [A1, A2] }, state, [])).toThrow(/same availability zone \(us-east-1a\)/);
  });

  it('refuses a VPC without subnets', () => {
    expect(() => chooseSubnets({ ...req, subnetIds: [] }, { subnets: [], instanceSubnets: new Map() }, [])).toThrow(PreconditionError);
  });
});

describe('endpoint names and CIDR coverage', () => {
  it('names services per region', () => {
    expect(endpointServiceName('us-gov-west-1', 'ssm')).toBe('com.amazonaws.us-gov-west-1.ssm');
    expect(endpointServiceName('cn-northwest-1', 's3')).toBe('cn.com.amazonaws.cn-northwest-1.s3');
    expect(endpointServiceName('cn-northwest-1', 'ec2messages')).toBe('com.amazonaws.cn-northwest-1.ec2messages');
    expect(endpointServiceName('us-east-1', 's3')).toBe('com.amazonaws.us-east-1.s3');
  });

  it('a rule covers a block when it contains all of it', () => {
    expect(cidrCovered('0.0.0.0/0', '10.0.0.0/16')).toBe(true);
    expect(cidrCovered('10.0.0.0/8', '10.1.0.0/16')).toBe(true);
    expect(cidrCovered('10.0.0.0/16', '10.0.0.0/16')).toBe(true);
    expect(cidrCovered('10.0.0.0/24', '10.0.0.0/16')).toBe(false);
    expect(cidrCovered('10.2.0.0/16', '10.1.0.0/16')).toBe(false);
    expect(cidrCovered('::/0', '2600:1f18::/56')).toBe(true);
    expect(cidrCovered('2600:1F18::/56', '2600:1f18::/56')).toBe(true);
    expect(cidrCovered('0.0.0.0/0', '2600:1f18::/56')).toBe(false);
    expect(cidrCovered('::/0', '10.0.0.0/16')).toBe(false);
  });
});
