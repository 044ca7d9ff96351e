// `dhmc status --check` as a service: the DHMC role checks and the fleet preview per region, from
// mocked EC2, SSM and IAM answers.
import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, type Instance } from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand, GetServiceSettingCommand, ListAssociationsCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, CORE_ARN, CORE_DOCUMENT, ec2, iam, iamEncoded, resetAws, roleAnswer, ssm } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { dhmcCheck } from '../../../src/services/dhmc/check.js';
import type { DhmcRegionStatus } from '../../../src/services/dhmc/setting.js';
import type { PolicyDocument } from '../../../src/policies/trust.js';

const scope = { partition: 'aws', account: ACCOUNT, iamRegion: 'us-east-1' };
const DHMC_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
const AGENT_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssm:ListInstanceAssociations',
  'ssm:GetDocument',
  'ssm:PutInventory',
  'ssmmessages:*',
  'ec2messages:*',
];

function settingArn(region: string): string {
  return `arn:aws:ssm:${region}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
}

/** The setting as `dhmc status` read it: on with service-role/ROLE, off, or unreadable. */
function setting(region: string, state: { role: string } | 'off' | { error: string }): DhmcRegionStatus {
  const base = {
    region,
    settingArn: settingArn(region),
    status: null,
    lastModifiedDate: null,
    lastModifiedUser: null,
  };
  if (state === 'off') return { ...base, enabled: false, settingValue: '$None', roleName: null, rolePath: null, error: null };
  if ('error' in state)
    return { ...base, enabled: false, settingValue: null, roleName: null, rolePath: null, error: { code: state.error, message: 'boom', hint: null } };
  return { ...base, enabled: true, settingValue: `service-role/${state.role}`, roleName: state.role, rolePath: '/service-role/', error: null };
}

interface RoleSpec {
  trust?: string;
  attached?: string[];
  inline?: Record<string, PolicyDocument>;
  /** GetRole fails with this code. */
  error?: string;
}

/** IAM as it answers for these profiles (name -> role name, or an error code) and roles (missing ones: NoSuchEntity). */
function iamWorld(profiles: Record<string, string | { error: string }>, roles: Record<string, RoleSpec>): void {
  iam.on(GetInstanceProfileCommand).callsFake((input: { InstanceProfileName: string }) => {
    const p = profiles[input.InstanceProfileName];
    if (p === undefined) throw awsError('NoSuchEntity', `Instance Profile ${input.InstanceProfileName} cannot be found.`, 404);
    if (typeof p !== 'string') throw awsError(p.error, 'not authorized to perform: iam:GetInstanceProfile', 403);
    return {
      InstanceProfile: {
        InstanceProfileName: input.InstanceProfileName,
        Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${input.InstanceProfileName}`,
        Path: '/',
        InstanceProfileId: 'AIPA',
        CreateDate: new Date('2026-01-01T00:00:00Z'),
        Roles: [{ RoleName: p, Arn: `arn:aws:iam::${ACCOUNT}:role/${p}`, Path: '/', RoleId: 'AROA', CreateDate: new Date('2026-01-01T00:00:00Z') }],
      },
    };
  });
  iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => {
    const r = roles[input.RoleName];
    if (!r) throw awsError('NoSuchEntity', `The role with name ${input.RoleName} cannot be found.`, 404);
    if (r.error) throw awsError(r.error, 'not authorized to perform: iam:GetRole', 403);
    return roleAnswer(input.RoleName, r.trust ?? 'ec2.amazonaws.com');
  });
  iam.on(ListAttachedRolePoliciesCommand).callsFake((input: { RoleName: string }) => ({
    AttachedPolicies: (roles[input.RoleName]?.attached ?? []).map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split('/').pop() })),
    IsTruncated: false,
  }));
  iam.on(ListRolePoliciesCommand).callsFake((input: { RoleName: string }) => ({
    PolicyNames: Object.keys(roles[input.RoleName]?.inline ?? {}),
    IsTruncated: false,
  }));
  iam.on(GetRolePolicyCommand).callsFake((input: { RoleName: string; PolicyName: string }) => ({
    RoleName: input.RoleName,
    PolicyName: input.PolicyName,
    PolicyDocument: iamEncoded(roles[input.RoleName]!.inline![input.PolicyName]!),
  }));
  // Both managed policies answer with the agent's actions (as AmazonSSMManagedInstanceCore grants them).
  for (const arn of [CORE_ARN, DHMC_POLICY_ARN]) {
    iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { Arn: arn, DefaultVersionId: 'v1' } });
    iam
      .on(GetPolicyVersionCommand, { PolicyArn: arn })
      .resolves({ PolicyVersion: { Document: iamEncoded(CORE_DOCUMENT), VersionId: 'v1', IsDefaultVersion: true } });
  }
}

