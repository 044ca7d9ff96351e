// doctor in-process: a small fleet in mocks (EC2, SSM, IAM, STS), its verdicts on stdout and the exit code.
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  type DescribeInstancesCommandInput,
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
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../helpers/aws-errors.js';
import { ACCOUNT, CORE_ARN, coreProfile, ec2, expectNoAwsCall, iam, resetAws, ssm, sts } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';
import { FakeClock } from '../helpers/service-env.js';

const GOOD = 'i-00000000000000001';
const ISOLATED = 'i-00000000000000002';
const MISSING = 'i-0000000000000000f';
const PROFILE = 'AppProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const ROLE = 'AppRole';
const SETTING_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const LAST_PING = new Date('2026-11-27T20:48:24.246Z');
const NO_ROUTE =
  'no route to Systems Manager: route table rtb-priv has no 0.0.0.0/0 route, and the VPC has no interface endpoint with private DNS for ssmmessages (create them, or route 0.0.0.0/0 to a NAT gateway)';

// GOOD: public subnet through an internet gateway, registered and Online.
// ISOLATED: private subnet without a default route; its VPC has an ssm endpoint but none for ssmmessages.
const INSTANCES: Instance[] = [
  {
    InstanceId: GOOD,
    State: { Name: 'running' },
    VpcId: 'vpc-pub',
    SubnetId: 'subnet-pub',
    PrivateIpAddress: '10.0.1.5',
    PublicIpAddress: '54.0.0.1',
    SecurityGroups: [{ GroupId: 'sg-web' }],
    MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
    IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' },
    Tags: [{ Key: 'Name', Value: 'good' }],
  },
  {
    InstanceId: ISOLATED,
    State: { Name: 'running' },
    VpcId: 'vpc-priv',
    SubnetId: 'subnet-priv',
    PrivateIpAddress: '10.1.1.5',
    SecurityGroups: [{ GroupId: 'sg-app' }],
    MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
    IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' },
    Tags: [
      { Key: 'Name', Value: 'isolated' },
      { Key: 'Team', Value: 'batch' },
    ],
  },
];

function world() {
  // DescribeInstances honours the instance-id filter, as EC2 does.
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    const ids = input.Filters?.find((f) => f.Name === 'instance-id')?.Values;
    return { Reservations: [{ Instances: INSTANCES.filter((i) => !ids || ids.includes(i.InstanceId!)) }] };
  });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
    IamInstanceProfileAssociations: INSTANCES.map((i) => ({
      InstanceId: i.InstanceId,
      AssociationId: `iip-assoc-${i.InstanceId}`,
      State: 'associated',
      IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' },
    })),
  });
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
      {
        RouteTableId: 'rtb-priv',
        VpcId: 'vpc-priv',
        Associations: [{ Main: true }],
        Routes: [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local', State: 'active' }],
      },
    ],
  });
  ec2.on(DescribeVpcEndpointsCommand).resolves({
    VpcEndpoints: [
      {
        VpcEndpointId: 'vpce-ssm',
        VpcId: 'vpc-priv',
        ServiceName: 'com.amazonaws.us-east-1.ssm',
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        State: 'Available',
        Groups: [{ GroupId: 'sg-endpoint' }],
        NetworkInterfaceIds: ['eni-ssm'],
      },
    ],
  });
  ec2.on(DescribeNetworkInterfacesCommand).resolves({
    NetworkInterfaces: [{ NetworkInterfaceId: 'eni-ssm', PrivateIpAddress: '10.1.2.10', PrivateIpAddresses: [{ PrivateIpAddress: '10.1.2.10' }] }],
  });
  ec2.on(DescribeSecurityGroupsCommand).resolves({
    SecurityGroups: [
      { GroupId: 'sg-web', VpcId: 'vpc-pub', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      {
        GroupId: 'sg-app',
        VpcId: 'vpc-priv',
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.1.0.0/16' }] }],
      },
      {
        GroupId: 'sg-endpoint',
        VpcId: 'vpc-priv',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-app' }] }],
        IpPermissionsEgress: [],
      },
    ],
  });
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingId: SETTING_ARN, SettingValue: '$None', Status: 'Default', ARN: SETTING_ARN } });
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: [{ InstanceId: GOOD, PingStatus: 'Online', AgentVersion: '3.3.1611.0', LastPingDateTime: LAST_PING, PlatformType: 'Linux' }],
  });
  // A Quick Setup association that targets the isolated instance by tag.
  ssm.on(ListAssociationsCommand).resolves({
    Associations: [
      { Name: 'AWS-AttachIAMToInstance', AssociationId: 'assoc-qs', AssociationName: 'QuickSetupHostMgmt', Targets: [{ Key: 'tag:Team', Values: ['batch'] }] },
    ],
  });
  coreProfile(PROFILE, ROLE);
}

