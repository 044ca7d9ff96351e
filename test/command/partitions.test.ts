// Partitions in-process: in aws-cn (cn-north-1) and aws-us-gov (us-gov-west-1), every ARN a command
// sends to AWS or prints is in that partition - none says `arn:aws:`. The expected ARNs are written out
// here, not built by src/policies/arn.ts, so a builder that hard-codes `aws` fails these tests.
import {
  AssociateIamInstanceProfileCommand,
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
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyDocument } from '../../src/policies/trust.js';
import { awsError } from '../helpers/aws-errors.js';
import { ACCOUNT, CORE_DOCUMENT, ec2, expectNoAwsCall, iam, iamEncoded, iamWrites, resetAws, ssm, sts } from '../helpers/aws-mocks.js';
import { cli, type CliRun } from '../helpers/cli-io.js';

interface Case {
  partition: string;
  /** The region the command runs in (the partition's home). */
  region: string;
  /** A second region of the same partition, for the commands that take several. */
  other: string;
}

const CASES: Case[] = [
  { partition: 'aws-cn', region: 'cn-north-1', other: 'cn-northwest-1' },
  { partition: 'aws-us-gov', region: 'us-gov-west-1', other: 'us-gov-east-1' },
];

const SETTING_PATH = 'servicesetting/ssm/managed-instance/default-ec2-instance-management-role';
const DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';

/** The ARNs of a partition, spelled out as the Service Authorization Reference gives them. */
function arns(p: string) {
  return {
    user: `arn:${p}:iam::${ACCOUNT}:user/admin`,
    role: (name: string, path = '/') => `arn:${p}:iam::${ACCOUNT}:role${path}${name}`,
    profile: (name: string, path = '/') => `arn:${p}:iam::${ACCOUNT}:instance-profile${path}${name}`,
    managed: (name: string) => `arn:${p}:iam::aws:policy/${name}`,
    customer: (name: string) => `arn:${p}:iam::${ACCOUNT}:policy/${name}`,
    instance: (region: string, id: string) => `arn:${p}:ec2:${region}:${ACCOUNT}:instance/${id}`,
    setting: (region: string) => `arn:${p}:ssm:${region}:${ACCOUNT}:${SETTING_PATH}`,
    ssm: (region: string) => `arn:${p}:ssm:${region}:${ACCOUNT}:*`,
    s3: (bucket: string) => `arn:${p}:s3:::${bucket}`,
  };
}

/** Every request the mocks received, as [command, input]. */
function requests(): [string, unknown][] {
  return [sts, iam, ec2, ssm].flatMap((m) =>
    m.calls().map((c) => {
      const cmd = c.args[0] as { constructor: { name: string }; input: unknown };
      return [cmd.constructor.name.replace(/Command$/, ''), cmd.input] as [string, unknown];
    }),
  );
}

/**
 * The partition of every ARN in the request inputs and on stdout / stderr is `partition`, and at least
 * `min` ARNs were seen (so the walk cannot pass by finding nothing).
 */
function expectOnlyPartition(partition: string, r: CliRun, min = 1) {
  const text = [JSON.stringify(requests()), r.stdout, r.stderr].join('\n');
  expect(text).not.toContain('arn:aws:');
  const seen = [...text.matchAll(/arn:([A-Za-z0-9-]*):/g)].map((m) => m[1]);
  expect(seen.length).toBeGreaterThanOrEqual(min);
  expect([...new Set(seen)]).toEqual([partition]);
}

