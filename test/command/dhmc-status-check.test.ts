// `dhmc status --check` in-process: the role checks and the fleet preview in text and JSON, and the
// exit code (6 when a check fails, 4/5 when a read the checks needed failed).
import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, CORE_ARN, CORE_DOCUMENT, ec2, iam, iamEncoded, resetAws, roleAnswer, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const DHMC_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const setting = (r: string, value: string) =>
  ssm.on(GetServiceSettingCommand, { SettingId: arn(r) }).resolves({ ServiceSetting: { SettingValue: value, Status: 'Customized', ARN: arn(r) } });
const profileArn = (name: string) => `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`;

/** The DHMC role (trusting ssm.amazonaws.com, with the DHMC policy) and a profile role with the core policy. */
function iamWorld(o: { dhmcRole?: 'ok' | 'missing'; profile?: 'core' | 'denied' } = {}): void {
  iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => {
    if (input.RoleName === ROLE && o.dhmcRole !== 'missing') return roleAnswer(ROLE, 'ssm.amazonaws.com', '/service-role/');
    if (input.RoleName === 'CoreRole') return roleAnswer('CoreRole', 'ec2.amazonaws.com');
    throw awsError('NoSuchEntity', `The role with name ${input.RoleName} cannot be found.`, 404);
  });
  iam.on(ListAttachedRolePoliciesCommand).callsFake((input: { RoleName: string }) => ({
    AttachedPolicies: [{ PolicyArn: input.RoleName === ROLE ? DHMC_POLICY_ARN : CORE_ARN }],
    IsTruncated: false,
  }));
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
  for (const p of [CORE_ARN, DHMC_POLICY_ARN]) {
    iam.on(GetPolicyCommand, { PolicyArn: p }).resolves({ Policy: { Arn: p, DefaultVersionId: 'v1' } });
    iam.on(GetPolicyVersionCommand, { PolicyArn: p }).resolves({ PolicyVersion: { Document: iamEncoded(CORE_DOCUMENT), VersionId: 'v1' } });
  }
  if (o.profile === 'denied') {
    iam.on(GetInstanceProfileCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: iam:GetInstanceProfile', 403));
  } else {
    iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: 'Core',
        Arn: profileArn('Core'),
        Path: '/',
        InstanceProfileId: 'AIPA',
        CreateDate: new Date('2026-01-01T00:00:00Z'),
        Roles: [
          { RoleName: 'CoreRole', Arn: `arn:aws:iam::${ACCOUNT}:role/CoreRole`, Path: '/', RoleId: 'AROA', CreateDate: new Date('2026-01-01T00:00:00Z') },
        ],
      },
    });
  }
}

/** Three instances: one ready, one with IMDS off and a too old agent, one with the Core profile (shadowed). */
function fleet(): void {
  const instances: Instance[] = [
    { InstanceId: 'i-ready', State: { Name: 'running' }, MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' } },
    { InstanceId: 'i-noimds', State: { Name: 'running' }, MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'optional' } },
    { InstanceId: 'i-shadow', State: { Name: 'running' }, MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'optional' } },
  ];
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
    IamInstanceProfileAssociations: [
      { InstanceId: 'i-shadow', State: 'associated', AssociationId: 'iip-assoc-1', IamInstanceProfile: { Arn: profileArn('Core') } },
    ],
  });
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: [
      { InstanceId: 'i-ready', PingStatus: 'Online', AgentVersion: '3.3.40.0' },
      { InstanceId: 'i-noimds', PingStatus: 'Online', AgentVersion: '3.2.500.0' },
    ],
  });
  ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
}

beforeEach(resetAws);

