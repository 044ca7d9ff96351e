// Pagination in-process: every listing the CLI makes (DescribeInstances, the profile associations, the
// network reads, DescribeInstanceInformation, ListAssociations, the IAM Marker / IsTruncated lists and
// DescribeRegions for `--region all`), answered over several pages with the item that matters on the
// LAST page. Each later page answers only the token the page before it handed out (input matching),
// and a first page answers once: a loop that drops the token fails at once instead of spinning, and
// one that stops after the first page misses the item.
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  type DescribeInstancesCommandInput,
  type IamInstanceProfileAssociation,
  type Instance,
  type InstanceStateName,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  type ListAttachedRolePoliciesCommandOutput,
} from '@aws-sdk/client-iam';
import {
  DescribeInstanceInformationCommand,
  GetServiceSettingCommand,
  ListAssociationsCommand,
  UpdateServiceSettingCommand,
  type InstanceInformation,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policies/trust.js';
import { ACCOUNT, CORE_ARN, CORE_DOCUMENT, ec2, iam, iamEncoded, resetAws, roleAnswer, ssm } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';
import { publicSubnetNetwork } from '../helpers/doctor-fix.js';

/** What a first page answers when it is asked for again: the caller dropped the token it was given. */
const again = (operation: string) => new Error(`${operation}: the first page was asked for twice (the pagination token was dropped)`);

const PROFILE = 'SSMInstanceProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const ROLE = 'SSMInstanceProfileRole';
/** A customer policy that grants the agent nothing: what the first page of a role's policies holds. */
const LOGS_ARN = `arn:aws:iam::${ACCOUNT}:policy/AppLogs`;
const LOGS_DOC: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }] };
const DOCS: Record<string, PolicyDocument> = { [CORE_ARN]: CORE_DOCUMENT, [LOGS_ARN]: LOGS_DOC };

// ---- IAM: the Marker / IsTruncated lists, each page answering only its own Marker ----------------

const marker = (list: string, page: number) => `${list}-page-${page + 1}`;
const truncation = (list: string, i: number, count: number) => (i < count - 1 ? { IsTruncated: true, Marker: marker(list, i + 1) } : { IsTruncated: false });

/** ListAttachedRolePolicies of `role`, one page per array. */
function attachedPages(role: string, pages: string[][]) {
  const answer = (i: number): ListAttachedRolePoliciesCommandOutput => ({
    $metadata: {},
    AttachedPolicies: pages[i]!.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })),
    ...truncation('attached', i, pages.length),
  });
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: role }).resolvesOnce(answer(0)).rejects(again('ListAttachedRolePolicies'));
  for (let i = 1; i < pages.length; i++) iam.on(ListAttachedRolePoliciesCommand, { RoleName: role, Marker: marker('attached', i) }).resolves(answer(i));
}

/** ListRolePolicies of `role` (inline policy names), one page per array; GetRolePolicy answers `docs`. */
function inlinePages(role: string, pages: string[][], docs: Record<string, PolicyDocument> = {}) {
  const answer = (i: number) => ({ PolicyNames: pages[i]!, ...truncation('inline', i, pages.length) });
  iam.on(ListRolePoliciesCommand, { RoleName: role }).resolvesOnce(answer(0)).rejects(again('ListRolePolicies'));
  for (let i = 1; i < pages.length; i++) iam.on(ListRolePoliciesCommand, { RoleName: role, Marker: marker('inline', i) }).resolves(answer(i));
  for (const [name, doc] of Object.entries(docs)) {
    iam.on(GetRolePolicyCommand, { RoleName: role, PolicyName: name }).resolves({ RoleName: role, PolicyName: name, PolicyDocument: iamEncoded(doc) });
  }
}

/** Every managed policy exists, its default version v1 holding its document in DOCS. */
function managedPolicies() {
  iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
  iam.on(GetPolicyVersionCommand).callsFake((input: { PolicyArn: string }) => ({
    PolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, Document: iamEncoded(DOCS[input.PolicyArn] ?? LOGS_DOC) },
  }));
}

