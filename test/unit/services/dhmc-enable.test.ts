import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ssm, iam } from '../../helpers/aws-mocks.js';
import { applyDhmcEnable, enablePlanResult, isRolePropagationError, planDhmcEnable, type EnableRequest } from '../../../src/services/dhmc/enable.js';
import { PreconditionError } from '../../../src/services/errors.js';
import { serviceTrustPolicy } from '../../../src/policies/trust.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';

const ACCOUNT = '111122223333';
const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
const settingArn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;

function request(over: Partial<EnableRequest> = {}): EnableRequest {
  return {
    scope: { partition: 'aws', account: ACCOUNT },
    regions: ['us-east-1', 'us-east-2'],
    iamRegion: 'us-east-1',
    roleName: ROLE,
    rolePath: '/service-role/',
    rolePathGiven: false,
    createRole: true,
    extraPolicyArns: [],
    isDefaultRole: true,
    ...over,
  };
}

function settingIs(region: string, value: string, status: string) {
  ssm.on(GetServiceSettingCommand, { SettingId: settingArn(region) }).resolves({
    ServiceSetting: { SettingId: '/ssm/managed-instance/default-ec2-instance-management-role', SettingValue: value, Status: status, ARN: settingArn(region) },
  });
}

function roleExists(name: string, path: string, trustService: string, attached: string[]) {
  iam.on(GetRoleCommand, { RoleName: name }).resolves({
    Role: {
      RoleName: name,
      Path: path,
      Arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
      RoleId: 'AROAEXAMPLE',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(serviceTrustPolicy(trustService))),
    },
  });
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: name }).resolves({
    AttachedPolicies: attached.map((a) => ({ PolicyArn: a, PolicyName: a.split('/').pop() })),
    IsTruncated: false,
  });
}

beforeEach(() => {
  iam.reset();
  ssm.reset();
});

/** The names of the IAM and SSM operations sent that are not reads (Get, List, Describe). */
const writesSent = () => [...iam.calls(), ...ssm.calls()].map((c) => (c.args[0] as object).constructor.name).filter((n) => !/^(Get|List|Describe)/.test(n));

/** The trust the guide asks of the DHMC role (Systems Manager as the trusted entity), written out rather than built by the code under test. */
const SSM_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

