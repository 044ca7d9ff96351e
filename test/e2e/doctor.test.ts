// doctor and dhmc status --check against a seeded world. The emulator's DescribeInstanceInformation
// decides registration by the agent's rules from its own EC2 and IAM state (managed_nodes.py), so
// "managed" here is what the agent would do, not what the test wishes.
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms } from '../helpers/child.js';
import { inTerminal, uncolour, widestRow } from '../helpers/terminal.js';
import { seedWorld, type World } from './fixtures/doctor-world.js';

const FLEET = 1000;
const suite = emulatorSuite({ resetEach: false });
let world: World;

beforeAll(async () => {
  world = await seedWorld(suite.emu.url, FLEET);
  const on = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-2', '-q'], suite.env);
  expect(on.code, on.stderr).toBe(0);
}, 180_000);

interface Report {
  instanceId: string;
  verdict: string;
  route: string;
  reason: string;
  fix: string | null;
  checks: { id: string; status: string; message: string; fix: string | null }[];
}

describe('doctor over the seeded world', () => {
  let reports: Map<string, Report>;
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    run = await ssmPerms(['doctor', '--region', 'us-east-1,us-east-2', '--json', '--debug'], suite.env);
    reports = new Map(JSON.parse(run.stdout).instances.map((r: Report) => [r.instanceId, r]));
  }, 180_000);

  const check = (id: string, check: string) => reports.get(id)!.checks.find((c) => c.id === check)!;

  it('exits 6 because some instances are not ready, and reports every instance', async () => {
    expect(run.code, run.stderr).toBe(6);
    expect(reports.size).toBe(7 + FLEET);
    // Every instance the emulator holds in the two regions, read back with the AWS CLI, and no other.
    const held = new Set<string>();
    for (const region of ['us-east-1', 'us-east-2']) {
      const out = (await aws(['ec2', 'describe-instances', '--region', region, '--query', 'Reservations[].Instances[].InstanceId'], suite.env)) as string[];
      for (const id of out) held.add(id);
    }
    expect(new Set(reports.keys())).toEqual(held);
    const doc = JSON.parse(run.stdout);
    expect(doc.summary).toEqual({ total: 7 + FLEET, managed: 3 + FLEET, ready: 1, notReady: 3, stopped: 0, unknown: 0 });
  });

  it('a good profile: managed through the instance profile', () => {
    expect(reports.get(world.good)).toMatchObject({ verdict: 'managed', route: 'instance-profile' });
  });

  it('a profile without SSM permissions and DHMC off: not ready, because of the role, with the fix', () => {
    const r = reports.get(world.weak)!;
    expect(r.verdict).toBe('not-ready');
    expect(r.route).toBe('none');
    expect(r.reason).toContain('role WeakProfileRole does not allow ssm:UpdateInstanceInformation');
    expect(r.fix).toBe('ssm-perms profile update --role-name WeakProfileRole');
  });

  it('a profile allowing ssm:UpdateInstanceInformation while DHMC is on: managed, and the shadowing is reported', () => {
    expect(reports.get(world.shadow)).toMatchObject({ verdict: 'managed', route: 'instance-profile' });
    expect(check(world.shadow, 'identity-route')).toMatchObject({ status: 'warn', message: expect.stringContaining('takes precedence over DHMC') });
  });

  it('IMDS disabled: not ready, whatever the profile, with the modify-instance-metadata-options fix', () => {
    const r = reports.get(world.imdsOff)!;
    expect(r.verdict).toBe('not-ready');
    expect(r.reason).toContain('instance metadata service is disabled');
    expect(r.fix).toContain(`modify-instance-metadata-options --instance-id ${world.imdsOff} --http-endpoint enabled`);
  });

  it('a private subnet with no route out and no endpoints: not ready, because of the network', () => {
    const r = reports.get(world.isolated)!;
    expect(r.verdict).toBe('not-ready');
    expect(r.reason).toContain('no route to Systems Manager');
    expect(r.fix).toMatch(/^ssm-perms endpoints create --vpc-id vpc-\S+ --region us-east-1$/);
    expect(check(world.isolated, 'instance-profile').status).toBe('pass');
  });

  it('a private subnet with the endpoints: managed, and the network check passes through them', () => {
    expect(reports.get(world.endpoints)!.verdict).toBe('managed');
    expect(check(world.endpoints, 'network')).toMatchObject({ status: 'pass', message: expect.stringContaining('through VPC endpoints') });
  });

  it('no agent yet but nothing blocking: ready, using DHMC', () => {
    expect(reports.get(world.noAgent)).toMatchObject({ verdict: 'ready', route: 'dhmc' });
  });

  it('the fleet: managed through DHMC, with the Quick Setup association reported', () => {
    for (const id of world.fleet) expect(reports.get(id)!.verdict).toBe('managed');
    expect(reports.get(world.fleet[0]!)!.route).toBe('dhmc');
    expect(check(world.fleet[0]!, 'quick-setup')).toMatchObject({ status: 'warn', message: expect.stringContaining('AWS-AttachIAMToInstance') });
  });

  it('every not-ready instance has a fix', () => {
    for (const r of reports.values()) if (r.verdict === 'not-ready') expect(r.fix).toBeTruthy();
  });

  it('agrees with the emulator on which instances are managed (aws ssm describe-instance-information)', async () => {
    const listed = new Set<string>();
    for (const region of ['us-east-1', 'us-east-2']) {
      const out = (await aws(['ssm', 'describe-instance-information', '--region', region], suite.env)) as { InstanceInformationList: { InstanceId: string }[] };
      for (const n of out.InstanceInformationList) listed.add(n.InstanceId);
    }
    const managed = [...reports.values()].filter((r) => r.verdict === 'managed').map((r) => r.instanceId);
    expect(new Set(managed)).toEqual(listed);
  });

  it('makes a bounded number of AWS calls over 1,000+ instances: pages, not instances', () => {
    const total = Number(/^debug: (\d+) AWS calls/m.exec(run.stderr)![1]);
    const perOp = Object.fromEntries([...run.stderr.matchAll(/(\w+:\w+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    // DescribeInstanceInformation is asked by instance id, 100 ids a call, and its pages hold 50 nodes
    // (the API's maxima): us-east-2's 1,002 instances are 11 calls, 10 of them two pages of registered
    // nodes (21 calls); us-east-1 asks for its 5 instances (1 call).
    expect(perOp['ssm:DescribeInstanceInformation']).toBe(22);
    // Everything else: per region a handful of batch reads, then each distinct profile, role and
    // policy once. The bound does not depend on the fleet size.
    expect(total - perOp['ssm:DescribeInstanceInformation']!).toBeLessThanOrEqual(40);
    expect(total).toBeLessThanOrEqual(62);
  });

  it('prints the instances grouped by cause, with a summary line, without --json', async () => {
    const r = await ssmPerms(['doctor', '--region', 'us-east-1'], suite.env);
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(`NOT READY  1 instance in us-east-1\n  why:  the instance metadata service is disabled`);
    expect(r.stdout).toContain(`MANAGED  2 instances in us-east-1\n`);
    expect(r.stdout).toMatch(/5 instances: 2 managed, 0 ready, 3 not ready/);
  });

  it('--instance-id narrows the run to one instance, exit 0 when it is managed', async () => {
    const r = await ssmPerms(['doctor', '--region', 'us-east-1', '--instance-id', world.good, '--json'], suite.env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).instances.map((i: Report) => i.instanceId)).toEqual([world.good]);
  });
});

describe('dhmc status --check', () => {
  it('validates the DHMC role and previews the fleet per region', async () => {
    const r = await ssmPerms(['dhmc', 'status', '--check', '--region', 'us-east-1,us-east-2', '--json', '--debug'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    // The setting is read once per region, by the status part; the check reuses it.
    expect(r.stderr).toMatch(/ssm:GetServiceSetting 2[,)]/);
    const [east1, east2] = JSON.parse(r.stdout).regions;
    expect(east1.checks[0]).toMatchObject({ id: 'dhmc-setting', status: 'skip' });
    expect(east2.checks.filter((c: { status: string }) => c.status === 'fail')).toEqual([]);
    expect(east2.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['dhmc-role-trust', 'dhmc-role-policy', 'fleet-shadowed']));
    expect(east2.fleet).toMatchObject({ instances: FLEET + 2, managed: FLEET + 1, shadowedByProfile: 1, imdsDisabled: 0, readyForDhmc: FLEET + 1 });
    expect(east1.fleet).toMatchObject({ instances: 5, imdsDisabled: 1 });
  });

  it('fails (exit 6) when the DHMC role has lost its policy', async () => {
    await aws(
      [
        'iam',
        'detach-role-policy',
        '--role-name',
        'AWSSystemsManagerDefaultEC2InstanceManagementRole',
        '--policy-arn',
        'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy',
      ],
      suite.env,
    );
    try {
      const r = await ssmPerms(['dhmc', 'status', '--check', '--region', 'us-east-2'], suite.env);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stdout).toMatch(/FAIL\s+role AWSSystemsManagerDefaultEC2InstanceManagementRole does not allow ssm:UpdateInstanceInformation/);
    } finally {
      await aws(
        [
          'iam',
          'attach-role-policy',
          '--role-name',
          'AWSSystemsManagerDefaultEC2InstanceManagementRole',
          '--policy-arn',
          'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy',
        ],
        suite.env,
      );
    }
  });
});

