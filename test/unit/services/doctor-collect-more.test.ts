// collectFleet's facts, exactly as the checks receive them: what each EC2/SSM/IAM answer becomes, the filters
// and page sizes sent, and how a refused read becomes a per-region gap instead of failing the run.
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2, iam, resetAws, ssm } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { collectFleet, type Selection } from '../../../src/services/doctor/collect.js';

const P_NEW = 'arn:aws:iam::111122223333:instance-profile/team/New';
const P_OLD = 'arn:aws:iam::111122223333:instance-profile/Old';
const P_GONE = 'arn:aws:iam::111122223333:instance-profile/Gone';
const DENIED = 'You are not authorized to perform this operation.';

/** An answer in pages: the first without NextToken, then 'p2', 'p3'... */
function paged<T>(pages: T[]) {
  return (input: { NextToken?: string }) => {
    const i = input.NextToken ? Number(input.NextToken.slice(1)) - 1 : 0;
    return { ...pages[i], NextToken: i + 1 < pages.length ? `p${i + 2}` : undefined };
  };
}

const sel = (over: Partial<Selection> = {}): Selection => ({
  partition: 'aws',
  account: '111122223333',
  regions: ['us-east-1'],
  iamRegion: 'us-east-1',
  instanceIds: [],
  tags: [],
  ...over,
});

const INSTANCES: Instance[] = [
  {
    InstanceId: 'i-1',
    Tags: [
      { Key: 'Name', Value: 'web' },
      { Key: 'env', Value: 'prod' },
    ],
    State: { Name: 'running' },
    VpcId: 'vpc-a',
    SubnetId: 'subnet-a',
    PrivateIpAddress: '10.0.0.5',
    PublicIpAddress: '3.3.3.3',
    SecurityGroups: [{ GroupId: 'sg-1' }, {}],
    NetworkInterfaces: [{ Groups: [{ GroupId: 'sg-1' }, { GroupId: 'sg-2' }] }, {}],
    MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'required' },
    IamInstanceProfile: { Arn: P_OLD },
  },
  { InstanceId: 'i-2', IamInstanceProfile: { Arn: P_OLD } },
  { State: { Name: 'running' } },
  { InstanceId: 'i-3', State: { Name: 'stopped' }, VpcId: 'vpc-b', IamInstanceProfile: { Arn: P_GONE } },
];