/** PROFILE, holding ROLE, which trusts EC2; its policies are set by each test (one page each by default). */
function profileWithRole(attached: string[][] = [[CORE_ARN]], inline: string[][] = [[]], docs: Record<string, PolicyDocument> = {}) {
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      InstanceProfileName: PROFILE,
      Arn: PROFILE_ARN,
      Path: '/',
      InstanceProfileId: 'AIPA',
      CreateDate: new Date(),
      Roles: [{ RoleName: ROLE, Arn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, Path: '/', RoleId: 'AROA', CreateDate: new Date() }],
    },
  });
  iam.on(GetRoleCommand, { RoleName: ROLE }).resolves(roleAnswer(ROLE, 'ec2.amazonaws.com'));
  managedPolicies();
  attachedPages(ROLE, attached);
  inlinePages(ROLE, inline, docs);
}

// ---- EC2 instances ------------------------------------------------------------------------------

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const C = 'i-0000000000000000c';

/** A running instance in a public subnet, with a public IP and IMDS on, tagged Env=prod and Team. */
function instance(id: string, team = 'web', state: InstanceStateName = 'running'): Instance {
  return {
    InstanceId: id,
    State: { Name: state },
    VpcId: 'vpc-pub',
    SubnetId: 'subnet-pub',
    PrivateIpAddress: '10.0.1.5',
    PublicIpAddress: '54.0.0.1',
    SecurityGroups: [{ GroupId: 'sg-web' }],
    MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
    IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' },
    Tags: [
      { Key: 'Name', Value: `host-${id.slice(-1)}` },
      { Key: 'Env', Value: 'prod' },
      { Key: 'Team', Value: team },
    ],
  };
}

const association = (id: string): IamInstanceProfileAssociation => ({
  InstanceId: id,
  AssociationId: `iip-assoc-${id.slice(-1)}`,
  State: 'associated',
  IamInstanceProfile: { Arn: PROFILE_ARN, Id: 'AIPA' },
});

const online = (id: string): InstanceInformation => ({
  InstanceId: id,
  PingStatus: 'Online',
  AgentVersion: '3.3.1611.0',
  LastPingDateTime: new Date('2026-11-27T20:48:24.246Z'),
  PlatformType: 'Linux',
});

beforeEach(resetAws);

describe('profile attach: DescribeInstances and DescribeIamInstanceProfileAssociations over several pages', () => {
  it('--tag: the instance on the third page of DescribeInstances is attached; the one whose association is on the last page is left alone', async () => {
    profileWithRole();
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance(A)] }], NextToken: 'instances-2' })
      .rejects(again('DescribeInstances'));
    ec2.on(DescribeInstancesCommand, { NextToken: 'instances-2' }).resolves({ Reservations: [{ Instances: [instance(B)] }], NextToken: 'instances-3' });
    ec2.on(DescribeInstancesCommand, { NextToken: 'instances-3' }).resolves({ Reservations: [{ Instances: [instance(C)] }] });
    // A has the profile (page 1), B has it too (page 2, the last): only C gains it.
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({ IamInstanceProfileAssociations: [association(A)], NextToken: 'associations-2' })
      .rejects(again('DescribeIamInstanceProfileAssociations'));
    ec2.on(DescribeIamInstanceProfileAssociationsCommand, { NextToken: 'associations-2' }).resolves({ IamInstanceProfileAssociations: [association(B)] });
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'iip-new', State: 'associating' } });

    const r = await cli(['profile', 'attach', '--name', PROFILE, '--tag', 'Env=prod', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.instances.map((i: { instanceId: string; action: string; status: string }) => [i.instanceId, i.action, i.status])).toEqual([
      [A, 'none', 'unchanged'],
      [B, 'none', 'unchanged'],
      [C, 'associate', 'applied'],
    ]);
    expect(doc.summary).toMatchObject({ attached: 1, unchanged: 2, failed: 0 });
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: C, IamInstanceProfile: { Arn: PROFILE_ARN } });

    // Each page asked for once, the later ones with the token and the same filters.
    const filters = [{ Name: 'tag:Env', Values: ['prod'] }];
    expect(ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 3);
    expect(ec2).toHaveReceivedNthCommandWith(DescribeInstancesCommand, 2, { Filters: filters, NextToken: 'instances-2' });
    expect(ec2).toHaveReceivedNthCommandWith(DescribeInstancesCommand, 3, { Filters: filters, NextToken: 'instances-3' });
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 2);
    expect(ec2).toHaveReceivedNthCommandWith(DescribeIamInstanceProfileAssociationsCommand, 2, {
      Filters: [{ Name: 'instance-id', Values: [A, B, C] }],
      NextToken: 'associations-2',
    });
  });
});