const trustOf = (service: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

/**
 * An agent policy whose instance and document statements name the partition: it allows registration
 * only when the request names the instance as `arn:P:ec2:R:A:instance/ID` in the right partition, both
 * as the resource and as ec2:SourceInstanceARN.
 */
function scopedAgentPolicy(c: Case): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations'],
        Resource: `arn:${c.partition}:ec2:${c.region}:${ACCOUNT}:instance/*`,
        // Instance-profile credentials carry the instance's ARN in ec2:SourceInstanceARN.
        Condition: { ArnLike: { 'ec2:SourceInstanceARN': `arn:${c.partition}:ec2:*:${ACCOUNT}:instance/*` } },
      },
      { Effect: 'Allow', Action: 'ssm:GetDocument', Resource: `arn:${c.partition}:ssm:${c.region}::document/*` },
      { Effect: 'Allow', Action: ['ssm:PutInventory', 'ssmmessages:*', 'ec2messages:*'], Resource: '*' },
    ],
  };
}

/** STS answers as a user of the partition; IAM knows the AWS managed policies; nothing else exists yet. */
function world(c: Case) {
  const a = arns(c.partition);
  resetAws();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: a.user, UserId: 'AIDA' });
  iam.on(GetPolicyCommand).callsFake(async (input: { PolicyArn: string }) => {
    if (input.PolicyArn.startsWith(`arn:${c.partition}:iam::aws:policy/`)) return { Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } };
    throw awsError('NoSuchEntity', `Policy ${input.PolicyArn} does not exist or is not attachable.`, 404);
  });
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found.', 404));
  iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'Instance Profile cannot be found.', 404));
  iam.on(CreateRoleCommand).callsFake((input: { RoleName: string; Path?: string }) => ({
    Role: { RoleName: input.RoleName, Path: input.Path ?? '/', Arn: a.role(input.RoleName, input.Path), RoleId: 'AROA', CreateDate: new Date() },
  }));
  iam.on(CreatePolicyCommand).callsFake((input: { PolicyName: string }) => ({
    Policy: { PolicyName: input.PolicyName, Arn: a.customer(input.PolicyName), DefaultVersionId: 'v1' },
  }));
  iam.on(CreateInstanceProfileCommand).callsFake((input: { InstanceProfileName: string; Path?: string }) => ({
    InstanceProfile: {
      InstanceProfileName: input.InstanceProfileName,
      Path: input.Path ?? '/',
      Arn: a.profile(input.InstanceProfileName, input.Path),
      InstanceProfileId: 'AIPA',
      CreateDate: new Date(),
      Roles: [],
    },
  }));
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(AddRoleToInstanceProfileCommand).resolves({});
  iam.on(TagRoleCommand).resolves({});
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
}

/** An existing role, as IAM returns it, with these managed policies attached. */
function existingRole(c: Case, name: string, trust: PolicyDocument, attached: string[], path = '/') {
  iam.on(GetRoleCommand, { RoleName: name }).resolves({
    Role: {
      RoleName: name,
      Path: path,
      Arn: arns(c.partition).role(name, path),
      RoleId: 'AROA',
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: iamEncoded(trust),
    },
  });
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: name }).resolves({ AttachedPolicies: attached.map((PolicyArn) => ({ PolicyArn })), IsTruncated: false });
}

/** An existing instance profile holding `role`. */
function existingProfile(c: Case, name: string, role: string) {
  const a = arns(c.partition);
  iam.on(GetInstanceProfileCommand, { InstanceProfileName: name }).resolves({
    InstanceProfile: {
      InstanceProfileName: name,
      Path: '/',
      Arn: a.profile(name),
      InstanceProfileId: 'AIPA',
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      Roles: [{ RoleName: role, Path: '/', Arn: a.role(role), RoleId: 'AROA', CreateDate: new Date('2026-01-01T00:00:00Z') }],
    },
  });
}

/** The role's only policy is inline: scopedAgentPolicy. */
function scopedInline(c: Case, role: string) {
  iam.on(ListRolePoliciesCommand, { RoleName: role }).resolves({ PolicyNames: ['AgentScoped'], IsTruncated: false });
  iam.on(GetRolePolicyCommand, { RoleName: role, PolicyName: 'AgentScoped' }).resolves({
    RoleName: role,
    PolicyName: 'AgentScoped',
    PolicyDocument: iamEncoded(scopedAgentPolicy(c)),
  });
}

