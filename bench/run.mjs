// Benchmarks: medians of repeated runs of the built CLI, each next to a baseline measured in the
// same run, and peak memory. `npm run bench` (add `-- --quick` for fewer runs and a 1,000-instance
// fleet only; `-- --scale` for doctor at fleet scale instead, see bench/scale.mjs). Everything runs
// against 127.0.0.1: the local emulator started here, or the canned-response server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../test/emulator/moto.mjs';
import { runChild, scaleBench } from './scale.mjs';

const quick = process.argv.includes('--quick');
const BIN = fileURLToPath(new URL('../bin/ssm-perms.js', import.meta.url));
const REGIONS16 = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
  'ca-central-1',
];
const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';

/**
 * Runs a command `runs` times; returns the median wall time (ms) and the peak RSS (MB) over the runs.
 * Asynchronous: the emulator logs every request on a pipe this process must keep reading.
 */
async function measure(cmd, args, env, runs) {
  const times = [];
  let rss = 0;
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    const r = await runChild('/usr/bin/time', ['-f', '%M', cmd, ...args], env);
    times.push(performance.now() - t0);
    if (r.status !== 0 && !(r.status === 6 && args.includes('doctor'))) {
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    }
    rss = Math.max(rss, Number(r.stderr.trim().split('\n').pop()) / 1024);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], rssMb: rss };
}

/** A shell loop as one measured command (the AWS CLI baselines). */
const sh = (script) => ['bash', ['-c', script]];

const rows = [];
function row(name, subject, baseline, baselineName, target) {
  const ratio = subject.ms / baseline.ms;
  rows.push({
    name,
    ms: Math.round(subject.ms),
    baseline: baselineName,
    baselineMs: Math.round(baseline.ms),
    ratio: Number(ratio.toFixed(2)),
    target,
    rssMb: Math.round(subject.rssMb),
  });
  process.stderr.write(`  ${name}: ${Math.round(subject.ms)} ms (${ratio.toFixed(2)}x ${baselineName})\n`);
}

/** DHMC on in us-east-1, so the SSM double registers the seeded instances (they have no profile). */
async function enableDhmc(env) {
  const on = await runChild(process.execPath, [BIN, 'dhmc', 'enable', '--region', 'us-east-1', '-q'], env);
  if (on.status !== 0) throw new Error(`dhmc enable failed: ${on.stderr}`);
}

async function seedFleet(url, count, perCall = 100) {
  const {
    EC2Client,
    CreateVpcCommand,
    CreateSubnetCommand,
    CreateInternetGatewayCommand,
    AttachInternetGatewayCommand,
    CreateRouteTableCommand,
    CreateRouteCommand,
    AssociateRouteTableCommand,
    ModifySubnetAttributeCommand,
    RunInstancesCommand,
  } = await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc.VpcId;
  const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.0.0/18' }))).Subnet.SubnetId;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway.InternetGatewayId;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpc }))).RouteTable.RouteTableId;
  await ec2.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: table, SubnetId: subnet }));
  await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnet, MapPublicIpOnLaunch: { Value: true } }));
  // `perCall` instances per RunInstances, so per reservation: moto pages DescribeInstances by reservation.
  const launch = (n) =>
    ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: n, MaxCount: n, SubnetId: subnet, MetadataOptions: { HttpTokens: 'required' } }));
  const calls = [];
  for (let left = count; left > 0; left -= perCall) calls.push(Math.min(perCall, left));
  // A few calls at once: one instance per call is thousands of calls.
  for (let i = 0; i < calls.length; i += 8) await Promise.all(calls.slice(i, i + 8).map(launch));
}

if (process.argv.includes('--scale')) {
  await scaleBench({ quick, motoOnly: process.argv.includes('--moto-only'), seedFleet, enableDhmc });
  process.exit(0);
}

const runs = { offline: quick ? 7 : 15, online: quick ? 3 : 5, fleet: quick ? 1 : 3 };
const base = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

