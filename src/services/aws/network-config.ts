// The network settings every AWS call of a run shares, read once before the first client is made:
// the proxies of the environment (proxy-rules.ts) and the CA bundle that replaces Node's built-in roots.
//
// The CA bundle follows botocore: the `ca_bundle` config variable is AWS_CA_BUNDLE, else the profile's
// `ca_bundle` (botocore/configprovider.py BOTOCORE_DEFAUT_SESSION_VARIABLES 'ca_bundle': ('ca_bundle',
// 'AWS_CA_BUNDLE', None, None): the environment before the config file), and it replaces the default
// trust store (botocore/httpsession.py _setup_ssl_cert sets conn.ca_certs to it), as Node's `ca` option
// does. Unlike the AWS CLI, which fails at the first request, a file that cannot be read or holds no
// certificate is refused before any call, as a configuration error (exit 3). An empty AWS_CA_BUNDLE is
// taken as unset: botocore would turn certificate checks off for it, which nobody asks for that way.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { printableProxy, proxyUrl, proxyVariables, type ProxyVariables } from './proxy-rules.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface CaBundle {
  path: string;
  /** Where the path came from: `AWS_CA_BUNDLE`, or `ca_bundle of profile NAME`. */
  from: string;
  pem: string;
}

export interface NetworkConfig {
  proxies: ProxyVariables;
  caBundle: CaBundle | null;
}

/** True when requests need more than the SDK's default handler: a proxy, or a CA bundle. */
export function needsProxyAgents(config: NetworkConfig): boolean {
  return Boolean(config.proxies.http || config.proxies.https);
}

/**
 * The environment as the SDK sees it. The SDK reads its own settings from it (fromEnv in
 * @smithy/core/config); asking it here keeps the layer rule (only src/cli touches `process`).
 */
async function sdkEnvironment(): Promise<Env> {
  const { loadConfig } = await import('@smithy/core/config');
  return loadConfig<Env>({ environmentVariableSelector: (env) => ({ ...env }), configFileSelector: () => undefined, default: () => ({}) })();
}

/** The profile's `ca_bundle`, read from the shared config files as the SDK reads every profile setting. */
async function profileCaBundle(profile: string | undefined, env: Env): Promise<{ path: string; profile: string } | null> {
  const { loadConfig, getProfileName } = await import('@smithy/core/config');
  const name = profile ?? env.AWS_PROFILE;
  const init = {
    ...(name ? { profile: name } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
  };
  const path = await loadConfig<string | undefined>(
    { environmentVariableSelector: () => undefined, configFileSelector: (p) => p.ca_bundle || undefined, default: () => undefined },
    init,
  )();
  return path ? { path, profile: getProfileName(init) } : null;
}

async function readCaBundle(path: string, from: string): Promise<CaBundle> {
  const hint = `Point ${from === 'AWS_CA_BUNDLE' ? 'AWS_CA_BUNDLE' : "the profile's ca_bundle"} at a readable PEM file of the certificate authorities to trust, or unset it to use Node's built-in ones.`;
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ConfigError('CaBundleUnreadable', `the CA bundle ${path} (from ${from}) cannot be read: ${reason}`, hint, { cause: e });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError('CaBundleInvalid', `the CA bundle ${path} (from ${from}) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, hint);
  }
  return { path, from, pem };
}

/**
 * A proxy URL the agents can use: http:// or https:// with a host. Another scheme (socks5://...) is
 * refused: botocore would prefix it with http:// (_fix_proxy_url) and then fail to reach a host named
 * "socks5", which says nothing useful.
 */
function checkProxy(value: string | undefined, variable: string | undefined): void {
  if (!value) return;
  const hint = `Set ${variable} to a proxy URL such as http://proxy.example.com:3128 (user and password as http://USER:PASSWORD@HOST:PORT), or unset it.`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    throw new ConfigError('InvalidProxy', `${variable} has the scheme ${scheme}; only http and https proxies are supported`, hint);
  }
  let url: URL;
  try {
    url = new URL(proxyUrl(value));
  } catch {
    throw new ConfigError('InvalidProxy', `${variable} is not a URL: ${printableProxy(value)}`, hint);
  }
  if (!url.hostname) throw new ConfigError('InvalidProxy', `${variable} names no host: ${printableProxy(value)}`, hint);
}

/** Reads and checks the run's network settings; throws ConfigError (exit 3) for a bad proxy or CA bundle. */
export async function resolveNetwork(profile: string | undefined, env?: Env): Promise<NetworkConfig> {
  const vars = env ?? (await sdkEnvironment());
  const proxies = proxyVariables(vars);
  checkProxy(proxies.http, proxies.from.http);
  checkProxy(proxies.https, proxies.from.https);
  let caBundle: CaBundle | null = null;
  if (vars.AWS_CA_BUNDLE) caBundle = await readCaBundle(vars.AWS_CA_BUNDLE, 'AWS_CA_BUNDLE');
  else {
    const fromProfile = await profileCaBundle(profile, vars);
    if (fromProfile) caBundle = await readCaBundle(fromProfile.path, `ca_bundle of profile ${fromProfile.profile}`);
  }
  return { proxies, caBundle };
}