describe("profile attach: the profile's role judged from every page of its policies", () => {
  beforeEach(() => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [instance(A)] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'iip-new', State: 'associating' } });
  });

  it('AmazonSSMManagedInstanceCore on the second page of ListAttachedRolePolicies: no warning that the role lacks it', async () => {
    profileWithRole([[LOGS_ARN], [CORE_ARN]]);
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
    expect(r.stderr).not.toContain('warning:');
    expect(iam).toHaveReceivedCommandTimes(ListAttachedRolePoliciesCommand, 2);
    expect(iam).toHaveReceivedNthCommandWith(ListAttachedRolePoliciesCommand, 2, { RoleName: ROLE, Marker: 'attached-page-2' });
    expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: CORE_ARN, VersionId: 'v1' });
  });

  it("the inline policy that grants the agent's actions on the second page of ListRolePolicies: no warning", async () => {
    profileWithRole([[LOGS_ARN]], [['Unrelated'], ['AgentInline']], { Unrelated: LOGS_DOC, AgentInline: CORE_DOCUMENT });
    const r = await cli(['profile', 'attach', '--name', PROFILE, '--instance-id', A, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
    expect(iam).toHaveReceivedNthCommandWith(ListRolePoliciesCommand, 2, { RoleName: ROLE, Marker: 'inline-page-2' });
    expect(iam).toHaveReceivedCommandWith(GetRolePolicyCommand, { RoleName: ROLE, PolicyName: 'AgentInline' });
  });
});

// ---- doctor --------------------------------------------------------------------------------------

const SETTING_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;

/**
 * A fleet doctor finds managed: public subnet through an internet gateway, outbound 443 open, the
 * profile's role with the core policy, every instance Online. Each listing answers in one page here;
 * each test splits one of them.
 */
function doctorWorld(fleet: Instance[]) {
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommandInput) => {
    const ids = input.Filters?.find((f) => f.Name === 'instance-id')?.Values;
    return { Reservations: [{ Instances: fleet.filter((i) => !ids || ids.includes(i.InstanceId!)) }] };
  });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: fleet.map((i) => association(i.InstanceId!)) });
  publicSubnetNetwork();
  ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingId: SETTING_ARN, SettingValue: '$None', Status: 'Default', ARN: SETTING_ARN } });
  ssm.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: fleet.map((i) => online(i.InstanceId!)) });
  ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
  profileWithRole();
}

interface Report {
  instances: { instanceId: string; verdict: string; route: string; reason: string; checks: { id: string; status: string; message: string }[] }[];
  summary: Record<string, number>;
  readErrors: unknown[];
}
const report = (stdout: string) => JSON.parse(stdout) as Report;
const of = (r: Report, id: string) => r.instances.find((i) => i.instanceId === id);
const check = (r: Report, id: string, name: string) => of(r, id)?.checks.find((c) => c.id === name);

