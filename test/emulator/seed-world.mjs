// A world of EC2 instances in each situation doctor explains, built through the emulator's AWS API:
// the doctor end-to-end tests seed it (test/e2e/fixtures/doctor-world.ts, with a fleet of 1,000 to show
// the number of calls does not grow with it), and `npm run sandbox -- --seed` seeds a small one for
// trying doctor and attach by hand. Plain JavaScript, like moto.mjs, so the sandbox runs it unbuilt.
import {
  EC2Client,
  CreateVpcEndpointCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  AssociateRouteTableCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
  AssociateIamInstanceProfileCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient, CreateRoleCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, AddRoleToInstanceProfileCommand } from '@aws-sdk/client-iam';
import { SSMClient, CreateAssociationCommand } from '@aws-sdk/client-ssm';

const config = (url, region) => ({ region, endpoint: url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const ec2Trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** A role `${name}Role` trusting EC2 with one policy, in an instance profile `name`. */
async function profile(iam, name, policyArn) {
  await iam.send(new CreateRoleCommand({ RoleName: `${name}Role`, AssumeRolePolicyDocument: ec2Trust }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: `${name}Role`, PolicyArn: policyArn }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: `${name}Role` }));
}

/** A VPC with one subnet; `internet` gives it a route to an internet gateway and public IPs. */
async function network(ec2, cidr, internet) {
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc.VpcId;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: cidr.replace(/\.0\.0\/16$/, '.16.0/20') }))).Subnet.SubnetId;
  const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable.RouteTableId;
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: table, SubnetId: subnet }));
  if (internet) {
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway.InternetGatewayId;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    await ec2.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet, MapPublicIpOnLaunch: { Value: true } }));
  }
  // A new group allows all outbound traffic, as in AWS.
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `instances-${cidr}`, Description: 'instances', VpcId: vpc }))).GroupId;
  return { vpc, subnet, sg };
}

/** `count` instances named `name` (IMDSv2 required, or IMDS off), 100 per RunInstances as EC2 allows. */
async function launch(ec2, net, count, name, extra = {}) {
  const tags = [{ Key: 'Name', Value: name }, ...Object.entries(extra.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))];
  const ids = [];
  for (let left = count; left > 0; left -= 100) {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12345678',
        InstanceType: 't3.micro',
        MinCount: Math.min(100, left),
        MaxCount: Math.min(100, left),
        SubnetId: net.subnet,
        SecurityGroupIds: [net.sg],
        MetadataOptions: extra.imdsDisabled ? { HttpEndpoint: 'disabled' } : { HttpTokens: 'required' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
      }),
    );
    ids.push(...out.Instances.map((i) => i.InstanceId));
  }
  return ids;
}

async function attachProfile(ec2, ids, name) {
  for (const id of ids) await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: name } }));
}

/**
 * Seeds the world; `perCase` instances (default 1) in each situation, and `fleetSize` more in us-east-2
 * with no profile. us-east-1 has DHMC off; us-east-2 is where the caller turns DHMC on (the tests and
 * the sandbox run `ssm-perms dhmc enable --region us-east-2`), which then manages its fleet.
 */
export async function seedWorld(url, fleetSize, options = {}) {
  const perCase = options.perCase ?? 1;
  const iam = new IAMClient(config(url, 'us-east-1'));
  await profile(iam, 'GoodProfile', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
  await profile(iam, 'WeakProfile', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy');

  const east1 = new EC2Client(config(url, 'us-east-1'));
  const pub = await network(east1, '10.1.0.0/16', true);
  const closed = await network(east1, '10.2.0.0/16', false);
  const viaEndpoints = await network(east1, '10.3.0.0/16', false);
  const endpointSg = (await east1.send(new CreateSecurityGroupCommand({ GroupName: 'endpoints', Description: 'endpoints', VpcId: viaEndpoints.vpc }))).GroupId;
  await east1.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: endpointSg,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: viaEndpoints.sg }] }],
    }),
  );
  for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
    await east1.send(
      new CreateVpcEndpointCommand({
        VpcId: viaEndpoints.vpc,
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.us-east-1.${service}`,
        SubnetIds: [viaEndpoints.subnet],
        SecurityGroupIds: [endpointSg],
        PrivateDnsEnabled: true,
      }),
    );
  }
  const groups = {
    good: await launch(east1, pub, perCase, 'good'),
    weak: await launch(east1, pub, perCase, 'weak'),
    imdsOff: await launch(east1, pub, perCase, 'imds-off', { imdsDisabled: true }),
    isolated: await launch(east1, closed, perCase, 'isolated'),
    endpoints: await launch(east1, viaEndpoints, perCase, 'endpoints'),
  };
  await attachProfile(east1, groups.good, 'GoodProfile');
  await attachProfile(east1, groups.weak, 'WeakProfile');
  for (const ids of [groups.imdsOff, groups.isolated, groups.endpoints]) await attachProfile(east1, ids, 'GoodProfile');

  const east2 = new EC2Client(config(url, 'us-east-2'));
  const pub2 = await network(east2, '10.4.0.0/16', true);
  groups.shadow = await launch(east2, pub2, perCase, 'shadow');
  await attachProfile(east2, groups.shadow, 'GoodProfile');
  // The SSM double registers no agent for an instance tagged ssm-agent-version=none (managed_nodes.py).
  groups.noAgent = await launch(east2, pub2, perCase, 'no-agent', { tags: { 'ssm-agent-version': 'none' } });
  const fleet = await launch(east2, pub2, fleetSize, 'fleet');
  await new SSMClient(config(url, 'us-east-2')).send(
    new CreateAssociationCommand({
      Name: 'AWS-AttachIAMToInstance',
      AssociationName: 'AWS-QuickSetup-SSMHostMgmt-AttachIAMToInstance',
      Targets: [{ Key: 'InstanceIds', Values: ['*'] }],
    }),
  );
  const first = Object.fromEntries(Object.entries(groups).map(([k, ids]) => [k, ids[0]]));
  return { ...first, fleet, groups };
}
