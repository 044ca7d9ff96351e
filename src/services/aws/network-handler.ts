// The request handler every SDK client of a run shares: the SDK's own NodeHttpHandler (same timeouts),
// with the CA bundle as its trust store, and - only when a proxy is configured - a second one whose
// agents go through the proxy (https-proxy-agent: CONNECT for https:// endpoints; http-proxy-agent:
// absolute-form requests for http:// ones, as urllib3 under botocore does). Each request is routed by
// its own URL (proxy-rules.ts), so NO_PROXY is decided per endpoint as in the AWS CLI.
//
// Loaded by import() when the first client is made, so --help and the offline generators never load it;
// the proxy agents are imported only when a proxy is set. Handing the SDK a ready handler is the way the
// SDK's own guide configures proxies ("Configure proxies for Node.js", AWS SDK for JavaScript v3
// Developer Guide: NodeHttpHandler with an HttpsProxyAgent as httpsAgent).
import type { NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpsProxyAgent as HttpsProxyAgentType } from 'https-proxy-agent';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { ConfigError } from '../errors.js';
import type { NetworkConfig } from './network-config.js';
import { needsProxyAgents } from './network-config.js';
import { printableProxy, proxyFor, proxyUrl, type ProxyChoice } from './proxy-rules.js';

type HandlerOptions = Pick<NodeHttpHandlerOptions, 'connectionTimeout' | 'socketTimeout'>;
type HttpRequest = Parameters<NodeHttpHandler['handle']>[0];
type HandleOptions = Parameters<NodeHttpHandler['handle']>[1];

/** Node's TLS verification failures (the `code` of the socket error): the peer's certificate is not trusted. */
const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Failures to open a connection: through a proxy, they are failures to reach the proxy. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

/** Keep-alive and 50 sockets per host, as NodeHttpHandler's own agents. */
const AGENT_DEFAULTS = { keepAlive: true, maxSockets: 50 } as const;

function hostOf(request: HttpRequest): string {
  return request.port ? `${request.hostname}:${request.port}` : request.hostname;
}

/**
 * The error of a request, made to say what is wrong: a certificate nobody trusts becomes a configuration
 * error naming the host and the CA bundle (retrying cannot help); a connection that failed through a
 * proxy names the proxy and its variable, keeping its `code` so the SDK still retries it and the error
 * translation still reports a network error.
 */
export function explainNetworkError(e: unknown, request: HttpRequest, proxy: ProxyChoice | null, network: NetworkConfig): unknown {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  if (TLS_UNTRUSTED.has(code)) {
    const bundle = network.caBundle;
    const trusted = bundle ? `the CA bundle ${bundle.path} (from ${bundle.from})` : "Node's built-in certificate authorities";
    // Behind an https:// proxy, Node's error does not say whose certificate failed: the proxy's or the endpoint's.
    const whose = !proxy
      ? hostOf(request)
      : proxy.url.startsWith('https:')
        ? `the proxy ${printableProxy(proxy.url)} or of ${hostOf(request)} behind it`
        : `${hostOf(request)} (through the proxy ${printableProxy(proxy.url)})`;
    throw new ConfigError(
      'TlsCertificateNotTrusted',
      `the TLS certificate of ${whose} is not trusted by ${trusted}: ${String(err.message)} (${code})`,
      bundle
        ? `Add the certificate authority that signed it to ${bundle.path}, or check that ${hostOf(request)} is the endpoint you meant.`
        : 'If a proxy or an endpoint of your own presents a certificate from a private CA, set AWS_CA_BUNDLE (or ca_bundle in the profile) to a PEM file holding that CA.',
      { cause: e },
    );
  }
  // A timeout through a proxy is the proxy's silence as much as the endpoint's: translate-error names it.
  if (proxy && (e as { name?: unknown }).name === 'TimeoutError') {
    (e as { viaProxy?: string }).viaProxy = `the proxy ${printableProxy(proxy.url)} (from ${proxy.variable})`;
  }
  if (proxy && CONNECT_FAILURES.has(code) && typeof err.message === 'string') {
    err.message = `could not reach ${hostOf(request)} through the proxy ${printableProxy(proxy.url)} (from ${proxy.variable}): ${err.message}`;
  }
  return e;
}

/** The SDK's RequestHandler contract (handle, updateHttpClientConfig, httpHandlerConfigs, destroy), routed per request. */
export class NetworkHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    /** The timeouts both handlers were made with (NodeHttpHandler options). */
    readonly options: HandlerOptions,
    private readonly network: NetworkConfig,
    private readonly direct: NodeHttpHandler,
    private readonly proxied: NodeHttpHandler | null,
  ) {}

  async handle(request: HttpRequest, options?: HandleOptions): ReturnType<NodeHttpHandler['handle']> {
    const proxy = this.proxied ? proxyFor(request, this.network.proxies) : null;
    try {
      return await (proxy && this.proxied ? this.proxied : this.direct).handle(request, options);
    } catch (e) {
      throw explainNetworkError(e, request, proxy, this.network);
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.direct.updateHttpClientConfig(key, value);
    this.proxied?.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): ReturnType<NodeHttpHandler['httpHandlerConfigs']> {
    return this.direct.httpHandlerConfigs();
  }

  destroy(): void {
    this.direct.destroy();
    this.proxied?.destroy();
  }
}

export async function createNetworkHandler(options: HandlerOptions, network: NetworkConfig): Promise<NetworkHandler> {
  const ca = network.caBundle?.pem;
  const tls = ca ? { ca } : {};
  const direct = new NodeHttpHandler({ ...options, httpsAgent: { ...AGENT_DEFAULTS, ...tls } });
  if (!needsProxyAgents(network)) return new NetworkHandler(options, network, direct, null);
  const { http, https } = network.proxies;
  // Only now: nobody without a proxy pays for loading the agents.
  const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([import('http-proxy-agent'), import('https-proxy-agent')]);
  // https-proxy-agent gives its options to the connection to the proxy only (it resets the agent's own
  // `options`), and opens the TLS connection to the endpoint inside the tunnel with the request's options
  // less `host` (https-proxy-agent dist/index.js connect: tls.connect({ ...omit(opts, 'host', ...),
  // socket })). So the CA bundle is added there, and for an endpoint given by IP address (no SNI name is
  // sent for it) the certificate is checked against that address - Node would check it against
  // "localhost", the default host of tls.connect.
  class HttpsProxyAgentTrusting extends HttpsProxyAgent<string> {
    override connect(...[req, opts]: Parameters<HttpsProxyAgentType<string>['connect']>) {
      if (!opts.secureEndpoint) return super.connect(req, opts);
      const host = opts.host ?? '';
      const byAddress = isIP(host) ? { checkServerIdentity: (_: string, cert: PeerCertificate) => checkServerIdentity(host, cert) } : {};
      return super.connect(req, { ...opts, ...tls, ...byAddress });
    }
  }
  const proxied = new NodeHttpHandler({
    ...options,
    // `ca` also verifies an https:// proxy's own certificate (the agents pass their options to tls.connect).
    ...(http ? { httpAgent: new HttpProxyAgent(proxyUrl(http), { ...AGENT_DEFAULTS, ...tls }) } : {}),
    ...(https ? { httpsAgent: new HttpsProxyAgentTrusting(proxyUrl(https), { ...AGENT_DEFAULTS, ...tls }) } : {}),
  });
  return new NetworkHandler(options, network, direct, proxied);
}
