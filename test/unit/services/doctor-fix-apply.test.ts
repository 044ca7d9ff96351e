// doctor --fix, applying: the prepared fixes (the services of profile create / attach, dhmc enable,
// endpoints create, and the direct EC2 and SSM calls) against mocked AWS - a dry run writes nothing,
// the order is IAM before what uses it, a failed fix fails alone and named, its dependants are not attempted.
import {
  AuthorizeSecurityGroupEgressCommand,
  ModifyInstanceMetadataOptionsCommand,
  AssociateIamInstanceProfileCommand,
  DescribeInstancesCommand,
  DescribeIamInstanceProfileAssociationsCommand,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, SendCommandCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, CORE_ARN, ec2, iam, roleAnswer, ssm } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv, type TestEnv } from '../../helpers/service-env.js';
import { PROFILE_CREATE_CALLS } from '../../helpers/doctor-fix.js';
import { applyFixes, fixPlanResult, prepareFixes } from '../../../src/services/doctor/fix-apply.js';
import { fixGroup, type FixGroup, type FixPlan } from '../../../src/services/doctor/fix-plan.js';

const SCOPE = { partition: 'aws', account: ACCOUNT, iamRegion: 'us-east-1' };
const id = (n: number) => `i-${String(n).padStart(17, '0')}`;

const group = (over: Partial<FixGroup> & Pick<FixGroup, 'id' | 'kind' | 'target'>): FixGroup =>
  fixGroup({ region: 'us-east-1', summary: over.id, instanceIds: [id(1)], ...over });
const plan = (groups: FixGroup[]): FixPlan => ({
  options: { strategy: 'profile', profileName: 'SSMInstanceProfile', requireImdsv2: false, updateAgent: false },
  groups,
  leftForYou: [],
  notes: [],
});

const IMDS = group({ id: 'imds:us-east-1:enable', kind: 'imds', target: 'us-east-1', imds: 'enable', instanceIds: [id(1), id(2)] });
const EGRESS = group({ id: 'egress-443:us-east-1:sg-1', kind: 'egress-443', target: 'sg-1' });
const CREATE = group({ id: 'profile-create:SSMInstanceProfile', kind: 'profile-create', region: null, target: 'SSMInstanceProfile' });
const ATTACH = group({
  id: 'profile-attach:us-east-1:SSMInstanceProfile',
  kind: 'profile-attach',
  target: 'SSMInstanceProfile',
  dependsOn: ['profile-create:SSMInstanceProfile'],
});
const ROLE_POLICY = group({
  id: 'role-policy:Weak:AmazonSSMManagedInstanceCore',
  kind: 'role-policy',
  region: null,
  target: 'Weak',
  policy: 'AmazonSSMManagedInstanceCore',
});

let env: TestEnv;
beforeEach(() => {
  ec2.reset();
  iam.reset();
  ssm.reset();
  env = testEnv();
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found'));
  iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'not found'));
});

/** Every write sent to the mocked clients, in the order sent (sinon numbers calls across spies). */
const writes = () =>
  [...iam.calls().map((c) => ['iam', c] as const), ...ec2.calls().map((c) => ['ec2', c] as const), ...ssm.calls().map((c) => ['ssm', c] as const)]
    .sort((a, b) => (a[1].calledBefore(b[1]) ? -1 : 1))
    .map(([service, c]) => `${service}:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`)
    .filter((op) => !/:(Describe|Get|List)/.test(op));