describe('planDhmcEnable', () => {
  it('plans role creation, the DHMC policy and each region when nothing exists', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found', 404));
    settingIs('us-east-1', '$None', 'Default');
    settingIs('us-east-2', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request());
    const r = enablePlanResult(plan);
    expect(r.dryRun).toBe(true);
    expect(r.changes.map((c) => [c.region, c.operation, c.status])).toEqual([
      [null, 'iam:CreateRole', 'planned'],
      [null, 'iam:AttachRolePolicy', 'planned'],
      ['us-east-1', 'ssm:UpdateServiceSetting', 'planned'],
      ['us-east-2', 'ssm:UpdateServiceSetting', 'planned'],
    ]);
    expect(r.changes[1]!.details.policyArn).toBe(DHMC_POLICY);
    expect(r.changes[2]!.details.settingValue).toBe(VALUE);
    // Planning reads only.
    expect(writesSent()).toEqual([]);
  });

  it('plans nothing when the role and every region are already as asked', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', VALUE, 'Customized');
    settingIs('us-east-2', VALUE, 'Customized');
    const plan = await planDhmcEnable(testEnv(), request());
    expect(enablePlanResult(plan).changes).toEqual([]);
    expect(plan.overwrites).toEqual([]);
  });

  it("takes the role name in another case for the same role: rewritten to IAM's spelling, with no consent; a path in another case is another role", async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', `service-role/${ROLE.toLowerCase()}`, 'Customized');
    settingIs('us-east-2', `SERVICE-ROLE/${ROLE}`, 'Customized');
    settingIs('us-west-2', VALUE, 'Customized');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1', 'us-east-2', 'us-west-2'] }));
    expect(plan.settingValue).toBe(VALUE);
    expect(plan.regionChanges.map((c) => [c.region, c.details])).toEqual([
      ['us-east-1', { settingValue: VALUE, previousValue: `service-role/${ROLE.toLowerCase()}` }],
      ['us-east-2', { settingValue: VALUE, previousValue: `SERVICE-ROLE/${ROLE}` }],
    ]);
    expect(plan.overwrites).toEqual([{ region: 'us-east-2', from: `SERVICE-ROLE/${ROLE}`, to: VALUE }]);
  });

  it('still counts a role whose name differs by more than case as another role', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', `${VALUE.toLowerCase()}2`, 'Customized');
    settingIs('us-east-2', VALUE, 'Customized');
    const plan = await planDhmcEnable(testEnv(), request());
    expect(plan.overwrites).toEqual([{ region: 'us-east-1', from: `${VALUE.toLowerCase()}2`, to: VALUE }]);
  });

  it('refuses an existing role that does not trust ssm.amazonaws.com (exit 6) while planning: nothing but reads sent, no region read', async () => {
    roleExists('Custom', '/', 'ec2.amazonaws.com', []);
    const err = await planDhmcEnable(testEnv(), request({ roleName: 'Custom', isDefaultRole: false })).catch((e) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    expect(err.exitCode).toBe(6);
    expect(err.message).toContain('does not trust ssm.amazonaws.com');
    expect(err.hint).toContain('update-assume-role-policy');
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: 'Custom' });
    expect(writesSent()).toEqual([]);
    expect(ssm.calls()).toHaveLength(0);
  });

  it('fails with exit 6 when the role is missing and creation is off', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const err = await planDhmcEnable(testEnv(), request({ createRole: false })).catch((e) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    expect(err.code).toBe('RoleNotFound');
  });

  it('records a region pointing at another role as an overwrite', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', 'OtherRole', 'Customized');
    settingIs('us-east-2', VALUE, 'Customized');
    const plan = await planDhmcEnable(testEnv(), request());
    expect(plan.overwrites).toEqual([{ region: 'us-east-1', from: 'OtherRole', to: VALUE }]);
    expect(plan.regionChanges.map((c) => c.region)).toEqual(['us-east-1']);
    expect(plan.regionChanges[0]!.details.previousValue).toBe('OtherRole');
  });

  it('counts a region whose value names another role as an overwrite even when Status says Default', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', 'OtherRole', 'Default');
    settingIs('us-east-2', VALUE, 'Default');
    const plan = await planDhmcEnable(testEnv(), request());
    expect(plan.overwrites).toEqual([{ region: 'us-east-1', from: 'OtherRole', to: VALUE }]);
    expect(plan.regionChanges.map((c) => c.region)).toEqual(['us-east-1']);
  });

  it('uses the path of an existing role in the setting value, warning when --role-path said otherwise', async () => {
    roleExists('MyDhmc', '/', 'ssm.amazonaws.com', ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(
      testEnv(),
      request({ regions: ['us-east-1'], roleName: 'MyDhmc', rolePath: '/custom/', rolePathGiven: true, isDefaultRole: false }),
    );
    expect(plan.settingValue).toBe('MyDhmc');
    expect(plan.warnings.join()).toContain('exists at path /');
  });

  it('warns when a custom role lacks the agent permissions, naming the missing actions', async () => {
    const custom = 'arn:aws:iam::111122223333:policy/Narrow';
    roleExists('MyDhmc', '/', 'ssm.amazonaws.com', [custom]);
    iam.on(GetPolicyCommand, { PolicyArn: custom }).resolves({ Policy: { Arn: custom, DefaultVersionId: 'v1' } });
    iam.on(GetPolicyVersionCommand).resolves({
      PolicyVersion: {
        Document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }] })),
      },
    });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain('ssmmessages:CreateControlChannel');
    expect(plan.warnings[0]).not.toContain('ssm:UpdateInstanceInformation');
    expect(plan.iamChanges).toEqual([]);
  });

  it('judges a custom role per region as IAM would: a region guard warns only for the regions it leaves out', async () => {
    const custom = 'arn:aws:iam::111122223333:policy/EastOnly';
    roleExists('MyDhmc', '/', 'ssm.amazonaws.com', [custom]);
    iam.on(GetPolicyCommand, { PolicyArn: custom }).resolves({ Policy: { Arn: custom, DefaultVersionId: 'v1' } });
    const guarded = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
        },
      ],
    };
    iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(guarded)) } });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    settingIs('us-east-1', '$None', 'Default');
    settingIs('us-east-2', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1', 'us-east-2'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toEqual([expect.stringMatching(/^us-east-2: role MyDhmc .* do not allow ssm:UpdateInstanceInformation/)]);
  });

  it('completes the default role when its policy was detached, and attaches extra policies once', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
    settingIs('us-east-1', VALUE, 'Customized');
    const plan = await planDhmcEnable(
      testEnv(),
      request({ regions: ['us-east-1'], extraPolicyArns: ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws:iam::111122223333:policy/S3'] }),
    );
    expect(plan.iamChanges.map((c) => c.details.policyArn)).toEqual([DHMC_POLICY, 'arn:aws:iam::111122223333:policy/S3']);
  });

  it('refuses a --policy-arn that does not exist (exit 6) while planning, before any write', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::111122223333:policy/Missing' }).rejects(awsError('NoSuchEntity', 'not found', 404));
    settingIs('us-east-1', '$None', 'Default');
    const err = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], extraPolicyArns: ['arn:aws:iam::111122223333:policy/Missing'] })).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ code: 'PolicyNotFound', exitCode: 6 });
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::111122223333:policy/Missing' });
    expect(writesSent()).toEqual([]);
  });

  it('reports a region whose setting cannot be read, and still plans the others', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', '$None', 'Default');
    ssm
      .on(GetServiceSettingCommand, { SettingId: settingArn('us-east-2') })
      .rejects(awsError('AccessDeniedException', 'User: x is not authorized to perform: ssm:GetServiceSetting on resource: y'));
    const plan = await planDhmcEnable(testEnv(), request());
    expect(plan.regionChanges.map((c) => c.region)).toEqual(['us-east-1']);
    expect(plan.regionErrors.get('us-east-2')!.code).toBe('AccessDeniedException');
    const r = enablePlanResult(plan);
    expect(r.regions).toEqual([
      { region: 'us-east-1', ok: true, error: null },
      { region: 'us-east-2', ok: false, error: expect.objectContaining({ code: 'AccessDeniedException' }) },
    ]);
  });
});

