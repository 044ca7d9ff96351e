// Fault injection end to end: the CLI talks to the emulator through a loopback proxy that throttles,
// fails, drops and delays chosen calls. Transient faults are absorbed (the SDK's retries); persistent
// ones fail exactly the regions, resources or instances they hit (exit 5), and a rerun converges.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, BIN, ssmPerms } from '../helpers/child.js';

const suite = emulatorSuite();
let proxy: FaultProxy;
let env: Record<string, string>;
const THREE = 'us-east-1,us-east-2,us-west-2';
const TWELVE = 'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-southeast-1';

beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url, { seed: 42 });
  env = { ...suite.env, AWS_ENDPOINT_URL: proxy.url };
});
afterAll(async () => proxy?.stop());
beforeEach(() => proxy.setRules([]));

const json = (s: string) => JSON.parse(s);
type Change = { region: string | null; operation: string; status: string; resource: string; error: { code: string } | null };

async function runInstances(count: number, tag: string): Promise<string[]> {
  const r = (await aws(
    [
      'ec2',
      'run-instances',
      '--image-id',
      'ami-12345678',
      '--count',
      String(count),
      '--tag-specifications',
      `ResourceType=instance,Tags=[{Key=Group,Value=${tag}}]`,
    ],
    suite.env,
  )) as {
    Instances: { InstanceId: string }[];
  };
  return r.Instances.map((i) => i.InstanceId);
}

describe('dhmc enable across regions', () => {
  it('absorbs throttling, 503s and a dropped connection (the SDK retries), and says how many attempts it took', async () => {
    proxy.setRules([
      { service: 'ssm', operation: 'UpdateServiceSetting', fault: 'throttle', times: 2 },
      { service: 'ssm', operation: 'GetServiceSetting', fault: 'drop', times: 1 },
      { service: 'iam', operation: 'CreateRole', fault: 503, times: 1 },
      { service: 'iam', operation: 'AttachRolePolicy', fault: 'throttle', times: 1 },
    ]);
    const r = await ssmPerms(['dhmc', 'enable', '--region', THREE, '--json', '--debug', '--max-attempts', '4'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).changes.every((c: Change) => c.status === 'applied')).toBe(true);
    expect(proxy.log().filter((x) => x.fault).length).toBe(5);
    expect(r.stderr).toMatch(/debug: iam CreateRole region=\S+ \d+ms attempts=2 ok/);
  });

  it('with a persistent fault in one region, fails exactly that region (exit 5); the rerun changes only it', async () => {
    proxy.setRules([{ service: 'ssm', operation: 'UpdateServiceSetting', region: 'us-east-2', fault: 500 }]);
    const r = await ssmPerms(['dhmc', 'enable', '--region', THREE, '--json'], env);
    expect(r.code).toBe(5);
    const doc = json(r.stdout);
    expect(doc.regions.filter((x: { ok: boolean }) => !x.ok).map((x: { region: string }) => x.region)).toEqual(['us-east-2']);
    const failed = doc.changes.filter((c: Change) => c.status === 'failed');
    expect(failed.map((c: Change) => [c.region, c.error!.code])).toEqual([['us-east-2', 'InternalServerError']]);

    proxy.setRules([]);
    const rerun = await ssmPerms(['dhmc', 'enable', '--region', THREE, '--json'], env);
    expect(rerun.code).toBe(0);
    expect(json(rerun.stdout).changes.map((c: Change) => [c.region, c.operation, c.status])).toEqual([['us-east-2', 'ssm:UpdateServiceSetting', 'applied']]);
  });

  it('works with the adaptive retry mode', async () => {
    proxy.setRules([{ service: 'ssm', fault: 'throttle', rate: 0.3 }]);
    const r = await ssmPerms(['dhmc', 'status', '--region', THREE, '--retry-mode', 'adaptive', '--max-attempts', '10', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).regions).toHaveLength(3);
  });
});

