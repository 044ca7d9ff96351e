import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
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