describe('partitions', () => {
  it('builds every ARN in the partition of the regions (aws-cn)', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const cnArn = `arn:aws-cn:ssm:cn-north-1:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
    ssm.on(GetServiceSettingCommand, { SettingId: cnArn }).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default', ARN: cnArn } });
    const plan = await planDhmcEnable(
      testEnv(),
      request({ scope: { partition: 'aws-cn', account: ACCOUNT }, regions: ['cn-north-1'], iamRegion: 'cn-north-1' }),
    );
    expect(plan.roleArn).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/service-role/${ROLE}`);
    expect(plan.iamChanges[1]!.details.policyArn).toBe('arn:aws-cn:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy');
    expect(plan.regionChanges[0]!.resource).toBe(cnArn);
  });
});

describe('applyDhmcEnable', () => {
  it('creates the role with path and trust, attaches the policy, then sets each region', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(CreateRoleCommand).resolves({});
    iam.on(AttachRolePolicyCommand).resolves({});
    settingIs('us-east-1', '$None', 'Default');
    settingIs('us-east-2', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request()));
    expect(r.changes.every((c) => c.status === 'applied')).toBe(true);
    expect(iam).toHaveReceivedCommandTimes(CreateRoleCommand, 1);
    const createInput = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(createInput.Path).toBe('/service-role/');
    expect(JSON.parse(createInput.AssumeRolePolicyDocument!)).toEqual(SSM_TRUST);
    expect(createInput.Description).toBe('Default Host Management Configuration role for Systems Manager (created by ssm-perms)');
    expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, { RoleName: ROLE, PolicyArn: DHMC_POLICY });
    expect(ssm).toHaveReceivedCommandWith(UpdateServiceSettingCommand, { SettingId: settingArn('us-east-1'), SettingValue: VALUE });
    expect(ssm).toHaveReceivedCommandWith(UpdateServiceSettingCommand, { SettingId: settingArn('us-east-2'), SettingValue: VALUE });
    // IAM before SSM writes: the role must exist before a setting can name it.
    const create = iam.commandCalls(CreateRoleCommand)[0]!;
    const attach = iam.commandCalls(AttachRolePolicyCommand)[0]!;
    expect(create.calledBefore(attach)).toBe(true);
    for (const update of ssm.commandCalls(UpdateServiceSettingCommand)) expect(attach.calledBefore(update)).toBe(true);
  });

  it('retries a region while IAM propagates a new role, with backoff and progress, then succeeds', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(CreateRoleCommand).resolves({});
    iam.on(AttachRolePolicyCommand).resolves({});
    settingIs('us-east-1', '$None', 'Default');
    ssm
      .on(UpdateServiceSettingCommand)
      .rejectsOnce(awsError('ValidationException', `The role ${VALUE} does not exist`))
      .rejectsOnce(awsError('ValidationException', `The role ${VALUE} does not exist`))
      .resolves({});
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-1'] })));
    expect(r.changes.at(-1)!.status).toBe('applied');
    expect(ssm).toHaveReceivedCommandTimes(UpdateServiceSettingCommand, 3);
    expect(env.clock.waits).toEqual([1000, 2000]);
    expect(env.events.filter((e) => e.kind === 'waiting')).toHaveLength(2);
    expect(env.events[0]!.message).toContain('us-east-1');
  });

  it('gives up after the propagation bound and says to rerun', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(CreateRoleCommand).resolves({});
    iam.on(AttachRolePolicyCommand).resolves({});
    settingIs('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).rejects(awsError('ValidationException', `The role ${VALUE} does not exist`));
    const env = testEnv({ propagationTimeoutMs: 30_000 });
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-1'] })));
    const last = r.changes.at(-1)!;
    expect(last.status).toBe('failed');
    expect(last.error!.hint).toContain('run the same command again');
    expect(env.clock.t).toBeGreaterThanOrEqual(30_000);
    expect(env.clock.t).toBeLessThan(45_000);
    expect(r.regions[0]!.ok).toBe(false);
  });

  it('does not retry when the role already existed', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).rejects(awsError('ValidationException', 'The role does not exist'));
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-1'] })));
    expect(ssm).toHaveReceivedCommandTimes(UpdateServiceSettingCommand, 1);
    expect(r.changes[0]!.status).toBe('failed');
  });

  it('reports a failed region while the other region is applied', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', '$None', 'Default');
    settingIs('us-east-2', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand, { SettingId: settingArn('us-east-1') }).resolves({});
    ssm.on(UpdateServiceSettingCommand, { SettingId: settingArn('us-east-2') }).rejects(awsError('TooManyUpdates', 'busy'));
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request()));
    expect(r.changes.map((c) => [c.region, c.status])).toEqual([
      ['us-east-1', 'applied'],
      ['us-east-2', 'failed'],
    ]);
    expect(r.changes[1]!.error!.code).toBe('TooManyUpdates');
    expect(r.regions.map((x) => x.ok)).toEqual([true, false]);
  });

  it('does not touch any region when creating the role failed, and says why', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(CreateRoleCommand).rejects(awsError('AccessDenied', 'User: u is not authorized to perform: iam:CreateRole on resource: r', 403));
    settingIs('us-east-1', '$None', 'Default');
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-1'] })));
    expect(r.changes.map((c) => [c.operation, c.status, c.error?.code])).toEqual([
      ['iam:CreateRole', 'failed', 'AccessDenied'],
      ['iam:AttachRolePolicy', 'failed', 'NotAttempted'],
      ['ssm:UpdateServiceSetting', 'failed', 'NotAttempted'],
    ]);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });
});

