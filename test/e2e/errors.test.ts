// End to end: errors that say what is wrong (issue 11, section 6), with the built CLI as a child process
// against the emulator, and a real pipe, a real pseudo-terminal (util-linux `script`) and the AWS CLI
// where they decide what happens.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, BIN, ssmPerms, type ChildRun } from '../helpers/child.js';

const suite = emulatorSuite();
const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
const dir = mkdtempSync(join(tmpdir(), 'ssm-perms-e2e-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The suite's environment without any region: neither AWS_REGION nor AWS_DEFAULT_REGION, no profile file. */
function withoutRegion(): Record<string, string> {
  const env = { ...suite.env };
  delete (env as Record<string, string | undefined>).AWS_REGION;
  delete (env as Record<string, string | undefined>).AWS_DEFAULT_REGION;
  return env;
}

/** What a crash or an SDK internal looks like on stderr. */
function quiet(stderr: string) {
  expect(stderr).not.toMatch(/internal error|EPIPE|Unhandled|^\s+at /m);
  expect(stderr).not.toMatch(/\$response|\$metadata/);
}

/** The built CLI with its stdout a pipe whose reading end is closed before the CLI writes anything. */
function withClosedStdout(args: string[], env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr }));
  });
}

/** Runs `command` in a pseudo-terminal; once its output shows `when`, sends `keys` (then, if asked, end of input). */
function inTerminal(command: string, env: Record<string, string>, when: string, keys: string, end: boolean): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!sent && out.includes(when)) {
        sent = true;
        child.stdin.write(keys);
        if (end) child.stdin.end();
      }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, stdout: out, stderr: '' });
    });
  });
}
const shellQuote = (args: string[]) => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