process.stderr.write('offline start-up\n');
const bare = await measure(process.execPath, ['-e', '0'], base, runs.offline);
row('--help', await measure(process.execPath, [BIN, '--help'], base, runs.offline), bare, 'node -e 0', '<= 1.3x');
row(
  's3-policy generate',
  await measure(
    process.execPath,
    [BIN, 's3-policy', 'generate', '--region', 'us-east-2', '--vpc-endpoint', '--bucket', 'amzn-s3-demo-bucket', '--cross-account', '--encrypted'],
    base,
    runs.offline,
  ),
  bare,
  'node -e 0',
  '<= 1.3x',
);
row(
  'admin-policy generate',
  await measure(process.execPath, [BIN, 'admin-policy', 'generate', '--account', '111122223333', '--region', 'us-east-2'], base, runs.offline),
  bare,
  'node -e 0',
  '<= 1.3x',
);
// Node 22+: the module compile cache the entry point turns on, against the same run with it off.
if (typeof (await import('node:module')).default.enableCompileCache === 'function') {
  const off = await measure(process.execPath, [BIN, '--help'], { ...base, NODE_DISABLE_COMPILE_CACHE: '1' }, runs.offline);
  await measure(process.execPath, [BIN, '--help'], base, 1); // fills the cache
  row('--help, compile cache on', await measure(process.execPath, [BIN, '--help'], base, runs.offline), off, '--help, cache off', '< 1x');
}

const emu = await startEmulator();
const env = { ...base, ...emu.env('us-east-1') };
try {
  process.stderr.write('dhmc status against the emulator\n');
  // Warm the emulator's lazy imports so the first measured run is not charged for them.
  await measure(process.execPath, [BIN, 'dhmc', 'status', '--region', REGIONS16.join(',')], env, 1);
  const one = await measure(process.execPath, [BIN, 'dhmc', 'status', '--region', 'us-east-1'], env, runs.online);
  const sixteen = await measure(process.execPath, [BIN, 'dhmc', 'status', '--region', REGIONS16.join(',')], env, runs.online);
  const awsOne = await measure(...sh(`aws ssm get-service-setting --setting-id ${SETTING} --region us-east-1 > /dev/null`), env, runs.online);
  const awsSixteen = await measure(
    ...sh(`for r in ${REGIONS16.join(' ')}; do aws ssm get-service-setting --setting-id ${SETTING} --region $r > /dev/null; done`),
    env,
    runs.online,
  );
  row('dhmc status, 1 region', one, awsOne, 'aws ssm get-service-setting', 'faster than the AWS CLI');
  row('dhmc status, 16 regions', sixteen, awsSixteen, 'aws CLI loop over 16 regions', 'faster than the AWS CLI');
  row('dhmc status, 16 vs 1 region', sixteen, one, 'dhmc status, 1 region', '<= 1.5x');

  const sizes = quick ? [1000] : [1000, 5000];
  let seeded = 0;
  for (const size of sizes) {
    process.stderr.write(`doctor over ${size} instances (seeding ${size - seeded})\n`);
    await seedFleet(emu.url, size - seeded);
    seeded = size;
    if (size === sizes[0]) await enableDhmc(env);
    const doctor = await measure(process.execPath, [BIN, 'doctor', '--region', 'us-east-1', '--json'], env, runs.fleet);
    const awsReads = await measure(
      ...sh(
        'aws ec2 describe-instances > /dev/null && aws ec2 describe-iam-instance-profile-associations > /dev/null && aws ssm describe-instance-information > /dev/null',
      ),
      env,
      runs.fleet,
    );
    row(`doctor, ${size} instances`, doctor, awsReads, 'aws CLI: 3 paginated reads', size >= 5000 ? '< 30 s' : '-');
  }
} finally {
  await emu.stop();
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const header = ['benchmark', 'median ms', 'baseline', 'baseline ms', 'ratio', 'target', 'peak RSS MB'];
const lines = [header, ...rows.map((r) => [r.name, String(r.ms), r.baseline, String(r.baselineMs), `${r.ratio}x`, r.target, String(r.rssMb)])];
const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
const table = lines.map((l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
table.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
process.stdout.write(`${machine}${quick ? ' (quick)' : ''}\n${table.join('\n')}\n`);
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(new URL('./out/results.json', import.meta.url), JSON.stringify({ machine, quick, rows }, null, 2));