describe('isRolePropagationError', () => {
  it('matches SSM refusing the role and PassRole denials, not other denials', () => {
    expect(isRolePropagationError(awsError('ValidationException', 'The role x does not exist'))).toBe(true);
    expect(isRolePropagationError(awsError('AccessDeniedException', 'not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/x'))).toBe(true);
    expect(
      isRolePropagationError(awsError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/A/b is not authorized to perform: ssm:UpdateServiceSetting')),
    ).toBe(false);
    expect(isRolePropagationError(awsError('TooManyUpdates', 'role'))).toBe(false);
  });
});

/** An existing custom role (trusted by SSM) whose only policy is this inline one, and its tags. */
function customRole(name: string, inline: string, tags: { Key: string; Value: string }[] = []) {
  iam.on(GetRoleCommand, { RoleName: name }).resolves({
    Role: {
      RoleName: name,
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      RoleId: 'AROAEXAMPLE',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(SSM_TRUST)),
      Tags: tags,
    },
  });
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: name }).resolves({ AttachedPolicies: [], IsTruncated: false });
  iam.on(ListRolePoliciesCommand, { RoleName: name }).resolves({ PolicyNames: ['agent'], IsTruncated: false });
  iam.on(GetRolePolicyCommand, { RoleName: name, PolicyName: 'agent' }).resolves({ RoleName: name, PolicyName: 'agent', PolicyDocument: inline });
}