interface Report {
  instances: {
    instanceId: string;
    verdict: string;
    route: string;
    reason: string;
    fix: string | null;
    checks: { id: string; status: string; message: string }[];
  }[];
  summary: Record<string, number>;
  notFound: string[];
  readErrors: { region: string | null; read: string; effect: string; error: { code: string; message: string } }[];
  regions: { region: string; ok: boolean; dhmcEnabled: boolean | null; error: { code: string } | null }[];
}
const report = (stdout: string) => JSON.parse(stdout) as Report;
const of = (r: Report, id: string) => r.instances.find((i) => i.instanceId === id)!;
const statusOf = (r: Report, id: string, check: string) => of(r, id).checks.find((c) => c.id === check)?.status;

beforeEach(() => {
  resetAws();
  world();
});

describe('doctor: a managed instance and a not-ready one', () => {
  it('exits 6, with each verdict, its reason and fix, and every check in JSON', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(6);
    const doc = report(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, notFound: [], readErrors: [] });
    expect(doc.regions).toEqual([{ region: 'us-east-1', ok: true, dhmcEnabled: false, error: null }]);
    expect(doc.summary).toEqual({ total: 2, managed: 1, ready: 0, notReady: 1, stopped: 0, unknown: 0 });

    expect(of(doc, GOOD)).toMatchObject({
      region: 'us-east-1',
      name: 'good',
      state: 'running',
      verdict: 'managed',
      route: 'instance-profile',
      reason: `managed: Online, agent 3.3.1611.0, last ping ${LAST_PING.toISOString()}`,
      fix: null,
    });
    expect(statusOf(doc, GOOD, 'network')).toBe('pass');
    expect(statusOf(doc, GOOD, 'quick-setup')).toBe('pass');

    const isolated = of(doc, ISOLATED);
    expect(isolated).toMatchObject({ name: 'isolated', verdict: 'not-ready', route: 'instance-profile', reason: NO_ROUTE });
    expect(isolated.fix).toMatch(/^ssm-perms endpoints create --vpc-id vpc-priv --region us-east-1$/);
    expect(isolated.checks.map((c) => [c.id, c.status])).toEqual([
      ['managed', 'warn'],
      ['imds', 'pass'],
      ['instance-profile', 'pass'],
      ['identity-route', 'pass'],
      ['agent-version', 'skip'],
      ['network', 'fail'],
      ['quick-setup', 'warn'],
    ]);
    expect(isolated.checks.find((c) => c.id === 'instance-profile')!.message).toBe(`instance profile ${PROFILE}: role ${ROLE} allows the agent's actions`);
    expect(isolated.checks.find((c) => c.id === 'quick-setup')!.message).toContain('association QuickSetupHostMgmt runs AWS-AttachIAMToInstance');
  });

  it('reads the fleet in batched calls, each with the inputs it needs', async () => {
    await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }],
      MaxResults: 1000,
    });
    // The whole fleet: the associations are listed without a filter.
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 1);
    expect(ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0]!.args[0].input.Filters).toBeUndefined();
    expect(ssm).toHaveReceivedCommandWith(DescribeInstanceInformationCommand, { Filters: [{ Key: 'InstanceIds', Values: [GOOD, ISOLATED] }], MaxResults: 50 });
    expect(ssm).toHaveReceivedCommandWith(GetServiceSettingCommand, { SettingId: SETTING_ARN });
    const vpcs = { Filters: [{ Name: 'vpc-id', Values: ['vpc-pub', 'vpc-priv'] }] };
    for (const command of [DescribeRouteTablesCommand, DescribeVpcEndpointsCommand, DescribeSecurityGroupsCommand]) {
      expect(ec2).toHaveReceivedCommandTimes(command, 1);
      expect(ec2).toHaveReceivedCommandWith(command, vpcs);
    }
    expect(ec2).toHaveReceivedCommandWith(DescribeNetworkInterfacesCommand, { Filters: [{ Name: 'network-interface-id', Values: ['eni-ssm'] }] });
    expect(ssm).toHaveReceivedCommandWith(ListAssociationsCommand, { AssociationFilterList: [{ key: 'Name', value: 'AWS-AttachIAMToInstance' }] });
    // One profile and one role for both instances: read once each.
    expect(iam).toHaveReceivedCommandTimes(GetInstanceProfileCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetInstanceProfileCommand, { InstanceProfileName: PROFILE });
    expect(iam).toHaveReceivedCommandTimes(GetRoleCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandWith(ListAttachedRolePoliciesCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: CORE_ARN });
    expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: CORE_ARN, VersionId: 'v3' });
    expect(iam).toHaveReceivedCommandWith(ListRolePoliciesCommand, { RoleName: ROLE });
  });

  it('is read-only: every call is a Describe, Get or List, --dry-run or not', async () => {
    for (const extra of [[], ['--dry-run']]) {
      const r = await cli(['doctor', '--region', 'us-east-1', '--json', ...extra]);
      expect(r.code).toBe(6);
    }
    const names = [...ec2.calls(), ...ssm.calls(), ...iam.calls(), ...sts.calls()].map((c) => (c.args[0] as object).constructor.name);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !/^(Describe|Get|List)/.test(n))).toEqual([]);
  });

  it('prints the instances grouped by verdict and reason, what needs doing first, each group with its fix, then a summary', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1']);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe(
      [
        'NOT READY  1 instance in us-east-1',
        `  why:  ${NO_ROUTE}`,
        `  ids:  ${ISOLATED} (isolated)`,
        '  fix:  ssm-perms endpoints create --vpc-id vpc-priv --region us-east-1',
        '',
        'MANAGED  1 instance in us-east-1',
        `  ids:  ${GOOD} (good)`,
        '',
        '2 instances: 1 managed, 0 ready, 1 not ready',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
  });

  it('a registered instance that stopped reporting is not managed: not-ready, exit 6', async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [{ InstanceId: GOOD, PingStatus: 'ConnectionLost', AgentVersion: '3.3.1611.0', LastPingDateTime: LAST_PING }],
    });
    const r = await cli(['doctor', '--region', 'us-east-1', '--instance-id', GOOD, '--json']);
    expect(r.code).toBe(6);
    expect(of(report(r.stdout), GOOD)).toMatchObject({
      verdict: 'not-ready',
      reason: `registered but ConnectionLost, last ping ${LAST_PING.toISOString()}: the agent stopped reporting (agent stopped, or it lost its route or credentials); check the other findings, then restart SSM Agent on the instance`,
      fix: null,
    });
  });

  it('one instance asked by id prints every check with its status, and its fix', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1', '--instance-id', ISOLATED]);
    expect(r.code).toBe(6);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${ISOLATED} (isolated)  us-east-1  running`);
    expect(lines[1]).toBe(`not-ready: ${NO_ROUTE}`);
    expect(lines.filter((l) => /^ {2}(pass|FAIL|warn|skip|unknown) /.test(l)).map((l) => l.trim().split(/\s+/, 2).join(' '))).toEqual([
      'warn managed:',
      'pass imds:',
      'pass instance-profile:',
      'pass identity-route:',
      'skip agent-version:',
      'FAIL network:',
      'warn quick-setup:',
    ]);
    expect(r.stdout).toContain('            fix: ssm-perms endpoints create --vpc-id vpc-priv');
  });

  it('-o markdown prints the grouped report as Markdown; other commands refuse it before any call', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1', '-o', 'markdown']);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(`## Systems Manager readiness: account ${ACCOUNT}`);
    expect(r.stdout).toContain('| Not ready | 1 | us-east-1 |');
    expect(r.stdout).toContain('```sh\nssm-perms endpoints create --vpc-id vpc-priv');
    resetAws();
    const other = await cli(['dhmc', 'status', '--region', 'us-east-1', '-o', 'markdown']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('dhmc status has no Markdown form');
    const query = await cli(['doctor', '--region', 'us-east-1', '-o', 'markdown', '--query', 'summary']);
    expect(query.code).toBe(2);
    expect(query.stderr).toContain('-o markdown prints the whole report');
    expectNoAwsCall();
  });

  it('an empty selection says so, where it looked, and suggests --region all; exit 0', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const r = await cli(['doctor', '--region', 'us-east-1', '--tag', 'Env=nope']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No instance matched in us-east-1. Instances are regional: to look in every region, add --region all.');
  });

  it('exits 0 when every instance chosen is managed, and 6 for an --instance-id that does not exist', async () => {
    const good = await cli(['doctor', '--region', 'us-east-1', '--instance-id', GOOD, '--json']);
    expect(good.code, good.stderr).toBe(0);
    expect(report(good.stdout).summary).toMatchObject({ total: 1, managed: 1 });
    // A chosen few: associations and managed nodes are asked for by id.
    expect(ec2).toHaveReceivedCommandWith(DescribeIamInstanceProfileAssociationsCommand, { Filters: [{ Name: 'instance-id', Values: [GOOD] }] });
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
        { Name: 'instance-id', Values: [GOOD] },
      ],
    });

    const missing = await cli(['doctor', '--region', 'us-east-1', '--instance-id', `${GOOD},${MISSING}`, '--json']);
    expect(missing.code).toBe(6);
    const doc = report(missing.stdout);
    expect(doc.notFound).toEqual([MISSING]);
    expect(doc.summary).toMatchObject({ total: 1, managed: 1, notReady: 0 });
  });
});

