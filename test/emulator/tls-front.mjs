// An HTTPS front on 127.0.0.1 for the CA-bundle tests: it presents the certificate it is given (a
// self-signed one the test made with openssl) and forwards each request to a plain-HTTP target (the
// emulator), so a client reaches moto over TLS only when it trusts that certificate.
import { createServer } from 'node:https';
import { request } from 'node:http';

/** target: the emulator's http:// URL; cert, key: PEM text. */
export async function startTlsFront(target, { cert, key }) {
  const upstream = new URL(target);
  let handshakes = 0;
  let requests = 0;
  const server = createServer({ cert, key }, (req, res) => {
    requests += 1;
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', (e) => res.writeHead(502).end(`upstream: ${e.message}\n`));
    req.pipe(out);
  });
  server.on('secureConnection', () => (handshakes += 1));
  // A client that refuses the certificate ends the handshake: expected here, not a server failure.
  server.on('tlsClientError', () => undefined);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `https://127.0.0.1:${port}`,
    /** Completed TLS handshakes and HTTP requests served so far. */
    handshakes: () => handshakes,
    requests: () => requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