describe('dhmc status --check', () => {
  it('prints the role checks, the warnings with their fixes, and the fleet preview; warnings alone exit 0', async () => {
    setting('us-east-1', `service-role/${ROLE}`);
    fleet();
    iamWorld();
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1']);
    expect(r.code, r.stderr).toBe(0);
    const checks = r.stdout.slice(r.stdout.indexOf('us-east-1:'));
    expect(checks).toBe(
      [
        'us-east-1:',
        `  pass  role ${ROLE} trusts ssm.amazonaws.com`,
        `  pass  role ${ROLE} allows the agent's actions`,
        // DHMC needs IMDSv2 and SSM Agent 3.2.582.0 or later:
        // https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html
        '  warn  1 instance has IMDS disabled, and 1 instance has an agent older than 3.2.582.0: DHMC cannot reach them',
        '        fix: ssm-perms doctor --region us-east-1',
        '  warn  1 instance uses an instance profile that allows ssm:UpdateInstanceInformation, which takes precedence over DHMC',
        '  fleet: 3 instances, 2 managed; ready for DHMC 1, shadowed by a profile 1, IMDS disabled 1, IMDSv1 allowed 1, agent too old 1, agent unknown 1',
        '',
      ].join('\n'),
    );
  });

  it('--json adds checks and fleet to each region', async () => {
    setting('us-east-1', `service-role/${ROLE}`);
    fleet();
    iamWorld();
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const region = JSON.parse(r.stdout).regions[0];
    expect(region.enabled).toBe(true);
    expect(region.fleet).toEqual({
      instances: 3,
      managed: 2,
      readyForDhmc: 1,
      shadowedByProfile: 1,
      imdsDisabled: 1,
      imdsV1Allowed: 1,
      agentTooOld: 1,
      agentUnknown: 1,
    });
    expect(region.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual([
      'dhmc-role-trust:pass',
      'dhmc-role-policy:pass',
      'fleet:warn',
      'fleet-shadowed:warn',
    ]);
  });

  it('exits 6 when the DHMC role does not exist, naming dhmc enable as the fix', async () => {
    setting('us-east-1', `service-role/${ROLE}`);
    fleet();
    iamWorld({ dhmcRole: 'missing' });
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1']);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(`  FAIL  the DHMC role ${ROLE} does not exist\n        fix: ssm-perms dhmc enable --region us-east-1\n`);
  });

  it('DHMC off: the role is skipped with the enable command, exit 0', async () => {
    setting('us-east-1', '$None');
    fleet();
    iamWorld();
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).regions[0].checks[0]).toEqual({
      id: 'dhmc-setting',
      status: 'skip',
      message: 'DHMC is off: no role to check',
      fix: 'ssm-perms dhmc enable --region us-east-1',
    });
  });

  it('exits 4 with a warning when a profile could not be read (access denied), before any verdict', async () => {
    setting('us-east-1', `service-role/${ROLE}`);
    fleet();
    iamWorld({ profile: 'denied' });
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/us-east-1: could not read what a check needs \(AccessDenied: .*\); that check is "unknown"/);
  });

  it('exits 5 when the instances could not be read (not a denial), and skips the fleet', async () => {
    setting('us-east-1', `service-role/${ROLE}`);
    iamWorld();
    ec2.on(DescribeInstancesCommand).rejects(awsError('InternalError', 'boom', 500));
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1', '--json']);
    const region = JSON.parse(r.stdout).regions[0];
    expect(region.fleet).toBeNull();
    expect(region.checks.at(-1)).toEqual({ id: 'fleet', status: 'skip', message: 'instances could not be read: InternalError', fix: null });
    // No preview was made: the answer is partial, as for the other reads the checks need (exit 5).
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('us-east-1: could not read what a check needs (InternalError: ');
  });

  it('a setting that could not be read: exit 5, the role check skipped with the error code', async () => {
    ssm.on(GetServiceSettingCommand).rejects(awsError('InternalServerError', 'boom', 500));
    fleet();
    iamWorld();
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).regions[0].checks[0]).toEqual({
      id: 'dhmc-setting',
      status: 'skip',
      message: 'the setting could not be read: InternalServerError',
      fix: null,
    });
  });
  it('checks each region apart: one whose role is missing fails (exit 6) while one with DHMC off is only skipped', async () => {
    setting('us-east-1', 'service-role/GoneRole');
    setting('us-east-2', '$None');
    fleet();
    iamWorld();
    const r = await cli(['dhmc', 'status', '--check', '--region', 'us-east-1,us-east-2', '--json']);
    expect(r.code).toBe(6);
    const [east1, east2] = JSON.parse(r.stdout).regions;
    expect(east1.region).toBe('us-east-1');
    expect(east1.checks[0]).toMatchObject({ id: 'dhmc-role', status: 'fail', fix: 'ssm-perms dhmc enable --region us-east-1' });
    expect(east2.region).toBe('us-east-2');
    expect(east2.checks[0]).toEqual({
      id: 'dhmc-setting',
      status: 'skip',
      message: 'DHMC is off: no role to check',
      fix: 'ssm-perms dhmc enable --region us-east-2',
    });
  });
});
