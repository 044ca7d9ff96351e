// The agent's real rules and AWS's real limits, end to end: the built CLI against the emulator, the
// state cross-checked with the AWS CLI. The emulator's DescribeInstanceInformation registers instances
// by the agent's own rules (managed_nodes.py), so "managed" is what the agent would do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms } from '../helpers/child.js';

const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const suite = emulatorSuite();
const json = (s: string) => JSON.parse(s);
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url);
});
afterAll(async () => proxy?.stop());

interface Report {
  instanceId: string;
  verdict: string;
  route: string;
  reason: string;
  checks: { id: string; status: string; message: string }[];
}

async function setting(region: string): Promise<{ SettingValue: string; Status: string }> {
  return (
    (await aws(['ssm', 'get-service-setting', '--setting-id', SETTING, '--region', region], suite.env)) as {
      ServiceSetting: { SettingValue: string; Status: string };
    }
  ).ServiceSetting;
}

/** A VPC whose subnet routes 0.0.0.0/0 to an internet gateway, with a group allowing all outbound. */
async function publicNet(cidr: string): Promise<{ subnet: string; sg: string; vpc: string }> {
  const vpc = ((await aws(['ec2', 'create-vpc', '--cidr-block', cidr], suite.env)) as { Vpc: { VpcId: string } }).Vpc.VpcId;
  const subnet = (
    (await aws(['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', cidr.replace(/\.0\.0\/16$/, '.1.0/24')], suite.env)) as {
      Subnet: { SubnetId: string };
    }
  ).Subnet.SubnetId;
  const igw = ((await aws(['ec2', 'create-internet-gateway'], suite.env)) as { InternetGateway: { InternetGatewayId: string } }).InternetGateway
    .InternetGatewayId;
  await aws(['ec2', 'attach-internet-gateway', '--internet-gateway-id', igw, '--vpc-id', vpc], suite.env);
  const table = ((await aws(['ec2', 'create-route-table', '--vpc-id', vpc], suite.env)) as { RouteTable: { RouteTableId: string } }).RouteTable.RouteTableId;
  await aws(['ec2', 'associate-route-table', '--route-table-id', table, '--subnet-id', subnet], suite.env);
  await aws(['ec2', 'create-route', '--route-table-id', table, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igw], suite.env);
  await aws(['ec2', 'modify-subnet-attribute', '--subnet-id', subnet, '--map-public-ip-on-launch'], suite.env);
  const sg = (
    (await aws(['ec2', 'create-security-group', '--group-name', `sg-${cidr}`, '--description', 'instances', '--vpc-id', vpc], suite.env)) as { GroupId: string }
  ).GroupId;
  return { subnet, sg, vpc };
}

async function launch(net: { subnet: string; sg: string }, count: number, tags: Record<string, string> = {}, viaInterface = false): Promise<string[]> {
  const tagSpec = Object.keys(tags).length
    ? [
        '--tag-specifications',
        `ResourceType=instance,Tags=[${Object.entries(tags)
          .map(([k, v]) => `{Key=${k},Value=${v}}`)
          .join(',')}]`,
      ]
    : [];
  const placement = viaInterface
    ? ['--network-interfaces', JSON.stringify([{ DeviceIndex: 0, SubnetId: net.subnet, Groups: [net.sg], AssociatePublicIpAddress: true }])]
    : ['--subnet-id', net.subnet, '--security-group-ids', net.sg];
  const out = (await aws(
    ['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', String(count), '--metadata-options', 'HttpTokens=required', ...placement, ...tagSpec],
    suite.env,
  )) as { Instances: { InstanceId: string }[] };
  return out.Instances.map((i) => i.InstanceId);
}

