// Networks as enterprises have them: HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case) and AWS_CA_BUNDLE
// or a profile's ca_bundle, end to end - the built CLI through a loopback forward proxy that records what
// it carries, and a loopback TLS front (a self-signed certificate made here with openssl) before the
// emulator. Each rule the AWS CLI shares is checked against `aws` in the same environment.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startForwardProxy, type ForwardProxy } from '../emulator/forward-proxy.mjs';
import { startTlsFront, type TlsFront } from '../emulator/tls-front.mjs';
import { run, ssmPerms } from '../helpers/child.js';
import { packagesLoaded } from '../helpers/loaded-modules.js';
import { emulatorSuite } from '../helpers/emulator-suite.js';

const suite = emulatorSuite({ resetEach: false });
let proxy: ForwardProxy;
let front: TlsFront;
let dir: string;
let cert: string;

/** One read the tool and the AWS CLI can both make: STS first (the account), then SSM. */
const STATUS = ['dhmc', 'status', '--json'];
const AWS_CALL = ['sts', 'get-caller-identity', '--output', 'json'];

beforeAll(async () => {
  proxy = await startForwardProxy();
  dir = mkdtempSync(join(tmpdir(), 'ssm-perms-net-'));
  cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  front = await startTlsFront(suite.emu.url, { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') });
});
afterAll(async () => {
  await proxy?.stop();
  await front?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => proxy.clear());

/** The AWS operations the proxy carried (X-Amz-Target for JSON services, Action= for query ones). */
function operations(): string[] {
  return proxy.log().map((r) => {
    const target = r.headers['x-amz-target'];
    if (typeof target === 'string') return target.split('.').pop()!;
    return /(?:^|&)Action=([A-Za-z]+)/.exec(r.body)?.[1] ?? `${r.method} ${r.url}`;
  });
}

describe('proxies from the environment', () => {
  it('HTTP_PROXY carries every call to an http:// endpoint, in absolute form, and the AWS CLI sends its call there too', async () => {
    const env = { ...suite.env, HTTP_PROXY: proxy.url };
    const r = await ssmPerms(STATUS, env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).account).toBe('123456789012');
    expect(operations()).toEqual(['GetCallerIdentity', 'GetServiceSetting']);
    expect(proxy.log().every((l) => l.url.startsWith(`${suite.emu.url}/`))).toBe(true);

    proxy.clear();
    const a = await run('aws', AWS_CALL, env);
    expect(a.code, a.stderr).toBe(0);
    expect(operations()).toEqual(['GetCallerIdentity']);
  });

  it('lower-case http_proxy works, and wins over an upper-case HTTP_PROXY (as in the AWS CLI)', async () => {
    const env = { ...suite.env, HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: proxy.url };
    const r = await ssmPerms(STATUS, env);
    expect(r.code, r.stderr).toBe(0);
    expect(operations()).toEqual(['GetCallerIdentity', 'GetServiceSetting']);

    proxy.clear();
    const a = await run('aws', AWS_CALL, env);
    expect(a.code, a.stderr).toBe(0);
    expect(operations()).toEqual(['GetCallerIdentity']);
  });

  it('HTTPS_PROXY is not used for an http:// endpoint (the proxy is chosen by the URL scheme)', async () => {
    const r = await ssmPerms(STATUS, { ...suite.env, HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(r.code, r.stderr).toBe(0);
  });

  // Whether each NO_PROXY value bypasses the proxy for http://127.0.0.1:PORT - the tool and the AWS CLI
  // must agree: host, host:port, a domain suffix with or without its leading dot, `*`; but not another
  // port, another host, or a CIDR range (which botocore does not support).
  const port = () => suite.emu.port;
  it.each([
    ['127.0.0.1', true],
    ['example.com, 127.0.0.1', true],
    [`127.0.0.1:{port}`, true],
    ['.0.0.1', true],
    ['*', true],
    ['127.0.0.1:1', false],
    ['127.0.0.2', false],
    ['127.0.0.0/8', false],
  ])('NO_PROXY=%s bypasses the proxy: %s (the AWS CLI agrees)', async (value, bypassed) => {
    const noProxy = value.replace('{port}', String(port()));
    const env = { ...suite.env, HTTP_PROXY: proxy.url, NO_PROXY: noProxy };
    const r = await ssmPerms(STATUS, env);
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.log().length > 0).toBe(!bypassed);

    proxy.clear();
    const a = await run('aws', AWS_CALL, env);
    expect(a.code, a.stderr).toBe(0);
    expect(proxy.log().length > 0).toBe(!bypassed);
  });

  it('lower-case no_proxy bypasses too', async () => {
    const r = await ssmPerms(STATUS, { ...suite.env, http_proxy: proxy.url, no_proxy: '127.0.0.1' });
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.log()).toEqual([]);
  });

  it('a proxy that cannot be reached is a network error naming the proxy and its variable, never its password', async () => {
    const r = await ssmPerms([...STATUS, '--max-attempts', '1'], { ...suite.env, http_proxy: 'http://alice:s3cr3t-pw@127.0.0.1:9' });
    expect(r.code).toBe(5);
    const error = JSON.parse(r.stderr.trim()).error;
    expect(error.code).toBe('NetworkError');
    expect(error.message).toContain('through the proxy http://alice:***@127.0.0.1:9 (from http_proxy)');
    expect(error.message).toContain('ECONNREFUSED');
    expect(r.stderr).not.toContain('s3cr3t-pw');
  });

  it("a proxy's user and password are sent as Basic Proxy-Authorization", async () => {
    const authed = await startForwardProxy({ auth: 'alice:pa ss' });
    try {
      const url = authed.url.replace('http://', 'http://alice:pa%20ss@');
      const r = await ssmPerms(STATUS, { ...suite.env, HTTP_PROXY: url });
      expect(r.code, r.stderr).toBe(0);
      expect(authed.log().map((l) => l.headers['proxy-authorization'])).toEqual([
        `Basic ${Buffer.from('alice:pa ss').toString('base64')}`,
        `Basic ${Buffer.from('alice:pa ss').toString('base64')}`,
      ]);
    } finally {
      await authed.stop();
    }
  });

  it('a proxy that accepts the connection and never answers: the call times out, and the CLI exits once it has said so', async () => {
    // A listener on 127.0.0.1 that takes the CONNECT and stays silent: nothing leaves this machine.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const env = { ...suite.env, HTTPS_PROXY: `http://127.0.0.1:${port}` };
      delete (env as Record<string, string | undefined>).AWS_ENDPOINT_URL;
      const started = Date.now();
      const r = await ssmPerms([...STATUS, '--cli-connect-timeout', '2', '--max-attempts', '1'], env);
      expect(r.code, r.stderr).toBe(5);
      // The message names the proxy that stayed silent, not "no connection to the endpoint".
      expect(JSON.parse(r.stderr.trim()).error.message).toContain(
        `timed out: no connection through the proxy http://127.0.0.1:${port} (from HTTPS_PROXY) within 2 s`,
      );
      // The process ended with its report (before this fix it stayed alive on the silent socket).
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);

  it('a proxy URL of another scheme is a configuration error before any call (exit 3)', async () => {
    const r = await ssmPerms(STATUS, { ...suite.env, HTTP_PROXY: 'socks5://127.0.0.1:1080' });
    expect(r.code).toBe(3);
    const error = JSON.parse(r.stderr.trim()).error;
    expect(error).toMatchObject({ code: 'InvalidProxy', message: 'HTTP_PROXY has the scheme socks5; only http and https proxies are supported' });
    expect(error.hint).toContain('HTTP_PROXY');
  });
});

describe("the credentials' own calls", () => {
  it("SSO's GetRoleCredentials goes through the proxy too (the proxy answers it: the emulator has no SSO portal)", async () => {
    const startUrl = 'https://example.awsapps.com/start';
    const home = join(dir, 'sso-home');
    const cache = join(home, '.aws', 'sso', 'cache');
    mkdirSync(cache, { recursive: true });
    // The SDK finds the token by the SHA-1 of the start URL (@smithy/core/config getSSOTokenFilepath).
    writeFileSync(
      join(cache, `${createHash('sha1').update(startUrl).digest('hex')}.json`),
      JSON.stringify({ accessToken: 'sso-token', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), region: 'us-east-1', startUrl }),
    );
    const config = join(dir, 'sso-config');
    writeFileSync(
      config,
      `[profile sso]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-1\n`,
    );
    const portal = await startForwardProxy({
      answer: (req) =>
        req.url?.includes('/federation/credentials')
          ? {
              status: 200,
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({
                roleCredentials: { accessKeyId: 'ASIASSOTEST', secretAccessKey: 'sso-secret', sessionToken: 'sso-session', expiration: Date.now() + 3_600_000 },
              }),
            }
          : null,
    });
    try {
      const env: Record<string, string> = { ...suite.env, HOME: home, AWS_CONFIG_FILE: config, AWS_PROFILE: 'sso', HTTP_PROXY: portal.url };
      delete env.AWS_ACCESS_KEY_ID;
      delete env.AWS_SECRET_ACCESS_KEY;
      const r = await ssmPerms(STATUS, env);
      expect(r.code, r.stderr).toBe(0);
      // Each SDK client resolves its own credentials, so SSO is asked once per client (STS, then SSM).
      const sso = portal.log().filter((l) => l.url.includes('/federation/credentials?account_id=123456789012&role_name=Admin'));
      expect(sso).toHaveLength(2);
      expect(sso.every((l) => l.headers['x-amz-sso_bearer_token'] === 'sso-token')).toBe(true);
      // And the calls themselves, signed with the role credentials SSO gave.
      const signed = portal.log().filter((l) => !sso.includes(l));
      expect(signed.map((l) => /Credential=([^/]+)/.exec(String(l.headers.authorization))?.[1])).toEqual(['ASIASSOTEST', 'ASIASSOTEST']);
    } finally {
      await portal.stop();
    }
  });
});

describe('TLS: AWS_CA_BUNDLE and ca_bundle', () => {
  const tlsEnv = () => ({ ...suite.env, AWS_ENDPOINT_URL: front.url });

  it('an endpoint whose certificate is signed by no known CA fails with a TLS error naming the host and AWS_CA_BUNDLE (exit 3); the AWS CLI fails too', async () => {
    const r = await ssmPerms(STATUS, tlsEnv());
    expect(r.code).toBe(3);
    const error = JSON.parse(r.stderr.trim()).error;
    expect(error.code).toBe('TlsCertificateNotTrusted');
    expect(error.message).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ is not trusted by Node's built-in certificate authorities: .*self.signed/);
    expect(error.hint).toContain('AWS_CA_BUNDLE');

    const a = await run('aws', AWS_CALL, tlsEnv());
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/SSL validation failed|CERTIFICATE_VERIFY_FAILED/);
  });

  it('AWS_CA_BUNDLE pointing at the certificate makes it work over TLS, as aws --ca-bundle does', async () => {
    const before = front.requests();
    const r = await ssmPerms(STATUS, { ...tlsEnv(), AWS_CA_BUNDLE: cert });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).account).toBe('123456789012');
    expect(front.requests() - before).toBe(2);

    const a = await run('aws', [...AWS_CALL, '--ca-bundle', cert], tlsEnv());
    expect(a.code, a.stderr).toBe(0);
    const b = await run('aws', AWS_CALL, { ...tlsEnv(), AWS_CA_BUNDLE: cert });
    expect(b.code, b.stderr).toBe(0);
  });

  it("the profile's ca_bundle works; AWS_CA_BUNDLE wins over it, and a missing file is refused before any call (exit 3)", async () => {
    const config = join(dir, 'config');
    writeFileSync(config, `[default]\nca_bundle = ${cert}\n`);
    const env = { ...tlsEnv(), AWS_CONFIG_FILE: config };
    const ok = await ssmPerms(STATUS, env);
    expect(ok.code, ok.stderr).toBe(0);
    const a = await run('aws', AWS_CALL, env);
    expect(a.code, a.stderr).toBe(0);

    const before = front.requests();
    const missing = join(dir, 'no-such-bundle.pem');
    const r = await ssmPerms(STATUS, { ...env, AWS_CA_BUNDLE: missing });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr.trim()).error).toMatchObject({
      code: 'CaBundleUnreadable',
      message: `the CA bundle ${missing} (from AWS_CA_BUNDLE) cannot be read: no such file`,
    });
    expect(front.requests()).toBe(before);
  });

  it("a profile's ca_bundle that holds no certificate is refused, naming the profile", async () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    const config = join(dir, 'config-junk');
    writeFileSync(config, `[profile corp]\nca_bundle = ${junk}\n`);
    const r = await ssmPerms([...STATUS, '--profile', 'corp'], { ...tlsEnv(), AWS_CONFIG_FILE: config });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr.trim()).error).toMatchObject({
      code: 'CaBundleInvalid',
      message: `the CA bundle ${junk} (from ca_bundle of profile corp) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    });
  });

  it('HTTPS_PROXY tunnels https:// calls with CONNECT, the CA bundle verifying the endpoint behind it; the AWS CLI tunnels the same way', async () => {
    const host = new URL(front.url).host;
    const env = { ...tlsEnv(), HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: cert };
    const r = await ssmPerms(STATUS, env);
    expect(r.code, r.stderr).toBe(0);
    // Keep-alive: one tunnel can carry both calls.
    expect(proxy.log().length).toBeGreaterThan(0);
    expect(proxy.log().every((l) => l.method === 'CONNECT' && l.target === host)).toBe(true);

    proxy.clear();
    const a = await run('aws', AWS_CALL, env);
    expect(a.code, a.stderr).toBe(0);
    expect(proxy.log().map((l) => `${l.method} ${l.target}`)).toEqual([`CONNECT ${host}`]);
  });
});

describe('an https:// proxy', () => {
  it("is reached over TLS, its own certificate verified by the same CA bundle; without it, the error names the proxy's certificate", async () => {
    const pem = { cert: readFileSync(cert, 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
    const secure = await startForwardProxy({ tls: pem });
    try {
      const env = { ...suite.env, AWS_ENDPOINT_URL: front.url, HTTPS_PROXY: secure.url, AWS_CA_BUNDLE: cert };
      const ok = await ssmPerms(STATUS, env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(secure.log().map((l) => l.method)).toContain('CONNECT');

      const untrusted = await ssmPerms(STATUS, { ...env, AWS_CA_BUNDLE: '' });
      expect(untrusted.code).toBe(3);
      expect(JSON.parse(untrusted.stderr.trim()).error.message).toContain(
        `the TLS certificate of the proxy ${secure.url} or of ${new URL(front.url).host} behind it is not trusted by Node's built-in certificate authorities`,
      );
    } finally {
      await secure.stop();
    }
  });
});

