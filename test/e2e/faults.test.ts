// Fault injection end to end: the CLI talks to the emulator through a loopback proxy that throttles,
// fails, drops and delays chosen calls. Transient faults are absorbed (the SDK's retries); persistent
// ones fail exactly the regions, resources or instances they hit (exit 5), and a rerun converges.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { DEFAULT_REGION_CONCURRENCY } from '../../src/services/env.js';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms, startSsmPerms } from '../helpers/child.js';

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

const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
const DHMC_VALUE = 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole';

/** The DHMC setting value of each region, read back with the AWS CLI (straight from the emulator). */
async function settings(regions: string): Promise<Record<string, string>> {
  const read = async (region: string) => {
    const s = (await aws(['ssm', 'get-service-setting', '--setting-id', SETTING, '--region', region], suite.env)) as {
      ServiceSetting: { SettingValue: string };
    };
    return [region, s.ServiceSetting.SettingValue] as const;
  };
  return Object.fromEntries(await Promise.all(regions.split(',').map(read)));
}
const each = (regions: string | string[], value: string) =>
  Object.fromEntries((typeof regions === 'string' ? regions.split(',') : regions).map((r) => [r, value]));

/** The instance profile name of each of `ids` that has an association, as EC2 reports it. */
async function profilesOf(ids: string[]): Promise<Record<string, string>> {
  const out = (await aws(['ec2', 'describe-iam-instance-profile-associations', '--filters', `Name=instance-id,Values=${ids.join(',')}`], suite.env)) as {
    IamInstanceProfileAssociations: { InstanceId: string; IamInstanceProfile: { Arn: string } }[];
  };
  return Object.fromEntries(out.IamInstanceProfileAssociations.map((a) => [a.InstanceId, a.IamInstanceProfile.Arn.split('/').pop()!]));
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
    expect(await settings(THREE)).toEqual(each(THREE, DHMC_VALUE));
  });

  it('with a persistent fault in one region, fails exactly that region (exit 5); the rerun changes only it', async () => {
    proxy.setRules([{ service: 'ssm', operation: 'UpdateServiceSetting', region: 'us-east-2', fault: 500 }]);
    const r = await ssmPerms(['dhmc', 'enable', '--region', THREE, '--json'], env);
    expect(r.code).toBe(5);
    const doc = json(r.stdout);
    expect(doc.regions.filter((x: { ok: boolean }) => !x.ok).map((x: { region: string }) => x.region)).toEqual(['us-east-2']);
    const failed = doc.changes.filter((c: Change) => c.status === 'failed');
    expect(failed.map((c: Change) => [c.region, c.error!.code])).toEqual([['us-east-2', 'InternalServerError']]);
    expect(await settings(THREE)).toEqual({ 'us-east-1': DHMC_VALUE, 'us-east-2': '$None', 'us-west-2': DHMC_VALUE });

    proxy.setRules([]);
    const rerun = await ssmPerms(['dhmc', 'enable', '--region', THREE, '--json'], env);
    expect(rerun.code).toBe(0);
    expect(json(rerun.stdout).changes.map((c: Change) => [c.region, c.operation, c.status])).toEqual([['us-east-2', 'ssm:UpdateServiceSetting', 'applied']]);
    expect(await settings(THREE)).toEqual(each(THREE, DHMC_VALUE));
  });

  it('works with the adaptive retry mode, and the SDK really retries in that mode', async () => {
    // Without --retry-mode the SDK retries in standard mode: its user agent's business metrics say E.
    // (These letters are what tells the modes apart on the wire; amz-sdk-request is the same in both.)
    const standard = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--json'], env);
    expect(standard.code, standard.stderr).toBe(0);
    expect(proxy.log().length).toBeGreaterThan(0);
    for (const x of proxy.log()) expect([x.operation, x.features.includes('E'), x.features.includes('F')]).toEqual([x.operation, true, false]);

    // Each region's read is throttled twice: it succeeds only on a third attempt.
    proxy.setRules(
      THREE.split(',').map((region) => ({ service: 'ssm' as const, operation: 'GetServiceSetting', region, fault: 'throttle' as const, times: 2 })),
    );
    const r = await ssmPerms(['dhmc', 'status', '--region', THREE, '--retry-mode', 'adaptive', '--max-attempts', '10', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).regions.map((x: { region: string; status: string }) => [x.region, x.status])).toEqual(THREE.split(',').map((x) => [x, 'Default']));
    const log = proxy.log();
    // Every request of every client (sts and ssm) was sent by an adaptive retry strategy (F, not E),
    // allowed the 10 attempts asked for...
    expect(new Set(log.map((x) => x.service))).toEqual(new Set(['sts', 'ssm']));
    for (const x of log) expect([x.operation, x.features.includes('F'), x.features.includes('E'), x.maxAttempts]).toEqual([x.operation, true, false, 10]);
    // ...and the throttling was absorbed by retries of the same calls: attempts 1 and 2 throttled, 3 answered.
    for (const region of THREE.split(','))
      expect(log.filter((x) => x.operation === 'GetServiceSetting' && x.region === region).map((x) => [x.attempt, x.fault])).toEqual([
        [1, 'throttle'],
        [2, 'throttle'],
        [3, null],
      ]);
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
    // The emulator holds what the report says: the role with its policy, no instance profile.
    const attached = (await aws(['iam', 'list-attached-role-policies', '--role-name', 'SSMInstanceProfile'], suite.env)) as {
      AttachedPolicies: { PolicyArn: string }[];
    };
    expect(attached.AttachedPolicies.map((p) => p.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    await expect(aws(['iam', 'get-instance-profile', '--instance-profile-name', 'SSMInstanceProfile'], suite.env)).rejects.toThrow(/NoSuchEntity/);
    proxy.setRules([]);
    const rerun = await ssmPerms(['profile', 'create', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(json(rerun.stdout).changes.map((c: Change) => c.operation)).toEqual(['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile']);
    const profile = (await aws(['iam', 'get-instance-profile', '--instance-profile-name', 'SSMInstanceProfile'], suite.env)) as {
      InstanceProfile: { Roles: { RoleName: string }[] };
    };
    expect(profile.InstanceProfile.Roles.map((x) => x.RoleName)).toEqual(['SSMInstanceProfile']);
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
    expect(await profilesOf(ids)).toEqual(each(ids, 'SSMInstanceProfile'));
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
    expect(await profilesOf(ids)).toEqual(
      each(
        ids.filter((id) => id !== a && id !== b),
        'SSMInstanceProfile',
      ),
    );

    proxy.setRules([]);
    const rerun = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=stubborn', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(
      json(rerun.stdout)
        .changes.map((c: Change) => c.resource.split('/').pop())
        .sort(),
    ).toEqual([a, b].sort());
    expect(await profilesOf(ids)).toEqual(each(ids, 'SSMInstanceProfile'));
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
  // The writes are held by the proxy (in flight, unanswered) until the test has seen the CLI take the
  // Ctrl-C: what was in flight and what was not started is decided by the events, never by a delay.
  // Then holding stops, so a call wrongly started after Ctrl-C would go through, and show.
  const INTERRUPTED = /interrupted: finishing calls in flight/;

  it('during a multi-region enable: lets calls in flight finish, starts no new one, reports, exits 130; a rerun completes the rest', async () => {
    proxy.setRules([{ service: 'ssm', operation: 'UpdateServiceSetting', fault: 'hold' }]);
    const cli = startSsmPerms(['dhmc', 'enable', '--region', TWELVE, '--json'], env);
    // Ctrl-C once every slot of the bounded concurrency holds a call: none can start or end before it.
    await proxy.waitFor(() => proxy.held() === DEFAULT_REGION_CONCURRENCY, {
      what: `${DEFAULT_REGION_CONCURRENCY} UpdateServiceSetting calls in flight`,
    });
    cli.interrupt();
    await cli.waitForStderr(INTERRUPTED);
    const inFlight = proxy.stopHolding();
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    const doc = json(r.stdout);
    const updates = doc.changes.filter((c: Change) => c.operation === 'ssm:UpdateServiceSetting');
    const applied = updates.filter((c: Change) => c.status === 'applied').map((c: Change) => c.region);
    const skipped = updates.filter((c: Change) => c.status === 'failed').map((c: Change) => c.region);
    // Exactly the calls in flight at Ctrl-C were let finish; the bounded concurrency left the others unstarted.
    expect(inFlight).toBe(DEFAULT_REGION_CONCURRENCY);
    expect(applied).toHaveLength(inFlight);
    expect(skipped).toHaveLength(12 - inFlight);
    expect(updates.filter((c: Change) => c.status === 'failed').every((c: Change) => c.error!.code === 'NotAttempted')).toBe(true);
    // What the report says was done is what was sent...
    expect(
      proxy
        .log()
        .filter((x) => x.operation === 'UpdateServiceSetting')
        .map((x) => x.region)
        .sort(),
    ).toEqual([...applied].sort());
    // ...and what the emulator holds.
    expect(await settings(TWELVE)).toEqual({ ...each(TWELVE, '$None'), ...each(applied, DHMC_VALUE) });

    proxy.setRules([]);
    const rerun = await ssmPerms(['dhmc', 'enable', '--region', TWELVE, '--json'], env);
    expect(rerun.code).toBe(0);
    expect(
      json(rerun.stdout)
        .changes.map((c: Change) => c.region)
        .sort(),
    ).toEqual([...skipped].sort());
    expect(await settings(TWELVE)).toEqual(each(TWELVE, DHMC_VALUE));
  });

  it('during an attach on many instances: exits 130 with a result per instance; a rerun attaches the rest', async () => {
    expect((await ssmPerms(['profile', 'create'], suite.env)).code).toBe(0);
    const ids = await runInstances(24, 'sigint');
    proxy.setRules([{ service: 'ec2', operation: 'AssociateIamInstanceProfile', fault: 'hold' }]);
    const cli = startSsmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=sigint', '--concurrency', '4', '--json'], env);
    // The first instance goes alone; let it through, then interrupt once all 4 slots hold a call.
    await proxy.waitFor(() => proxy.held() === 1, { what: 'the first AssociateIamInstanceProfile' });
    proxy.release();
    await proxy.waitFor(() => proxy.held() === 4, { what: '4 concurrent AssociateIamInstanceProfile calls' });
    cli.interrupt();
    await cli.waitForStderr(INTERRUPTED);
    const inFlight = proxy.stopHolding();
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(130);
    const doc = json(r.stdout);
    const attached = doc.instances.filter((i: { status: string }) => i.status === 'applied').map((i: { instanceId: string }) => i.instanceId);
    expect(inFlight).toBe(4);
    expect(attached).toHaveLength(1 + inFlight);
    expect(
      doc.instances.filter((i: { status: string }) => i.status === 'failed').every((i: { error: { code: string } }) => i.error.code === 'NotAttempted'),
    ).toBe(true);
    expect(doc.instances).toHaveLength(24);
    expect(await profilesOf(ids)).toEqual(each(attached, 'SSMInstanceProfile'));

    proxy.setRules([]);
    const rerun = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Group=sigint', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(json(rerun.stdout).summary).toMatchObject({ attached: 24 - attached.length, unchanged: attached.length });
    expect(await profilesOf(ids)).toEqual(each(ids, 'SSMInstanceProfile'));
  });
});