describe('profile create', () => {
  it('stops at a persistent failure, reports the rest as not attempted, and a rerun makes only what is missing', async () => {
    proxy.setRules([
      { service: 'iam', operation: 'CreateRole', fault: 'throttle', times: 1 },
      { service: 'iam', operation: 'CreateInstanceProfile', fault: 'throttle' },
    ]);
    const r = await ssmPerms(['profile', 'create', '--json', '--max-attempts', '2'], env);
    expect(r.code).toBe(5);
    expect(json(r.stdout).changes.map((c: Change) => [c.operation, c.status, c.error?.code ?? null])).toEqual([
      ['iam:CreateRole', 'applied', null],
      ['iam:AttachRolePolicy', 'applied', null],
      ['iam:CreateInstanceProfile', 'failed', 'Throttling'],
      ['iam:AddRoleToInstanceProfile', 'failed', 'NotAttempted'],
    ]);
    proxy.setRules([]);
    const rerun = await ssmPerms(['profile', 'create', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(json(rerun.stdout).changes.map((c: Change) => c.operation)).toEqual(['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile']);
  });
});

describe('profile attach on many instances', () => {
  beforeEach(async () => {
    expect((await ssmPerms(['profile', 'create'], suite.env)).code).toBe(0);
  });

  it('absorbs random throttling and dropped connections (seeded) and attaches all of them', async () => {
    const ids = await runInstances(40, 'random');
    proxy.setRules([
      { service: 'ec2', operation: 'AssociateIamInstanceProfile', fault: 'throttle', rate: 0.25 },
      { service: 'ec2', operation: 'AssociateIamInstanceProfile', fault: 'drop', rate: 0.05 },
    ]);
    const r = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=random', '--json', '--max-attempts', '10'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).summary.attached).toBe(40);
    expect(proxy.log().filter((x) => x.fault).length).toBeGreaterThan(0);
    expect(ids).toHaveLength(40);
  });

  it('with persistent faults on two instances, fails exactly those (exit 5); the rerun attaches only them', async () => {
    const ids = await runInstances(30, 'stubborn');
    const [a, b] = [ids[3]!, ids[17]!];
    proxy.setRules([
      { service: 'ec2', operation: 'AssociateIamInstanceProfile', bodyIncludes: a, fault: 500 },
      { service: 'ec2', operation: 'AssociateIamInstanceProfile', bodyIncludes: b, fault: 'denied' },
    ]);
    const r = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=stubborn', '--json', '--max-attempts', '2'], env);
    expect(r.code).toBe(5);
    const doc = json(r.stdout);
    const failed = doc.instances.filter((i: { status: string }) => i.status === 'failed');
    expect(failed.map((i: { instanceId: string; error: { code: string } }) => [i.instanceId, i.error.code]).sort()).toEqual(
      [
        [a, 'InternalError'],
        [b, 'UnauthorizedOperation'],
      ].sort(),
    );
    expect(doc.summary).toMatchObject({ attached: 28, failed: 2 });

    proxy.setRules([]);
    const rerun = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=stubborn', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(
      json(rerun.stdout)
        .changes.map((c: Change) => c.resource.split('/').pop())
        .sort(),
    ).toEqual([a, b].sort());
  });
});

describe('doctor', () => {
  it('gives the same verdicts under transient faults, and names the region whose instances could not be read', async () => {
    await runInstances(3, 'doc');
    const clean = await ssmPerms(['doctor', '--region', 'us-east-1', '--json'], env);
    proxy.setRules([
      { service: 'ec2', operation: 'DescribeInstances', fault: 'throttle', times: 1 },
      { service: 'ec2', operation: 'DescribeRouteTables', fault: 'drop', times: 1 },
      { service: 'ssm', operation: 'DescribeInstanceInformation', fault: 503, times: 1 },
    ]);
    const faulty = await ssmPerms(['doctor', '--region', 'us-east-1', '--json'], env);
    expect(faulty.code).toBe(clean.code);
    const verdicts = (s: string) => json(s).instances.map((i: { instanceId: string; verdict: string; reason: string }) => [i.instanceId, i.verdict, i.reason]);
    expect(verdicts(faulty.stdout)).toEqual(verdicts(clean.stdout));

    proxy.setRules([{ service: 'ec2', operation: 'DescribeInstances', region: 'us-east-2', fault: 500 }]);
    const broken = await ssmPerms(['doctor', '--region', 'us-east-1,us-east-2', '--json', '--max-attempts', '2'], env);
    expect(broken.code).toBe(5);
    const doc = json(broken.stdout);
    expect(doc.regions.map((r: { region: string; ok: boolean }) => [r.region, r.ok])).toEqual([
      ['us-east-1', true],
      ['us-east-2', false],
    ]);
    expect(doc.instances).toHaveLength(3);
  });
});

describe('interruption (Ctrl-C)', () => {
  async function interruptWhen(args: string[], ready: () => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    for (let i = 0; i < 200 && !ready(); i += 1) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    return { code: await closed, stdout, stderr };
  }

  it('during a multi-region enable: lets calls in flight finish, starts no new one, reports, exits 130; a rerun completes the rest', async () => {
    proxy.setRules([{ service: 'ssm', operation: 'UpdateServiceSetting', fault: 'latency', ms: 600 }]);
    const r = await interruptWhen(['dhmc', 'enable', '--region', TWELVE, '--json'], () => proxy.log().some((x) => x.operation === 'UpdateServiceSetting'));
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted');
    const doc = json(r.stdout);
    const updates = doc.changes.filter((c: Change) => c.operation === 'ssm:UpdateServiceSetting');
    const applied = updates.filter((c: Change) => c.status === 'applied').map((c: Change) => c.region);
    const skipped = updates.filter((c: Change) => c.status === 'failed').map((c: Change) => c.region);
    expect(applied.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0);
    expect(applied.length + skipped.length).toBe(12);
    expect(updates.filter((c: Change) => c.status === 'failed').every((c: Change) => c.error!.code === 'NotAttempted')).toBe(true);
    // What the report says was done is what was sent.
    expect(
      proxy
        .log()
        .filter((x) => x.operation === 'UpdateServiceSetting')
        .map((x) => x.region)
        .sort(),
    ).toEqual([...applied].sort());

    proxy.setRules([]);
    const rerun = await ssmPerms(['dhmc', 'enable', '--region', TWELVE, '--json'], env);
    expect(rerun.code).toBe(0);
    expect(
      json(rerun.stdout)
        .changes.map((c: Change) => c.region)
        .sort(),
    ).toEqual([...skipped].sort());
  });

  it('during an attach on many instances: exits 130 with a result per instance; a rerun attaches the rest', async () => {
    expect((await ssmPerms(['profile', 'create'], suite.env)).code).toBe(0);
    await runInstances(24, 'sigint');
    proxy.setRules([{ service: 'ec2', operation: 'AssociateIamInstanceProfile', fault: 'latency', ms: 400 }]);
    const r = await interruptWhen(
      ['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=sigint', '--concurrency', '4', '--json'],
      () => proxy.log().filter((x) => x.operation === 'AssociateIamInstanceProfile').length >= 2,
    );
    expect(r.code).toBe(130);
    const doc = json(r.stdout);
    const attached = doc.instances.filter((i: { status: string }) => i.status === 'applied').length;
    expect(attached).toBeGreaterThan(0);
    expect(attached).toBeLessThan(24);
    expect(
      doc.instances.filter((i: { status: string }) => i.status === 'failed').every((i: { error: { code: string } }) => i.error.code === 'NotAttempted'),
    ).toBe(true);

    proxy.setRules([]);
    const rerun = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=sigint', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(json(rerun.stdout).summary).toMatchObject({ attached: 24 - attached, unchanged: attached });
  });
});
