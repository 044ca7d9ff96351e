// doctor --fix end to end: the built CLI against moto and the SSM double, over the doctor world (a
// profile without SSM, IMDS disabled, a private subnet with no way out, in us-east-1 where DHMC is off)
// plus an instance with no profile, and in us-east-2 a DHMC role that lost its policy. The double
// registers instances by the agent's rules from EC2 and IAM state (managed_nodes.py), so "managed"
// after the fixes is what the agent would do through the new profile, endpoints or DHMC role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms } from '../helpers/child.js';
import { seedWorld, type World } from './fixtures/doctor-world.js';

const suite = emulatorSuite({ resetEach: false });
const REGIONS = ['--region', 'us-east-1,us-east-2'];
const DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
let world: World;
let bare: string;
let isolatedVpc: string;

interface Instance {
  InstanceId: string;
  VpcId: string;
  SubnetId: string;
  MetadataOptions: { HttpEndpoint: string };
}
const describeInstance = async (id: string) =>
  (await aws(['ec2', 'describe-instances', '--instance-ids', id, '--region', 'us-east-1', '--query', 'Reservations[0].Instances[0]'], suite.env)) as Instance;

/** What the fixes change, read back with the AWS CLI. */
async function awsState() {
  const profiles = (await aws(['iam', 'list-instance-profiles', '--query', 'InstanceProfiles[].InstanceProfileName'], suite.env)) as string[];
  const policies = async (role: string) =>
    (await aws(['iam', 'list-attached-role-policies', '--role-name', role, '--query', 'AttachedPolicies[].PolicyArn'], suite.env)) as string[];
  const endpoints = (await aws(
    ['ec2', 'describe-vpc-endpoints', '--region', 'us-east-1', '--filters', `Name=vpc-id,Values=${isolatedVpc}`, '--query', 'VpcEndpoints[].ServiceName'],
    suite.env,
  )) as string[];
  const associations = (await aws(
    [
      'ec2',
      'describe-iam-instance-profile-associations',
      '--region',
      'us-east-1',
      '--filters',
      `Name=instance-id,Values=${bare}`,
      '--query',
      'IamInstanceProfileAssociations[].IamInstanceProfile.Arn',
    ],
    suite.env,
  )) as string[];
  return {
    hasDefaultProfile: profiles.includes('SSMInstanceProfile'),
    weakPolicies: await policies('WeakProfileRole'),
    dhmcPolicies: await policies(DHMC_ROLE),
    imds: (await describeInstance(world.imdsOff)).MetadataOptions.HttpEndpoint,
    endpoints: endpoints.sort(),
    bareProfile: associations,
  };
}

beforeAll(async () => {
  world = await seedWorld(suite.emu.url, 0);
  // An instance with no profile beside the good one (DHMC is off in us-east-1).
  const good = await describeInstance(world.good);
  const run = (await aws(
    ['ec2', 'run-instances', '--image-id', 'ami-12345678', '--subnet-id', good.SubnetId, '--metadata-options', 'HttpTokens=required', '--region', 'us-east-1'],
    suite.env,
  )) as { Instances: { InstanceId: string }[] };
  bare = run.Instances[0]!.InstanceId;
  isolatedVpc = (await describeInstance(world.isolated)).VpcId;
  // DHMC on in us-east-2, then its role loses its policy: a broken DHMC role.
  const on = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-2', '-q'], suite.env);
  expect(on.code, on.stderr).toBe(0);
  await aws(['iam', 'detach-role-policy', '--role-name', DHMC_ROLE, '--policy-arn', DHMC_POLICY], suite.env);
}, 180_000);

interface FixDoc {
  dryRun: boolean;
  fixes: { id: string; status: string; instanceIds: string[]; error: { code: string } | null }[];
  changes: { operation: string; status: string }[];
  leftForYou: { instanceId: string; reason: string }[];
  before: Record<string, number>;
  after: Record<string, number> | null;
}