const AGENT_ACTIONS = ['ssm:*', 'ssmmessages:*', 'ec2messages:*'];
const allow = (extra: Record<string, unknown> = {}) =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: AGENT_ACTIONS, Resource: '*', ...extra }] }));

describe('planDhmcEnable: what the plan says', () => {
  it('names each change: create (with path and trusted service), attach, update', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'] }));
    expect(enablePlanResult(plan).changes).toEqual([
      {
        region: null,
        action: 'create',
        resource: `arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`,
        operation: 'iam:CreateRole',
        status: 'planned',
        details: { path: '/service-role/', trustedService: 'ssm.amazonaws.com' },
        error: null,
      },
      {
        region: null,
        action: 'attach',
        resource: `arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`,
        operation: 'iam:AttachRolePolicy',
        status: 'planned',
        details: { policyArn: DHMC_POLICY },
        error: null,
      },
      {
        region: 'us-east-1',
        action: 'update',
        resource: settingArn('us-east-1'),
        operation: 'ssm:UpdateServiceSetting',
        status: 'planned',
        details: { settingValue: VALUE, previousValue: null },
        error: null,
      },
    ]);
  });

  it('attaches the DHMC policy once to a new role even when --policy-arn names it too', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], extraPolicyArns: [DHMC_POLICY, 'arn:aws:iam::111122223333:policy/S3'] }));
    expect(plan.iamChanges.map((c) => c.details.policyArn ?? c.operation)).toEqual(['iam:CreateRole', DHMC_POLICY, 'arn:aws:iam::111122223333:policy/S3']);
  });

  it('says what to do when the role is missing and --no-create-role was given', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const err = await planDhmcEnable(testEnv(), request({ createRole: false })).catch((e) => e);
    expect(err.message).toBe(`role ${ROLE} does not exist and --no-create-role was given`);
    expect(err.hint).toBe('Create it first (trusting ssm.amazonaws.com), or drop --no-create-role to let ssm-perms create it.');
  });

  it('refuses a role SSM may not assume with the code RoleNotTrustedBySsm', async () => {
    roleExists('Custom', '/', 'ec2.amazonaws.com', []);
    const err = await planDhmcEnable(testEnv(), request({ roleName: 'Custom', isDefaultRole: false })).catch((e) => e);
    expect(err.code).toBe('RoleNotTrustedBySsm');
  });

  it('warns when the role trusts ssm.amazonaws.com only under conditions', async () => {
    const conditional = {
      Version: '2012-10-17',
      Statement: [{ ...SSM_TRUST.Statement[0], Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }],
    };
    iam.on(GetRoleCommand, { RoleName: ROLE }).resolves({
      Role: {
        RoleName: ROLE,
        Path: '/service-role/',
        Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`,
        RoleId: 'AROAEXAMPLE',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(conditional)),
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: DHMC_POLICY }], IsTruncated: false });
    settingIs('us-east-1', VALUE, 'Customized');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'] }));
    expect(plan.warnings).toEqual([`role ${ROLE} trusts ssm.amazonaws.com only under conditions; make sure they hold for Systems Manager.`]);
  });

  it('a role found at another path earns no warning when no path was asked for, and its ARN comes from the path when IAM gives none', async () => {
    iam.on(GetRoleCommand, { RoleName: ROLE }).resolves({
      Role: {
        RoleName: ROLE,
        Path: '/ops/',
        Arn: '',
        RoleId: 'AROAEXAMPLE',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(SSM_TRUST)),
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: DHMC_POLICY }], IsTruncated: false });
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'] }));
    expect(plan.warnings).toEqual([]);
    expect(plan.settingValue).toBe(`ops/${ROLE}`);
    expect(plan.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/ops/${ROLE}`);
  });

  it('no path warning when the path given is where the role is', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', VALUE, 'Customized');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], rolePathGiven: true }));
    expect(plan.warnings).toEqual([]);
  });

  it('names the missing actions exactly in the custom role warning', async () => {
    customRole('MyDhmc', encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:*', Resource: '*' }] })));
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toEqual([
      'us-east-1: role MyDhmc does not have AmazonSSMManagedEC2InstanceDefaultPolicy and its policies do not allow ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel; instances will not register. Attach it with --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy.',
    ]);
  });

  it('judges a custom role with its tags (aws:PrincipalTag): a role tagged as its policy asks gets no warning', async () => {
    customRole('MyDhmc', allow({ Condition: { StringEquals: { 'aws:PrincipalTag/team': 'ops' } } }), [{ Key: 'team', Value: 'ops' }]);
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toEqual([]);
  });

  it('a custom role whose policy depends on what the AWS side cannot know may not allow registration, naming the key', async () => {
    // Under DHMC the credentials come from Systems Manager; whether ec2:SourceInstanceARN is in the
    // agent's requests is not documented, so a statement conditioned on it may or may not apply.
    customRole('MyDhmc', allow({ Condition: { ArnLike: { 'ec2:SourceInstanceARN': `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*` } } }));
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toEqual([
      'us-east-1: role MyDhmc may not allow ssm:UpdateInstanceInformation: statement #1 of inline:agent depends on ec2:SourceInstanceARN.',
    ]);
  });

  it('names the statement and keys that leave registration itself uncertain, not those of the other actions', async () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ssm:UpdateInstanceInformation',
          Resource: '*',
          Condition: {
            ArnLike: { 'ec2:SourceInstanceARN': `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*` },
            StringEquals: { 'aws:Ec2InstanceSourceVpc': 'vpc-1' },
          },
        },
        {
          Effect: 'Allow',
          Action: AGENT_ACTIONS,
          NotResource: `arn:aws:ec2:*:${ACCOUNT}:instance/*`,
          Condition: { StringEquals: { 'ssm:SourceInstanceARN': 'x' } },
        },
      ],
    };
    customRole('MyDhmc', encodeURIComponent(JSON.stringify(doc)));
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toEqual([
      'us-east-1: role MyDhmc may not allow ssm:UpdateInstanceInformation: statement #1 of inline:agent depends on ec2:SourceInstanceARN, aws:Ec2InstanceSourceVpc.',
    ]);
  });

  it('a custom role policy that cannot be read as a document may not allow registration', async () => {
    customRole('MyDhmc', encodeURIComponent('{"Version": "2012-10-17", "Statement": '));
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toEqual([
      'us-east-1: role MyDhmc may not allow ssm:UpdateInstanceInformation: statement #0 of inline:agent depends on a part that could not be read.',
    ]);
  });

  it("warns, naming the error, when a custom role's policies cannot be read", async () => {
    customRole('MyDhmc', allow());
    iam.on(GetRolePolicyCommand).rejects(awsError('AccessDenied', 'User: u is not authorized to perform: iam:GetRolePolicy', 403));
    settingIs('us-east-1', '$None', 'Default');
    const plan = await planDhmcEnable(testEnv(), request({ regions: ['us-east-1'], roleName: 'MyDhmc', isDefaultRole: false }));
    expect(plan.warnings).toEqual([
      'could not read the policies of role MyDhmc to check its permissions (AccessDenied); make sure it allows what AmazonSSMManagedEC2InstanceDefaultPolicy allows.',
    ]);
  });
});

