// Credentials never appear in any output: results, --debug lines, warnings, or error messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { ssmPerms } from '../helpers/child.js';

const KEY = 'AKIASECRETKEYID00042';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETVALUE';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENSECRET0123456789';
const suite = emulatorSuite({ resetEach: false });
let proxy: FaultProxy;
let env: Record<string, string>;

beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url);
  env = { ...suite.env, AWS_ENDPOINT_URL: proxy.url, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN };
});
afterAll(async () => proxy?.stop());

function clean(out: { stdout: string; stderr: string }) {
  const all = out.stdout + out.stderr;
  for (const secret of [KEY, SECRET, TOKEN, SECRET.slice(0, 20), TOKEN.slice(0, 24)]) expect(all).not.toContain(secret);
}

describe('credentials stay out of every output', () => {
  it.each([
    [['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--debug']],
    [['dhmc', 'enable', '--region', 'us-east-1', '--debug']],
    [['dhmc', 'enable', '--region', 'us-east-1', '--debug', '--json']],
    [['profile', 'create', '--cloudwatch', '--debug']],
    [['doctor', '--region', 'us-east-1', '--debug', '--json']],
    [['admin-policy', 'generate', '--region', 'us-east-1', '--debug']],
  ])('%j', async (argv) => {
    proxy.setRules([]);
    const r = await ssmPerms(argv, env);
    expect(r.code, r.stderr).toBeLessThan(7);
    expect(r.stderr).toContain('debug:');
    clean(r);
  });

  it('in error messages: access denied, throttling, expired credentials, unreachable endpoint', async () => {
    proxy.setRules([{ service: 'ssm', fault: 'denied' }]);
    const denied = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--debug'], env);
    expect(denied.code).toBe(4);
    clean(denied);

    proxy.setRules([{ service: 'iam', fault: 'throttle' }]);
    const throttled = await ssmPerms(['profile', 'create', '--json', '--max-attempts', '1'], env);
    expect(throttled.code).toBe(5);
    clean(throttled);

    proxy.setRules([{ service: 'sts', fault: 'expired' }]);
    const expired = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--debug'], env);
    expect(expired.code).toBe(3);
    expect(expired.stderr).toContain('ExpiredToken');
    clean(expired);

    proxy.setRules([]);
    const unreachable = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--max-attempts', '1', '--json'], { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(5);
    expect(JSON.parse(unreachable.stderr.trim().split('\n').pop()!).error.code).toBe('NetworkError');
    clean(unreachable);

    const noCreds = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1'], { ...suite.env, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: '' });
    expect(noCreds.code).toBe(3);
    clean(noCreds);
  });
});
