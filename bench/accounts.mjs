// The many-accounts benchmark (issue 12, "Speed"): `dhmc status --accounts <ids>` over 1, 10 and 50
// member accounts of an organization created in the local emulator, as the built CLI in a child process.
// Reports medians of wall time, the CLI's CPU time, the emulator's CPU time over the same run, the peak
// RSS of the CLI, and the ratio against one account; then the AWS calls one run makes (--debug).
// `npm run bench:accounts` (add `-- --quick` for fewer runs and no 17-region pass).
// Everything runs against 127.0.0.1.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startEmulator } from '../test/emulator/moto.mjs';

const quick = process.argv.includes('--quick');
// The build measured is copied aside first: a rebuild of dist/ meanwhile (other work in the same
// tree) would otherwise break or change the runs. The bundle needs nothing from node_modules.
const SNAPSHOT = mkdtempSync(join(tmpdir(), 'ssm-perms-bench-'));
for (const dir of ['bin', 'dist']) cpSync(fileURLToPath(new URL(`../${dir}/`, import.meta.url)), join(SNAPSHOT, dir), { recursive: true });
const BIN = join(SNAPSHOT, 'bin', 'ssm-perms.js');
const MEMBERS = 50;
// The target is stated for 17 regions: the regions every AWS account has enabled, those launched
// before March 20, 2019 ("Default Regions", https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
// moto enables 20 of the aws partition; these three of them are opt-in Regions in AWS (Cape Town, Jakarta, Milan).
const OPT_IN_IN_AWS = new Set(['af-south-1', 'ap-southeast-3', 'eu-south-1']);
const TICK_MS = 10; // /proc/<pid>/stat counts CPU time in clock ticks, USER_HZ = 100 on Linux (proc(5))

/** The emulator's process (python ... moto_ssm.py -p <port>): its CPU time is read around each run. */
function emulatorPid(port) {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.endsWith('moto_ssm.py')) && cmd.includes(String(port))) return pid;
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no emulator process on port ${port}`);
}

/** utime + stime of a process, in ms (fields 14 and 15 of /proc/<pid>/stat, after the parenthesised name). */
function cpuMs(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    throw new Error(`the emulator (pid ${pid}) is gone: it exited or was stopped during the benchmark`);
  }
  const fields = stat.split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/**
 * Runs a child to its end. Not spawnSync: the emulator logs every request on a pipe this process
 * drains (test/emulator/moto.mjs), and a blocked event loop lets that pipe fill until the emulator
 * stops answering (seen here: a 50-account run, ~1,100 requests, hung on it).
 */
function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs the CLI `runs` times under /usr/bin/time; returns medians of wall ms, the CLI's CPU ms (user +
 * sys) and the emulator's CPU ms over the run, and the peak RSS (MB) over the runs.
 */
async function measure(args, env, runs, motoPid) {
  const wall = [];
  const cli = [];
  const moto = [];
  let rss = 0;
  for (let i = 0; i < runs; i += 1) {
    const m0 = cpuMs(motoPid);
    const t0 = performance.now();
    const r = await run('/usr/bin/time', ['-f', '%M %U %S', process.execPath, BIN, ...args], env);
    wall.push(performance.now() - t0);
    moto.push(cpuMs(motoPid) - m0);
    if (r.status !== 0) throw new Error(`ssm-perms ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const [maxKb, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    cli.push((user + sys) * 1000);
    rss = Math.max(rss, maxKb / 1024);
  }
  return { ms: median(wall), cliCpuMs: median(cli), motoCpuMs: median(moto), rssMb: rss };
}