describe('applyDhmcEnable: results', () => {
  it('waits for a new role to become visible before attaching its policy (IAM read-after-create lag)', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(CreateRoleCommand).resolves({});
    iam
      .on(AttachRolePolicyCommand)
      .rejectsOnce(awsError('NoSuchEntity', `The role with name ${ROLE} cannot be found.`, 404))
      .resolves({});
    settingIs('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-1'] })));
    expect(r.changes.map((c) => c.status)).toEqual(['applied', 'applied', 'applied']);
    expect(iam).toHaveReceivedCommandTimes(AttachRolePolicyCommand, 2);
  });

  it('does not wait for an existing role when only its policy was attached', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', []);
    iam.on(GetPolicyCommand, { PolicyArn: DHMC_POLICY }).resolves({ Policy: { Arn: DHMC_POLICY, DefaultVersionId: 'v1' } });
    iam.on(AttachRolePolicyCommand).resolves({});
    settingIs('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).rejects(awsError('ValidationException', 'The role does not exist'));
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-1'] })));
    expect(r.changes.map((c) => [c.operation, c.status])).toEqual([
      ['iam:AttachRolePolicy', 'applied'],
      ['ssm:UpdateServiceSetting', 'failed'],
    ]);
    expect(ssm).toHaveReceivedCommandTimes(UpdateServiceSettingCommand, 1);
    expect(env.clock.waits).toEqual([]);
  });

  it('reports dryRun false, and a failed region with its operation, region and no propagation hint', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-2', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).rejects(awsError('TooManyUpdates', 'busy'));
    const env = testEnv();
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-2'] })));
    expect(r.dryRun).toBe(false);
    expect(r.changes[0]!.error).toEqual({
      code: 'TooManyUpdates',
      message: 'ssm:UpdateServiceSetting in us-east-2 failed: busy',
      hint: 'Another update of this setting is in progress; wait a minute and run the command again.',
    });
  });

  it('the propagation hint names the bound in seconds', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(CreateRoleCommand).resolves({});
    iam.on(AttachRolePolicyCommand).resolves({});
    settingIs('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).rejects(awsError('ValidationException', `The role ${VALUE} does not exist`));
    const env = testEnv({ propagationTimeoutMs: 30_000 });
    const r = await applyDhmcEnable(env, await planDhmcEnable(env, request({ regions: ['us-east-1'] })));
    expect(r.changes.at(-1)!.error!.hint).toBe(`IAM had not propagated role ${ROLE} within 30s; run the same command again in a minute.`);
  });

  it('interrupted before IAM: the regions repeat why the IAM change was not made', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    settingIs('us-east-1', '$None', 'Default');
    const env = testEnv();
    const plan = await planDhmcEnable(env, request({ regions: ['us-east-1'] }));
    env.abort.abort();
    const r = await applyDhmcEnable(env, plan);
    expect(r.changes.map((c) => [c.operation, c.error?.code, c.error?.message])).toEqual([
      ['iam:CreateRole', 'NotAttempted', 'interrupted before this change was made'],
      ['iam:AttachRolePolicy', 'NotAttempted', 'interrupted before this change was made'],
      ['ssm:UpdateServiceSetting', 'NotAttempted', 'interrupted before this change was made'],
    ]);
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
  });

  it('interrupted with nothing to do in IAM: each region says it was not changed', async () => {
    roleExists(ROLE, '/service-role/', 'ssm.amazonaws.com', [DHMC_POLICY]);
    settingIs('us-east-1', '$None', 'Default');
    const env = testEnv();
    const plan = await planDhmcEnable(env, request({ regions: ['us-east-1'] }));
    env.abort.abort();
    const r = await applyDhmcEnable(env, plan);
    expect(r.changes[0]!.error).toMatchObject({ code: 'NotAttempted', message: 'interrupted before this region was changed' });
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });
});

describe('isRolePropagationError: the codes SSM answers with', () => {
  it('an IAM-style AccessDenied for iam:PassRole, and InvalidRole / InvalidParameterValue naming the role', () => {
    expect(isRolePropagationError(awsError('AccessDenied', 'not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/x'))).toBe(true);
    expect(isRolePropagationError(awsError('InvalidRole', 'Invalid role x'))).toBe(true);
    expect(isRolePropagationError(awsError('InvalidParameterValue', 'The role x cannot be assumed'))).toBe(true);
    expect(isRolePropagationError(awsError('InvalidParameterValue', 'bad value'))).toBe(false);
  });

  it('a rejection that is no error object is not one', () => {
    expect(isRolePropagationError(undefined)).toBe(false);
  });
});