/** A managed policy whose default version v1 holds `doc`. */
function managedDocument(arn: string, doc: PolicyDocument) {
  iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { Arn: arn, DefaultVersionId: 'v1' } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: 'v1' })
    .resolves({ PolicyVersion: { Document: iamEncoded(doc), VersionId: 'v1', IsDefaultVersion: true } });
}

const env = (c: Case) => ({ env: { AWS_REGION: c.region } });

beforeEach(() => resetAws());

describe.each(CASES)('$partition ($region)', (c) => {
  const a = arns(c.partition);
  const CORE = a.managed('AmazonSSMManagedInstanceCore');
  const CLOUDWATCH = a.managed('CloudWatchAgentServerPolicy');
  const DIRECTORY = a.managed('AmazonSSMDirectoryServiceAccess');
  const DHMC_POLICY = a.managed('AmazonSSMManagedEC2InstanceDefaultPolicy');

  it('profile create: the role, the policies, the S3 policy and the instance profile, all in the partition', async () => {
    world(c);
    const NAME = 'SSMInstanceProfile';
    const S3_POLICY = `${NAME}-S3Policy`;
    const r = await cli(['profile', 'create', '--cloudwatch', '--s3-bucket', 'my-ssm-output', '--json'], env(c));
    expect(r.code, r.stderr).toBe(0);

    const bucketDoc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [`${a.s3('my-ssm-output')}/*`] }],
    };
    expect(iamWrites()).toEqual([
      ['CreateRole', expect.objectContaining({ RoleName: NAME, Path: '/' })],
      ['CreatePolicy', expect.objectContaining({ PolicyName: S3_POLICY, PolicyDocument: JSON.stringify(bucketDoc) })],
      ['AttachRolePolicy', { RoleName: NAME, PolicyArn: CORE }],
      ['AttachRolePolicy', { RoleName: NAME, PolicyArn: CLOUDWATCH }],
      ['AttachRolePolicy', { RoleName: NAME, PolicyArn: a.customer(S3_POLICY) }],
      ['CreateInstanceProfile', { InstanceProfileName: NAME, Path: '/', Tags: undefined }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: NAME, RoleName: NAME }],
    ]);
    // The EC2 service principal, as src/policies/trust.ts has it in every partition (China's included; the
    // older ec2.amazonaws.com.cn is not used).
    expect(JSON.parse(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input.AssumeRolePolicyDocument!)).toEqual(trustOf('ec2.amazonaws.com'));
    // Every policy is checked to exist by its ARN in the partition; the S3 policy is looked up before it is created.
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: CORE });
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: CLOUDWATCH });
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: a.customer(S3_POLICY) });

    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, roleArn: a.role(NAME), instanceProfileArn: a.profile(NAME) });
    expect(
      doc.changes.map((ch: { operation: string; resource: string; details: Record<string, string> }) => [
        ch.operation,
        ch.resource,
        ch.details.policyArn ?? null,
      ]),
    ).toEqual([
      ['iam:CreateRole', a.role(NAME), null],
      ['iam:CreatePolicy', a.customer(S3_POLICY), null],
      ['iam:AttachRolePolicy', a.role(NAME), CORE],
      ['iam:AttachRolePolicy', a.role(NAME), CLOUDWATCH],
      ['iam:AttachRolePolicy', a.role(NAME), a.customer(S3_POLICY)],
      ['iam:CreateInstanceProfile', a.profile(NAME), null],
      ['iam:AddRoleToInstanceProfile', a.profile(NAME), null],
    ]);
    expectOnlyPartition(c.partition, r, 10);
  });

  it('profile create --dry-run prints the same ARNs as text and sends no write', async () => {
    world(c);
    const r = await cli(['profile', 'create', '--name', 'App', '--path', '/app/', '--dry-run', '--no-color'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([]);
    expect(r.stdout).toContain(`create role ${a.role('App', '/app/')} (trusts ec2.amazonaws.com)`);
    expect(r.stdout).toContain(`attach ${CORE} to ${a.role('App', '/app/')}`);
    expect(r.stdout).toContain(`create instance profile ${a.profile('App', '/app/')}`);
    expectOnlyPartition(c.partition, r, 4);
  });

  it('profile update: attaches the policies of the partition and names the role and the new profile in it', async () => {
    world(c);
    const ROLE = 'AppServerRole';
    existingRole(c, ROLE, trustOf('ec2.amazonaws.com'), [a.managed('ReadOnlyAccess')]);
    iam.on(ListInstanceProfilesForRoleCommand).resolves({ InstanceProfiles: [], IsTruncated: false });
    const extra = a.managed('AmazonInspector2ManagedCispolicy');
    const r = await cli(['profile', 'update', '--role-name', ROLE, '--cloudwatch', '--directory-service', '--policy-arn', extra, '--json'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CORE }],
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CLOUDWATCH }],
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: DIRECTORY }],
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: extra }],
      ['CreateInstanceProfile', { InstanceProfileName: ROLE, Path: '/', Tags: undefined }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: ROLE, RoleName: ROLE }],
    ]);
    for (const arn of [CORE, CLOUDWATCH, DIRECTORY, extra]) expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: arn });
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ roleArn: a.role(ROLE), instanceProfileArn: a.profile(ROLE) });
    expect(doc.changes.map((ch: { resource: string; details: Record<string, string> }) => [ch.resource, ch.details.policyArn ?? null])).toEqual([
      [a.role(ROLE), CORE],
      [a.role(ROLE), CLOUDWATCH],
      [a.role(ROLE), DIRECTORY],
      [a.role(ROLE), extra],
      [a.profile(ROLE), null],
      [a.profile(ROLE), null],
    ]);
    expectOnlyPartition(c.partition, r, 10);
  });

  it('profile update refuses a --policy-arn of the aws partition before any call (exit 2)', async () => {
    world(c);
    const r = await cli(['profile', 'update', '--role-name', 'AppServerRole', '--policy-arn', 'arn:aws:iam::aws:policy/ReadOnlyAccess'], env(c));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`must be in the partition of the regions (${c.partition}), not aws`);
    expectNoAwsCall();
  });

  it('profile attach: associates the profile ARN IAM gave, names the instance in the partition, and judges the role with it', async () => {
    world(c);
    const PROFILE = 'SSMInstanceProfile';
    const ROLE = 'SSMInstanceProfileRole';
    const ID = 'i-0000000000000000a';
    existingProfile(c, PROFILE, ROLE);
    existingRole(c, ROLE, trustOf('ec2.amazonaws.com'), []);
    scopedInline(c, ROLE);
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [{ InstanceId: ID, State: { Name: 'running' }, PrivateIpAddress: '10.0.0.5', VpcId: 'vpc-1', Tags: [{ Key: 'Name', Value: 'web' }] }] },
      ],
    });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    ec2.on(AssociateIamInstanceProfileCommand).callsFake((input: { InstanceId: string; IamInstanceProfile: { Arn: string } }) => ({
      IamInstanceProfileAssociation: {
        InstanceId: input.InstanceId,
        AssociationId: 'iip-assoc-new',
        State: 'associating',
        IamInstanceProfile: { Arn: input.IamInstanceProfile.Arn, Id: 'AIPA' },
      },
    }));

    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', ID, '--region', c.region, '--json'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: ID, IamInstanceProfile: { Arn: a.profile(PROFILE) } });
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, instanceProfileArn: a.profile(PROFILE), warnings: [] });
    expect(doc.changes).toEqual([
      expect.objectContaining({
        region: c.region,
        resource: a.instance(c.region, ID),
        operation: 'ec2:AssociateIamInstanceProfile',
        status: 'applied',
        details: { instanceProfileArn: a.profile(PROFILE), previousInstanceProfileArn: null },
      }),
    ]);
    // The role allows the agent on this partition's instances only: judged with the right instance ARN, no warning.
    expect(r.stderr).not.toContain('warning:');

    const text = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', ID, '--region', c.region, '--dry-run', '--no-color'], env(c));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout + text.stderr).toContain(a.profile(PROFILE));
    expectOnlyPartition(c.partition, { code: 0, stdout: r.stdout + text.stdout, stderr: r.stderr + text.stderr }, 5);
  });

  it('profile attach warns when the role allows the agent only in another partition', async () => {
    world(c);
    const PROFILE = 'SSMInstanceProfile';
    const ROLE = 'SSMInstanceProfileRole';
    const ID = 'i-0000000000000000a';
    existingProfile(c, PROFILE, ROLE);
    existingRole(c, ROLE, trustOf('ec2.amazonaws.com'), []);
    // The same policy written for the aws partition: it names no instance of this one.
    iam.on(ListRolePoliciesCommand, { RoleName: ROLE }).resolves({ PolicyNames: ['AgentScoped'], IsTruncated: false });
    iam.on(GetRolePolicyCommand).resolves({
      PolicyDocument: iamEncoded(JSON.parse(JSON.stringify(scopedAgentPolicy(c)).replaceAll(`arn:${c.partition}:`, 'arn:aws:')) as PolicyDocument),
    });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: ID, State: { Name: 'running' } }] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', ID, '--region', c.region, '--dry-run', '--json'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([
      expect.stringContaining(`role ${ROLE} of instance profile ${PROFILE} does not allow ssm:UpdateInstanceInformation`),
    ]);
  });

  describe('doctor', () => {
    const PROFILED = 'i-00000000000000001';
    const DHMC_NODE = 'i-00000000000000002';
    const PROFILE = 'AppProfile';
    const ROLE = 'AppRole';
    const INSTANCES: Instance[] = [
      {
        InstanceId: PROFILED,
        State: { Name: 'running' },
        VpcId: 'vpc-pub',
        SubnetId: 'subnet-pub',
        PrivateIpAddress: '10.0.1.5',
        PublicIpAddress: '54.0.0.1',
        SecurityGroups: [{ GroupId: 'sg-web' }],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
        IamInstanceProfile: { Arn: a.profile(PROFILE), Id: 'AIPA' },
        Tags: [{ Key: 'Name', Value: 'profiled' }],
      },
      {
        InstanceId: DHMC_NODE,
        State: { Name: 'running' },
        VpcId: 'vpc-pub',
        SubnetId: 'subnet-pub',
        PrivateIpAddress: '10.0.1.6',
        PublicIpAddress: '54.0.0.2',
        SecurityGroups: [{ GroupId: 'sg-web' }],
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
        Tags: [{ Key: 'Name', Value: 'dhmc' }],
      },
    ];

    /** Both instances reach Systems Manager through an internet gateway; one by its profile, one by DHMC. */
    function fleet(dhmcPolicies: string[]) {
      world(c);
      ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
        const ids = input.Filters?.find((f) => f.Name === 'instance-id')?.Values;
        return { Reservations: [{ Instances: INSTANCES.filter((i) => !ids || ids.includes(i.InstanceId!)) }] };
      });
      ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
        IamInstanceProfileAssociations: [
          { InstanceId: PROFILED, AssociationId: 'iip-1', State: 'associated', IamInstanceProfile: { Arn: a.profile(PROFILE), Id: 'AIPA' } },
        ],
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
        ],
      });
      ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [] });
      ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
      ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [
          { GroupId: 'sg-web', VpcId: 'vpc-pub', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
        ],
      });
      ssm.on(GetServiceSettingCommand).callsFake((input: { SettingId: string }) => {
        if (input.SettingId !== a.setting(c.region)) throw awsError('ValidationException', 'Invalid settingId');
        return { ServiceSetting: { SettingId: input.SettingId, SettingValue: `service-role/${DHMC_ROLE}`, Status: 'Customized', ARN: input.SettingId } };
      });
      ssm.on(DescribeInstanceInformationCommand).resolves({
        InstanceInformationList: [PROFILED, DHMC_NODE].map((InstanceId) => ({
          InstanceId,
          PingStatus: 'Online',
          AgentVersion: '3.3.1611.0',
          LastPingDateTime: new Date('2026-11-27T20:48:24.246Z'),
          PlatformType: 'Linux',
        })),
      });
      ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
      existingProfile(c, PROFILE, ROLE);
      existingRole(c, ROLE, trustOf('ec2.amazonaws.com'), []);
      scopedInline(c, ROLE);
      existingRole(c, DHMC_ROLE, trustOf('ssm.amazonaws.com'), dhmcPolicies, '/service-role/');
      managedDocument(DHMC_POLICY, CORE_DOCUMENT);
    }

    interface Report {
      instances: { instanceId: string; verdict: string; route: string; checks: { id: string; status: string; message: string; fix: string | null }[] }[];
      regions: { region: string; dhmcEnabled: boolean }[];
    }
    const checkOf = (doc: Report, id: string, check: string) => doc.instances.find((i) => i.instanceId === id)!.checks.find((x) => x.id === check)!;

    it('judges the profile role and the DHMC role against the instance ARNs of the partition, and reads the setting by its ARN', async () => {
      fleet([DHMC_POLICY]);
      const r = await cli(['doctor', '--region', c.region, '--json'], env(c));
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as Report;
      expect(doc.regions).toEqual([expect.objectContaining({ region: c.region, dhmcEnabled: true })]);
      expect(doc.instances.map((i) => [i.instanceId, i.verdict, i.route])).toEqual([
        [PROFILED, 'managed', 'instance-profile'],
        [DHMC_NODE, 'managed', 'dhmc'],
      ]);
      // Allowed only because the request names arn:P:ec2:R:A:instance/ID in this partition.
      expect(checkOf(doc, PROFILED, 'instance-profile')).toMatchObject({
        status: 'pass',
        message: `instance profile ${PROFILE}: role ${ROLE} allows the agent's actions`,
      });
      // The DHMC policy attached is recognised by its ARN in this partition (not "through custom policies").
      expect(checkOf(doc, DHMC_NODE, 'dhmc-role-policy')).toMatchObject({ status: 'pass', message: `role ${DHMC_ROLE} allows the agent's actions` });

      expect(ssm).toHaveReceivedCommandWith(GetServiceSettingCommand, { SettingId: a.setting(c.region) });
      expect(iam).toHaveReceivedCommandWith(GetInstanceProfileCommand, { InstanceProfileName: PROFILE });
      expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE });
      expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: DHMC_ROLE });
      expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: DHMC_POLICY, VersionId: 'v1' });
      expectOnlyPartition(c.partition, r, 1);
    });

    it("names the partition's DHMC policy in the fix for a DHMC role without it", async () => {
      fleet([]);
      // Not registered: the role DHMC hands it cannot register the agent.
      ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
      const r = await cli(['doctor', '--region', c.region, '--instance-id', DHMC_NODE, '--json'], env(c));
      expect(r.code).toBe(6);
      const doc = JSON.parse(r.stdout) as Report & { instances: { fix: string | null }[] };
      const fix = `aws iam attach-role-policy --role-name ${DHMC_ROLE} --policy-arn ${DHMC_POLICY}`;
      expect(checkOf(doc, DHMC_NODE, 'dhmc-role-policy')).toMatchObject({ status: 'fail', fix });
      expect(doc.instances[0]).toMatchObject({ verdict: 'not-ready', fix });
      const text = await cli(['doctor', '--region', c.region, '--instance-id', DHMC_NODE], env(c));
      expect(text.code).toBe(6);
      expectOnlyPartition(c.partition, { code: 6, stdout: r.stdout + text.stdout, stderr: r.stderr + text.stderr }, 2);
    });
  });

  it('s3-policy generate (offline, region from AWS_REGION): every bucket ARN is in the partition', async () => {
    world(c);
    const r = await cli(['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--encrypted'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:GetEncryptionConfiguration'],
          Resource: [`${a.s3('my-ssm-output')}/*`, a.s3('my-ssm-output')],
        },
      ],
    });
    expectNoAwsCall();
    expectOnlyPartition(c.partition, r, 2);
  });

  it("s3-policy generate --vpc-endpoint: the AWS-managed buckets of each region, in the region's partition", async () => {
    world(c);
    const r = await cli(
      ['s3-policy', 'generate', '--region', `${c.region},${c.other}`, '--vpc-endpoint', '--no-patch-manager', '--bucket', 'my-ssm-output'],
      env(c),
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as PolicyDocument;
    expect(doc.Statement.map((s) => s.Resource)).toEqual([
      ...[c.region, c.other].map((region) =>
        [
          `aws-ssm-${region}`,
          `aws-windows-downloads-${region}`,
          `amazon-ssm-${region}`,
          `amazon-ssm-packages-${region}`,
          `${region}-birdwatcher-prod`,
          `aws-ssm-distributor-file-${region}`,
          `aws-ssm-document-attachments-${region}`,
          `patch-baseline-snapshot-${region}`,
        ].map((b) => `${a.s3(b)}/*`),
      ),
      [`${a.s3('my-ssm-output')}/*`],
    ]);
    expectOnlyPartition(c.partition, r, 17);
  });

  it('s3-policy generate --create --attach-to: the policy is looked up, created and attached by its ARN in the partition', async () => {
    world(c);
    const NAME = 'SSMInstanceProfileS3Policy';
    const ROLE = 'SSMInstanceProfile';
    existingRole(c, ROLE, trustOf('ec2.amazonaws.com'), []);
    const r = await cli(['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', NAME, '--attach-to', ROLE, '--json'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: a.customer(NAME) });
    expect(iamWrites()).toEqual([
      ['CreatePolicy', expect.objectContaining({ PolicyName: NAME, PolicyDocument: expect.stringContaining(`"${a.s3('my-ssm-output')}/*"`) })],
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: a.customer(NAME) }],
    ]);
    const doc = JSON.parse(r.stdout);
    expect(doc.policyArn).toBe(a.customer(NAME));
    expect(doc.policy.Statement[0].Resource).toEqual([`${a.s3('my-ssm-output')}/*`]);
    expectOnlyPartition(c.partition, r, 5);
  });

  it('admin-policy generate: every Resource and the PolicyARN condition are in the partition', async () => {
    world(c);
    const r = await cli(['admin-policy', 'generate', '--region', `${c.region},${c.other}`, '--with-role-setup'], env(c));
    expect(r.code, r.stderr).toBe(0);
    const role = a.role(DHMC_ROLE, '/service-role/');
    expect(JSON.parse(r.stdout)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ssm:GetServiceSetting', 'ssm:ResetServiceSetting', 'ssm:UpdateServiceSetting'],
          Resource: [a.setting(c.region), a.setting(c.other)],
        },
        { Effect: 'Allow', Action: ['iam:PassRole'], Resource: [role], Condition: { StringEquals: { 'iam:PassedToService': ['ssm.amazonaws.com'] } } },
        { Sid: 'ReadAndCreateDhmcRole', Effect: 'Allow', Action: ['iam:GetRole', 'iam:CreateRole', 'iam:ListAttachedRolePolicies'], Resource: [role] },
        {
          Sid: 'AttachOnlyTheDhmcPolicy',
          Effect: 'Allow',
          Action: ['iam:AttachRolePolicy'],
          Resource: [role],
          Condition: { ArnEquals: { 'iam:PolicyARN': [DHMC_POLICY] } },
        },
        { Sid: 'ReadTheDhmcPolicy', Effect: 'Allow', Action: ['iam:GetPolicy'], Resource: [DHMC_POLICY] },
      ],
    });
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expectOnlyPartition(c.partition, r, 6);
  });

  it('dhmc enable: creates the role with the DHMC policy of the partition and sets each region by its setting ARN', async () => {
    world(c);
    const value = `service-role/${DHMC_ROLE}`;
    ssm.on(GetServiceSettingCommand).callsFake((input: { SettingId: string }) => ({
      ServiceSetting: { SettingId: input.SettingId, SettingValue: '$None', Status: 'Default', ARN: input.SettingId },
    }));
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '--region', `${c.region},${c.other}`, '--json'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([
      ['CreateRole', expect.objectContaining({ RoleName: DHMC_ROLE, Path: '/service-role/' })],
      ['AttachRolePolicy', { RoleName: DHMC_ROLE, PolicyArn: DHMC_POLICY }],
    ]);
    expect(JSON.parse(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input.AssumeRolePolicyDocument!)).toEqual(trustOf('ssm.amazonaws.com'));
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: DHMC_POLICY });
    for (const region of [c.region, c.other]) {
      expect(ssm).toHaveReceivedCommandWith(GetServiceSettingCommand, { SettingId: a.setting(region) });
      expect(ssm).toHaveReceivedCommandWith(UpdateServiceSettingCommand, { SettingId: a.setting(region), SettingValue: value });
    }
    const doc = JSON.parse(r.stdout);
    const role = a.role(DHMC_ROLE, '/service-role/');
    expect(doc.changes.map((ch: { region: string | null; resource: string; operation: string }) => [ch.region, ch.operation, ch.resource])).toEqual([
      [null, 'iam:CreateRole', role],
      [null, 'iam:AttachRolePolicy', role],
      [c.region, 'ssm:UpdateServiceSetting', a.setting(c.region)],
      [c.other, 'ssm:UpdateServiceSetting', a.setting(c.other)],
    ]);
    expectOnlyPartition(c.partition, r, 8);
  });

  it('hybrid-role create: the trust names aws:SourceArn in the partition for each region', async () => {
    world(c);
    const ROLE = 'SSMServiceRole';
    const r = await cli(['hybrid-role', 'create', '--region', `${c.region},${c.other}`, '--json'], env(c));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([
      ['CreateRole', expect.objectContaining({ RoleName: ROLE, Path: '/' })],
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CORE }],
    ]);
    expect(JSON.parse(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input.AssumeRolePolicyDocument!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnEquals: { 'aws:SourceArn': [a.ssm(c.region), a.ssm(c.other)] } },
        },
      ],
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ roleArn: a.role(ROLE), instanceProfileArn: null });
    expectOnlyPartition(c.partition, r, 5);
  });
});

