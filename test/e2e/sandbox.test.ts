// `npm run sandbox -- --seed` as a newcomer runs it: the emulator starts with the demo fleet, every
// command it suggests works against it, doctor sees each situation, Ctrl-C stops it; SSM_PERMS_PYTHON
// chooses the Python that runs moto, and a Python without moto fails with the way to install it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, BIN, run, ssmPerms } from '../helpers/child.js';

const SANDBOX = fileURLToPath(new URL('../emulator/sandbox.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ssm-perms-sandbox-'));
const marker = join(dir, 'python-used');
/** A "Python" that records it was chosen, then runs python3: proves SSM_PERMS_PYTHON is what runs moto. */
const wrapper = join(dir, 'python');
writeFileSync(wrapper, `#!/bin/sh\necho "$@" > '${marker}'\nexec python3 "$@"\n`);
chmodSync(wrapper, 0o755);

const baseEnv = { PATH: process.env.PATH!, HOME: process.env.HOME!, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** Starts the sandbox and resolves with what it printed once it says it is ready. */
function startSandbox(args: string[], env: Record<string, string>): { child: ChildProcess; ready: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [SANDBOX, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Ctrl-C here stops it')) resolve(out);
    });
    child.stderr!.on('data', (d) => (err += d));
    void exit.then((code) => reject(new Error(`the sandbox exited (${code}) before it was ready:\n${out}\n${err}`)));
  });
  return { child, ready, exit };
}

describe('npm run sandbox -- --seed', () => {
  let sandbox: ReturnType<typeof startSandbox>;
  let printed: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = startSandbox(['--seed'], { ...baseEnv, SSM_PERMS_PYTHON: wrapper });
    printed = await sandbox.ready;
    // The environment it tells the user to paste, and nothing else from this process.
    env = { ...baseEnv };
    for (const [, k, v] of printed.matchAll(/^export (\w+)=(.*)$/gm)) env[k!] = v!;
  }, 180_000);

  afterAll(async () => {
    if (sandbox?.child.exitCode === null) sandbox.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs moto with the Python SSM_PERMS_PYTHON names', () => {
    expect(existsSync(marker)).toBe(true);
    expect(env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('seeds 3 instances in each situation and a fleet of 20, as it says (read back with the aws CLI)', async () => {
    expect(printed).toContain('Demo fleet of 41 instances');
    const names = async (region: string) =>
      (await aws(['ec2', 'describe-instances', '--region', region, '--query', 'Reservations[].Instances[].Tags[?Key==`Name`].Value[]'], env)) as string[];
    const count = (list: string[]) => Object.fromEntries([...new Set(list)].map((n) => [n, list.filter((x) => x === n).length]));
    expect(count(await names('us-east-1'))).toEqual({ good: 3, weak: 3, 'imds-off': 3, isolated: 3, endpoints: 3 });
    expect(count(await names('us-east-2'))).toEqual({ shadow: 3, 'no-agent': 3, fleet: 20 });
  });

  it('turns DHMC on in us-east-2 only', async () => {
    const r = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).regions.map((x: { region: string; enabled: boolean }) => [x.region, x.enabled])).toEqual([
      ['us-east-1', false],
      ['us-east-2', true],
    ]);
  });

  it('gives doctor one group per situation: 29 managed, 3 ready, 9 not ready in three causes', async () => {
    const r = await ssmPerms(['doctor', '--region', 'us-east-1,us-east-2', '--json'], env);
    expect(r.code, r.stderr).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toEqual({ total: 41, managed: 29, ready: 3, notReady: 9, stopped: 0, unknown: 0 });
    const reasons = new Set(doc.instances.filter((i: { verdict: string }) => i.verdict === 'not-ready').map((i: { reason: string }) => i.reason));
    expect(reasons.size).toBe(3);
  });

  it('every command under "Try:" runs against it (doctor exits 6: some instances are not ready)', async () => {
    const tries = printed
      .split('Try:\n')[1]!
      .split('\n\n')[0]!
      .split('\n')
      .map((l) => l.trim());
    expect(tries.length).toBeGreaterThanOrEqual(4);
    for (const line of tries) {
      const [command, ...args] = line.split(' ');
      expect(command).toBe('ssm-perms');
      const r = await run(process.execPath, [BIN, ...args], env);
      expect([0, 6], `${line}\n${r.stderr}`).toContain(r.code);
      expect(r.stdout, line).not.toBe('');
    }
  });

  it('stops on Ctrl-C with exit 0, and its emulator with it', async () => {
    sandbox.child.kill('SIGINT');
    expect(await sandbox.exit).toBe(0);
    await expect(fetch(`${env.AWS_ENDPOINT_URL}/moto-api/data.json`)).rejects.toThrow();
  });
});

describe('a Python without moto', () => {
  it('exits 1 with the way to install moto in a venv and SSM_PERMS_PYTHON', async () => {
    // Bounded: were the emulator to start after all, the sandbox would wait for Ctrl-C; SIGINT stops it and its emulator.
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [SANDBOX],
        { env: { ...baseEnv, SSM_PERMS_PYTHON: join(dir, 'no-such-python') }, timeout: 30_000, killSignal: 'SIGINT' },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: the emulator (${join(dir, 'no-such-python')}`);
    expect(r.stderr).toContain("python3 -m venv ~/.venvs/moto && ~/.venvs/moto/bin/pip install 'moto[server]==5.2.1'");
    expect(r.stderr).toContain('SSM_PERMS_PYTHON=~/.venvs/moto/bin/python');
    expect(r.stdout).toBe('');
  });
});
