// `npm run sandbox`: the local AWS emulator the tests use (moto + the SSM double, on 127.0.0.1), for
// trying ssm-perms without an AWS account.
//   npm run sandbox                 start it and print the environment to use it; Ctrl-C stops it
//   npm run sandbox -- --tour       run a short tour against it, then stop
//   npm run sandbox -- --port 4580  choose the port
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './moto.mjs';

const args = process.argv.slice(2);
const tour = args.includes('--tour');
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : undefined;
const bin = fileURLToPath(new URL('../../bin/ssm-perms.js', import.meta.url));

const emu = await startEmulator({ port });
const env = emu.env('us-east-1');
const exports = Object.entries(env)
  .filter(([k]) => k.startsWith('AWS_'))
  .map(([k, v]) => `export ${k}=${v}`)
  .join('\n');

if (!tour) {
  process.stdout.write(
    `The emulator is listening on ${emu.url} (moto + the SSM double; nothing leaves this machine).\n` +
      `In another shell, paste:\n\n${exports}\nalias ssm-perms="node ${bin}"\n\n` +
      `then try:  ssm-perms dhmc status --region us-east-1,us-east-2\n` +
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
