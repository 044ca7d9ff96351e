// IAM propagation end to end: the emulator refuses a new role (SSM) or instance profile (EC2) for some
// seconds after its creation, as AWS does while IAM propagates it; the tool must wait it out within
// --wait-timeout, saying so, and fail clearly with a hint to rerun when the bound is shorter.
import { describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms, ssmPermsInterrupted } from '../helpers/child.js';

const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
// The instance-profile delay leaves room for a slow machine between `profile create` and `profile attach`.
const suite = emulatorSuite({ propagationSeconds: 3, profilePropagationSeconds: 6 });

describe('dhmc enable while IAM propagates a new role', () => {
  it('retries with backoff, reports the wait on stderr, and succeeds inside the bound', async () => {
    const r = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--role-name', 'FreshDhmcRole', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/waiting: us-east-1: SSM does not accept role FreshDhmcRole yet \(IAM is still propagating/);
    expect(JSON.parse(r.stdout).changes.at(-1)).toMatchObject({ operation: 'ssm:UpdateServiceSetting', status: 'applied' });
    const s = (await aws(['ssm', 'get-service-setting', '--setting-id', SETTING], suite.env)) as { ServiceSetting: { SettingValue: string } };
    expect(s.ServiceSetting.SettingValue).toBe('service-role/FreshDhmcRole');
  });

  it('fails clearly with exit 5 and a hint to rerun when the bound is shorter than the propagation', async () => {
    const r = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-2', '--role-name', 'SlowDhmcRole', '--wait-timeout', '1', '--json'], suite.env);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:CreateRole', 'applied'],
      ['iam:AttachRolePolicy', 'applied'],
      ['ssm:UpdateServiceSetting', 'failed'],
    ]);
    expect(doc.regions[0]).toMatchObject({ region: 'us-east-2', ok: false });
    expect(doc.changes[2].error.hint).toContain('run the same command again');
    // The rerun, once IAM has caught up, finds the role and makes only the missing change.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rerun = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-2', '--role-name', 'SlowDhmcRole', '--json'], suite.env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).changes.map((c: { operation: string }) => c.operation)).toEqual(['ssm:UpdateServiceSetting']);
  });
});

describe('Ctrl-C while waiting for IAM to propagate', () => {
  it('reports the waiting change as Interrupted (not an unknown error), the rest as not attempted, and exits 130', async () => {
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
    const s = (await aws(['ssm', 'get-service-setting', '--setting-id', SETTING, '--region', 'us-west-2'], suite.env)) as {
      ServiceSetting: { SettingValue: string };
    };
    expect(s.ServiceSetting.SettingValue).toBe('$None');
  });
});

describe('profile attach right after profile create', () => {
  const runOne = async (tag: string) => {
    const r = (await aws(
      ['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '3', '--tag-specifications', `ResourceType=instance,Tags=[{Key=Batch,Value=${tag}}]`],
      suite.env,
    )) as { Instances: unknown[] };
    expect(r.Instances).toHaveLength(3);
  };

  it('waits out "Invalid IAM Instance Profile name" while IAM propagates, with a progress line, then attaches', async () => {
    await runOne('fresh');
    expect((await ssmPerms(['profile', 'create', '--name', 'FreshProfile', '-q'], suite.env)).code).toBe(0);
    const r = await ssmPerms(['profile', 'attach', '--name', 'FreshProfile', '--tag', 'Batch=fresh', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/waiting: i-\w+: EC2 does not accept instance profile FreshProfile yet \(IAM is still propagating\)/);
    expect(JSON.parse(r.stdout).summary.attached).toBe(3);
  });

  it('fails clearly (exit 5, hint to rerun) when --wait-timeout is shorter than the propagation; the rerun attaches', async () => {
    await runOne('slow');
    expect((await ssmPerms(['profile', 'create', '--name', 'SlowProfile', '-q'], suite.env)).code).toBe(0);
    const r = await ssmPerms(['profile', 'attach', '--name', 'SlowProfile', '--tag', 'Batch=slow', '--wait-timeout', '1', '--json'], suite.env);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary.failed).toBe(3);
    expect(doc.instances[0].error).toMatchObject({ code: 'InvalidParameterValue', hint: expect.stringContaining('run the same command again') });
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const rerun = await ssmPerms(['profile', 'attach', '--name', 'SlowProfile', '--tag', 'Batch=slow', '--json'], suite.env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).summary.attached).toBe(3);
  });
});
