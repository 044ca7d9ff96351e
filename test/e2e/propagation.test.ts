// IAM propagation end to end: the emulator refuses a new role (SSM) or instance profile (EC2) until the
// test says IAM has caught up (emu.holdIamPropagation / emu.propagateIam), as AWS does while IAM
// propagates it; the tool must wait it out within --wait-timeout, saying so, and fail clearly with a
// hint to rerun when the bound is shorter. No test here waits for a clock: each waits for the CLI's
// own progress line or for its exit, so a slow machine changes nothing but the run time.
import { describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms, ssmPermsInterrupted, startSsmPerms } from '../helpers/child.js';

const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
const suite = emulatorSuite();

const settingIn = async (region: string) =>
  ((await aws(['ssm', 'get-service-setting', '--setting-id', SETTING, '--region', region], suite.env)) as { ServiceSetting: { SettingValue: string } })
    .ServiceSetting.SettingValue;

describe('dhmc enable while IAM propagates a new role', () => {
  it('retries with backoff, reports the wait on stderr, and succeeds once IAM has caught up', async () => {
    await suite.emu.holdIamPropagation();
    const cli = startSsmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--role-name', 'FreshDhmcRole', '--json'], suite.env);
    await cli.waitForStderr(/waiting: us-east-1: SSM does not accept role FreshDhmcRole yet \(IAM is still propagating/);
    // The wait is real: the emulator refused the role, and the setting is still unset.
    expect(await suite.emu.iamRefusals()).toBeGreaterThan(0);
    expect(await settingIn('us-east-1')).toBe('$None');
    await suite.emu.propagateIam();
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes.at(-1)).toMatchObject({ operation: 'ssm:UpdateServiceSetting', status: 'applied' });
    expect(await settingIn('us-east-1')).toBe('service-role/FreshDhmcRole');
  });

  it('fails clearly with exit 5 and a hint to rerun when the bound is shorter than the propagation', async () => {
    await suite.emu.holdIamPropagation();
    const r = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-2', '--role-name', 'SlowDhmcRole', '--wait-timeout', '1', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:CreateRole', 'applied'],
      ['iam:AttachRolePolicy', 'applied'],
      ['ssm:UpdateServiceSetting', 'failed'],
    ]);
    expect(doc.regions[0]).toMatchObject({ region: 'us-east-2', ok: false });
    expect(doc.changes[2].error.hint).toContain('run the same command again');
    // What the report says is what the emulator holds: the role made, the setting not.
    const role = (await aws(['iam', 'get-role', '--role-name', 'SlowDhmcRole'], suite.env)) as { Role: { Path: string } };
    expect(role.Role.Path).toBe('/service-role/');
    expect(await settingIn('us-east-2')).toBe('$None');
    // The rerun, once IAM has caught up, finds the role and makes only the missing change.
    await suite.emu.propagateIam();
    const rerun = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-2', '--role-name', 'SlowDhmcRole', '--json'], suite.env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).changes.map((c: { operation: string }) => c.operation)).toEqual(['ssm:UpdateServiceSetting']);
    expect(await settingIn('us-east-2')).toBe('service-role/SlowDhmcRole');
  });
});

describe('Ctrl-C while waiting for IAM to propagate', () => {
  it('reports the waiting change as Interrupted (not an unknown error), the rest as not attempted, and exits 130', async () => {
    await suite.emu.holdIamPropagation();
    const r = await ssmPermsInterrupted(['dhmc', 'enable', '--region', 'us-west-2', '--role-name', 'InterruptedDhmcRole', '--json'], suite.env, (err) =>
      err.includes('waiting:'),
    );
    expect(r.code, r.stderr).toBe(130);
    const doc = JSON.parse(r.stdout);
    const update = doc.changes.find((c: { operation: string }) => c.operation === 'ssm:UpdateServiceSetting');
    expect(update).toMatchObject({
      status: 'failed',
      error: { code: 'Interrupted', message: expect.stringContaining('interrupted while waiting for IAM to propagate') },
    });
    expect(r.stdout + r.stderr).not.toContain('UnknownError');
    expect(await settingIn('us-west-2')).toBe('$None');
  });
});

describe('profile attach right after profile create', () => {
  const runThree = async (tag: string): Promise<string[]> => {
    const r = (await aws(
      ['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '3', '--tag-specifications', `ResourceType=instance,Tags=[{Key=Batch,Value=${tag}}]`],
      suite.env,
    )) as { Instances: { InstanceId: string }[] };
    expect(r.Instances).toHaveLength(3);
    return r.Instances.map((i) => i.InstanceId);
  };
  /** The instance profile of each of `ids` that has one, as EC2 reports it. */
  const profilesOf = async (ids: string[]): Promise<Record<string, string>> => {
    const out = (await aws(['ec2', 'describe-iam-instance-profile-associations', '--filters', `Name=instance-id,Values=${ids.join(',')}`], suite.env)) as {
      IamInstanceProfileAssociations: { InstanceId: string; IamInstanceProfile: { Arn: string } }[];
    };
    return Object.fromEntries(out.IamInstanceProfileAssociations.map((a) => [a.InstanceId, a.IamInstanceProfile.Arn.split('/').pop()!]));
  };

  it('waits out "Invalid IAM Instance Profile name" while IAM propagates, with a progress line, then attaches', async () => {
    const ids = await runThree('fresh');
    await suite.emu.holdIamPropagation();
    expect((await ssmPerms(['profile', 'create', '--name', 'FreshProfile', '-q'], suite.env)).code).toBe(0);
    const cli = startSsmPerms(['profile', 'attach', '--name', 'FreshProfile', '--tag', 'Batch=fresh', '--json'], suite.env);
    await cli.waitForStderr(/waiting: i-\w+: EC2 does not accept instance profile FreshProfile yet \(IAM is still propagating\)/);
    expect(await suite.emu.iamRefusals()).toBeGreaterThan(0);
    expect(await profilesOf(ids)).toEqual({});
    await suite.emu.propagateIam();
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.attached).toBe(3);
    expect(await profilesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 'FreshProfile'])));
  });

  it('fails clearly (exit 5, hint to rerun) when --wait-timeout is shorter than the propagation; the rerun attaches', async () => {
    const ids = await runThree('slow');
    await suite.emu.holdIamPropagation();
    expect((await ssmPerms(['profile', 'create', '--name', 'SlowProfile', '-q'], suite.env)).code).toBe(0);
    const r = await ssmPerms(['profile', 'attach', '--name', 'SlowProfile', '--tag', 'Batch=slow', '--wait-timeout', '1', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary.failed).toBe(3);
    expect(doc.instances[0].error).toMatchObject({ code: 'InvalidParameterValue', hint: expect.stringContaining('run the same command again') });
    expect(await profilesOf(ids)).toEqual({});
    await suite.emu.propagateIam();
    const rerun = await ssmPerms(['profile', 'attach', '--name', 'SlowProfile', '--tag', 'Batch=slow', '--json'], suite.env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).summary.attached).toBe(3);
    expect(await profilesOf(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 'SlowProfile'])));
  });
});
