// `npm run sandbox`: the local AWS emulator the tests use (moto + the SSM double, on 127.0.0.1), for
// trying ssm-perms without an AWS account.
//   npm run sandbox                 start it and print the environment to use it; Ctrl-C stops it
//   npm run sandbox -- --tour       run a short tour against it, then stop
//   npm run sandbox -- --seed       also seed a demo fleet (every situation doctor explains) for doctor and attach
//   npm run sandbox -- --port 4580  choose the port
// SSM_PERMS_PYTHON names the Python that has moto (default: python3 from PATH).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './moto.mjs';
import { seedWorld } from './seed-world.mjs';

const args = process.argv.slice(2);
const tour = args.includes('--tour');
const seed = args.includes('--seed');
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : undefined;
const bin = fileURLToPath(new URL('../../bin/ssm-perms.js', import.meta.url));

/** Instances per situation, and the us-east-2 fleet DHMC manages: small, so doctor's groups read at a glance. */
const DEMO_PER_CASE = 3;
const DEMO_FLEET = 20;

/** What each group of the demo fleet is, in the order seed-world.mjs builds them. */
const DEMO_GROUPS = [
  ['us-east-1', 'good', 'GoodProfile (AmazonSSMManagedInstanceCore)'],
  ['us-east-1', 'weak', 'WeakProfile, whose role has no SSM permissions'],
  ['us-east-1', 'imdsOff', 'GoodProfile, instance metadata service off'],
  ['us-east-1', 'isolated', 'GoodProfile, subnet with no route out'],
  ['us-east-1', 'endpoints', 'GoodProfile, private subnet with VPC endpoints'],
  ['us-east-2', 'shadow', 'GoodProfile, which takes precedence over DHMC'],
  ['us-east-2', 'noAgent', 'no SSM Agent'],
];

// The seeding runs the AWS SDK in this process: its notice about future Node versions is noise here,
// as in the children emulatorEnv() starts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
let emu;
try {
  emu = await startEmulator({ port });
} catch (e) {
  // Most often moto is missing: the message says how to install it and SSM_PERMS_PYTHON.
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
}
const env = emu.env('us-east-1');
const exports = Object.entries(env)
  .filter(([k]) => k.startsWith('AWS_'))
  .map(([k, v]) => `export ${k}=${v}`)
  .join('\n');

/** Seeds the demo fleet and turns DHMC on in us-east-2 with ssm-perms itself; returns what to print. */
async function seedDemo() {
  process.stderr.write('Seeding the demo fleet...\n');
  const world = await seedWorld(emu.url, DEMO_FLEET, { perCase: DEMO_PER_CASE });
  const on = spawnSync(process.execPath, [bin, 'dhmc', 'enable', '--region', 'us-east-2', '-q'], { env, encoding: 'utf8' });
  if (on.status !== 0) throw new Error(`ssm-perms dhmc enable --region us-east-2 failed (exit ${on.status}):\n${on.stderr}`);
  const row = (region, count, name, what) => `  ${region}  ${String(count).padStart(2)}  Name=${name.padEnd(9)}  ${what}`;
  const rows = DEMO_GROUPS.map(([region, key, what]) => row(region, world.groups[key].length, nameTag(key), what));
  rows.push(row('us-east-2', world.fleet.length, 'fleet', 'no profile: DHMC, which is on in us-east-2'));
  return (
    `Demo fleet of ${DEMO_PER_CASE * DEMO_GROUPS.length + world.fleet.length} instances (a Name tag per group):\n${rows.join('\n')}\n\n` +
    'Try:\n' +
    '  ssm-perms doctor --region us-east-1,us-east-2\n' +
    `  ssm-perms doctor --region us-east-1 --instance-id ${world.weak}\n` +
    '  ssm-perms profile attach --name GoodProfile --tag Name=weak --region us-east-1 --replace --dry-run\n' +
    '  ssm-perms profile update --role-name WeakProfileRole --dry-run\n' +
    '  ssm-perms doctor --region us-east-1,us-east-2 -o markdown\n\n'
  );
}

/** The Name tag seed-world.mjs gives a group. */
function nameTag(key) {
  return { imdsOff: 'imds-off', noAgent: 'no-agent' }[key] ?? key;
}

const demo = seed ? await seedDemo() : '';

if (!tour) {
  process.stdout.write(
    `The emulator is listening on ${emu.url} (moto + the SSM double; nothing leaves this machine).\n` +
      `In another shell, paste:\n\n${exports}\nalias ssm-perms="node ${bin}"\n\n` +
      (demo || 'then try:  ssm-perms dhmc status --region us-east-1,us-east-2\n') +
      `Its state lives in memory; Ctrl-C here stops it and forgets everything.\n`,
  );
  const stop = async () => {
    await emu.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  const steps = [
    ['dhmc', 'status', '--region', 'us-east-1,us-east-2'],
    ['dhmc', 'enable', '--region', 'us-east-1,us-east-2', '--dry-run'],
    ['dhmc', 'enable', '--region', 'us-east-1,us-east-2'],
    ['dhmc', 'status', '--region', 'us-east-1,us-east-2'],
    ['dhmc', 'disable', '--region', 'us-east-1,us-east-2', '--yes'],
    ['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--json'],
  ];
  let failed = false;
  for (const step of steps) {
    process.stdout.write(`\n$ ssm-perms ${step.join(' ')}\n`);
    const r = spawnSync(process.execPath, [bin, ...step], { env, stdio: 'inherit' });
    process.stdout.write(`(exit ${r.status})\n`);
    if (r.status !== 0) failed = true;
  }
  await emu.stop();
  process.exit(failed ? 1 : 0);
}