function world() {
  resetAws();
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: 'service-role/DhmcRole', Status: 'Customized' } });
  ec2
    .on(DescribeInstancesCommand)
    .callsFake(paged([{ Reservations: [{ Instances: INSTANCES.slice(0, 2) }] }, { Reservations: [{ Instances: INSTANCES.slice(2) }, {}] }]));
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).callsFake(
    paged([
      {
        IamInstanceProfileAssociations: [
          { InstanceId: 'i-1', State: 'associated', IamInstanceProfile: { Arn: P_NEW } },
          { InstanceId: 'i-2', State: 'disassociating', IamInstanceProfile: { Arn: P_OLD } },
          { InstanceId: 'i-2', State: 'associated' },
        ],
      },
      { IamInstanceProfileAssociations: [{ InstanceId: 'i-3', State: 'associating', IamInstanceProfile: { Arn: P_GONE } }] },
    ]),
  );
  ssm.on(DescribeInstanceInformationCommand).callsFake(
    paged([
      {
        InstanceInformationList: [
          { InstanceId: 'i-1', PingStatus: 'Online', AgentVersion: '3.3.40.0', LastPingDateTime: new Date('2026-11-28T10:00:00Z'), PlatformType: 'Linux' },
          { PingStatus: 'Online' },
        ],
      },
      { InstanceInformationList: [{ InstanceId: 'i-3' }] },
    ]),
  );
  ec2.on(DescribeRouteTablesCommand).callsFake(
    paged([
      {
        RouteTables: [
          {
            RouteTableId: 'rtb-a',
            VpcId: 'vpc-a',
            Associations: [{ Main: false, SubnetId: 'subnet-a' }, { Main: true }, {}],
            Routes: [
              { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' },
              { DestinationCidrBlock: '10.1.0.0/16', TransitGatewayId: 'tgw-1', VpcPeeringConnectionId: 'pcx-1' },
              { DestinationCidrBlock: '10.2.0.0/16', VpcPeeringConnectionId: 'pcx-1', NetworkInterfaceId: 'eni-9' },
              { DestinationCidrBlock: '10.3.0.0/16', NetworkInterfaceId: 'eni-9', InstanceId: 'i-nat' },
              { DestinationCidrBlock: '10.4.0.0/16', InstanceId: 'i-nat' },
              { NatGatewayId: 'nat-1', State: 'blackhole' },
            ],
          },
          { VpcId: 'vpc-zzz', RouteTableId: 'rtb-other' },
        ],
      },
      { RouteTables: [{ RouteTableId: 'rtb-b', VpcId: 'vpc-b', Associations: [{ SubnetId: 'subnet-b' }] }, { VpcId: 'vpc-b' }] },
    ]),
  );
  ec2.on(DescribeVpcEndpointsCommand).callsFake(
    paged([
      {
        VpcEndpoints: [
          {
            VpcEndpointId: 'vpce-ssm',
            VpcId: 'vpc-a',
            VpcEndpointType: 'Interface',
            ServiceName: 'com.amazonaws.us-east-1.ssm',
            PrivateDnsEnabled: true,
            State: 'Available',
            Groups: [{ GroupId: 'sg-e' }, {}],
            NetworkInterfaceIds: ['eni-1', 'eni-2'],
          },
          { VpcEndpointId: 'vpce-s3', VpcId: 'vpc-a', VpcEndpointType: 'Gateway', ServiceName: 'com.amazonaws.us-east-1.s3' },
          { VpcEndpointId: 'vpce-west', VpcId: 'vpc-a', VpcEndpointType: 'Interface', ServiceName: 'com.amazonaws.us-west-2.ssm' },
          { VpcEndpointId: 'vpce-noname', VpcId: 'vpc-a', VpcEndpointType: 'Interface' },
          { VpcEndpointId: 'vpce-notype', VpcId: 'vpc-a', ServiceName: 'com.amazonaws.us-east-1.ec2' },
        ],
      },
      {
        VpcEndpoints: [
          {
            VpcId: 'vpc-b',
            VpcEndpointType: 'interface',
            ServiceName: 'com.amazonaws.us-east-1.ec2messages',
            State: 'pendingAcceptance',
            NetworkInterfaceIds: ['eni-3', 'eni-1'],
          },
          {
            VpcEndpointId: 'vpce-msgs',
            VpcId: 'vpc-b',
            VpcEndpointType: 'Interface',
            ServiceName: 'com.amazonaws.us-east-1.ssmmessages',
            PrivateDnsEnabled: false,
            NetworkInterfaceIds: ['eni-4'],
          },
        ],
      },
    ]),
  );
  ec2.on(DescribeNetworkInterfacesCommand).callsFake(
    paged([
      {
        NetworkInterfaces: [
          {
            NetworkInterfaceId: 'eni-1',
            PrivateIpAddress: '10.0.1.10',
            PrivateIpAddresses: [{ PrivateIpAddress: '10.0.1.10' }, { PrivateIpAddress: '10.0.1.11' }, {}],
          },
          { NetworkInterfaceId: 'eni-2', PrivateIpAddress: '10.0.2.20', PrivateIpAddresses: [] },
        ],
      },
      { NetworkInterfaces: [{ NetworkInterfaceId: 'eni-3' }] },
    ]),
  );
  ec2.on(DescribeSecurityGroupsCommand).callsFake(
    paged([
      {
        SecurityGroups: [
          {
            GroupId: 'sg-1',
            VpcId: 'vpc-a',
            IpPermissions: [
              {
                IpProtocol: 'tcp',
                FromPort: 443,
                ToPort: 443,
                IpRanges: [{ CidrIp: '10.0.0.0/8' }, {}],
                UserIdGroupPairs: [{ GroupId: 'sg-2' }, {}],
                PrefixListIds: [{ PrefixListId: 'pl-1' }, {}],
              },
              {},
            ],
            IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          },
          { GroupId: 'sg-x', VpcId: 'vpc-zzz' },
        ],
      },
      { SecurityGroups: [{ GroupId: 'sg-2', VpcId: 'vpc-b' }, { VpcId: 'vpc-b' }] },
    ]),
  );
  ssm.on(ListAssociationsCommand).callsFake(
    paged([
      {
        Associations: [
          { Name: 'AWS-AttachIAMToInstance', AssociationId: 'assoc-1', AssociationName: 'quick', Targets: [{ Key: 'tag:env', Values: ['prod'] }, {}] },
          { Name: 'AWS-UpdateSSMAgent', AssociationId: 'assoc-2' },
        ],
      },
      { Associations: [{ Name: 'AWS-AttachIAMToInstance' }] },
    ]),
  );
  iam.on(GetInstanceProfileCommand, { InstanceProfileName: 'New' }).resolves({
    InstanceProfile: {
      InstanceProfileName: 'New',
      Arn: P_NEW,
      Path: '/team/',
      InstanceProfileId: 'x',
      CreateDate: new Date(0),
      Roles: [{ RoleName: 'AppRole', Arn: 'r', Path: '/', RoleId: 'x', CreateDate: new Date(0) }],
    },
  });
  iam.on(GetInstanceProfileCommand, { InstanceProfileName: 'Gone' }).rejects(awsError('NoSuchEntity', 'Instance Profile Gone cannot be found.', 404));
  iam.on(GetRoleCommand, { RoleName: 'AppRole' }).resolves({
    Role: {
      RoleName: 'AppRole',
      Arn: 'arn:aws:iam::111122223333:role/AppRole',
      Path: '/',
      RoleId: 'x',
      CreateDate: new Date(0),
      AssumeRolePolicyDocument: '%7B%7D',
      Tags: [{ Key: 'team', Value: 'ops' }],
    },
  });
  iam
    .on(GetRoleCommand, { RoleName: 'DhmcRole' })
    .resolves({ Role: { RoleName: 'DhmcRole', Path: '/service-role/', RoleId: 'x', CreateDate: new Date(0) } } as never);
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
}