describe('doctor: every listing read to its last page', () => {
  it('DescribeInstances over three pages: the instance on the last one is diagnosed', async () => {
    doctorWorld([instance(A), instance(B), instance(C)]);
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [instance(A)] }], NextToken: 'instances-2' })
      .rejects(again('DescribeInstances'));
    ec2.on(DescribeInstancesCommand, { NextToken: 'instances-2' }).resolves({ Reservations: [{ Instances: [instance(B)] }], NextToken: 'instances-3' });
    ec2.on(DescribeInstancesCommand, { NextToken: 'instances-3' }).resolves({ Reservations: [{ Instances: [instance(C)] }] });

    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r.stdout);
    expect(doc.instances.map((i) => [i.instanceId, i.verdict])).toEqual([
      [A, 'managed'],
      [B, 'managed'],
      [C, 'managed'],
    ]);
    expect(doc.summary).toMatchObject({ total: 3, managed: 3 });
    expect(ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 3);
    expect(ec2).toHaveReceivedNthCommandWith(DescribeInstancesCommand, 3, { NextToken: 'instances-3', MaxResults: 1000 });
  });

  it("DescribeIamInstanceProfileAssociations (the whole fleet) over two pages: the last instance's profile is the one on page 2", async () => {
    doctorWorld([instance(A), instance(B), instance(C)]);
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({ IamInstanceProfileAssociations: [association(A), association(B)], NextToken: 'associations-2' })
      .rejects(again('DescribeIamInstanceProfileAssociations'));
    ec2.on(DescribeIamInstanceProfileAssociationsCommand, { NextToken: 'associations-2' }).resolves({ IamInstanceProfileAssociations: [association(C)] });

    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r.stdout);
    expect(of(doc, C)).toMatchObject({ verdict: 'managed', route: 'instance-profile' });
    expect(check(doc, C, 'instance-profile')).toMatchObject({ status: 'pass', message: expect.stringContaining(`instance profile ${PROFILE}`) });
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 2);
    expect(ec2).toHaveReceivedNthCommandWith(DescribeIamInstanceProfileAssociationsCommand, 2, { NextToken: 'associations-2' });
  });

  it('DescribeInstanceInformation over two pages: the node on page 2 counts as registered and Online', async () => {
    doctorWorld([instance(A), instance(B), instance(C)]);
    ssm
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [online(A), online(B)], NextToken: 'nodes-2' })
      .rejects(again('DescribeInstanceInformation'));
    ssm.on(DescribeInstanceInformationCommand, { NextToken: 'nodes-2' }).resolves({ InstanceInformationList: [online(C)] });

    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r.stdout);
    expect(of(doc, C)).toMatchObject({ verdict: 'managed', reason: expect.stringContaining('managed: Online, agent 3.3.1611.0') });
    expect(check(doc, C, 'managed')?.status).toBe('pass');
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 2);
    expect(ssm).toHaveReceivedNthCommandWith(DescribeInstanceInformationCommand, 2, {
      Filters: [{ Key: 'InstanceIds', Values: [A, B, C] }],
      MaxResults: 50,
      NextToken: 'nodes-2',
    });
  });

  it('ListAssociations over two pages: the Quick Setup association on page 2 that targets an instance is reported for it', async () => {
    doctorWorld([instance(A), instance(C, 'batch')]);
    ssm
      .on(ListAssociationsCommand)
      .resolvesOnce({
        Associations: [
          { Name: 'AWS-AttachIAMToInstance', AssociationId: 'assoc-other', AssociationName: 'Elsewhere', Targets: [{ Key: 'tag:Team', Values: ['none'] }] },
        ],
        NextToken: 'associations-2',
      })
      .rejects(again('ListAssociations'));
    ssm.on(ListAssociationsCommand, { NextToken: 'associations-2' }).resolves({
      Associations: [
        {
          Name: 'AWS-AttachIAMToInstance',
          AssociationId: 'assoc-qs',
          AssociationName: 'QuickSetupHostMgmt',
          Targets: [{ Key: 'tag:Team', Values: ['batch'] }],
        },
      ],
    });

    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r.stdout);
    expect(check(doc, C, 'quick-setup')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('association QuickSetupHostMgmt runs AWS-AttachIAMToInstance'),
    });
    expect(check(doc, A, 'quick-setup')?.status).toBe('pass');
    expect(ssm).toHaveReceivedCommandTimes(ListAssociationsCommand, 2);
    expect(ssm).toHaveReceivedNthCommandWith(ListAssociationsCommand, 2, {
      AssociationFilterList: [{ key: 'Name', value: 'AWS-AttachIAMToInstance' }],
      NextToken: 'associations-2',
    });
  });

  it("ListAttachedRolePolicies over two pages: the profile's role has the core policy from page 2", async () => {
    doctorWorld([instance(A)]);
    profileWithRole([[LOGS_ARN], [CORE_ARN]]);
    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r.stdout);
    expect(check(doc, A, 'instance-profile')).toMatchObject({
      status: 'pass',
      message: `instance profile ${PROFILE}: role ${ROLE} allows the agent's actions`,
    });
    expect(iam).toHaveReceivedNthCommandWith(ListAttachedRolePoliciesCommand, 2, { RoleName: ROLE, Marker: 'attached-page-2' });
  });

  it("ListRolePolicies over two pages: the inline policy on page 2 grants the agent's actions", async () => {
    doctorWorld([instance(A)]);
    profileWithRole([[LOGS_ARN]], [['Unrelated'], ['AgentInline']], { Unrelated: LOGS_DOC, AgentInline: CORE_DOCUMENT });
    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = report(r.stdout);
    expect(check(doc, A, 'instance-profile')?.status).toBe('pass');
    expect(of(doc, A)?.verdict).toBe('managed');
    expect(iam).toHaveReceivedNthCommandWith(ListRolePoliciesCommand, 2, { RoleName: ROLE, Marker: 'inline-page-2' });
    expect(iam).toHaveReceivedCommandWith(GetRolePolicyCommand, { RoleName: ROLE, PolicyName: 'AgentInline' });
  });

  it("DescribeRouteTables and DescribeSecurityGroups over two pages: the subnet's route and the instance's group are on page 2", async () => {
    doctorWorld([instance(A)]);
    // Page 1: the VPC's main table, with no way out; page 2: the subnet's own table, through an internet gateway.
    ec2
      .on(DescribeRouteTablesCommand)
      .resolvesOnce({
        RouteTables: [
          { RouteTableId: 'rtb-main', VpcId: 'vpc-pub', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }] },
        ],
        NextToken: 'tables-2',
      })
      .rejects(again('DescribeRouteTables'));
    ec2.on(DescribeRouteTablesCommand, { NextToken: 'tables-2' }).resolves({
      RouteTables: [
        {
          RouteTableId: 'rtb-pub',
          VpcId: 'vpc-pub',
          Associations: [{ SubnetId: 'subnet-pub', Main: false }],
          Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', State: 'active' }],
        },
      ],
    });
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolvesOnce({ SecurityGroups: [{ GroupId: 'sg-other', VpcId: 'vpc-pub', IpPermissions: [], IpPermissionsEgress: [] }], NextToken: 'groups-2' })
      .rejects(again('DescribeSecurityGroups'));
    ec2.on(DescribeSecurityGroupsCommand, { NextToken: 'groups-2' }).resolves({
      SecurityGroups: [
        { GroupId: 'sg-web', VpcId: 'vpc-pub', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
      ],
    });

    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(check(report(r.stdout), A, 'network')).toEqual({
      id: 'network',
      status: 'pass',
      message: '0.0.0.0/0 goes to internet gateway igw-1 and the instance has a public IP; outbound 443 allowed',
      fix: null,
    });
    const vpc = { Filters: [{ Name: 'vpc-id', Values: ['vpc-pub'] }] };
    expect(ec2).toHaveReceivedNthCommandWith(DescribeRouteTablesCommand, 2, { ...vpc, NextToken: 'tables-2' });
    expect(ec2).toHaveReceivedNthCommandWith(DescribeSecurityGroupsCommand, 2, { ...vpc, NextToken: 'groups-2' });
  });

  it('DescribeVpcEndpoints and DescribeNetworkInterfaces over two pages: the ssmmessages endpoint and its address are on page 2', async () => {
    // A private instance: no route out, only interface endpoints; its group lets 443 out to the VPC's addresses only.
    const isolated: Instance = {
      ...instance(A),
      VpcId: 'vpc-priv',
      SubnetId: 'subnet-priv',
      PrivateIpAddress: '10.1.1.5',
      PublicIpAddress: undefined,
      SecurityGroups: [{ GroupId: 'sg-app' }],
    };
    doctorWorld([isolated]);
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        { RouteTableId: 'rtb-priv', VpcId: 'vpc-priv', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '10.1.0.0/16', GatewayId: 'local' }] },
      ],
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
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
        },
      ],
    });
    const endpoint = (service: string) => ({
      VpcEndpointId: `vpce-${service}`,
      VpcId: 'vpc-priv',
      ServiceName: `com.amazonaws.us-east-1.${service}`,
      VpcEndpointType: 'Interface' as const,
      PrivateDnsEnabled: true,
      State: 'Available' as const,
      Groups: [{ GroupId: 'sg-endpoint' }],
      NetworkInterfaceIds: [`eni-${service}`],
    });
    ec2
      .on(DescribeVpcEndpointsCommand)
      .resolvesOnce({ VpcEndpoints: [endpoint('ssm')], NextToken: 'endpoints-2' })
      .rejects(again('DescribeVpcEndpoints'));
    ec2.on(DescribeVpcEndpointsCommand, { NextToken: 'endpoints-2' }).resolves({ VpcEndpoints: [endpoint('ssmmessages')] });
    const eni = (service: string, ip: string) => ({
      NetworkInterfaceId: `eni-${service}`,
      PrivateIpAddress: ip,
      PrivateIpAddresses: [{ PrivateIpAddress: ip }],
    });
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [eni('ssm', '10.1.2.10')], NextToken: 'interfaces-2' })
      .rejects(again('DescribeNetworkInterfaces'));
    ec2.on(DescribeNetworkInterfacesCommand, { NextToken: 'interfaces-2' }).resolves({ NetworkInterfaces: [eni('ssmmessages', '10.1.2.11')] });

    const r = await cli(['doctor', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(check(report(r.stdout), A, 'network')).toMatchObject({
      status: 'pass',
      message: 'through VPC endpoints (ssm, ssmmessages) with private DNS; 443 allowed both ways',
    });
    expect(ec2).toHaveReceivedNthCommandWith(DescribeVpcEndpointsCommand, 2, { Filters: [{ Name: 'vpc-id', Values: ['vpc-priv'] }], NextToken: 'endpoints-2' });
    expect(ec2).toHaveReceivedNthCommandWith(DescribeNetworkInterfacesCommand, 2, {
      Filters: [{ Name: 'network-interface-id', Values: ['eni-ssm', 'eni-ssmmessages'] }],
      NextToken: 'interfaces-2',
    });
  });
});

