// doctor's reads grow with pages, VPCs, profiles and roles - not with instances.
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  type Instance,
} from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeInstanceInformationCommand,
  GetServiceSettingCommand,
  ListAssociationsCommand,
  type DescribeInstanceInformationCommandInput,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2, ssm, iam } from '../../helpers/aws-mocks.js';
import { collectFleet } from '../../../src/services/doctor/collect.js';
import { testEnv } from '../../helpers/service-env.js';

const PROFILES = ['arn:aws:iam::111122223333:instance-profile/A', 'arn:aws:iam::111122223333:instance-profile/B'];

function fleet(n: number): Instance[] {
  return Array.from({ length: n }, (_, i) => ({
    InstanceId: `i-${i.toString(16).padStart(17, '0')}`,
    State: { Name: 'running' },
    VpcId: `vpc-${i % 3}`,
    SubnetId: `subnet-${i % 3}`,
    IamInstanceProfile: { Arn: PROFILES[i % 2]!, Id: 'x' },
  }));
}

function world(n: number) {
  for (const m of [ec2, ssm, iam]) m.reset();
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: fleet(n) }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
    IamInstanceProfileAssociations: fleet(n).map((i) => ({
      InstanceId: i.InstanceId,
      AssociationId: `a-${i.InstanceId}`,
      State: 'associated',
      IamInstanceProfile: { Arn: i.IamInstanceProfile!.Arn },
    })),
  });
  ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
  ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
  ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
  ssm.on(DescribeInstanceInformationCommand).callsFake(nodeAnswer);
  iam.on(GetInstanceProfileCommand).callsFake((input: { InstanceProfileName: string }) => ({
    InstanceProfile: {
      InstanceProfileName: input.InstanceProfileName,
      Arn: 'a',
      Path: '/',
      InstanceProfileId: 'x',
      CreateDate: new Date(),
      Roles: [{ RoleName: 'Shared', Arn: 'r', Path: '/', RoleId: 'x', CreateDate: new Date() }],
    },
  }));
  iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'Shared', Arn: 'r', Path: '/', RoleId: 'x', CreateDate: new Date() } });
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }], IsTruncated: false });
  iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: '{}' } });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
}

/** DescribeInstanceInformation as SSM answers it: the nodes among the ids asked, MaxResults a page. */
function nodeAnswer(input: DescribeInstanceInformationCommandInput) {
  const ids = input.Filters?.find((f) => f.Key === 'InstanceIds')?.Values;
  const nodes = (ids ?? []).map((InstanceId) => ({ InstanceId, PingStatus: 'Online' as const }));
  const start = Number(input.NextToken ?? 0);
  const size = input.MaxResults ?? 10;
  return { InstanceInformationList: nodes.slice(start, start + size), NextToken: start + size < nodes.length ? String(start + size) : undefined };
}

const count = () => ec2.calls().length + ssm.calls().length + iam.calls().length;
const sel = { partition: 'aws', account: '111122223333', regions: ['us-east-1'], iamRegion: 'us-east-1', instanceIds: [], tags: [] };

describe('collectFleet', () => {
  beforeEach(() => world(10));

  it('reads the network of all VPCs in one call each, and each profile and role once', async () => {
    const facts = await collectFleet(testEnv(), sel);
    expect(facts.regions[0]!.instances).toHaveLength(10);
    // Route tables, endpoints and security groups: one call each, for the three VPCs together.
    for (const command of [DescribeRouteTablesCommand, DescribeVpcEndpointsCommand, DescribeSecurityGroupsCommand]) {
      expect(ec2).toHaveReceivedCommandTimes(command, 1);
      expect(ec2).toHaveReceivedCommandWith(command, { Filters: [{ Name: 'vpc-id', Values: ['vpc-0', 'vpc-1', 'vpc-2'] }] });
    }
    expect(iam).toHaveReceivedCommandTimes(GetInstanceProfileCommand, 2);
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 1);
    expect(iam).toHaveReceivedCommandTimes(GetPolicyVersionCommand, 1);
  });

  it('asks SSM for the instances found by id, 100 ids a call and 50 nodes a page (the API maxima)', async () => {
    world(1250);
    const facts = await collectFleet(testEnv(), sel);
    const calls = ssm.commandCalls(DescribeInstanceInformationCommand).map((c) => c.args[0].input);
    const firstPages = calls.filter((c) => !c.NextToken);
    // 1,250 ids: twelve calls of 100 and one of 50, each id asked once.
    expect(firstPages.map((c) => c.Filters![0]!.Values!.length)).toEqual([...Array(12).fill(100), 50]);
    expect(firstPages.flatMap((c) => c.Filters![0]!.Values)).toEqual(fleet(1250).map((i) => i.InstanceId));
    expect(firstPages.every((c) => c.Filters!.length === 1 && c.Filters![0]!.Key === 'InstanceIds')).toBe(true);
    // Every call asks for 50 nodes; a batch of 100 registered instances is two pages.
    expect(calls.every((c) => c.MaxResults === 50)).toBe(true);
    expect(calls).toHaveLength(12 * 2 + 1);
    expect(facts.regions[0]!.managed.size).toBe(1250);
  });

  it('makes the same number of calls apart from the 50-node pages, however many instances', async () => {
    await collectFleet(testEnv(), sel);
    const small = count() - ssm.commandCalls(DescribeInstanceInformationCommand).length;
    world(3000);
    await collectFleet(testEnv(), sel);
    const large = count() - ssm.commandCalls(DescribeInstanceInformationCommand).length;
    expect(large).toBe(small);
  });
});