interface Spec {
  id: string;
  endpoint?: 'enabled' | 'disabled';
  tokens?: 'optional' | 'required';
  profile?: string;
  /** DescribeInstanceInformation's answer for it; absent: not registered. */
  node?: { ping: 'Online' | 'ConnectionLost'; agent?: string };
}

/** The EC2 and SSM answers for these instances (the association carries the profile). */
function fleet(specs: Spec[]): void {
  const instances: Instance[] = specs.map((s) => ({
    InstanceId: s.id,
    State: { Name: 'running' },
    MetadataOptions: { HttpEndpoint: s.endpoint ?? 'enabled', HttpTokens: s.tokens ?? 'required' },
  }));
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: instances }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
    IamInstanceProfileAssociations: specs
      .filter((s) => s.profile)
      .map((s) => ({
        InstanceId: s.id,
        State: 'associated',
        AssociationId: `iip-assoc-${s.id}`,
        IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${s.profile}`, Id: 'AIPA' },
      })),
  });
  ssm.on(DescribeInstanceInformationCommand).resolves({
    InstanceInformationList: specs
      .filter((s) => s.node)
      .map((s) => ({ InstanceId: s.id, PingStatus: s.node!.ping, ...(s.node!.agent ? { AgentVersion: s.node!.agent } : {}) })),
  });
  ssm.on(ListAssociationsCommand).resolves({ Associations: [] });
}

/** A DHMC role that trusts ssm.amazonaws.com and carries AmazonSSMManagedEC2InstanceDefaultPolicy. */
const GOOD_DHMC_ROLE: RoleSpec = { trust: 'ssm.amazonaws.com', attached: [DHMC_POLICY_ARN] };
/** A profile role with AmazonSSMManagedInstanceCore: it registers the agent itself. */
const CORE_ROLE: RoleSpec = { attached: [CORE_ARN] };
/** A profile role for the application only: nothing for the agent. */
const APP_ROLE: RoleSpec = { inline: { app: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } };

beforeEach(resetAws);

describe('dhmcCheck fleet preview', () => {
  it('counts managed, ready, shadowed, IMDS disabled, IMDSv1 allowed, agent too old and unknown', async () => {
    fleet([
      // Ready: IMDSv2 required, no profile, the minimum agent exactly.
      { id: 'i-ready', node: { ping: 'Online', agent: '3.2.582.0' } },
      // Ready too, though IMDSv1 is allowed (DHMC needs IMDS, and uses v2); its profile's role does not register.
      { id: 'i-v1', tokens: 'optional', profile: 'App', node: { ping: 'Online', agent: '3.3.40.0' } },
      // Its profile's role allows ssm:UpdateInstanceInformation: that profile, not DHMC, serves it.
      { id: 'i-shadow', profile: 'Core', node: { ping: 'Online', agent: '3.3.40.0' } },
      // IMDS off (counted there, not as v1 allowed); registered but not Online.
      { id: 'i-noimds', endpoint: 'disabled', tokens: 'optional', node: { ping: 'ConnectionLost', agent: '3.3.40.0' } },
      // Older than 3.2.582.0 compared as numbers (3.2.1705.0 would pass; 3.2.581.9 does not).
      { id: 'i-old', node: { ping: 'Online', agent: '3.2.581.9' } },
      // Not registered: agent version unknown, still counted ready; its profile no longer exists.
      { id: 'i-unknown', profile: 'Gone' },
    ]);
    iamWorld({ App: 'AppRole', Core: 'CoreRole' }, { R: GOOD_DHMC_ROLE, AppRole: APP_ROLE, CoreRole: CORE_ROLE });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.fleet).toEqual({
      instances: 6,
      managed: 4,
      readyForDhmc: 3,
      shadowedByProfile: 1,
      imdsDisabled: 1,
      imdsV1Allowed: 1,
      agentTooOld: 1,
      agentUnknown: 1,
    });
    expect(r!.checks).toEqual([
      { id: 'dhmc-role-trust', status: 'pass', message: 'role R trusts ssm.amazonaws.com', fix: null },
      { id: 'dhmc-role-policy', status: 'pass', message: "role R allows the agent's actions", fix: null },
      {
        id: 'fleet',
        status: 'warn',
        // "SSM Agent version 3.2.582.0 or later" and IMDSv2 - Default Host Management Configuration,
        // https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html
        message: '1 instance has IMDS disabled, and 1 instance has an agent older than 3.2.582.0: DHMC cannot reach them',
        fix: 'ssm-perms doctor --region us-east-1',
      },
      {
        id: 'fleet-shadowed',
        status: 'warn',
        // Same page: an instance profile that allows ssm:UpdateInstanceInformation takes precedence over DHMC.
        message: '1 instance uses an instance profile that allows ssm:UpdateInstanceInformation, which takes precedence over DHMC',
        fix: null,
      },
    ]);
    expect(r!.readErrors).toEqual([]);
  });

  it('the newer agent 3.2.1705.0 is recent enough (numbers, not text)', async () => {
    fleet([{ id: 'i-a', node: { ping: 'Online', agent: '3.2.1705.0' } }]);
    iamWorld({}, { R: GOOD_DHMC_ROLE });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.fleet).toMatchObject({ readyForDhmc: 1, agentTooOld: 0, agentUnknown: 0, managed: 1 });
  });

  it('a fleet with nothing to warn about gets no fleet warnings', async () => {
    fleet([{ id: 'i-a', profile: 'App', node: { ping: 'Online', agent: '3.3.40.0' } }]);
    iamWorld({ App: 'AppRole' }, { R: GOOD_DHMC_ROLE, AppRole: APP_ROLE });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.fleet).toEqual({
      instances: 1,
      managed: 1,
      readyForDhmc: 1,
      shadowedByProfile: 0,
      imdsDisabled: 0,
      imdsV1Allowed: 0,
      agentTooOld: 0,
      agentUnknown: 0,
    });
    expect(r!.checks.map((c) => c.id)).toEqual(['dhmc-role-trust', 'dhmc-role-policy']);
  });

  it('an agent too old alone raises the fleet warning', async () => {
    fleet([{ id: 'i-old', node: { ping: 'Online', agent: '3.1.1004.0' } }]);
    iamWorld({}, { R: GOOD_DHMC_ROLE });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.checks.at(-1)).toEqual({
      id: 'fleet',
      status: 'warn',
      message: '1 instance has an agent older than 3.2.582.0: DHMC cannot reach it',
      fix: 'ssm-perms doctor --region us-east-1',
    });
  });

  it('a profile role scoped with ec2:SourceInstanceARN still shadows DHMC (instance profile credentials carry the instance ARN)', async () => {
    // ec2:SourceInstanceARN: "the ARN of the instance from which the request originated" - Service
    // Authorization Reference for Amazon EC2; DHMC credentials come from Systems Manager instead.
    const scoped: RoleSpec = {
      inline: {
        agent: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: AGENT_ACTIONS,
              Resource: '*',
              Condition: { ArnLike: { 'ec2:SourceInstanceARN': `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*` } },
            },
          ],
        },
      },
    };
    fleet([{ id: 'i-a', profile: 'Scoped', node: { ping: 'Online', agent: '3.3.40.0' } }]);
    iamWorld({ Scoped: 'ScopedRole' }, { R: GOOD_DHMC_ROLE, ScopedRole: scoped });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.fleet).toMatchObject({ shadowedByProfile: 1, readyForDhmc: 0 });
  });

  it('reads the fleet of every region given, with the settings given (not read again), and every instance', async () => {
    fleet([{ id: 'i-a', node: { ping: 'Online', agent: '3.3.40.0' } }]);
    iamWorld({}, { R: GOOD_DHMC_ROLE });
    const out = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' }), setting('us-east-2', 'off')]);
    expect(out.map((r) => r.region)).toEqual(['us-east-1', 'us-east-2']);
    expect(ssm).not.toHaveReceivedCommand(GetServiceSettingCommand);
    // The whole fleet: only the live states, no instance ids, no tags.
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }],
    });
    for (const c of ec2.commandCalls(DescribeInstancesCommand)) expect(c.args[0].input.Filters).toHaveLength(1);
  });
});

describe('dhmcCheck role checks and skips', () => {
  it('skips the role when DHMC is off, naming the command that turns it on', async () => {
    fleet([{ id: 'i-a', node: { ping: 'Online', agent: '3.3.40.0' } }]);
    iamWorld({}, {});
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-2', 'off')]);
    expect(r!.checks).toEqual([
      { id: 'dhmc-setting', status: 'skip', message: 'DHMC is off: no role to check', fix: 'ssm-perms dhmc enable --region us-east-2' },
    ]);
    expect(r!.fleet).toMatchObject({ instances: 1, readyForDhmc: 1 });
    expect(iam).not.toHaveReceivedCommand(GetRoleCommand);
  });

  it('skips the role when the setting could not be read, naming its error', async () => {
    fleet([]);
    iamWorld({}, {});
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { error: 'InternalServerError' })]);
    expect(r!.checks).toEqual([{ id: 'dhmc-setting', status: 'skip', message: 'the setting could not be read: InternalServerError', fix: null }]);
    expect(r!.fleet).toMatchObject({ instances: 0 });
  });

  it('fails a DHMC role that does not exist, with the enable command as fix', async () => {
    fleet([]);
    iamWorld({}, {});
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'Missing' })]);
    expect(r!.checks).toEqual([
      { id: 'dhmc-role', status: 'fail', message: 'the DHMC role Missing does not exist', fix: 'ssm-perms dhmc enable --region us-east-1' },
    ]);
    expect(r!.readErrors).toEqual([]);
  });

  it('a DHMC role that could not be read is unknown, and its error is a read error', async () => {
    fleet([]);
    iamWorld({}, { R: { error: 'AccessDenied' } });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.checks).toHaveLength(1);
    expect(r!.checks[0]).toMatchObject({ id: 'dhmc-role', status: 'unknown' });
    expect(r!.checks[0]!.message).toMatch(/^could not read the DHMC role R: AccessDenied /);
    expect(r!.readErrors.map((e) => e.code)).toEqual(['AccessDenied']);
  });

  it('fails a DHMC role that does not trust ssm.amazonaws.com and lacks the agent actions', async () => {
    fleet([]);
    iamWorld({}, { R: { trust: 'ec2.amazonaws.com' } });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.checks.map((c) => [c.id, c.status])).toEqual([
      ['dhmc-role-trust', 'fail'],
      ['dhmc-role-policy', 'fail'],
    ]);
  });

  it('judges the role for the region and account it serves (aws:RequestedRegion, aws:PrincipalAccount)', async () => {
    const inRegion: RoleSpec = {
      trust: 'ssm.amazonaws.com',
      inline: {
        agent: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: AGENT_ACTIONS,
              Resource: '*',
              Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalAccount': ACCOUNT } },
            },
          ],
        },
      },
    };
    fleet([]);
    iamWorld({}, { R: inRegion });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.checks[1]).toEqual({
      id: 'dhmc-role-policy',
      status: 'pass',
      message: "role R allows the agent's actions (through custom policies)",
      fix: null,
    });
  });

  it('skips the fleet when the instances could not be read: no preview, no fleet warning', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403));
    iamWorld({}, { R: GOOD_DHMC_ROLE });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.fleet).toBeNull();
    expect(r!.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'skip']);
    expect(r!.checks[2]).toEqual({ id: 'fleet', status: 'skip', message: 'instances could not be read: UnauthorizedOperation', fix: null });
    expect(r!.readErrors.map((e) => e.code)).toEqual(['UnauthorizedOperation']);
  });
});

describe('dhmcCheck readErrors', () => {
  it('lists partial fleet reads, and each unreadable profile or profile role once', async () => {
    fleet([
      { id: 'i-a', profile: 'Locked', node: { ping: 'Online', agent: '3.3.40.0' } },
      { id: 'i-b', profile: 'Locked', node: { ping: 'Online', agent: '3.3.40.0' } },
      { id: 'i-c', profile: 'Hidden', node: { ping: 'Online', agent: '3.3.40.0' } },
      { id: 'i-d', profile: 'Hidden2', node: { ping: 'Online', agent: '3.3.40.0' } },
      { id: 'i-e' },
    ]);
    ssm.on(DescribeInstanceInformationCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ssm:DescribeInstanceInformation'));
    iamWorld({ Locked: { error: 'AccessDenied' }, Hidden: 'HiddenRole', Hidden2: 'HiddenRole' }, { R: GOOD_DHMC_ROLE, HiddenRole: { error: 'AccessDenied' } });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.readErrors.map((e) => e.code)).toEqual(['AccessDeniedException', 'AccessDenied', 'AccessDenied']);
    expect(r!.readErrors[0]!.message).toContain('DescribeInstanceInformation');
    expect(r!.readErrors[1]!.message).toContain('GetInstanceProfile');
    expect(r!.readErrors[2]!.message).toContain('GetRole');
    // Without the managed nodes nothing is known to be managed, and no agent version is known.
    expect(r!.fleet).toMatchObject({ instances: 5, managed: 0, agentUnknown: 5, shadowedByProfile: 0 });
  });

  it('the DHMC role read error is listed once even when a profile holds the same role', async () => {
    fleet([{ id: 'i-a', profile: 'P', node: { ping: 'Online', agent: '3.3.40.0' } }]);
    iamWorld({ P: 'R' }, { R: { error: 'AccessDenied' } });
    const [r] = await dhmcCheck(testEnv(), scope, [setting('us-east-1', { role: 'R' })]);
    expect(r!.readErrors.map((e) => e.code)).toEqual(['AccessDenied']);
  });
});