describe('doctor --fix apply', () => {
  it('the dry run reads and plans every fix, and writes nothing', async () => {
    iam.on(GetRoleCommand, { RoleName: 'Weak' }).resolves(roleAnswer('Weak', 'ec2.amazonaws.com'));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    const p = await prepareFixes(env, SCOPE, plan([ROLE_POLICY, CREATE, ATTACH, IMDS, EGRESS]));
    const r = fixPlanResult(p);
    expect(writes()).toEqual([]);
    expect(r.dryRun).toBe(true);
    expect(r.fixes.map((f) => [f.id, f.status])).toEqual([
      [ROLE_POLICY.id, 'planned'],
      [CREATE.id, 'planned'],
      [ATTACH.id, 'planned'],
      [IMDS.id, 'planned'],
      [EGRESS.id, 'planned'],
    ]);
    expect(r.changes.map((c) => c.operation)).toEqual([
      'iam:AttachRolePolicy',
      ...PROFILE_CREATE_CALLS,
      'ec2:AssociateIamInstanceProfile',
      'ec2:ModifyInstanceMetadataOptions',
      'ec2:ModifyInstanceMetadataOptions',
      'ec2:AuthorizeSecurityGroupEgress',
    ]);
    expect(r.changes.every((c) => c.status === 'planned')).toBe(true);
  });

  it('a role that already has the policy plans nothing (unchanged): a second run has nothing to do', async () => {
    iam.on(GetRoleCommand, { RoleName: 'Weak' }).resolves(roleAnswer('Weak', 'ec2.amazonaws.com'));
    iam
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: CORE_ARN, PolicyName: 'AmazonSSMManagedInstanceCore' }], IsTruncated: false });
    const r = await applyFixes(env, await prepareFixes(env, SCOPE, plan([ROLE_POLICY])));
    expect(r.fixes.map((f) => f.status)).toEqual(['unchanged']);
    expect(r.changes).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('applies IAM first; a failed profile fails alone, named; its attachment is not attempted; the other fixes are applied', async () => {
    iam.on(CreateRoleCommand).rejects(awsError('AccessDenied', 'User: x is not authorized to perform: iam:CreateRole on resource: SSMInstanceProfile'));
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves({});
    ec2.on(AuthorizeSecurityGroupEgressCommand).resolves({ Return: true });
    const r = await applyFixes(env, await prepareFixes(env, SCOPE, plan([CREATE, ATTACH, IMDS, EGRESS])));
    expect(r.fixes.map((f) => [f.id, f.status, f.error?.code ?? null])).toEqual([
      [CREATE.id, 'failed', 'AccessDenied'],
      [ATTACH.id, 'failed', 'NotAttempted'],
      [IMDS.id, 'applied', null],
      [EGRESS.id, 'applied', null],
    ]);
    expect(r.fixes[1]!.error!.message).toContain('not attempted because profile-create:SSMInstanceProfile failed (AccessDenied)');
    expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifyInstanceMetadataOptionsCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: id(1), HttpEndpoint: 'enabled', HttpTokens: 'required' },
      { InstanceId: id(2), HttpEndpoint: 'enabled', HttpTokens: 'required' },
    ]);
    expect(ec2.commandCalls(AuthorizeSecurityGroupEgressCommand)[0]!.args[0].input).toMatchObject({
      GroupId: 'sg-1',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    // IAM's write came before any EC2 write.
    expect(writes().indexOf('iam:CreateRole')).toBeLessThan(writes().indexOf('ec2:ModifyInstanceMetadataOptions'));
  });

  it('once the profile is made, profile attach associates it with the instances', async () => {
    iam.on(CreateRoleCommand).resolves({});
    iam.on(AttachRolePolicyCommand).resolves({});
    const prepared = await prepareFixes(env, SCOPE, plan([CREATE, ATTACH]));
    // The profile exists once created: later reads find it with its role.
    const profile = {
      InstanceProfileName: 'SSMInstanceProfile',
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/SSMInstanceProfile`,
      Path: '/',
      InstanceProfileId: 'AIPA',
      CreateDate: new Date(),
      Roles: [{ RoleName: 'SSMInstanceProfile', Arn: `arn:aws:iam::${ACCOUNT}:role/SSMInstanceProfile`, Path: '/', RoleId: 'AROA', CreateDate: new Date() }],
    };
    iam.on(GetInstanceProfileCommand).resolves({ InstanceProfile: profile });
    iam.on(GetRoleCommand).resolves(roleAnswer('SSMInstanceProfile', 'ec2.amazonaws.com'));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: id(1), State: { Name: 'running' } }] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'a1', State: 'associating' } });
    const r = await applyFixes(env, prepared);
    expect(r.fixes.map((f) => [f.id, f.status])).toEqual([
      [CREATE.id, 'applied'],
      [ATTACH.id, 'applied'],
    ]);
    expect(ec2.commandCalls(AssociateIamInstanceProfileCommand)[0]!.args[0].input).toEqual({
      InstanceId: id(1),
      IamInstanceProfile: { Arn: profile.Arn },
    });
  });

  it('a read that fails while planning fails that fix alone, with its error', async () => {
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves({});
    const r = await applyFixes(env, await prepareFixes(env, SCOPE, plan([ROLE_POLICY, IMDS])));
    expect(r.fixes.map((f) => [f.id, f.status, f.error?.code ?? null])).toEqual([
      [ROLE_POLICY.id, 'failed', 'RoleNotFound'],
      [IMDS.id, 'applied', null],
    ]);
  });

  it('the dry run says what the real run would do: a fix whose prerequisite cannot be planned would not be attempted', async () => {
    // The profile exists and holds another role: profile create refuses it, so nothing would be attached.
    iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: 'SSMInstanceProfile',
        InstanceProfileId: 'AIPA',
        Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/SSMInstanceProfile`,
        Path: '/',
        CreateDate: new Date(),
        Roles: [{ ...roleAnswer('Other', 'ec2.amazonaws.com').Role!, RoleName: 'Other' }],
      },
    });
    // And what waits on the attachment (a fix depending on it) would not be attempted either.
    const after = { ...IMDS, id: 'imds:us-east-1:after-attach', dependsOn: [ATTACH.id] };
    const r = fixPlanResult(await prepareFixes(env, SCOPE, plan([CREATE, ATTACH, IMDS, after])));
    expect(r.fixes.map((f) => [f.id, f.status, f.error?.code ?? null])).toEqual([
      [CREATE.id, 'failed', 'InstanceProfileHoldsAnotherRole'],
      [ATTACH.id, 'failed', 'NotAttempted'],
      [IMDS.id, 'planned', null],
      [after.id, 'failed', 'NotAttempted'],
    ]);
    expect(r.fixes[1]!.error!.message).toMatch(/^would not be attempted because .* could not be planned \(InstanceProfileHoldsAnotherRole\)/);
    expect(r.changes.map((c) => [c.operation, c.status])).toEqual([
      ['ec2:AssociateIamInstanceProfile', 'failed'],
      ['ec2:ModifyInstanceMetadataOptions', 'planned'],
      ['ec2:ModifyInstanceMetadataOptions', 'planned'],
      ['ec2:ModifyInstanceMetadataOptions', 'failed'],
      ['ec2:ModifyInstanceMetadataOptions', 'failed'],
    ]);
    expect(writes()).toEqual([]);
  });

  it('one instance refused fails its own change only', async () => {
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves({});
    ec2.on(ModifyInstanceMetadataOptionsCommand, { InstanceId: id(2) }).rejects(awsError('IncorrectInstanceState', 'terminated'));
    const r = await applyFixes(env, await prepareFixes(env, SCOPE, plan([IMDS])));
    expect(r.changes.map((c) => [c.resource.split('/').pop(), c.status])).toEqual([
      [id(1), 'applied'],
      [id(2), 'failed'],
    ]);
    expect(r.fixes[0]).toMatchObject({ status: 'failed', error: { code: 'IncorrectInstanceState' } });
    expect(r.regions).toEqual([{ region: 'us-east-1', ok: false, error: expect.objectContaining({ code: 'IncorrectInstanceState' }) }]);
  });

  it('--strategy dhmc: the DHMC role created once, then the setting of every region it serves, as dhmc enable does', async () => {
    const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: DHMC_POLICY, DefaultVersionId: 'v1' } });
    iam.on(CreateRoleCommand).resolves({});
    iam.on(AttachRolePolicyCommand).resolves({});
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const role = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
    const dhmc = group({ id: `dhmc-enable:${role}`, kind: 'dhmc-enable', region: null, target: role, regions: ['us-east-1', 'eu-west-1'] });
    const r = await applyFixes(env, await prepareFixes(env, SCOPE, plan([dhmc])));
    expect(r.fixes.map((f) => f.status)).toEqual(['applied']);
    expect(writes()).toEqual(['iam:CreateRole', 'iam:AttachRolePolicy', 'ssm:UpdateServiceSetting', 'ssm:UpdateServiceSetting']);
    expect(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input).toMatchObject({ RoleName: role, Path: '/service-role/' });
    expect(ssm.commandCalls(UpdateServiceSettingCommand).map((c) => c.args[0].input.SettingValue)).toEqual([`service-role/${role}`, `service-role/${role}`]);
  });

  it('--update-agent: AWS-UpdateSSMAgent through SendCommand, at most 50 instances a call', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'c1' } });
    const ids = Array.from({ length: 51 }, (_, n) => id(n + 1));
    const r = await applyFixes(
      env,
      await prepareFixes(env, SCOPE, plan([group({ id: 'update-agent:us-east-1', kind: 'update-agent', target: 'us-east-1', instanceIds: ids })])),
    );
    const sent = ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input);
    expect(sent.map((s) => [s.DocumentName, s.InstanceIds!.length])).toEqual([
      ['AWS-UpdateSSMAgent', 50],
      ['AWS-UpdateSSMAgent', 1],
    ]);
    expect(sent.flatMap((s) => s.InstanceIds)).toEqual(ids);
    expect(r.fixes[0]!.status).toBe('applied');
  });
});