describe('doctor: reads that fail', () => {
  it('AccessDenied on ssm:DescribeInstanceInformation: verdict unknown, exit 4, and a warning on stderr', async () => {
    ssm
      .on(DescribeInstanceInformationCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: ssm:DescribeInstanceInformation on resource: arn:aws:ssm:us-east-1:${ACCOUNT}:*`,
        ),
      );
    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(4);
    const doc = report(r.stdout);
    // Nothing else fails for GOOD: whether it is registered is not known, so neither is its verdict.
    expect(of(doc, GOOD)).toMatchObject({
      verdict: 'unknown',
      reason:
        'could not tell: could not read the managed nodes (ssm:DescribeInstanceInformation: AccessDeniedException), so whether it is registered is not known',
      fix: null,
    });
    expect(statusOf(doc, GOOD, 'managed')).toBe('unknown');
    // A check that could be decided still fails ISOLATED.
    expect(of(doc, ISOLATED)).toMatchObject({ verdict: 'not-ready', reason: NO_ROUTE });
    expect(doc.summary).toMatchObject({ total: 2, managed: 0, unknown: 1, notReady: 1 });
    expect(doc.readErrors).toEqual([
      {
        region: 'us-east-1',
        read: 'ssm:DescribeInstanceInformation',
        effect: 'whether instances are registered is unknown',
        error: expect.objectContaining({
          code: 'AccessDeniedException',
          message: expect.stringContaining('access denied to ssm:DescribeInstanceInformation in us-east-1'),
        }),
      },
    ]);
    expect(r.stderr).toMatch(
      /^warning: could not read ssm:DescribeInstanceInformation in us-east-1 \(AccessDeniedException: access denied to ssm:DescribeInstanceInformation in us-east-1: .*\); whether instances are registered is unknown$/m,
    );
  });

  it('an EC2 denial that names no action is put on the network read that failed: the network check is unknown, exit 4', async () => {
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(4);
    const doc = report(r.stdout);
    expect(of(doc, GOOD).verdict).toBe('managed');
    expect(of(doc, ISOLATED)).toMatchObject({
      verdict: 'unknown',
      reason: 'could not tell: could not read the network (route tables, endpoints, security groups): UnauthorizedOperation',
    });
    expect(doc.readErrors[0]).toMatchObject({
      read: expect.stringContaining('the network'),
      error: { message: expect.stringContaining('ec2:DescribeVpcEndpoints') },
    });
    expect(r.stderr).toContain('access denied to ec2:DescribeVpcEndpoints in us-east-1');
  });

  it('a region whose instances cannot be listed: exit 5, the region not ok, and an --instance-id is not called missing', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('InternalError', 'An internal error has occurred', 500));
    const r = await cli(['doctor', '--region', 'us-east-1', '--instance-id', MISSING, '--json']);
    expect(r.code).toBe(5);
    const doc = report(r.stdout);
    expect(doc.regions).toEqual([{ region: 'us-east-1', ok: false, dhmcEnabled: false, error: expect.objectContaining({ code: 'InternalError' }) }]);
    expect(doc.notFound).toEqual([]);
    expect(doc.instances).toEqual([]);
  });
  it('a region whose instances cannot be listed for want of permission: exit 4 (access denied), not 5', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(4);
    expect(report(r.stdout).regions).toEqual([
      { region: 'us-east-1', ok: false, dhmcEnabled: false, error: expect.objectContaining({ code: 'UnauthorizedOperation' }) },
    ]);
  });

  it('a profile that could not be read is warned about without a region (IAM is global), and its instances are unknown', async () => {
    iam.on(GetInstanceProfileCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: iam:GetInstanceProfile', 403));
    const r = await cli(['doctor', '--region', 'us-east-1', '--no-color']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      `warning: could not read instance profile ${PROFILE} (AccessDenied: access denied to iam:GetInstanceProfile: User is not authorized to perform: iam:GetInstanceProfile); the identity of its instances is unknown\n`,
    );
  });
});

describe('doctor: progress on a terminal', () => {
  // A counter rewritten in place (\r and erase-line), erased when the diagnosis ends.
  const ERASE = '\r\u001b[2K';
  /** A clock that moves 200 ms at each reading: every count is past the redraw interval. */
  const movingClock = () => {
    const clock = new FakeClock();
    clock.now = () => (clock.t += 200);
    return clock;
  };
  /** The texts the line showed, in order. */
  const drawn = (stderr: string) => stderr.split(ERASE).filter(Boolean);
  /** The Describe and List calls the mocks answered: the pages doctor read. */
  const pagesAsked = () =>
    [...ec2.calls(), ...ssm.calls(), ...iam.calls()].filter((c) => /^(Describe|List)/.test((c.args[0] as object).constructor.name)).length;

  it('counts one region in the singular and the pages read as they come, and erases the line at the end', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1', '--no-color'], { tty: true, clock: movingClock() });
    expect(r.code).toBe(6);
    const lines = drawn(r.stderr);
    expect(lines[0]).toBe('doctor: read 0 of 1 region, 1 page');
    expect(lines).toContain('doctor: read 0 of 1 region, 2 pages');
    expect(lines.at(-1)).toBe(`doctor: read 1 of 1 region, ${pagesAsked()} pages`);
    expect(r.stderr.endsWith(ERASE)).toBe(true);
  });

  it('counts several regions in the plural, and erases the line only after the last', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1,us-east-2', '--no-color'], { tty: true, clock: movingClock() });
    expect(r.code).toBe(6);
    const regions = drawn(r.stderr).map((l) => /^doctor: read (\d) of 2 regions, \d+ pages?$/.exec(l)?.[1]);
    expect(regions).not.toContain(undefined);
    expect([...new Set(regions)]).toEqual(['0', '1', '2']);
    expect(r.stderr.endsWith(ERASE)).toBe(true);
  });

  it('a count within 100 ms of the last redraw waits for the interval; the erase at the end drops it', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1,us-east-2', '--no-color'], { tty: true });
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(`${ERASE}doctor: read 0 of 2 regions, 1 page${ERASE}`);
  });

  it('prints no counter when stderr is not a terminal', async () => {
    const r = await cli(['doctor', '--region', 'us-east-1,us-east-2', '--no-color'], { tty: false });
    expect(r.code).toBe(6);
    expect(r.stderr).toBe('');
  });
});
