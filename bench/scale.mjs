// doctor at fleet scale (`npm run bench -- --scale`): the built CLI against the canned-response server
// (bench/canned-aws.mjs) for 1,000 / 5,000 / 20,000 instances in one region, with and without 100 ms a
// call; then against moto, 5,000 registered instances with and without a 100 ms link (the fault proxy's
// latency rule). Each run reports wall time, the CLI's own CPU (user + sys of the child, from
// /usr/bin/time), its peak RSS, and the AWS calls it made (from --debug).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startCannedAws } from './canned-aws.mjs';

const BIN = fileURLToPath(new URL('../bin/ssm-perms.js', import.meta.url));

/**
 * A child's exit status and output, asynchronously: the canned server answers from this process, and
 * the emulator logs every request on a pipe this process must keep reading (a blocked parent stalls it).
 */
export function runChild(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/**
 * One doctor run as a child process under /usr/bin/time (user + sys and peak RSS of the CLI alone);
 * exit 6 (problems found) is a normal answer.
 */
export async function timedDoctor(env, { json = true } = {}) {
  const args = ['-f', 'TIME %e %U %S %M', process.execPath, BIN, 'doctor', '--region', 'us-east-1', '--debug', ...(json ? ['--json'] : [])];
  const t0 = performance.now();
  const r = await runChild('/usr/bin/time', args, env);
  const wallMs = performance.now() - t0;
  if (r.status !== 0 && r.status !== 6) throw new Error(`doctor exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const [, user, sys, rssKb] = /TIME \S+ (\S+) (\S+) (\d+)/.exec(r.stderr) ?? [];
  const calls = Number(/^debug: (\d+) AWS calls/m.exec(r.stderr)?.[1] ?? NaN);
  // Any read that failed would make the figures those of a partial run.
  if (/^warning: could not read/m.test(r.stderr)) throw new Error(`doctor could not read everything: ${r.stderr.match(/^warning: .*$/m)?.[0]}`);
  const instances = json ? JSON.parse(r.stdout).instances.length : null;
  return { wallMs, cpuMs: (Number(user) + Number(sys)) * 1000, rssMb: Number(rssKb) / 1024, calls, instances };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs `fn` `runs` times: the median wall and CPU, the highest RSS. */
async function repeat(runs, fn) {
  const all = [];
  for (let i = 0; i < runs; i += 1) all.push(await fn());
  return {
    wallMs: median(all.map((r) => r.wallMs)),
    cpuMs: median(all.map((r) => r.cpuMs)),
    rssMb: Math.max(...all.map((r) => r.rssMb)),
    calls: all[0].calls,
    instances: all[0].instances,
  };
}

export const CANNED_ENV = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

/**
 * The canned server: each size with 0 and 100 ms a call, `doctor --json` (every instance's checks on
 * stdout, the heaviest output); and the largest size through 100 ms with doctor's default output too.
 */
export async function cannedRows({ sizes, runs, base }) {
  const rows = [];
  for (const size of sizes) {
    const server = await startCannedAws({ instances: size });
    const env = { ...base, ...CANNED_ENV, AWS_ENDPOINT_URL: server.url };
    try {
      const cases = [[0, true], [100, true], ...(size === Math.max(...sizes) ? [[100, false]] : [])];
      for (const [latency, json] of cases) {
        server.setLatency(latency);
        const output = json ? '--json' : 'default output';
        process.stderr.write(`  doctor over ${size} instances, ${latency} ms a call, ${output}\n`);
        const r = await repeat(runs, () => timedDoctor(env, { json }));
        if (json && r.instances !== size) throw new Error(`doctor reported ${r.instances} instances of ${size}`);
        rows.push({ name: `canned, ${size} instances, ${latency} ms a call, ${output}`, size, latency, ...r });
      }
    } finally {
      await server.stop();
    }
  }
  return rows;
}

/**
 * moto: the seeded fleet, doctor direct and through the fault proxy adding 100 ms to every call, the two
 * interleaved `runs` times each (medians), so a busy spell of the machine does not land on one side only.
 */
export async function motoRows({ emu, size, runs, env, label = null }) {
  const { startFaultProxy } = await import('../test/emulator/fault-proxy.mjs');
  const proxy = await startFaultProxy(emu.url);
  const direct = [];
  const slow = [];
  try {
    proxy.setRules([{ fault: 'latency', ms: 100 }]);
    for (let i = 0; i < runs; i += 1) {
      process.stderr.write(`  doctor over ${size} moto instances, direct and through 100 ms (${i + 1} of ${runs})\n`);
      direct.push(await timedDoctor(env));
      slow.push(await timedDoctor({ ...env, AWS_ENDPOINT_URL: proxy.url }));
    }
  } finally {
    await proxy.stop();
  }
  const summary = async (all) => repeat(all.length, async () => all.shift());
  const what = `moto, ${size} instances${label ? ` (${label})` : ''}`;
  return [
    { name: `${what}, direct`, size, latency: 0, ...(await summary(direct)) },
    { name: `${what}, 100 ms a call`, size, latency: 100, ...(await summary(slow)) },
  ];
}

/** The table bench/README.md shows: wall, CPU per instance, peak RSS, calls. */
export function scaleTable(rows) {
  const header = ['run', 'wall s', 'CLI CPU s', 'CPU ms/instance', 'peak RSS MB', 'AWS calls'];
  const lines = [
    header,
    ...rows.map((r) => [
      r.name,
      (r.wallMs / 1000).toFixed(2),
      (r.cpuMs / 1000).toFixed(2),
      (r.cpuMs / r.size).toFixed(3),
      String(Math.round(r.rssMb)),
      String(r.calls),
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const table = lines.map((l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
  table.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  return table.join('\n');
}

const BASE_ENV = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/**
 * The whole scale bench (`npm run bench -- --scale`; `--quick`: 1,000 and 5,000 instances, no moto).
 * `seedFleet(url, count)` and `enableDhmc(env)` come from run.mjs: RunInstances in a public subnet, then
 * DHMC on, so the SSM double registers every instance.
 */
export async function scaleBench({ quick, motoOnly = false, seedFleet, enableDhmc }) {
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const load = () => loadavg()[0].toFixed(1);
  const rows = [];
  if (!motoOnly) {
    process.stderr.write(`doctor at scale, canned server (load average ${load()})\n`);
    rows.push(...(await cannedRows({ sizes: quick ? [1000, 5000] : [1000, 5000, 20000], runs: 1, base: BASE_ENV })));
  }
  // moto pages DescribeInstances by reservation (its MaxResults counts reservations): 5,000 instances
  // launched 100 a call come in one page; launched one a call (as an Auto Scaling group does), in pages
  // of 1,000. Both are measured: the page size, not the fleet, sets the peak.
  for (const perCall of quick ? [] : [100, 1]) {
    const { startEmulator } = await import('../test/emulator/moto.mjs');
    const emu = await startEmulator();
    try {
      const env = { ...BASE_ENV, ...emu.env('us-east-1') };
      process.stderr.write(`doctor at scale, moto: seeding 5000 instances, ${perCall} a reservation (load average ${load()})\n`);
      await seedFleet(emu.url, 5000, perCall);
      await enableDhmc(env);
      const label = `${perCall} a reservation`;
      rows.push(...(await motoRows({ emu, size: 5000, runs: 3, env, label })));
    } finally {
      await emu.stop();
    }
  }
  const out = `${machine}, load average ${load()} at the end${quick ? ' (quick)' : ''}\n${scaleTable(rows)}\n`;
  process.stdout.write(out);
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./out/scale.json', import.meta.url), JSON.stringify({ machine, quick, rows }, null, 2));
}

// `node bench/scale.mjs [--sizes 1000,5000] [--runs 1]`: the canned part alone, without moto.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const sizes = arg('--sizes', '1000,5000,20000').split(',').map(Number);
  const rows = await cannedRows({ sizes, runs: Number(arg('--runs', '1')), base: BASE_ENV });
  process.stdout.write(`${scaleTable(rows)}\n`);
}
