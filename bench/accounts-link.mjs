// Many accounts through a link with AWS's latency, without an emulator's CPU (`npm run bench:accounts --
// --link`, or `node bench/accounts-link.mjs`): `dhmc status --accounts <ids> --region <17>` for 1, 10
// and 50 accounts against the canned-response server (bench/canned-aws.mjs), every answer delayed by
// 100 ms. Against moto (bench/accounts.mjs) the emulator's own CPU on the same 2 cores sets the ratio;
// here only the CLI and the round trips do, as against AWS. Account ids given alone need no
// Organizations call; each is entered with sts:AssumeRole, which the canned server answers.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCannedAws } from './canned-aws.mjs';
import { CANNED_ENV } from './scale.mjs';

const BIN = fileURLToPath(new URL('../bin/ssm-perms.js', import.meta.url));
// The 17 regions every AWS account has enabled ("Default Regions", AWS Account Management reference).
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'sa-east-1',
];
const LATENCY_MS = Number(process.argv[process.argv.indexOf('--latency') + 1]) || 100;
const RUNS = process.argv.includes('--quick') ? 1 : 3;
const ids = Array.from({ length: 50 }, (_, i) => String(210000000000 + i * 7919));

function timed(args, env) {
  return new Promise((resolve, reject) => {
    const c = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    c.on('error', reject);
    c.on('close', (status) => {
      const [, wall, user, sys, rss] = /TIME (\S+) (\S+) (\S+) (\d+)/.exec(err) ?? [];
      if (status !== 0) return reject(new Error(`exit ${status}: ${err.slice(-1500)}`));
      resolve({ wallMs: Number(wall) * 1000, cpuMs: (Number(user) + Number(sys)) * 1000, rssMb: Number(rss) / 1024 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await startCannedAws({ instances: 10, latencyMs: LATENCY_MS });
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...CANNED_ENV,
  AWS_ENDPOINT_URL: server.url,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const rows = [];
let base;
for (const n of [1, 10, 50]) {
  const args = ['dhmc', 'status', '--json', '-q', '--region', REGIONS.join(','), '--accounts', ids.slice(0, n).join(',')];
  const all = [];
  for (let i = 0; i < RUNS; i++) all.push(await timed(args, env));
  const row = { n, wallMs: median(all.map((r) => r.wallMs)), cpuMs: median(all.map((r) => r.cpuMs)), rssMb: Math.max(...all.map((r) => r.rssMb)) };
  base ??= row.wallMs;
  rows.push({ ...row, ratio: row.wallMs / base });
  process.stderr.write(
    `${n} accounts x 17 regions: ${Math.round(row.wallMs)} ms (${(row.wallMs / base).toFixed(2)}x), CPU ${Math.round(row.cpuMs)} ms, ${Math.round(row.rssMb)} MB\n`,
  );
}
server.close?.();
console.log(`| accounts x 17 regions, ${LATENCY_MS} ms a call | median ms | vs 1 account | CLI CPU ms | peak RSS MB |`);
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.n} | ${Math.round(r.wallMs)} | ${r.ratio.toFixed(2)}x | ${Math.round(r.cpuMs)} | ${Math.round(r.rssMb)} |`);
process.exit(0);
