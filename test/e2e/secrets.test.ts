// Credentials never appear in any output: results, --debug lines, warnings, or error messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultResponse, startFaultProxy, type FaultProxy, type FaultRule } from '../emulator/fault-proxy.mjs';
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
  // Each run succeeds (exit 0, exactly: a crash, exit 1, has printed nothing worth checking) and makes
  // AWS calls, signed with the secrets, that --debug lists.
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
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^debug: \d+ AWS calls? \(/m);
    expect(proxy.log().length).toBeGreaterThan(0);
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
    const unreachable = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--max-attempts', '1', '--json'], {
      ...env,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    expect(unreachable.code).toBe(5);
    expect(JSON.parse(unreachable.stderr.trim().split('\n').pop()!).error.code).toBe('NetworkError');
    clean(unreachable);

    const noCreds = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1'], { ...suite.env, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: '' });
    expect(noCreds.code).toBe(3);
    clean(noCreds);
  });
});

describe('AWS messages that quote the signed request back are redacted', () => {
  // What a signature failure looks like on the wire: the session token and the Authorization header
  // (access key id, signature) quoted back by AWS, as the fault proxy answers.
  it('the faults really quote the secrets (so the checks below mean something)', () => {
    const req = {
      method: 'POST',
      url: '/',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${KEY}/20240101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=0123abcd`,
        host: '127.0.0.1',
        'x-amz-date': '20240101T000000Z',
        'x-amz-security-token': TOKEN,
      },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    };
    expect(faultResponse('sts', 'badsig', req).body).toContain(`x-amz-security-token:${TOKEN}`);
    expect(faultResponse('ssm', 'badsig', req).body).toContain(`x-amz-security-token:${TOKEN}`);
    expect(faultResponse('iam', 'incompletesig', req).body).toContain(`Credential=${KEY}/20240101`);
    expect(faultResponse('ssm', 'incompletesig', req).body).toContain('Signature=0123abcd');
  });

  // The exit code of each, exactly: 3 (credentials) when the refused call stops the run (the identity
  // check, IAM planning); 5 when it fails regions of a result that is still reported.
  const cases: [string, FaultRule[], string[], number][] = [
    ['SignatureDoesNotMatch from STS (query protocol), text', [{ service: 'sts', fault: 'badsig' }], ['dhmc', 'status', '--region', 'us-east-1'], 3],
    ['SignatureDoesNotMatch from STS, JSON', [{ service: 'sts', fault: 'badsig' }], ['dhmc', 'status', '--region', 'us-east-1', '--json'], 3],
    [
      'InvalidSignatureException from SSM (JSON protocol): the per-region errors of the result, JSON',
      [{ service: 'ssm', fault: 'badsig' }],
      ['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--json'],
      5,
    ],
    [
      'InvalidSignatureException from SSM: the per-region errors, text and --debug',
      [{ service: 'ssm', fault: 'badsig' }],
      ['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--debug'],
      5,
    ],
    ['IncompleteSignature from IAM (the Authorization header quoted), JSON', [{ service: 'iam', fault: 'incompletesig' }], ['profile', 'create', '--json'], 3],
    ['IncompleteSignature from IAM, text', [{ service: 'iam', fault: 'incompletesig' }], ['profile', 'create'], 3],
    ['IncompleteSignatureException from SSM, text', [{ service: 'ssm', fault: 'incompletesig' }], ['dhmc', 'status', '--region', 'us-east-1'], 5],
    ['SignatureDoesNotMatch from EC2 during doctor, JSON', [{ service: 'ec2', fault: 'badsig' }], ['doctor', '--region', 'us-east-1', '--json'], 5],
  ];
  it.each(cases)('%s', async (_name, rules, argv, code) => {
    proxy.setRules(rules);
    const r = await ssmPerms([...argv, '--max-attempts', '1'], env);
    expect(r.code, r.stderr).toBe(code);
    expect(
      proxy.log().some((x) => x.fault),
      'a fault was answered',
    ).toBe(true);
    clean(r);
    const all = r.stdout + r.stderr;
    for (const signature of proxy.log().map((x) => x.signature)) if (signature) expect(all).not.toContain(signature);
    expect(all).not.toMatch(/x-amz-security-token:(?!\[REDACTED\])/);
    expect(all).not.toMatch(/(Credential|Signature)=(?!\[REDACTED\])/);
    // The message itself still gets through, minus the secrets.
    expect(all).toMatch(/signature we calculated does not match|not a valid key=value pair/);
    expect(all).toContain('[REDACTED]');
  });
});