describe('doctor --fix over the doctor world', () => {
  let unchanged: Awaited<ReturnType<typeof awsState>>;

  it('--dry-run plans one fix per group and changes nothing (read back with the AWS CLI)', async () => {
    unchanged = await awsState();
    expect(unchanged).toMatchObject({ hasDefaultProfile: false, imds: 'disabled', endpoints: [], bareProfile: [] });
    const r = await ssmPerms(['doctor', '--fix', '--dry-run', '--json', ...REGIONS], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FixDoc;
    expect(doc.dryRun).toBe(true);
    expect(Object.fromEntries(doc.fixes.map((f) => [f.id, f.instanceIds]))).toEqual({
      [`role-policy:${DHMC_ROLE}:AmazonSSMManagedEC2InstanceDefaultPolicy`]: [world.noAgent],
      'role-policy:WeakProfileRole:AmazonSSMManagedInstanceCore': [world.weak],
      'profile-create:SSMInstanceProfile': [bare],
      'profile-attach:us-east-1:SSMInstanceProfile': [bare],
      'imds:us-east-1:enable': [world.imdsOff],
      [`endpoints:us-east-1:${isolatedVpc}`]: [world.isolated],
    });
    expect(doc.fixes.every((f) => f.status === 'planned')).toBe(true);
    expect(await awsState()).toEqual(unchanged);
  }, 120_000);

  it('without consent (--no-input): exit 2 and nothing changed', async () => {
    const r = await ssmPerms(['doctor', '--fix', '--no-input', ...REGIONS], suite.env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(await awsState()).toEqual(unchanged);
  }, 120_000);

  it('--yes applies every fix, and doctor then finds every fixable instance managed or ready', async () => {
    const r = await ssmPerms(['doctor', '--fix', '--yes', '--json', ...REGIONS], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FixDoc;
    expect(doc.fixes.map((f) => [f.id, f.status]).filter(([, s]) => s !== 'applied')).toEqual([]);
    expect(doc.before.notReady).toBe(5);
    expect(doc.after).toMatchObject({ notReady: 0 });

    const state = await awsState();
    expect(state).toMatchObject({ hasDefaultProfile: true, imds: 'enabled', bareProfile: [expect.stringContaining('instance-profile/SSMInstanceProfile')] });
    expect(state.weakPolicies).toContain('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    expect(state.dhmcPolicies).toContain(DHMC_POLICY);
    expect(state.endpoints).toEqual(['com.amazonaws.us-east-1.ssm', 'com.amazonaws.us-east-1.ssmmessages']);

    const after = await ssmPerms(['doctor', '--json', ...REGIONS], suite.env);
    const verdicts = new Map<string, string>(JSON.parse(after.stdout).instances.map((i: { instanceId: string; verdict: string }) => [i.instanceId, i.verdict]));
    for (const id of [world.weak, world.imdsOff, world.isolated, bare]) expect([id, verdicts.get(id)]).toEqual([id, 'managed']);
    // No agent: nothing blocks it from the AWS side any more, but nothing registers it either.
    expect(verdicts.get(world.noAgent)).toBe('ready');
  }, 300_000);

  it('a second --fix plans nothing', async () => {
    const r = await ssmPerms(['doctor', '--fix', '--json', ...REGIONS], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FixDoc;
    expect(doc.changes).toEqual([]);
    expect(doc.leftForYou.map((l) => l.instanceId)).toEqual([world.noAgent]);
  }, 120_000);
});

describe('a fix that keeps failing (fault proxy)', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(suite.emu.url, { seed: 7 });
    // Broken again: the weak role loses its SSM policy, and IMDS is turned off.
    await aws(
      ['iam', 'detach-role-policy', '--role-name', 'WeakProfileRole', '--policy-arn', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
      suite.env,
    );
    await aws(['ec2', 'modify-instance-metadata-options', '--instance-id', world.imdsOff, '--http-endpoint', 'disabled', '--region', 'us-east-1'], suite.env);
  }, 60_000);
  afterAll(async () => proxy?.stop());

  it('fails that fix alone, named (exit 5); the rest applies; a rerun converges', async () => {
    proxy.setRules([{ service: 'ec2', operation: 'ModifyInstanceMetadataOptions', fault: 500 }]);
    const r = await ssmPerms(['doctor', '--fix', '--yes', '--json', ...REGIONS], { ...suite.env, AWS_ENDPOINT_URL: proxy.url });
    expect(r.code, r.stderr).toBe(5);
    const doc = JSON.parse(r.stdout) as FixDoc;
    expect(doc.fixes.map((f) => [f.id, f.status, f.error?.code ?? null])).toEqual([
      ['role-policy:WeakProfileRole:AmazonSSMManagedInstanceCore', 'applied', null],
      ['imds:us-east-1:enable', 'failed', 'InternalError'],
    ]);
    expect((await awsState()).weakPolicies).toContain('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    expect((await describeInstance(world.imdsOff)).MetadataOptions.HttpEndpoint).toBe('disabled');

    proxy.setRules([]);
    const again = await ssmPerms(['doctor', '--fix', '--yes', '--json', ...REGIONS], { ...suite.env, AWS_ENDPOINT_URL: proxy.url });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as FixDoc).fixes.map((f) => [f.id, f.status])).toEqual([['imds:us-east-1:enable', 'applied']]);
    expect((await describeInstance(world.imdsOff)).MetadataOptions.HttpEndpoint).toBe('enabled');
  }, 300_000);
});