/** The AWS calls of one run, from --debug's last line ("debug: N AWS calls (sts:AssumeRole 50, ...)"). */
async function callCounts(args, env) {
  const r = await run(process.execPath, [BIN, ...args, '--debug'], env);
  if (r.status !== 0) throw new Error(`ssm-perms ${args.join(' ')} --debug exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const line = r.stderr
    .trim()
    .split('\n')
    .findLast((l) => / AWS calls? \(/.test(l));
  return line ? line.replace(/^debug: /, '') : '(no summary line)';
}

const emu = await startEmulator();
const env = emu.env('us-east-1');
const motoPid = emulatorPid(emu.port);
const sdk = { region: 'us-east-1', endpoint: emu.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
const rows = [];
const calls = [];

let allCount;
let coldMs;
let setup;
try {
  // moto lists every region it knows; `--region all` leaves out those "not-opted-in" and those of
  // another partition than the home region's (us-gov-*, cn-*).
  const listed = (await new EC2Client(sdk).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  const optedIn = listed.filter((r) => r.OptInStatus !== 'not-opted-in').length;

  // CreateAccount answers with the new account's id; moto makes it ACTIVE at once.
  const t0 = performance.now();
  const org = new OrganizationsClient(sdk);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const ids = [];
  for (let i = 0; i < MEMBERS; i += 1) {
    const r = await org.send(new CreateAccountCommand({ AccountName: `bench-${i}`, Email: `bench-${i}@example.com` }));
    ids.push(r.CreateAccountStatus.AccountId);
  }
  setup = Math.round(performance.now() - t0);
  process.stderr.write(`organization with ${MEMBERS} member accounts created in ${setup} ms\n`);

  const status = (n, regions, concurrency = 8) => [
    'dhmc',
    'status',
    '--json',
    '-q',
    '--region',
    regions,
    '--accounts',
    ids.slice(0, n).join(','),
    '--account-concurrency',
    String(concurrency),
  ];
  // Warm the emulator: it makes each account's backends per region on first use (the SSM one loads
  // AWS's public parameters), which a real AWS does not charge; every measured run then finds them
  // made. Its result is not measured.
  process.stderr.write('warming the emulator (every account, every region)\n');
  const w0 = performance.now();
  await run(process.execPath, [BIN, ...status(MEMBERS, 'all', 4)], env);
  await run(process.execPath, [BIN, 'dhmc', 'status', '--region', 'all', '-q'], env);
  coldMs = Math.round(performance.now() - w0);
  const first = await run(process.execPath, [BIN, ...status(1, 'all')], env);
  if (first.status !== 0) throw new Error(`dhmc status exited ${first.status}: ${first.stderr.slice(-2000)}`);
  const allRegions = JSON.parse(first.stdout).accounts[0].regions.map((r) => r.region);
  allCount = allRegions.length;
  const defaultRegions = allRegions.filter((r) => !OPT_IN_IN_AWS.has(r));
  if (defaultRegions.length !== 17) throw new Error(`expected 17 default regions in moto's list, got ${defaultRegions.join(',')}`);
  process.stderr.write(
    `warm-up ${coldMs} ms; moto lists ${listed.length} regions, ${optedIn} not "not-opted-in"; --region all = ${allCount} (the aws partition's)\n`,
  );

  const runs = { 1: quick ? 3 : 5, 10: quick ? 3 : 5, 50: quick ? 1 : 3 };
  const passes = quick
    ? [['all', 'all']]
    : [
        [defaultRegions.join(','), '17'],
        ['all', 'all'],
      ];
  for (const [regions, label] of passes) {
    const count = label === 'all' ? allCount : 17;
    // The caller's own account without --accounts: the single-account command, for reference.
    const own = await measure(['dhmc', 'status', '--json', '-q', '--region', regions], env, runs[1], motoPid);
    rows.push({ name: `no --accounts (caller's account), ${count} regions`, ...own, ratio: null });
    let one;
    for (const [n, concurrency] of [
      [1, 8],
      [10, 8],
      [50, 8],
      [50, 16],
    ]) {
      process.stderr.write(`  ${n} accounts x ${count} regions, --account-concurrency ${concurrency}\n`);
      const m = await measure(status(n, regions, concurrency), env, runs[n], motoPid);
      one ??= m;
      process.stderr.write(
        `    ${Math.round(m.ms)} ms (${(m.ms / one.ms).toFixed(2)}x), CLI CPU ${Math.round(m.cliCpuMs)} ms, emulator CPU ${Math.round(m.motoCpuMs)} ms, ${Math.round(m.rssMb)} MB\n`,
      );
      rows.push({ name: `${n} account${n === 1 ? '' : 's'} x ${count} regions, concurrency ${concurrency}`, ...m, ratio: m.ms / one.ms });
      if (concurrency === 8) calls.push({ name: `${n} account${n === 1 ? '' : 's'} x ${count} regions`, calls: await callCounts(status(n, regions), env) });
    }
  }
} finally {
  await emu.stop();
  rmSync(SNAPSHOT, { recursive: true, force: true });
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const header = ['run', 'median ms', 'vs 1 account', 'CLI CPU ms', 'emulator CPU ms', 'peak RSS MB'];
const lines = [
  header,
  ...rows.map((r) => [
    r.name,
    String(Math.round(r.ms)),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
    String(Math.round(r.cliCpuMs)),
    String(Math.round(r.motoCpuMs)),
    String(Math.round(r.rssMb)),
  ]),
];
const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
const table = lines.map((l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
table.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
const callLines = calls.map((c) => `- ${c.name}: ${c.calls}`);
process.stdout.write(
  `${machine}${quick ? ' (quick)' : ''}; --region all = ${allCount} regions; ${MEMBERS} accounts created in ${setup} ms; warm-up (cold emulator, --account-concurrency 4) ${coldMs} ms\n${table.join('\n')}\n\nAWS calls per run (--debug):\n${callLines.join('\n')}\n`,
);
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./out/accounts.json', import.meta.url),
  JSON.stringify({ machine, quick, allRegions: allCount, setupMs: setup, coldMs, rows, calls }, null, 2),
);
