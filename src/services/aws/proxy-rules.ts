// Which proxy, if any, an AWS call goes through: the AWS CLI's rules, so one environment behaves the same
// for `aws` and for ssm-perms. botocore takes them from Python's urllib (botocore/utils.py
// get_environ_proxies -> urllib.request.getproxies; should_bypass_proxies -> urllib.request.proxy_bypass)
// and picks the proxy by the URL's scheme (botocore/httpsession.py ProxyConfiguration.proxy_url_for).
// Pure functions of the environment and the URL, so they are tested without a network.

export interface ProxyVariables {
  /** For http:// endpoints (http_proxy / HTTP_PROXY). */
  http?: string;
  /** For https:// endpoints (https_proxy / HTTPS_PROXY). */
  https?: string;
  /** no_proxy / NO_PROXY: comma-separated host suffixes, or `*`. */
  no?: string;
  /** The variable each value came from, to name it in messages (e.g. `https: 'HTTPS_PROXY'`). */
  from: Partial<Record<'http' | 'https' | 'no', string>>;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * CPython's urllib.request.getproxies_environment(): every `<scheme>_proxy` variable, any case; then a
 * second pass in which the names that end in lower-case `_proxy` win, and an empty one removes the
 * scheme. Under CGI (REQUEST_METHOD set) an upper-case HTTP_PROXY is ignored (CVE-2016-1000110). Only
 * http, https and no are used: botocore looks the proxy up by the URL's scheme, so ALL_PROXY plays no part.
 */
export function proxyVariables(env: Env): ProxyVariables {
  const found: Record<string, { value: string; name: string }> = {};
  for (const [name, value] of Object.entries(env)) {
    const lower = name.toLowerCase();
    if (value && lower.endsWith('_proxy')) found[lower.slice(0, -6)] = { value, name };
  }
  if ('REQUEST_METHOD' in env) delete found.http;
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith('_proxy')) continue;
    const scheme = name.toLowerCase().slice(0, -6);
    if (value) found[scheme] = { value, name };
    else delete found[scheme];
  }
  const out: ProxyVariables = { from: {} };
  for (const key of ['http', 'https', 'no'] as const) {
    const entry = found[key];
    if (!entry) continue;
    out[key] = entry.value;
    out.from[key] = entry.name;
  }
  return out;
}

/** CPython's urllib.parse._splitport: `host:digits` (or `host:`) -> host, else the whole netloc. */
function hostOnly(netloc: string): string {
  const m = /^(.*):[0-9]*$/s.exec(netloc);
  return m ? m[1]! : netloc;
}

/**
 * CPython's urllib.request.proxy_bypass_environment(host), with host = the URL's netloc (host[:port]) as
 * botocore passes it: `*` alone bypasses every host; otherwise each entry (spaces trimmed, leading dots
 * dropped, case ignored) matches the host, or host:port, exactly or as a domain suffix (`.entry`).
 * Not supported, as in the AWS CLI (botocore's note in should_bypass_proxies): IP ranges in CIDR form, and
 * wildcards inside an entry - `10.0.0.0/8` or `*.example.com` match nothing.
 */
export function bypassesProxy(netloc: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  if (noProxy === '*') return true;
  const host = netloc.toLowerCase();
  const hostonly = hostOnly(host);
  for (const raw of noProxy.split(',')) {
    let name = raw.trim();
    if (!name) continue;
    name = name.replace(/^\.+/, '').toLowerCase();
    if (hostonly === name || host === name) return true;
    name = `.${name}`;
    if (hostonly.endsWith(name) || host.endsWith(name)) return true;
  }
  return false;
}

/** botocore/httpsession.py ProxyConfiguration._fix_proxy_url: a proxy given without a scheme is http://. */
export function proxyUrl(value: string): string {
  if (value.startsWith('http:') || value.startsWith('https:')) return value;
  if (value.startsWith('//')) return `http:${value}`;
  return `http://${value}`;
}

export interface Endpoint {
  protocol: string;
  hostname: string;
  port?: number | undefined;
}

export interface ProxyChoice {
  /** The proxy's URL, with its user and password when it has them (for the agent, never for printing). */
  url: string;
  /** The variable it came from (HTTPS_PROXY, https_proxy...). */
  variable: string;
}

/** The proxy for a request to `endpoint`, or null to connect directly. */
export function proxyFor(endpoint: Endpoint, vars: ProxyVariables): ProxyChoice | null {
  const scheme = endpoint.protocol.replace(/:$/, '') as 'http' | 'https';
  const value = scheme === 'http' || scheme === 'https' ? vars[scheme] : undefined;
  if (!value) return null;
  const netloc = endpoint.port ? `${endpoint.hostname}:${endpoint.port}` : endpoint.hostname;
  if (bypassesProxy(netloc, vars.no)) return null;
  return { url: proxyUrl(value), variable: vars.from[scheme]! };
}

/** A proxy URL fit to print: its password (and a user alone) replaced, so no secret reaches a terminal. */
export function printableProxy(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    else if (u.username) u.username = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(a proxy URL that cannot be parsed)';
  }
}
