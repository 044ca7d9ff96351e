// Shared by the doctor tests (--fix, --watch, pagination): a running instance in a public subnet, that
// subnet's network as EC2 describes it, and the IAM calls of `profile create` with its defaults (the
// changes a profile-create fix plans).
import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeVpcEndpointsCommand, type Instance } from '@aws-sdk/client-ec2';
import { ec2 } from './aws-mocks.js';

export function publicInstance(id: string, over: Partial<Instance> = {}): Instance {
  return {
    InstanceId: id,
    State: { Name: 'running' },
    VpcId: 'vpc-pub',
    SubnetId: 'subnet-pub',
    PrivateIpAddress: '10.0.1.5',
    PublicIpAddress: '54.0.0.1',
    SecurityGroups: [{ GroupId: 'sg-web' }],
    ...over,
  };
}

export const PROFILE_CREATE_CALLS = ['iam:CreateRole', 'iam:AttachRolePolicy', 'iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'];

/**
 * The network of publicInstance(): subnet-pub routed to an internet gateway, no VPC endpoints, sg-web
 * letting everything out - doctor's network check passes.
 */
export function publicSubnetNetwork(): void {
  ec2.on(DescribeRouteTablesCommand).resolves({
    RouteTables: [
      {
        RouteTableId: 'rtb-pub',
        VpcId: 'vpc-pub',
        Associations: [{ SubnetId: 'subnet-pub', Main: false }],
        Routes: [
          { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
          { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' },
        ],
      },
    ],
  });
  ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      { GroupId: 'sg-web', VpcId: 'vpc-pub', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
    ],
  });
}