describe('collectFleet: the facts of one region', () => {
  beforeEach(world);

  it('turns every page of EC2, SSM and IAM answers into the facts the checks read', async () => {
    const facts = await collectFleet(testEnv(), sel({ instanceIds: ['i-1', 'i-2', 'i-3'] }));
    const r = facts.regions[0]!;
    expect(r.error).toBeNull();
    expect(r.gaps).toEqual(new Map());
    expect(r.instances).toEqual([
      {
        instanceId: 'i-1',
        region: 'us-east-1',
        name: 'web',
        state: 'running',
        vpcId: 'vpc-a',
        subnetId: 'subnet-a',
        privateIp: '10.0.0.5',
        hasPublicIp: true,
        securityGroupIds: ['sg-1', 'sg-2'],
        httpEndpoint: 'disabled',
        httpTokens: 'required',
        // The association, not DescribeInstances, names the attached profile.
        profileArn: P_NEW,
        tags: { Name: 'web', env: 'prod' },
      },
      {
        instanceId: 'i-2',
        region: 'us-east-1',
        name: null,
        state: 'unknown',
        vpcId: null,
        subnetId: null,
        privateIp: null,
        hasPublicIp: false,
        securityGroupIds: [],
        httpEndpoint: 'enabled',
        httpTokens: 'optional',
        // Only a disassociating association (and one without a profile): nothing attached.
        profileArn: null,
        tags: {},
      },
      {
        instanceId: 'i-3',
        region: 'us-east-1',
        name: null,
        state: 'stopped',
        vpcId: 'vpc-b',
        subnetId: null,
        privateIp: null,
        hasPublicIp: false,
        securityGroupIds: [],
        httpEndpoint: 'enabled',
        httpTokens: 'optional',
        profileArn: P_GONE,
        tags: {},
      },
    ]);
    expect(r.managed).toEqual(
      new Map([
        ['i-1', { pingStatus: 'Online', agentVersion: '3.3.40.0', lastPing: '2026-11-28T10:00:00.000Z', platform: 'Linux' }],
        ['i-3', { pingStatus: null, agentVersion: null, lastPing: null, platform: null }],
      ]),
    );
    expect(r.dhmc).toEqual({ enabled: true, settingValue: 'service-role/DhmcRole', roleName: 'DhmcRole', error: null });
    expect(r.quickSetup).toEqual([
      {
        associationId: 'assoc-1',
        associationName: 'quick',
        targets: [
          { key: 'tag:env', values: ['prod'] },
          { key: '', values: [] },
        ],
      },
      { associationId: '', associationName: null, targets: [] },
    ]);
    expect([...r.vpcs.keys()]).toEqual(['vpc-a', 'vpc-b']);
    const a = r.vpcs.get('vpc-a')!;
    const b = r.vpcs.get('vpc-b')!;
    expect(a.routeTables).toEqual([
      {
        id: 'rtb-a',
        main: true,
        subnetIds: ['subnet-a'],
        routes: [
          { destination: '0.0.0.0/0', gatewayId: 'igw-1', natGatewayId: null, otherTarget: null, blackhole: false },
          { destination: '10.1.0.0/16', gatewayId: null, natGatewayId: null, otherTarget: 'tgw-1', blackhole: false },
          { destination: '10.2.0.0/16', gatewayId: null, natGatewayId: null, otherTarget: 'pcx-1', blackhole: false },
          { destination: '10.3.0.0/16', gatewayId: null, natGatewayId: null, otherTarget: 'eni-9', blackhole: false },
          { destination: '10.4.0.0/16', gatewayId: null, natGatewayId: null, otherTarget: 'i-nat', blackhole: false },
          { destination: null, gatewayId: null, natGatewayId: 'nat-1', otherTarget: null, blackhole: true },
        ],
      },
    ]);
    expect(b.routeTables).toEqual([
      { id: 'rtb-b', main: false, subnetIds: ['subnet-b'], routes: [] },
      { id: '', main: false, subnetIds: [], routes: [] },
    ]);
    // Interface endpoints of this region only; the service is the name's last part.
    expect(a.endpoints).toEqual([
      { id: 'vpce-ssm', service: 'ssm', privateDns: true, available: true, groupIds: ['sg-e'], ips: ['10.0.1.10', '10.0.1.11', '10.0.2.20'] },
    ]);
    expect(b.endpoints).toEqual([
      { id: '', service: 'ec2messages', privateDns: false, available: false, groupIds: [], ips: ['10.0.1.10', '10.0.1.11'] },
      { id: 'vpce-msgs', service: 'ssmmessages', privateDns: false, available: true, groupIds: [], ips: [] },
    ]);
    expect(a.groups).toEqual(
      new Map([
        [
          'sg-1',
          {
            id: 'sg-1',
            ingress: [
              { protocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/8'], groupIds: ['sg-2'], prefixListIds: ['pl-1'] },
              { protocol: '-1', fromPort: null, toPort: null, cidrs: [], groupIds: [], prefixListIds: [] },
            ],
            egress: [{ protocol: '-1', fromPort: null, toPort: null, cidrs: ['0.0.0.0/0'], groupIds: [], prefixListIds: [] }],
          },
        ],
      ]),
    );
    expect(b.groups).toEqual(
      new Map([
        ['sg-2', { id: 'sg-2', ingress: [], egress: [] }],
        ['', { id: '', ingress: [], egress: [] }],
      ]),
    );

    // Profiles by their name (the ARN's last part); a deleted one is a fact, not an error.
    expect(facts.profiles).toEqual(
      new Map([
        [P_NEW, { name: 'New', arn: P_NEW, exists: true, roleName: 'AppRole', error: null }],
        [P_GONE, { name: 'Gone', arn: P_GONE, exists: false, roleName: null, error: null }],
      ]),
    );
    expect(iam).toHaveReceivedCommandWith(GetInstanceProfileCommand, { InstanceProfileName: 'New' });
    // The profiles' roles and the DHMC role, each read once.
    expect(facts.roles).toEqual(
      new Map([
        [
          'AppRole',
          {
            name: 'AppRole',
            arn: 'arn:aws:iam::111122223333:role/AppRole',
            exists: true,
            trustPolicy: '%7B%7D',
            attachedPolicyArns: [],
            policies: [],
            boundary: null,
            tags: { team: 'ops' },
            error: null,
          },
        ],
        [
          'DhmcRole',
          { name: 'DhmcRole', arn: null, exists: true, trustPolicy: undefined, attachedPolicyArns: [], policies: [], boundary: null, tags: {}, error: null },
        ],
      ]),
    );
    expect(facts.account).toBe('111122223333');
    expect(facts.partition).toBe('aws');
  });

  it('sends the filters and page sizes of the EC2 and SSM APIs, and follows every NextToken', async () => {
    await collectFleet(testEnv(), sel({ instanceIds: ['i-1', 'i-2', 'i-3'] }));
    const inputs = (m: typeof ec2 | typeof ssm, c: unknown) => m.commandCalls(c as never).map((x) => x.args[0].input);
    // Live instances only: a terminated instance cannot be managed (EC2 API reference, DescribeInstances, instance-state-name).
    expect(inputs(ec2, DescribeInstancesCommand)).toEqual([
      {
        Filters: [
          { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
          { Name: 'instance-id', Values: ['i-1', 'i-2', 'i-3'] },
        ],
        MaxResults: 1000,
        NextToken: undefined,
      },
      expect.objectContaining({ NextToken: 'p2' }),
    ]);
    const ids = [{ Name: 'instance-id', Values: ['i-1', 'i-2', 'i-3'] }];
    expect(inputs(ec2, DescribeIamInstanceProfileAssociationsCommand)).toEqual([
      { Filters: ids, MaxResults: 1000, NextToken: undefined },
      { Filters: ids, MaxResults: 1000, NextToken: 'p2' },
    ]);
    // DescribeInstanceInformation: MaxResults 5-50 (SSM API reference); the InstanceIds filter for a few instances.
    const nodes = [{ Key: 'InstanceIds', Values: ['i-1', 'i-2', 'i-3'] }];
    expect(inputs(ssm, DescribeInstanceInformationCommand)).toEqual([
      { Filters: nodes, MaxResults: 50, NextToken: undefined },
      { Filters: nodes, MaxResults: 50, NextToken: 'p2' },
    ]);
    // DescribeRouteTables: MaxResults 5-100; DescribeVpcEndpoints, DescribeNetworkInterfaces and
    // DescribeSecurityGroups: up to 1000 (EC2 API reference of each action).
    const vpcs = [{ Name: 'vpc-id', Values: ['vpc-a', 'vpc-b'] }];
    expect(inputs(ec2, DescribeRouteTablesCommand)).toEqual([
      { Filters: vpcs, MaxResults: 100, NextToken: undefined },
      { Filters: vpcs, MaxResults: 100, NextToken: 'p2' },
    ]);
    expect(inputs(ec2, DescribeVpcEndpointsCommand)).toEqual([
      { Filters: vpcs, MaxResults: 1000, NextToken: undefined },
      { Filters: vpcs, MaxResults: 1000, NextToken: 'p2' },
    ]);
    const enis = [{ Name: 'network-interface-id', Values: ['eni-1', 'eni-2', 'eni-3', 'eni-4'] }];
    expect(inputs(ec2, DescribeNetworkInterfacesCommand)).toEqual([
      { Filters: enis, MaxResults: 1000, NextToken: undefined },
      { Filters: enis, MaxResults: 1000, NextToken: 'p2' },
    ]);
    expect(inputs(ec2, DescribeSecurityGroupsCommand)).toEqual([
      { Filters: vpcs, MaxResults: 1000, NextToken: undefined },
      { Filters: vpcs, MaxResults: 1000, NextToken: 'p2' },
    ]);
    // ListAssociations: MaxResults 1-50, filtered by document name (SSM API reference, AssociationFilter).
    const qs = [{ key: 'Name', value: 'AWS-AttachIAMToInstance' }];
    expect(inputs(ssm, ListAssociationsCommand)).toEqual([
      { AssociationFilterList: qs, MaxResults: 50, NextToken: undefined },
      { AssociationFilterList: qs, MaxResults: 50, NextToken: 'p2' },
    ]);
  });

  it('lists every association of the region when the whole fleet is read, or more than 1000 instances', async () => {
    await collectFleet(testEnv(), sel());
    expect(ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0]!.args[0].input).toEqual({
      Filters: undefined,
      MaxResults: 1000,
      NextToken: undefined,
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);

    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ InstanceId: `i-${i}`, State: { Name: 'running' as const } }));
    for (const [n, filtered] of [
      [1000, true],
      [1001, false],
    ] as const) {
      world();
      ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: many(n) }] });
      ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
      await collectFleet(testEnv(), sel({ tags: [{ Key: 'env', Value: 'prod' }] }));
      const first = ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0]!.args[0].input.Filters;
      expect(first === undefined ? 'all' : first[0]!.Name).toBe(filtered ? 'instance-id' : 'all');
    }
  });

  it('asks SSM for 100 instances by id a call, however many there are, and makes no call for none', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ InstanceId: `i-${i}`, State: { Name: 'running' as const } }));
    // The batches (first pages: this world answers each in two pages).
    const asked = () =>
      ssm
        .commandCalls(DescribeInstanceInformationCommand)
        .filter((c) => !c.args[0].input.NextToken)
        .map((c) => c.args[0].input.Filters![0]!.Values!.length);
    world();
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: many(100) }] });
    await collectFleet(testEnv(), sel());
    expect(asked()).toEqual([100]);
    world();
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: many(101) }] });
    await collectFleet(testEnv(), sel());
    expect(asked()).toEqual([100, 1]);
    world();
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const facts = await collectFleet(testEnv(), sel());
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 0);
    expect(ec2).toHaveReceivedCommandTimes(DescribeNetworkInterfacesCommand, 0);
    expect(facts.regions[0]!.managed).toEqual(new Map());
  });
});