describe('in an 80-column terminal', () => {
  // 200 instances in a third region with one cause: no profile, and DHMC off there.
  let west: string[];
  beforeAll(async () => {
    const r = (await aws(['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '200', '--region', 'us-west-2'], suite.env)) as {
      Instances: { InstanceId: string }[];
    };
    west = r.Instances.map((i) => i.InstanceId);
  }, 120_000);

  it('doctor over 200 instances with one cause prints one group with one fix, and no line wider than 80', async () => {
    const r = await inTerminal(['doctor', '--region', 'us-west-2'], suite.env, 80);
    const out = uncolour(r.stdout);
    expect(r.code, out).toBe(6);
    expect(widestRow(r.stdout)).toBeLessThanOrEqual(80);
    expect(out).toContain('NOT READY  200 instances in us-west-2');
    expect(out.match(/^ {2}fix: /gm)).toHaveLength(1);
    expect(out).toContain('  fix:  ssm-perms dhmc enable --region us-west-2');
    // The alternative names every instance once, across lines the shell joins back into one command.
    const joined = out.replace(/\\\r?\n */g, '');
    for (const id of west) expect(joined).toContain(id);
    expect(out).toContain('200 instances: 0 managed, 0 ready, 200 not ready');
  });

  it('doctor and dhmc status over three regions: no line wider than 80', async () => {
    const doctor = await inTerminal(['doctor', '--region', 'us-east-1,us-east-2,us-west-2'], suite.env, 80);
    expect(doctor.code).toBe(6);
    expect(widestRow(doctor.stdout)).toBeLessThanOrEqual(80);
    expect(uncolour(doctor.stdout)).toContain('MANAGED  1001 instances in us-east-2');
    const status = await inTerminal(['dhmc', 'status', '--region', 'us-east-1,us-east-2,us-west-2'], suite.env, 80);
    expect(status.code).toBe(0);
    expect(widestRow(status.stdout)).toBeLessThanOrEqual(80);
    expect(uncolour(status.stdout)).toMatch(/^us-east-2 +on +service-role\/AWSSystemsManagerDefaultEC2Instanc/m);
  });
});
