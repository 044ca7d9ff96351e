// A forward proxy on 127.0.0.1 for the network tests: it records every request it is asked to carry
// and carries it - absolute-form requests (`POST http://127.0.0.1:PORT/ HTTP/1.1`, what clients send to
// an HTTP_PROXY for http:// URLs) are forwarded, CONNECT (what they send to an HTTPS_PROXY for https://
// URLs) opens a tunnel. Optionally it demands Basic proxy credentials (407 otherwise), and it can answer
// some requests itself (`answer`), for services the emulator does not have. Only loopback targets are
// carried: anything else is refused with 403, so a test can never send traffic off the machine.
import { createServer, request } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { connect } from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/**
 * options.auth: 'user:password' to require; options.answer(req, body) -> {status, headers, body} | null to
 * answer a request instead of forwarding it; options.tls: {cert, key} to be an https:// proxy (the client
 * speaks TLS to the proxy itself, then CONNECT inside it).
 */
export async function startForwardProxy(options = {}) {
  const log = [];
  const sockets = new Set();
  const expected = options.auth ? `Basic ${Buffer.from(options.auth).toString('base64')}` : null;
  const authorized = (req) => !expected || req.headers['proxy-authorization'] === expected;

  const handle = (req, res) => {
    let target;
    try {
      target = new URL(req.url);
    } catch {
      res.writeHead(400).end('not an absolute-form request: this is a proxy\n');
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      log.push({ method: req.method, target: target.host, url: req.url, headers: req.headers, body: body.toString('utf8') });
      if (!authorized(req)) {
        res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end();
        return;
      }
      const own = options.answer?.(req, body.toString('utf8'));
      if (own) {
        res.writeHead(own.status, own.headers).end(own.body);
        return;
      }
      if (!LOOPBACK.test(target.hostname)) {
        res.writeHead(403).end('this test proxy only carries loopback traffic\n');
        return;
      }
      const headers = { ...req.headers };
      delete headers['proxy-authorization'];
      delete headers['proxy-connection'];
      const upstream = request({ host: target.hostname, port: target.port || 80, method: req.method, path: target.pathname + target.search, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (e) => res.writeHead(502).end(`upstream: ${e.message}\n`));
      upstream.end(body);
    });
  };
  const server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle);
  // A client that refuses an https:// proxy's certificate ends the handshake: expected in the tests.
  server.on('tlsClientError', () => undefined);

  server.on('connect', (req, client, head) => {
    log.push({ method: 'CONNECT', target: req.url, url: req.url, headers: req.headers, body: '' });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!authorized(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = [req.url.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(req.url)?.[1] ?? 443)];
    if (!LOOPBACK.test(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    /** Every request carried or refused so far, oldest first. */
    log: () => [...log],
    clear: () => void log.splice(0),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