// ---- profile update / create: the IAM lists that decide what to change --------------------------

const APP_ROLE = 'AppServerRole';
const APP_PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/AppServerProfile`;

function profilesForRolePages(role: string, pages: { name: string; arn: string }[][]) {
  const answer = (i: number) => ({
    InstanceProfiles: pages[i]!.map((p) => ({
      InstanceProfileName: p.name,
      Arn: p.arn,
      InstanceProfileId: 'AIPA',
      Path: '/',
      CreateDate: new Date(),
      Roles: [],
    })),
    ...truncation('profiles', i, pages.length),
  });
  iam.on(ListInstanceProfilesForRoleCommand, { RoleName: role }).resolvesOnce(answer(0)).rejects(again('ListInstanceProfilesForRole'));
  for (let i = 1; i < pages.length; i++) iam.on(ListInstanceProfilesForRoleCommand, { RoleName: role, Marker: marker('profiles', i) }).resolves(answer(i));
}

describe('profile update: ListAttachedRolePolicies and ListInstanceProfilesForRole over several pages', () => {
  beforeEach(() => {
    managedPolicies();
    iam.on(GetRoleCommand, { RoleName: APP_ROLE }).resolves(roleAnswer(APP_ROLE, 'ec2.amazonaws.com'));
    iam.on(AttachRolePolicyCommand).resolves({});
    iam.on(CreateInstanceProfileCommand).resolves({});
  });

  it('the core policy on page 2 of ListAttachedRolePolicies counts as attached: no AttachRolePolicy', async () => {
    attachedPages(APP_ROLE, [[LOGS_ARN], [CORE_ARN]]);
    profilesForRolePages(APP_ROLE, [[{ name: 'AppServerProfile', arn: APP_PROFILE_ARN }]]);
    const r = await cli(['profile', 'update', '--role-name', APP_ROLE, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(iam).toHaveReceivedNthCommandWith(ListAttachedRolePoliciesCommand, 2, { RoleName: APP_ROLE, Marker: 'attached-page-2' });
  });

  it('ten policies over two pages fill the quota: --cloudwatch is refused (exit 6) rather than attached', async () => {
    const first = Array.from({ length: 5 }, (_, i) => `arn:aws:iam::${ACCOUNT}:policy/First${i}`);
    const second = [CORE_ARN, ...Array.from({ length: 4 }, (_, i) => `arn:aws:iam::${ACCOUNT}:policy/Second${i}`)];
    attachedPages(APP_ROLE, [first, second]);
    profilesForRolePages(APP_ROLE, [[{ name: 'AppServerProfile', arn: APP_PROFILE_ARN }]]);
    const r = await cli(['profile', 'update', '--role-name', APP_ROLE, '--cloudwatch', '--json']);
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'PoliciesPerRoleQuota', message: expect.stringContaining('has 10 managed policies attached') });
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
  });

  it('the instance profile on page 2 of ListInstanceProfilesForRole is the one used: none is created', async () => {
    attachedPages(APP_ROLE, [[CORE_ARN]]);
    profilesForRolePages(APP_ROLE, [[], [{ name: 'AppServerProfile', arn: APP_PROFILE_ARN }]]);
    const r = await cli(['profile', 'update', '--role-name', APP_ROLE, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ instanceProfileArn: APP_PROFILE_ARN, changes: [] });
    expect(iam).not.toHaveReceivedCommand(CreateInstanceProfileCommand);
    expect(iam).not.toHaveReceivedCommand(GetInstanceProfileCommand);
    expect(iam).toHaveReceivedNthCommandWith(ListInstanceProfilesForRoleCommand, 2, { RoleName: APP_ROLE, Marker: 'profiles-page-2' });
  });
});

describe('dhmc enable: the default role read to its last page of policies', () => {
  it('AmazonSSMManagedEC2InstanceDefaultPolicy on page 2: only the setting changes, no AttachRolePolicy', async () => {
    const role = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
    managedPolicies();
    iam.on(GetRoleCommand).resolves(roleAnswer(role, 'ssm.amazonaws.com', '/service-role/'));
    attachedPages(role, [[LOGS_ARN], ['arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy']]);
    iam.on(AttachRolePolicyCommand).resolves({});
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: SETTING_ARN } });
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['ssm:UpdateServiceSetting', 'applied'],
    ]);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(iam).toHaveReceivedNthCommandWith(ListAttachedRolePoliciesCommand, 2, { RoleName: role, Marker: 'attached-page-2' });
  });
});

// ---- s3-policy generate --create: the role's policies and the policy's versions ------------------

const S3_NAME = 'SSMInstanceProfileS3Policy';
const S3_ARN = `arn:aws:iam::${ACCOUNT}:policy/${S3_NAME}`;
const BUCKET_DOC: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::my-ssm-output/*'] }],
};
const OTHER_DOC: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::elsewhere/*' }] };
const storeS3 = (...extra: string[]) => ['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', S3_NAME, ...extra];

function storedS3Policy(document: PolicyDocument, defaultVersion: string) {
  iam.on(GetPolicyCommand, { PolicyArn: S3_ARN }).resolves({ Policy: { Arn: S3_ARN, PolicyName: S3_NAME, DefaultVersionId: defaultVersion } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: S3_ARN })
    .resolves({ PolicyVersion: { Document: iamEncoded(document), VersionId: defaultVersion, IsDefaultVersion: true } });
  iam.on(CreatePolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v6', IsDefaultVersion: true } });
  iam.on(DeletePolicyVersionCommand).resolves({});
}

describe('s3-policy generate --create: IAM lists over several pages', () => {
  it('--attach-to a role whose page 2 of ListAttachedRolePolicies holds the policy: no AttachRolePolicy', async () => {
    storedS3Policy(BUCKET_DOC, 'v1');
    iam.on(GetRoleCommand).resolves(roleAnswer(PROFILE, 'ec2.amazonaws.com'));
    attachedPages(PROFILE, [[CORE_ARN], [S3_ARN]]);
    iam.on(AttachRolePolicyCommand).resolves({});
    const r = await cli([...storeS3('--attach-to', PROFILE), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(iam).toHaveReceivedNthCommandWith(ListAttachedRolePoliciesCommand, 2, { RoleName: PROFILE, Marker: 'attached-page-2' });
  });

  it('five versions over two pages of ListPolicyVersions: the oldest, on page 2, is deleted before the new version is made', async () => {
    storedS3Policy(OTHER_DOC, 'v5');
    const version = (n: number) => ({ VersionId: `v${n}`, IsDefaultVersion: n === 5, CreateDate: new Date(Date.UTC(2026, 0, n)) });
    iam
      .on(ListPolicyVersionsCommand, { PolicyArn: S3_ARN })
      .resolvesOnce({ Versions: [version(5), version(4), version(3)], IsTruncated: true, Marker: 'versions-page-2' })
      .rejects(again('ListPolicyVersions'));
    iam.on(ListPolicyVersionsCommand, { PolicyArn: S3_ARN, Marker: 'versions-page-2' }).resolves({ Versions: [version(2), version(1)], IsTruncated: false });
    const r = await cli([...storeS3('--yes'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string; status: string; details: Record<string, string> }) => [c.operation, c.status])).toEqual([
      ['iam:DeletePolicyVersion', 'applied'],
      ['iam:CreatePolicyVersion', 'applied'],
    ]);
    expect(iam).toHaveReceivedCommandTimes(DeletePolicyVersionCommand, 1);
    expect(iam).toHaveReceivedCommandWith(DeletePolicyVersionCommand, { PolicyArn: S3_ARN, VersionId: 'v1' });
    expect(iam).toHaveReceivedNthCommandWith(ListPolicyVersionsCommand, 2, { PolicyArn: S3_ARN, Marker: 'versions-page-2' });
  });
});

// ---- --region all: DescribeRegions and the opt-in status -----------------------------------------

describe('--region all', () => {
  it('keeps the regions enabled by default and those opted in, and leaves out those not opted in', async () => {
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required', Endpoint: 'ec2.us-east-1.amazonaws.com' },
        { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in', Endpoint: 'ec2.ap-east-1.amazonaws.com' },
        { RegionName: 'af-south-1', OptInStatus: 'opted-in', Endpoint: 'ec2.af-south-1.amazonaws.com' },
        { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required', Endpoint: 'ec2.eu-west-1.amazonaws.com' },
      ],
    });
    const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
    ssm.on(GetServiceSettingCommand).callsFake((input: { SettingId: string }) => ({
      ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: input.SettingId },
    }));
    // DHMC is on in the opted-in region only: the report must show it.
    ssm.on(GetServiceSettingCommand, { SettingId: arn('af-south-1') }).resolves({
      ServiceSetting: { SettingValue: 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole', Status: 'Customized', ARN: arn('af-south-1') },
    });

    const r = await cli(['dhmc', 'status', '--region', 'all', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.regions.map((x: { region: string; enabled: boolean }) => [x.region, x.enabled])).toEqual([
      ['af-south-1', true],
      ['eu-west-1', false],
      ['us-east-1', false],
    ]);
    expect(ec2).toHaveReceivedCommandTimes(DescribeRegionsCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(GetServiceSettingCommand, { SettingId: arn('af-south-1') });
    expect(ssm).not.toHaveReceivedCommandWith(GetServiceSettingCommand, { SettingId: arn('ap-east-1') });
    expect(ssm).toHaveReceivedCommandTimes(GetServiceSettingCommand, 3);
  });
});