/** Interface endpoints for ssm and ssmmessages, with private DNS, in one subnet behind one group. */
async function interfaceEndpoints(vpc: string, subnet: string, sg: string): Promise<void> {
  for (const service of ['ssm', 'ssmmessages']) {
    await aws(
      ['ec2', 'create-vpc-endpoint', '--vpc-id', vpc, '--vpc-endpoint-type', 'Interface', '--service-name', `com.amazonaws.us-east-1.${service}`].concat([
        '--subnet-ids',
        subnet,
        '--security-group-ids',
        sg,
        '--private-dns-enabled',
      ]),
      suite.env,
    );
  }
}

async function profileWithRole(name: string, policyArn: string): Promise<void> {
  await aws(['iam', 'create-role', '--role-name', `${name}Role`, '--assume-role-policy-document', EC2_TRUST], suite.env);
  await aws(['iam', 'attach-role-policy', '--role-name', `${name}Role`, '--policy-arn', policyArn], suite.env);
  await aws(['iam', 'create-instance-profile', '--instance-profile-name', name], suite.env);
  await aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', name, '--role-name', `${name}Role`], suite.env);
}

async function doctor(
  args: string[],
  env = suite.env,
): Promise<{ code: number; doc: { instances: Report[]; summary: Record<string, number>; notFound: string[] }; stderr: string }> {
  const r = await ssmPerms(['doctor', '--json', ...args], env);
  return { code: r.code, doc: json(r.stdout || '{}'), stderr: r.stderr };
}

async function managedIds(region = 'us-east-1'): Promise<string[]> {
  const out = (await aws(['ssm', 'describe-instance-information', '--region', region], suite.env)) as { InstanceInformationList: { InstanceId: string }[] };
  return out.InstanceInformationList.map((n) => n.InstanceId);
}

describe('DHMC on/off is the setting value alone', () => {
  it('a role value with Status Default is on: status says so, disable resets it, enable asks before overwriting it', async () => {
    await aws(
      ['iam', 'create-role', '--role-name', 'OtherDhmcRole', '--assume-role-policy-document', EC2_TRUST.replace('ec2.amazonaws.com', 'ssm.amazonaws.com')],
      suite.env,
    );
    await suite.emu.putServiceSetting('us-east-1', SETTING, 'OtherDhmcRole', 'Default');
    expect(await setting('us-east-1')).toMatchObject({ SettingValue: 'OtherDhmcRole', Status: 'Default' });

    const status = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--json'], suite.env);
    expect(json(status.stdout).regions[0]).toMatchObject({ enabled: true, settingValue: 'OtherDhmcRole', status: 'Default' });

    const enable = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--json'], suite.env);
    expect(enable.code).toBe(2);
    expect(json(enable.stderr.trim().split('\n').pop()!).error.code).toBe('ConsentRequired');
    expect((await setting('us-east-1')).SettingValue).toBe('OtherDhmcRole');

    const disable = await ssmPerms(['dhmc', 'disable', '--region', 'us-east-1', '--yes', '--json'], suite.env);
    expect(disable.code, disable.stderr).toBe(0);
    expect(json(disable.stdout).changes).toEqual([expect.objectContaining({ operation: 'ssm:ResetServiceSetting', status: 'applied' })]);
    expect(await setting('us-east-1')).toMatchObject({ SettingValue: '$None', Status: 'Default' });
  });
});