describe('errors against the emulator', () => {
  it("--profile nosuch: exit 3 with the AWS CLI's words, before any call; the AWS CLI agrees", async () => {
    const config = join(dir, 'config');
    // With a profile named, the SDK takes credentials from it, not from the environment.
    writeFileSync(config, '[profile real]\nregion = us-east-2\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const env = { ...withoutRegion(), AWS_CONFIG_FILE: config };
    for (const args of [
      ['dhmc', 'status'],
      ['profile', 'create'],
    ]) {
      const r = await ssmPerms([...args, '--profile', 'nosuch'], env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('error: the config profile (nosuch) could not be found');
      quiet(r.stderr);
    }
    const viaEnv = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1'], { ...env, AWS_PROFILE: 'nosuch' });
    expect(viaEnv.code).toBe(3);
    expect(viaEnv.stderr).toContain('the config profile (nosuch) could not be found');
    await expect(aws(['sts', 'get-caller-identity', '--profile', 'nosuch'], env)).rejects.toThrow('The config profile (nosuch) could not be found');
    // The profile that exists works, its region included.
    const real = await ssmPerms(['dhmc', 'status', '--profile', 'real', '--json'], env);
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout).regions.map((x: { region: string }) => x.region)).toEqual(['us-east-2']);
  });

  it('an unknown region: exit 2, "unknown region us-east-7", nothing sent (no endpoint override)', async () => {
    const env = { ...withoutRegion() };
    delete (env as Record<string, string | undefined>).AWS_ENDPOINT_URL;
    const r = await ssmPerms(['dhmc', 'status', '--region', 'us-east-7'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown region us-east-7 (from --region)');
    quiet(r.stderr);
  });

  it('profile create with no region anywhere: the role is made (IAM through us-east-1), as the AWS CLI sees it', async () => {
    const r = await ssmPerms(['profile', 'create', '--json', '--debug'], withoutRegion());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^debug: iam CreateRole region=us-east-1 /m);
    expect(r.stderr).toMatch(/^debug: sts GetCallerIdentity region=us-east-1 /m);
    const role = (await aws(['iam', 'get-role', '--role-name', 'SSMInstanceProfile', '--region', 'us-east-1'], suite.env)) as { Role: { RoleName: string } };
    expect(role.Role.RoleName).toBe('SSMInstanceProfile');
  });

  it('hybrid-role create with no region anywhere: "no region given", saying the trust needs one', async () => {
    const r = await ssmPerms(['hybrid-role', 'create'], withoutRegion());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("error: no region given: the role's trust names the regions activations are created in");
  });

  // Every call in flight listens to the one interrupt signal: doctor reads several things per region,
  // 8 regions at a time, which is past Node's default of 10 listeners.
  it.each([[['dhmc', 'status']], [['doctor']], [['dhmc', 'status', '--check']]])(
    '%j --region all: no MaxListenersExceededWarning (nor any other Node warning) on stderr',
    async (args) => {
      const r = await ssmPerms([...args, '--region', 'all', '--json'], suite.env);
      expect([0, 6], r.stderr).toContain(r.code);
      expect(JSON.parse(r.stdout).regions.length).toBeGreaterThan(10);
      expect(r.stderr).not.toMatch(/MaxListenersExceededWarning|Warning:/);
    },
  );

  it('a closed stdout (the reader quit early) ends quietly, with the exit code of a normal run', async () => {
    for (const args of [
      ['dhmc', 'status', '--region', 'all'],
      ['doctor', '--region', 'us-east-1'],
      ['admin-policy', 'generate', '--region', 'us-east-1'],
    ]) {
      const normal = await ssmPerms(args, suite.env);
      const closed = await withClosedStdout(args, suite.env);
      expect(closed.code, `${args.join(' ')}\n${closed.stderr}`).toBe(normal.code);
      quiet(closed.stderr);
    }
    // And through a shell pipeline, as people type it.
    const piped = await new Promise<{ status: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', `node ${BIN} dhmc status --region all | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { env: suite.env });
      let status = '';
      let stderr = '';
      child.stdout.on('data', (d) => (status += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', () => resolve({ status: status.trim(), stderr }));
    });
    expect(piped.status).toBe('0');
    quiet(piped.stderr);
  });

  it('throttling that outlasts the retries: the hint names --max-attempts and --retry-mode adaptive', async () => {
    const proxy = await startFaultProxy(suite.emu.url);
    try {
      proxy.setRules([{ service: 'iam', fault: 'throttle' }]);
      const r = await ssmPerms(['profile', 'create', '--max-attempts', '1'], { ...suite.env, AWS_ENDPOINT_URL: proxy.url });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/^hint: .*--max-attempts.*--retry-mode adaptive/m);
      quiet(r.stderr);
    } finally {
      await proxy.stop();
    }
  });
});

describe('the consent prompt in a real terminal', () => {
  const disable = shellQuote([process.execPath, BIN, 'dhmc', 'disable', '--region', 'us-east-1', '--no-color']);
  const turnOn = () => suite.emu.putServiceSetting('us-east-1', SETTING, 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole', 'Customized');
  const settingValue = async () =>
    ((await aws(['ssm', 'get-service-setting', '--setting-id', SETTING, '--region', 'us-east-1'], suite.env)) as { ServiceSetting: { SettingValue: string } })
      .ServiceSetting.SettingValue;

  it('Ctrl-D (end of input) is no answer: exit 2, "no answer; nothing was changed", DHMC still on', async () => {
    await turnOn();
    const r = await inTerminal(`${disable}; echo "exit=$?"`, suite.env, '[y/N]', '\u0004', false);
    expect(r.stdout).toContain('error: no answer; nothing was changed');
    expect(r.stdout).toMatch(/exit=2\b/);
    expect(await settingValue()).not.toBe('$None');
  });

  it('Ctrl-C is an interrupt: exit 130, DHMC still on', async () => {
    await turnOn();
    // The terminal sends SIGINT to the whole foreground group: the shell that reports the exit code
    // traps it (a handler, which exec resets, so the CLI gets its own SIGINT as usual).
    const r = await inTerminal(`trap true INT; ${disable}; echo "exit=$?"`, suite.env, '[y/N]', '\u0003', false);
    expect(r.stdout, r.stdout).toContain('interrupted at the prompt; nothing was changed');
    expect(r.stdout).toMatch(/exit=130\b/);
    expect(await settingValue()).not.toBe('$None');
  });
});
