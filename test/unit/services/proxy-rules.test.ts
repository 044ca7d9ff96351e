// The AWS CLI's proxy rules (botocore on CPython's urllib): which variables count, which hosts NO_PROXY
// exempts, and how a proxy given without a scheme is read. The end-to-end test (test/e2e/proxy.test.ts)
// checks a sample of them against `aws` itself.
import { describe, expect, it } from 'vitest';
import { bypassesProxy, printableProxy, proxyFor, proxyUrl, proxyVariables } from '../../../src/services/aws/proxy-rules.js';

describe('proxyVariables (urllib getproxies_environment)', () => {
  it('reads http, https and no from either case, naming the variable each came from', () => {
    expect(proxyVariables({ HTTP_PROXY: 'h:1', https_proxy: 's:2', No_Proxy: 'x' })).toEqual({
      http: 'h:1',
      https: 's:2',
      no: 'x',
      from: { http: 'HTTP_PROXY', https: 'https_proxy', no: 'No_Proxy' },
    });
  });

  it('a lower-case variable wins over the upper-case one, in either order of the environment', () => {
    expect(proxyVariables({ HTTPS_PROXY: 'upper', https_proxy: 'lower' }).https).toBe('lower');
    expect(proxyVariables({ https_proxy: 'lower', HTTPS_PROXY: 'upper' }).https).toBe('lower');
    expect(proxyVariables({ no_proxy: 'a', NO_PROXY: 'b' }).no).toBe('a');
  });

  it('an empty lower-case variable removes the scheme, even when the upper-case one is set', () => {
    expect(proxyVariables({ HTTPS_PROXY: 'upper', https_proxy: '' })).toEqual({ from: {} });
  });

  it('an empty upper-case variable alone sets nothing', () => {
    expect(proxyVariables({ HTTP_PROXY: '' })).toEqual({ from: {} });
  });

  it('ignores ALL_PROXY and other schemes: botocore picks the proxy by http or https', () => {
    expect(proxyVariables({ ALL_PROXY: 'a', ftp_proxy: 'f', PROXY: 'p' })).toEqual({ from: {} });
  });

  it('under CGI (REQUEST_METHOD set) ignores an upper-case HTTP_PROXY but keeps http_proxy (CVE-2016-1000110)', () => {
    expect(proxyVariables({ REQUEST_METHOD: 'GET', HTTP_PROXY: 'from-a-header', HTTPS_PROXY: 's' })).toEqual({ https: 's', from: { https: 'HTTPS_PROXY' } });
    expect(proxyVariables({ REQUEST_METHOD: 'GET', http_proxy: 'mine' }).http).toBe('mine');
  });
});

describe('bypassesProxy (urllib proxy_bypass_environment on the netloc)', () => {
  it.each([
    ['ssm.us-east-1.amazonaws.com', 'amazonaws.com', true],
    ['ssm.us-east-1.amazonaws.com', '.amazonaws.com', true],
    ['ssm.us-east-1.amazonaws.com', '..amazonaws.com', true],
    ['ssm.us-east-1.amazonaws.com', 'AMAZONAWS.COM', true],
    ['SSM.US-EAST-1.AMAZONAWS.COM', 'amazonaws.com', true],
    ['amazonaws.com', '.amazonaws.com', true],
    ['notamazonaws.com', 'amazonaws.com', false],
    ['ssm.us-east-1.amazonaws.com', 'us-east-1', false],
    ['ssm.us-east-1.amazonaws.com', ' example.com , amazonaws.com ', true],
    ['ssm.us-east-1.amazonaws.com', ',,amazonaws.com', true],
    ['127.0.0.1:5000', '127.0.0.1', true],
    ['127.0.0.1:5000', '127.0.0.1:5000', true],
    ['127.0.0.1:5000', '127.0.0.1:5001', false],
    ['127.0.0.1:5000', '0.0.1:5000', true],
    ['127.0.0.1', '127.0.0.0/8', false],
    ['10.1.2.3', '10.0.0.0/8', false],
    ['ssm.us-east-1.amazonaws.com', '*.amazonaws.com', false],
    ['anything.example', '*', true],
    ['anything.example', ' *', false],
    ['[::1]:5000', '[::1]', true],
  ])('%s with NO_PROXY=%j: %s', (netloc, noProxy, expected) => {
    expect(bypassesProxy(netloc, noProxy)).toBe(expected);
  });

  it('nothing is bypassed without NO_PROXY, or with an empty one', () => {
    expect(bypassesProxy('a.example', undefined)).toBe(false);
    expect(bypassesProxy('a.example', '')).toBe(false);
    expect(bypassesProxy('a.example', ' , ')).toBe(false);
  });
});

describe('proxyUrl (botocore _fix_proxy_url)', () => {
  it.each([
    ['http://p:3128', 'http://p:3128'],
    ['https://p:3128', 'https://p:3128'],
    ['//p:3128', 'http://p:3128'],
    ['p:3128', 'http://p:3128'],
    ['user:pw@p:3128', 'http://user:pw@p:3128'],
  ])('%s -> %s', (value, url) => expect(proxyUrl(value)).toBe(url));
});

describe('proxyFor', () => {
  const vars = proxyVariables({ HTTP_PROXY: 'plain:1', https_proxy: 'https://secure:2', NO_PROXY: 'internal.example' });

  it('picks the proxy of the endpoint scheme, with the variable it came from', () => {
    expect(proxyFor({ protocol: 'https:', hostname: 'ssm.us-east-1.amazonaws.com' }, vars)).toEqual({ url: 'https://secure:2', variable: 'https_proxy' });
    expect(proxyFor({ protocol: 'http:', hostname: '127.0.0.1', port: 5000 }, vars)).toEqual({ url: 'http://plain:1', variable: 'HTTP_PROXY' });
  });

  it('connects directly to a host NO_PROXY names, with or without a port', () => {
    expect(proxyFor({ protocol: 'https:', hostname: 'sts.internal.example' }, vars)).toBeNull();
    expect(proxyFor({ protocol: 'http:', hostname: 'internal.example', port: 8080 }, vars)).toBeNull();
  });

  it('connects directly when the scheme has no proxy', () => {
    expect(proxyFor({ protocol: 'https:', hostname: 'a.example' }, proxyVariables({ HTTP_PROXY: 'p:1' }))).toBeNull();
    expect(proxyFor({ protocol: 'http:', hostname: 'a.example' }, proxyVariables({ HTTPS_PROXY: 'p:1' }))).toBeNull();
  });

  it('matches NO_PROXY against host:port only when the endpoint has a port', () => {
    const v = proxyVariables({ HTTPS_PROXY: 'p:1', NO_PROXY: 'a.example:443' });
    expect(proxyFor({ protocol: 'https:', hostname: 'a.example' }, v)).not.toBeNull();
    expect(proxyFor({ protocol: 'https:', hostname: 'a.example', port: 443 }, v)).toBeNull();
  });
});

describe('printableProxy', () => {
  it('hides the password, or a user given alone (it may be a token)', () => {
    expect(printableProxy('http://alice:s3cret@p.example:3128')).toBe('http://alice:***@p.example:3128');
    expect(printableProxy('http://tok3n@p.example:3128')).toBe('http://***@p.example:3128');
    expect(printableProxy('http://p.example:3128')).toBe('http://p.example:3128');
  });

  it('prints nothing of a value it cannot parse', () => {
    expect(printableProxy('http://a:b@[bad')).toBe('(a proxy URL that cannot be parsed)');
  });
});