describe("doctor follows the agent's rules", () => {
  it('falls back to DHMC when the profile has no role; a stopped instance is counted apart and does not fail the run', async () => {
    const net = await publicNet('10.10.0.0/16');
    expect((await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '-q'], suite.env)).code).toBe(0);
    await profileWithRole('Emptied', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    const [fallback, stopped] = await launch(net, 2);
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', fallback!, '--iam-instance-profile', 'Name=Emptied'], suite.env);
    await aws(['iam', 'remove-role-from-instance-profile', '--instance-profile-name', 'Emptied', '--role-name', 'EmptiedRole'], suite.env);
    await aws(['ec2', 'stop-instances', '--instance-ids', stopped!], suite.env);

    const { code, doc } = await doctor(['--region', 'us-east-1']);
    const byId = new Map(doc.instances.map((i) => [i.instanceId, i]));
    expect(byId.get(fallback!)).toMatchObject({ route: 'dhmc', verdict: 'managed' });
    expect(byId.get(fallback!)!.checks.find((c) => c.id === 'instance-profile')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('falls back to DHMC'),
    });
    // The emulator's agent rules agree: the node registered through DHMC.
    expect(await managedIds()).toContain(fallback);
    expect(byId.get(stopped!)).toMatchObject({ verdict: 'stopped' });
    expect(doc.summary).toMatchObject({ total: 2, managed: 1, stopped: 1, notReady: 0 });
    expect(code).toBe(0);
  });

  it('reads security groups from network interfaces, and needs no ec2messages endpoint for agents from 3.3.40.0', async () => {
    const net = await publicNet('10.11.0.0/16');
    await profileWithRole('Core', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    const [eni] = await launch(net, 1, {}, true);
    const described = (await aws(['ec2', 'describe-instances', '--instance-ids', eni!], suite.env)) as {
      Reservations: { Instances: { SecurityGroups: unknown[]; NetworkInterfaces: { Groups: { GroupId: string }[] }[] }[] }[];
    };
    expect(described.Reservations[0]!.Instances[0]!.NetworkInterfaces[0]!.Groups.map((g) => g.GroupId)).toEqual([net.sg]);

    // A private VPC with ssm and ssmmessages endpoints only.
    const vpc = ((await aws(['ec2', 'create-vpc', '--cidr-block', '10.12.0.0/16'], suite.env)) as { Vpc: { VpcId: string } }).Vpc.VpcId;
    const subnet = ((await aws(['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.12.1.0/24'], suite.env)) as { Subnet: { SubnetId: string } })
      .Subnet.SubnetId;
    const sg = (
      (await aws(['ec2', 'create-security-group', '--group-name', 'private', '--description', 'private', '--vpc-id', vpc], suite.env)) as { GroupId: string }
    ).GroupId;
    const epSg = (
      (await aws(['ec2', 'create-security-group', '--group-name', 'endpoints', '--description', 'endpoints', '--vpc-id', vpc], suite.env)) as {
        GroupId: string;
      }
    ).GroupId;
    await aws(
      [
        'ec2',
        'authorize-security-group-ingress',
        '--group-id',
        epSg,
        '--ip-permissions',
        `IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=${sg}}]`,
      ],
      suite.env,
    );
    await interfaceEndpoints(vpc, subnet, epSg);
    const [modern] = await launch({ subnet, sg }, 1, { 'ssm-agent-version': '3.3.1611.0' });
    const [legacy] = await launch({ subnet, sg }, 1, { 'ssm-agent-version': '3.2.1705.0' });
    for (const id of [eni!, modern!, legacy!])
      await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', id, '--iam-instance-profile', 'Name=Core'], suite.env);

    const { doc } = await doctor(['--region', 'us-east-1']);
    const byId = new Map(doc.instances.map((i) => [i.instanceId, i]));
    const network = (id: string) => byId.get(id)!.checks.find((c) => c.id === 'network')!;
    expect(network(eni!).status).toBe('pass');
    expect(byId.get(eni!)!.verdict).toBe('managed');
    expect(network(modern!)).toMatchObject({ status: 'pass', message: expect.stringContaining('through VPC endpoints (ssm, ssmmessages)') });
    expect(byId.get(modern!)!.verdict).toBe('managed');
    // The older agent registers through ssm but still needs ec2messages for commands: a warning, once its version is known.
    expect(network(legacy!)).toMatchObject({ status: 'warn', message: expect.stringContaining('no ec2messages endpoint') });
    expect(await managedIds()).toEqual(expect.arrayContaining([eni, modern, legacy]));
  });

  it("chunks instance ids under EC2's 200 filter values per call (the emulator refuses more, as EC2 does)", async () => {
    const net = await publicNet('10.13.0.0/16');
    const ids = [...(await launch(net, 100, { Env: 'bulk' })), ...(await launch(net, 100, { Env: 'bulk' })), ...(await launch(net, 20, { Env: 'bulk' }))];
    const idArgs = ids.flatMap((id) => ['--instance-id', id]);
    const { code, doc, stderr } = await doctor(['--region', 'us-east-1', '--tag', 'Env=bulk', ...idArgs]);
    expect(stderr).not.toContain('FilterLimitExceeded');
    expect(doc.summary.total).toBe(220);
    expect(doc.notFound).toEqual([]);
    expect(code).toBe(6); // no identity: no profile, DHMC off
    const attach = await ssmPerms(['profile', 'create', '-q'], suite.env);
    expect(attach.code).toBe(0);
    const dry = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Env=bulk', ...idArgs, '--dry-run', '--json'], suite.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(json(dry.stdout).summary.planned).toBe(220);
  });

  it('filters by any tag key (aws: included), and names ids that do not exist (exit 6)', async () => {
    const r = await doctor(['--region', 'us-east-1', '--tag', 'aws:cloudformation:stack-name=web']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.summary.total).toBe(0);
    const missing = await doctor(['--region', 'us-east-1', '--instance-id', 'i-0123456789abcdef0']);
    expect(missing.code).toBe(6);
    expect(missing.doc.notFound).toEqual(['i-0123456789abcdef0']);
    const attach = await ssmPerms(['profile', 'attach', '--name', 'P', '--tag', 'aws:autoscaling:groupName=web', '--dry-run'], suite.env);
    expect(attach.code).not.toBe(2);
  });

  it('judges the role as IAM would: region guards, the permissions boundary, and conditions AWS does not show', async () => {
    const net = await publicNet('10.14.0.0/16');
    // No agent on the box, so registration never decides the verdict: the identity checks do.
    const [id] = await launch(net, 1, { 'ssm-agent-version': 'none' });
    await aws(['iam', 'create-role', '--role-name', 'GuardedRole', '--assume-role-policy-document', EC2_TRUST], suite.env);
    await aws(['iam', 'create-instance-profile', '--instance-profile-name', 'Guarded'], suite.env);
    await aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'Guarded', '--role-name', 'GuardedRole'], suite.env);
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', id!, '--iam-instance-profile', 'Name=Guarded'], suite.env);
    const agent = (condition?: unknown) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Agent', Effect: 'Allow', Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'], Resource: '*', ...(condition ? { Condition: condition } : {}) },
        ],
      });
    const profileCheck = async () =>
      (await doctor(['--region', 'us-east-1', '--instance-id', id!])).doc.instances[0]!.checks.find((c) => c.id === 'instance-profile')!;

    await aws(
      [
        'iam',
        'put-role-policy',
        '--role-name',
        'GuardedRole',
        '--policy-name',
        'agent',
        '--policy-document',
        agent({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }),
      ],
      suite.env,
    );
    expect(await profileCheck()).toMatchObject({ status: 'fail', message: expect.stringContaining('does not allow ssm:UpdateInstanceInformation') });

    await aws(
      [
        'iam',
        'put-role-policy',
        '--role-name',
        'GuardedRole',
        '--policy-name',
        'agent',
        '--policy-document',
        agent({ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }),
      ],
      suite.env,
    );
    expect((await profileCheck()).status).toBe('pass');

    const s3Only = (await aws(
      [
        'iam',
        'create-policy',
        '--policy-name',
        'S3Only',
        '--policy-document',
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      ],
      suite.env,
    )) as { Policy: { Arn: string } };
    await aws(['iam', 'put-role-permissions-boundary', '--role-name', 'GuardedRole', '--permissions-boundary', s3Only.Policy.Arn], suite.env);
    const role = (await aws(['iam', 'get-role', '--role-name', 'GuardedRole'], suite.env)) as {
      Role: { PermissionsBoundary?: { PermissionsBoundaryArn: string } };
    };
    expect(role.Role.PermissionsBoundary?.PermissionsBoundaryArn).toBe(s3Only.Policy.Arn);
    expect(await profileCheck()).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('is limited by permissions boundary'),
      fix: expect.stringContaining('aws iam delete-role-permissions-boundary --role-name GuardedRole'),
    });
    // An instance with an agent under the same profile does not register: the emulator's agent agrees.
    const [withAgent] = await launch(net, 1);
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', withAgent!, '--iam-instance-profile', 'Name=Guarded'], suite.env);
    expect((await doctor(['--region', 'us-east-1', '--instance-id', withAgent!])).doc.instances[0]!.verdict).toBe('not-ready');
    expect(await managedIds()).not.toContain(withAgent);

    await aws(['iam', 'delete-role-permissions-boundary', '--role-name', 'GuardedRole'], suite.env);
    await aws(
      [
        'iam',
        'put-role-policy',
        '--role-name',
        'GuardedRole',
        '--policy-name',
        'agent',
        '--policy-document',
        agent({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
      ],
      suite.env,
    );
    expect(await profileCheck()).toMatchObject({ status: 'warn', message: expect.stringContaining('statement Agent of inline:agent depends on aws:SourceIp') });
  });

  it("judges egress to VPC endpoints by the endpoints' addresses (their interfaces), as the traffic goes", async () => {
    const vpc = ((await aws(['ec2', 'create-vpc', '--cidr-block', '10.20.0.0/16'], suite.env)) as { Vpc: { VpcId: string } }).Vpc.VpcId;
    const instSubnet = ((await aws(['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.20.1.0/24'], suite.env)) as { Subnet: { SubnetId: string } })
      .Subnet.SubnetId;
    const epSubnet = ((await aws(['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.20.2.0/24'], suite.env)) as { Subnet: { SubnetId: string } })
      .Subnet.SubnetId;
    const epSg = ((await aws(['ec2', 'create-security-group', '--group-name', 'ep', '--description', 'ep', '--vpc-id', vpc], suite.env)) as { GroupId: string })
      .GroupId;
    await aws(
      [
        'ec2',
        'authorize-security-group-ingress',
        '--group-id',
        epSg,
        '--ip-permissions',
        'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.20.0.0/16}]',
      ],
      suite.env,
    );
    await interfaceEndpoints(vpc, epSubnet, epSg);
    const egressOnly = async (name: string, cidr: string) => {
      const sg = ((await aws(['ec2', 'create-security-group', '--group-name', name, '--description', name, '--vpc-id', vpc], suite.env)) as { GroupId: string })
        .GroupId;
      await aws(['ec2', 'revoke-security-group-egress', '--group-id', sg, '--ip-permissions', 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'], suite.env);
      await aws(
        ['ec2', 'authorize-security-group-egress', '--group-id', sg, '--ip-permissions', `IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=${cidr}}]`],
        suite.env,
      );
      return sg;
    };
    await profileWithRole('Core', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    const [toEndpoints] = await launch({ subnet: instSubnet, sg: await egressOnly('to-endpoints', '10.20.2.0/24') }, 1);
    const [toOwnSubnet] = await launch({ subnet: instSubnet, sg: await egressOnly('to-own-subnet', '10.20.1.0/24') }, 1);
    for (const id of [toEndpoints!, toOwnSubnet!])
      await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', id, '--iam-instance-profile', 'Name=Core'], suite.env);

    const { doc } = await doctor(['--region', 'us-east-1']);
    const network = (id: string) => doc.instances.find((i) => i.instanceId === id)!.checks.find((c) => c.id === 'network')!;
    expect(network(toEndpoints!).status).toBe('pass');
    expect(network(toOwnSubnet!)).toMatchObject({ status: 'fail', message: expect.stringContaining('allow no outbound 443 to endpoint') });
    // The emulator's agent rules agree.
    const managed = await managedIds();
    expect(managed).toContain(toEndpoints);
    expect(managed).not.toContain(toOwnSubnet);
  });

  it('a read doctor needs is refused: the checks that need it say unknown, never a verdict, and the run exits 4', async () => {
    const net = await publicNet('10.21.0.0/16');
    const [id] = await launch(net, 1);
    const viaProxy = { ...suite.env, AWS_ENDPOINT_URL: proxy.url };
    proxy.setRules([{ service: 'ssm', operation: 'GetServiceSetting', fault: 'denied' }]);
    const r = await doctor(['--region', 'us-east-1', '--instance-id', id!, '--max-attempts', '1'], viaProxy);
    proxy.setRules([]);
    expect(r.code).toBe(4);
    const report = r.doc.instances[0]!;
    expect(report).toMatchObject({ verdict: 'unknown', route: 'uncertain' });
    expect(report.checks.find((c) => c.id === 'identity-route')).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('the DHMC setting could not be read'),
    });
    expect(r.stderr).toContain('could not read ssm:GetServiceSetting in us-east-1');
    // Once the read works, the answer is definite.
    expect((await doctor(['--region', 'us-east-1', '--instance-id', id!])).doc.instances[0]!.verdict).toBe('not-ready');

    // A role that cannot be read is unknown - not "no usable role", not "does not exist" - for doctor
    // and for dhmc status --check, and the refused action is the one named.
    await profileWithRole('Readable', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    // No agent on it, so registration does not decide its verdict.
    const [quiet] = await launch(net, 1, { 'ssm-agent-version': 'none' });
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', quiet!, '--iam-instance-profile', 'Name=Readable'], suite.env);
    expect((await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '-q'], suite.env)).code).toBe(0);
    proxy.setRules([{ service: 'iam', operation: 'GetRole', fault: 'denied' }]);
    const unread = await doctor(['--region', 'us-east-1', '--instance-id', quiet!, '--max-attempts', '1'], viaProxy);
    const check = await ssmPerms(['dhmc', 'status', '--check', '--region', 'us-east-1', '--max-attempts', '1', '--json'], viaProxy);
    proxy.setRules([]);
    expect(unread.code).toBe(4);
    expect(unread.doc.instances[0]).toMatchObject({ verdict: 'unknown' });
    expect(unread.doc.instances[0]!.checks.find((c) => c.id === 'instance-profile')).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('could not read role ReadableRole'),
    });
    expect(unread.stderr).toContain('iam:GetRole');
    expect(check.code).toBe(4);
    expect(JSON.parse(check.stdout).regions[0].checks.find((c: { id: string }) => c.id === 'dhmc-role')).toMatchObject({ status: 'unknown' });
  });

  it('a profile whose role does not trust EC2 gives no credentials: the agent falls back to DHMC', async () => {
    const net = await publicNet('10.22.0.0/16');
    const [id] = await launch(net, 1);
    await aws(
      ['iam', 'create-role', '--role-name', 'LambdaRole', '--assume-role-policy-document', EC2_TRUST.replace('ec2.amazonaws.com', 'lambda.amazonaws.com')],
      suite.env,
    );
    await aws(['iam', 'attach-role-policy', '--role-name', 'LambdaRole', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'], suite.env);
    await aws(['iam', 'create-instance-profile', '--instance-profile-name', 'LambdaProfile'], suite.env);
    await aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'LambdaProfile', '--role-name', 'LambdaRole'], suite.env);
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', id!, '--iam-instance-profile', 'Name=LambdaProfile'], suite.env);
    const off = (await doctor(['--region', 'us-east-1', '--instance-id', id!])).doc.instances[0]!;
    expect(off).toMatchObject({ verdict: 'not-ready', route: 'none' });
    expect(off.reason).toContain('does not trust ec2.amazonaws.com');
    expect(await managedIds()).not.toContain(id);
    expect((await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '-q'], suite.env)).code).toBe(0);
    const on = (await doctor(['--region', 'us-east-1', '--instance-id', id!])).doc.instances[0]!;
    expect(on).toMatchObject({ verdict: 'managed', route: 'dhmc' });
    expect(await managedIds()).toContain(id);
  });
});
