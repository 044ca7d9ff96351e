// The run's network settings (proxies and CA bundle, read and checked before any call) and the errors
// the request handler rewrites. End to end, through a real proxy and TLS: test/e2e/proxy.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/services/errors.js';
import { resolveNetwork, type NetworkConfig } from '../../../src/services/aws/network-config.js';
import { explainNetworkError } from '../../../src/services/aws/network-handler.js';
import { proxyVariables } from '../../../src/services/aws/proxy-rules.js';

const dir = mkdtempSync(join(tmpdir(), 'ssm-perms-network-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
/** An environment with no shared files, so only what a test sets counts. */
const bare = { AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };

async function refusal(work: Promise<unknown>): Promise<ConfigError> {
  const e = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('resolveNetwork: the CA bundle', () => {
  it('none by default', async () => {
    expect((await resolveNetwork(undefined, bare)).caBundle).toBeNull();
  });

  it('AWS_CA_BUNDLE is read whole', async () => {
    const path = file('env.pem', PEM);
    expect((await resolveNetwork(undefined, { ...bare, AWS_CA_BUNDLE: path })).caBundle).toEqual({ path, from: 'AWS_CA_BUNDLE', pem: PEM });
  });

  it("the profile's ca_bundle, for --profile, AWS_PROFILE or default", async () => {
    const path = file('profile.pem', PEM);
    const config = file('config', `[default]\nca_bundle = ${path}\n[profile corp]\nca_bundle = ${path}\n[profile plain]\nregion = us-east-1\n`);
    const env = { ...bare, AWS_CONFIG_FILE: config };
    expect((await resolveNetwork(undefined, env)).caBundle).toMatchObject({ path, from: 'ca_bundle of profile default' });
    expect((await resolveNetwork('corp', env)).caBundle).toMatchObject({ path, from: 'ca_bundle of profile corp' });
    expect((await resolveNetwork(undefined, { ...env, AWS_PROFILE: 'corp' })).caBundle).toMatchObject({ from: 'ca_bundle of profile corp' });
    expect((await resolveNetwork('plain', env)).caBundle).toBeNull();
  });

  it("AWS_CA_BUNDLE wins over the profile's ca_bundle (botocore: environment before config file)", async () => {
    const fromEnv = file('winner.pem', PEM);
    const config = file('config-both', `[default]\nca_bundle = ${join(dir, 'missing.pem')}\n`);
    expect((await resolveNetwork(undefined, { ...bare, AWS_CONFIG_FILE: config, AWS_CA_BUNDLE: fromEnv })).caBundle?.path).toBe(fromEnv);
  });

  it('an empty AWS_CA_BUNDLE counts as unset', async () => {
    expect((await resolveNetwork(undefined, { ...bare, AWS_CA_BUNDLE: '' })).caBundle).toBeNull();
  });

  it('a missing file is refused, naming it and where it came from', async () => {
    const missing = join(dir, 'nope.pem');
    const e = await refusal(resolveNetwork(undefined, { ...bare, AWS_CA_BUNDLE: missing }));
    expect(e.info).toEqual({
      code: 'CaBundleUnreadable',
      message: `the CA bundle ${missing} (from AWS_CA_BUNDLE) cannot be read: no such file`,
      hint: "Point AWS_CA_BUNDLE at a readable PEM file of the certificate authorities to trust, or unset it to use Node's built-in ones.",
    });
  });

  it('a directory is refused with the reason the system gives', async () => {
    const e = await refusal(resolveNetwork(undefined, { ...bare, AWS_CA_BUNDLE: dir }));
    expect(e.code).toBe('CaBundleUnreadable');
    expect(e.message).toMatch(/cannot be read: EISDIR/);
  });

  it("a file without a PEM certificate is refused; the profile's hint names ca_bundle", async () => {
    const junk = file('junk.pem', 'hello\n');
    const config = file('config-junk', `[default]\nca_bundle = ${junk}\n`);
    const e = await refusal(resolveNetwork(undefined, { ...bare, AWS_CONFIG_FILE: config }));
    expect(e.code).toBe('CaBundleInvalid');
    expect(e.message).toBe(`the CA bundle ${junk} (from ca_bundle of profile default) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    expect(e.hint).toMatch(/^Point the profile's ca_bundle at /);
  });
});

describe('resolveNetwork: proxies', () => {
  it('takes the proxy variables of the environment given', async () => {
    const n = await resolveNetwork(undefined, { ...bare, https_proxy: 'proxy.example:3128', NO_PROXY: '.internal' });
    expect(n.proxies).toEqual({ https: 'proxy.example:3128', no: '.internal', from: { https: 'https_proxy', no: 'NO_PROXY' } });
  });

  it.each([
    ['socks5://127.0.0.1:1080', 'HTTPS_PROXY has the scheme socks5; only http and https proxies are supported'],
    ['SOCKS://p:1', 'HTTPS_PROXY has the scheme socks; only http and https proxies are supported'],
    ['http://[nope', 'HTTPS_PROXY is not a URL: (a proxy URL that cannot be parsed)'],
    ['http://', 'HTTPS_PROXY is not a URL: (a proxy URL that cannot be parsed)'],
  ])('refuses %s before any call', async (value, message) => {
    const e = await refusal(resolveNetwork(undefined, { ...bare, HTTPS_PROXY: value }));
    expect(e.info).toEqual({
      code: 'InvalidProxy',
      message,
      hint: 'Set HTTPS_PROXY to a proxy URL such as http://proxy.example.com:3128 (user and password as http://USER:PASSWORD@HOST:PORT), or unset it.',
    });
  });

  it('checks the http proxy too, naming its own variable', async () => {
    const e = await refusal(resolveNetwork(undefined, { ...bare, http_proxy: 'ftp://p:21' }));
    expect(e.message).toBe('http_proxy has the scheme ftp; only http and https proxies are supported');
  });
});

describe('explainNetworkError', () => {
  const request = { protocol: 'https:', hostname: 'ssm.us-east-1.amazonaws.com', path: '/', method: 'POST', headers: {} } as never;
  const noBundle: NetworkConfig = { proxies: { from: {} }, caBundle: null };
  const withBundle: NetworkConfig = { proxies: { from: {} }, caBundle: { path: '/etc/corp.pem', from: 'AWS_CA_BUNDLE', pem: PEM } };
  const socketError = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('an untrusted certificate is a configuration error naming the host and the trust store', () => {
    const thrown = (() => {
      try {
        explainNetworkError(socketError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), request, null, noBundle);
      } catch (e) {
        return e as ConfigError;
      }
      return null;
    })();
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown!.info).toEqual({
      code: 'TlsCertificateNotTrusted',
      message:
        "the TLS certificate of ssm.us-east-1.amazonaws.com is not trusted by Node's built-in certificate authorities: self-signed certificate in certificate chain (SELF_SIGNED_CERT_IN_CHAIN)",
      hint: 'If a proxy or an endpoint of your own presents a certificate from a private CA, set AWS_CA_BUNDLE (or ca_bundle in the profile) to a PEM file holding that CA.',
    });
  });

  it('with a CA bundle, names it and the proxy, and hints at the bundle', () => {
    const proxy = { url: 'http://bob:pw@proxy.example:3128', variable: 'HTTPS_PROXY' };
    expect(() =>
      explainNetworkError(
        socketError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
        { ...(request as object), port: 8443 } as never,
        proxy,
        withBundle,
      ),
    ).toThrow(
      'the TLS certificate of ssm.us-east-1.amazonaws.com:8443 (through the proxy http://bob:***@proxy.example:3128) is not trusted by the CA bundle /etc/corp.pem (from AWS_CA_BUNDLE): unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)',
    );
  });

  it("behind an https:// proxy, says the certificate is the proxy's or the endpoint's", () => {
    expect(() =>
      explainNetworkError(
        socketError('CERT_HAS_EXPIRED', 'certificate has expired'),
        request,
        { url: 'https://proxy.example:3129', variable: 'HTTPS_PROXY' },
        noBundle,
      ),
    ).toThrow(
      "the TLS certificate of the proxy https://proxy.example:3129 or of ssm.us-east-1.amazonaws.com behind it is not trusted by Node's built-in certificate authorities: certificate has expired (CERT_HAS_EXPIRED)",
    );
  });

  it('a connection that failed through a proxy names the proxy, keeping its code for the retries', () => {
    const e = socketError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.9:3128');
    const out = explainNetworkError(e, request, { url: 'http://u:secret@10.0.0.9:3128', variable: 'https_proxy' }, noBundle);
    expect(out).toBe(e);
    expect(e.message).toBe(
      'could not reach ssm.us-east-1.amazonaws.com through the proxy http://u:***@10.0.0.9:3128 (from https_proxy): connect ECONNREFUSED 10.0.0.9:3128',
    );
    expect(e.code).toBe('ECONNREFUSED');
  });

  it('leaves other errors, and direct connections, as they are', () => {
    const direct = socketError('ECONNREFUSED', 'connect ECONNREFUSED 1.2.3.4:443');
    expect(explainNetworkError(direct, request, null, noBundle)).toBe(direct);
    expect(direct.message).toBe('connect ECONNREFUSED 1.2.3.4:443');
    const other = Object.assign(new Error('socket hang up'), { code: 'ERR_OTHER' });
    expect(explainNetworkError(other, request, { url: 'http://p:1', variable: 'HTTPS_PROXY' }, noBundle)).toBe(other);
    expect(other.message).toBe('socket hang up');
    expect(explainNetworkError('not an error', request, null, noBundle)).toBe('not an error');
  });
});

it('proxyVariables is what resolveNetwork reports', async () => {
  const env = { ...bare, HTTP_PROXY: 'a:1' };
  expect((await resolveNetwork(undefined, env)).proxies).toEqual(proxyVariables(env));
});