describe('the proxy agents load only when a proxy is set', () => {
  /** The proxy-agent packages whose code the run loaded (from the bundle's metafile). */
  const agentsLoaded = (args: string[], env: Record<string, string>) =>
    packagesLoaded(args, env, /node_modules\/((?:https?-proxy-agent|agent-base|proxy-agent-negotiate))\//);

  it('--help and the offline generators load none, even with a proxy set', async () => {
    const env = { ...suite.env, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
    for (const args of [
      ['--help'],
      ['s3-policy', 'generate', '--region', 'us-east-1', '--vpc-endpoint'],
      ['admin-policy', 'generate', '--account', '111122223333', '--region', 'us-east-1'],
    ]) {
      const r = await agentsLoaded(args, env);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.packages, args.join(' ')).toEqual([]);
    }
  });

  it('a command that calls AWS loads them only when a proxy is set', async () => {
    const direct = await agentsLoaded(STATUS, suite.env);
    expect(direct.code).toBe(0);
    expect(direct.packages).toEqual([]);
    const proxied = await agentsLoaded(STATUS, { ...suite.env, HTTP_PROXY: proxy.url });
    expect(proxied.code).toBe(0);
    expect(proxied.packages).toEqual(['agent-base', 'http-proxy-agent', 'https-proxy-agent', 'proxy-agent-negotiate']);
  });
});