describe.each(CASES)('$partition: the region from the AWS profile', (c) => {
  const a = arns(c.partition);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ssm-perms-partition-'));
    const config = join(dir, 'config');
    writeFileSync(config, `[default]\nregion = ${c.region}\n`);
    vi.stubEnv('AWS_CONFIG_FILE', config);
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    return () => {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  const noEnvRegion = { env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined } };

  it('profile create names the role and profile in the partition of the profile region', async () => {
    world(c);
    const r = await cli(['profile', 'create', '--json'], noEnvRegion);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ roleArn: a.role('SSMInstanceProfile'), instanceProfileArn: a.profile('SSMInstanceProfile') });
    expectOnlyPartition(c.partition, r, 4);
  });

  it('s3-policy generate --create stores the policy in the partition of the profile region', async () => {
    world(c);
    const NAME = 'SSMInstanceProfileS3Policy';
    const r = await cli(['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', NAME, '--json'], noEnvRegion);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: a.customer(NAME) });
    expect(iamWrites()).toEqual([
      ['CreatePolicy', expect.objectContaining({ PolicyName: NAME, PolicyDocument: expect.stringContaining(`"${a.s3('my-ssm-output')}/*"`) })],
    ]);
    expect(JSON.parse(r.stdout).policyArn).toBe(a.customer(NAME));
    expectOnlyPartition(c.partition, r, 3);
  });
});