describe('collectFleet: a refused read is a gap of its region', () => {
  beforeEach(world);

  const denied = (action: string) => ({
    code: 'UnauthorizedOperation',
    message: `access denied to ${action} in us-east-1: ${DENIED}`,
    hint: `Allow ${action} for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.`,
  });

  it('keeps the instances and names the refused network action', async () => {
    for (const [command, action] of [
      [DescribeRouteTablesCommand, 'ec2:DescribeRouteTables'],
      [DescribeVpcEndpointsCommand, 'ec2:DescribeVpcEndpoints'],
      [DescribeNetworkInterfacesCommand, 'ec2:DescribeNetworkInterfaces'],
      [DescribeSecurityGroupsCommand, 'ec2:DescribeSecurityGroups'],
    ] as const) {
      world();
      ec2.on(command as never).rejects(awsError('UnauthorizedOperation', DENIED));
      const r = (await collectFleet(testEnv(), sel({ instanceIds: ['i-1', 'i-2', 'i-3'] }))).regions[0]!;
      expect(r.gaps).toEqual(new Map([['network', denied(action)]]));
      expect(r.vpcs).toEqual(new Map());
      expect(r.error).toBeNull();
      expect(r.instances.map((i) => i.profileArn)).toEqual([P_NEW, null, P_GONE]);
    }
  });

  it('keeps DescribeInstances profiles when the associations are refused, and no nodes when SSM is', async () => {
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).rejects(awsError('UnauthorizedOperation', DENIED));
    ssm.on(DescribeInstanceInformationCommand).rejects(awsError('AccessDeniedException', 'User is not authorized'));
    ssm.on(ListAssociationsCommand).rejects(awsError('AccessDeniedException', 'User is not authorized'));
    const r = (await collectFleet(testEnv(), sel({ instanceIds: ['i-1', 'i-2', 'i-3'] }))).regions[0]!;
    expect(r.instances.map((i) => i.profileArn)).toEqual([P_OLD, P_OLD, P_GONE]);
    expect(r.managed).toEqual(new Map());
    expect(r.quickSetup).toEqual([]);
    const ssmDenied = (action: string) => ({
      code: 'AccessDeniedException',
      message: `access denied to ${action} in us-east-1: User is not authorized`,
      hint: `Allow ${action} for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.`,
    });
    expect(r.gaps).toEqual(
      new Map([
        ['associations', denied('ec2:DescribeIamInstanceProfileAssociations')],
        ['managed', ssmDenied('ssm:DescribeInstanceInformation')],
        ['quickSetup', ssmDenied('ssm:ListAssociations')],
      ]),
    );
    expect(r.vpcs.size).toBe(2);
  });

  it('makes a refused DescribeInstances the region error, with no other read of that region', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', DENIED));
    const done: [number, number][] = [];
    const facts = await collectFleet(testEnv(), sel({ regions: ['us-east-1', 'eu-west-1'], onRegionDone: (d, t) => done.push([d, t]) }));
    expect(done).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const r = facts.regions[0]!;
    expect(r).toEqual({
      region: 'us-east-1',
      instances: [],
      managed: new Map(),
      dhmc: { enabled: true, settingValue: 'service-role/DhmcRole', roleName: 'DhmcRole', error: null },
      vpcs: new Map(),
      quickSetup: [],
      error: denied('ec2:DescribeInstances'),
      gaps: new Map(),
    });
    expect(facts.regions[1]!.error!.message).toBe(`access denied to ec2:DescribeInstances in eu-west-1: ${DENIED}`);
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 0);
    expect(ec2).toHaveReceivedCommandTimes(DescribeRouteTablesCommand, 0);
    // The DHMC role is still read once for the whole run.
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 1);
  });

  it('uses DHMC settings already read instead of reading them again', async () => {
    const dhmcSettings = new Map([
      [
        'us-east-1',
        {
          region: 'us-east-1',
          enabled: false,
          settingValue: '$None',
          roleName: null,
          rolePath: null,
          status: 'Default',
          lastModifiedDate: null,
          lastModifiedUser: null,
          settingArn: 'arn',
          error: null,
        },
      ],
    ]);
    const r = (await collectFleet(testEnv(), sel({ instanceIds: ['i-1'], dhmcSettings }))).regions[0]!;
    expect(ssm).toHaveReceivedCommandTimes(GetServiceSettingCommand, 0);
    expect(r.dhmc).toEqual({ enabled: false, settingValue: '$None', roleName: null, error: null });
  });

  it("keeps a profile's or role's read error with the IAM action refused", async () => {
    iam.on(GetInstanceProfileCommand, { InstanceProfileName: 'New' }).rejects(awsError('AccessDenied', 'nope'));
    iam.on(GetRoleCommand, { RoleName: 'DhmcRole' }).rejects(awsError('AccessDenied', 'nope'));
    const facts = await collectFleet(testEnv(), sel({ instanceIds: ['i-1', 'i-2', 'i-3'] }));
    const profile = facts.profiles.get(P_NEW)!;
    expect({ ...profile, error: profile.error?.code }).toEqual({ name: 'New', arn: P_NEW, exists: false, roleName: null, error: 'AccessDenied' });
    expect(profile.error!.message).toBe('access denied to iam:GetInstanceProfile: nope');
    // No profile role to read: only the DHMC role, whose error is kept.
    const role = facts.roles.get('DhmcRole')!;
    expect({ ...role, error: role.error?.code }).toEqual({
      name: 'DhmcRole',
      arn: null,
      exists: false,
      trustPolicy: undefined,
      attachedPolicyArns: [],
      policies: [],
      boundary: null,
      tags: {},
      error: 'AccessDenied',
    });
    expect(role.error!.message).toContain('iam:GetRole');
    expect([...facts.roles.keys()]).toEqual(['DhmcRole']);
  });

  it('reports a role that does not exist as a fact, not an error', async () => {
    iam.on(GetRoleCommand, { RoleName: 'AppRole' }).rejects(awsError('NoSuchEntity', 'The role with name AppRole cannot be found.', 404));
    const facts = await collectFleet(testEnv(), sel({ instanceIds: ['i-1'] }));
    expect(facts.roles.get('AppRole')).toEqual({
      name: 'AppRole',
      arn: null,
      exists: false,
      trustPolicy: undefined,
      attachedPolicyArns: [],
      policies: [],
      boundary: null,
      tags: {},
      error: null,
    });
  });

  it('reads a profile without a role (or an empty answer) as a profile with no role', async () => {
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).rejects(awsError('UnauthorizedOperation', DENIED));
    iam.on(GetInstanceProfileCommand, { InstanceProfileName: 'New' }).resolves({});
    iam.on(GetInstanceProfileCommand, { InstanceProfileName: 'Old' }).resolves({
      InstanceProfile: { InstanceProfileName: 'Old', Arn: P_OLD, Path: '/', InstanceProfileId: 'x', CreateDate: new Date(0) } as never,
    });
    iam.on(GetInstanceProfileCommand, { InstanceProfileName: 'Gone' }).resolves({
      InstanceProfile: { InstanceProfileName: 'Gone', Arn: P_GONE, Path: '/', InstanceProfileId: 'x', CreateDate: new Date(0), Roles: [] },
    });
    const facts = await collectFleet(testEnv(), sel({ instanceIds: ['i-1', 'i-2', 'i-3'] }));
    expect(facts.profiles).toEqual(
      new Map([
        [P_OLD, { name: 'Old', arn: P_OLD, exists: true, roleName: null, error: null }],
        [P_GONE, { name: 'Gone', arn: P_GONE, exists: true, roleName: null, error: null }],
      ]),
    );
    world();
    iam.on(GetInstanceProfileCommand, { InstanceProfileName: 'New' }).resolves({});
    const fleet = await collectFleet(testEnv(), sel({ instanceIds: ['i-1'] }));
    expect(fleet.profiles.get(P_NEW)).toEqual({ name: 'New', arn: P_NEW, exists: true, roleName: null, error: null });
  });
});

describe('collectFleet: an interrupted read stops the run', () => {
  beforeEach(world);

  // Ctrl-C aborts the SDK call (AbortError): no gap is recorded, the whole collection ends.
  it.each([
    ['DescribeInstances', () => ec2.on(DescribeInstancesCommand).rejects(awsError('AbortError', 'Request aborted'))],
    ['DescribeRouteTables', () => ec2.on(DescribeRouteTablesCommand).rejects(awsError('AbortError', 'Request aborted'))],
    ['GetInstanceProfile', () => iam.on(GetInstanceProfileCommand).rejects(awsError('AbortError', 'Request aborted'))],
    ['GetRole', () => iam.on(GetRoleCommand).rejects(awsError('AbortError', 'Request aborted'))],
  ])('when %s is interrupted', async (_, interrupt) => {
    interrupt();
    await expect(collectFleet(testEnv(), sel({ instanceIds: ['i-1', 'i-2', 'i-3'] }))).rejects.toMatchObject({ name: 'AbortedError', code: 'Interrupted' });
  });
});
