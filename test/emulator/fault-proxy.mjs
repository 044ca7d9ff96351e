// A loopback HTTP proxy between the CLI and the emulator that injects faults: the throttling errors
// of IAM, EC2, SSM and STS with their real HTTP statuses and wire formats, 500/503 answers, dropped
// connections and latency - on chosen operations (optionally only for requests whose body contains a
// string, e.g. an instance id or a region), a number of times or always, or at random with a seed.
// The signature faults answer as AWS does when it cannot verify a signature, quoting the request's own
// signed parts back (session token, Authorization header): what the CLI must never print.
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';

/** The service of a signed request, from its credential scope (…/us-east-1/iam/aws4_request). */
function serviceOf(headers) {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
  return m ? { region: m[1], service: m[2] } : { region: null, service: null };
}

function operationOf(headers, body) {
  const target = headers['x-amz-target'];
  if (target) return String(target).split('.').pop();
  const m = /(?:^|&)Action=([A-Za-z]+)/.exec(body);
  return m ? m[1] : null;
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const xmlEscape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * What AWS says when the signature it computes differs (SignatureDoesNotMatch, InvalidSignatureException):
 * the canonical request and string to sign it computed, from the request's own signed headers - so the
 * x-amz-security-token header's value among them.
 */
export function signatureMismatchMessage(req) {
  const headers = req.headers ?? {};
  const auth = String(headers.authorization ?? '');
  const signed = (/SignedHeaders=([^,\s]+)/.exec(auth)?.[1] ?? 'host;x-amz-date').split(';');
  const scope = /Credential=[^/]+\/(\d{8}\/[^/]+\/[^/]+\/aws4_request)/.exec(auth)?.[1] ?? '';
  const [path, query = ''] = String(req.url ?? '/').split('?');
  const canonical = [
    req.method ?? 'POST',
    path,
    query,
    ...signed.map((h) => `${h}:${String(headers[h] ?? '').trim()}`),
    '',
    signed.join(';'),
    sha256(req.body ?? ''),
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', headers['x-amz-date'] ?? '', scope, sha256(canonical)].join('\n');
  return (
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
    `The Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`
  );
}

/** What AWS says when it cannot parse the Authorization header (IncompleteSignature): it quotes it whole. */
export function incompleteSignatureMessage(req) {
  const auth = String(req.headers?.authorization ?? '');
  const credential = /Credential=([^,\s]+)/.exec(auth)?.[1] ?? '';
  return `'${credential}' not a valid key=value pair (missing equal-sign) in Authorization header: '${auth}'.`;
}

const XML_QUERY = (code, message) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`;
const XML_EC2 = (code, message) =>
  `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>`;

/**
 * The answer a service really gives for a fault, in its own protocol. `req` ({ method, url, headers, body })
 * is the request answered: the signature faults quote it.
 */
export function faultResponse(service, fault, req = {}) {
  const kind = {
    throttle: { iam: ['Throttling', 400], sts: ['Throttling', 400], ec2: ['RequestLimitExceeded', 503], ssm: ['ThrottlingException', 400] },
    500: { iam: ['ServiceFailure', 500], sts: ['InternalFailure', 500], ec2: ['InternalError', 500], ssm: ['InternalServerError', 500] },
    503: { iam: ['ServiceUnavailable', 503], sts: ['ServiceUnavailable', 503], ec2: ['Unavailable', 503], ssm: ['ServiceUnavailable', 503] },
    denied: { iam: ['AccessDenied', 403], sts: ['AccessDenied', 403], ec2: ['UnauthorizedOperation', 403], ssm: ['AccessDeniedException', 400] },
    expired: { iam: ['ExpiredToken', 403], sts: ['ExpiredToken', 403], ec2: ['RequestExpired', 400], ssm: ['ExpiredTokenException', 400] },
    badsig: {
      iam: ['SignatureDoesNotMatch', 403],
      sts: ['SignatureDoesNotMatch', 403],
      ec2: ['SignatureDoesNotMatch', 403],
      ssm: ['InvalidSignatureException', 400],
    },
    incompletesig: {
      iam: ['IncompleteSignature', 400],
      sts: ['IncompleteSignature', 400],
      ec2: ['IncompleteSignature', 400],
      ssm: ['IncompleteSignatureException', 400],
    },
  }[fault]?.[service];
  if (!kind) throw new Error(`no ${fault} answer for ${service}`);
  const [code, status] = kind;
  const message =
    fault === 'badsig'
      ? signatureMismatchMessage(req)
      : fault === 'incompletesig'
        ? incompleteSignatureMessage(req)
        : ({
            throttle: 'Rate exceeded',
            denied: 'User is not authorized to perform this operation (injected)',
            expired: 'The security token included in the request is expired',
          }[fault] ?? 'Injected fault');
  if (service === 'ssm') {
    return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code }, body: JSON.stringify({ __type: code, message }) };
  }
  const text = xmlEscape(message);
  return { status, headers: { 'content-type': 'text/xml' }, body: service === 'ec2' ? XML_EC2(code, text) : XML_QUERY(code, text) };
}

/** A small seeded generator (mulberry32), so random faults repeat run after run. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What the SDK says about itself in a request: `amz-sdk-request: attempt=N; max=M` (the attempt of this
 * operation and the most it will make) and the business metrics of its user agent (`m/E,F,...`: E is the
 * standard retry mode, F the adaptive one, as @aws-sdk/core's checkFeatures sets them).
 */
export function sdkFacts(headers) {
  const m = /attempt=(\d+);\s*max=(\d+)/.exec(String(headers['amz-sdk-request'] ?? ''));
  // In Node the SDK puts the full user agent (with m/...) in User-Agent, a short one in X-Amz-User-Agent.
  const userAgent = [headers['user-agent'], headers['x-amz-user-agent']].filter(Boolean).join(' ');
  const metrics = /(?:^|\s)m\/([^\s]*)/.exec(userAgent)?.[1];
  return {
    attempt: m ? Number(m[1]) : null,
    maxAttempts: m ? Number(m[2]) : null,
    userAgent,
    features: metrics ? metrics.split(',').filter(Boolean) : [],
  };
}

/**
 * Rules: { service?, operation?, region?, bodyIncludes?, fault: 'throttle'|500|503|'denied'|'expired'|'badsig'|
 * 'incompletesig'|'drop'|'latency'|'hold', times?: n (default: always), rate?: 0..1 (with the proxy's seed),
 * ms?: latency }. 'hold' parks a matching request (unanswered, not forwarded) until release() is called:
 * a call that is "in flight" for exactly as long as the test wants, however slow the machine.
 */
export async function startFaultProxy(targetUrl, { seed = 1 } = {}) {
  const target = new URL(targetUrl);
  let rules = [];
  const random = seeded(seed);
  const log = [];
  let parked = [];
  const waiters = new Set();
  const changed = () => {
    for (const w of [...waiters]) w();
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const { service, region } = serviceOf(req.headers);
      const operation = operationOf(req.headers, text);
      const signature = /Signature=([0-9a-f]+)/.exec(req.headers.authorization ?? '')?.[1] ?? null;
      const entry = { service, region, operation, fault: null, signature, held: false, at: Date.now(), ...sdkFacts(req.headers) };
      log.push(entry);
      let delay = 0;
      let faulty = null;
      for (const rule of rules) {
        if (rule.service && rule.service !== service) continue;
        if (rule.operation && rule.operation !== operation) continue;
        if (rule.region && rule.region !== region) continue;
        if (rule.bodyIncludes && !text.includes(rule.bodyIncludes)) continue;
        if (rule.times !== undefined && rule.times <= 0) continue;
        if (rule.rate !== undefined && random() >= rule.rate) continue;
        if (rule.times !== undefined) rule.times -= 1;
        if (rule.fault === 'latency') {
          delay += rule.ms ?? 200;
          continue;
        }
        if (rule.fault === 'hold') {
          entry.held = true;
          continue;
        }
        faulty = rule;
        break;
      }
      if (entry.held) {
        await new Promise((release) => {
          parked.push(release);
          changed();
        });
      }
      changed();
      if (faulty) {
        const rule = faulty;
        entry.fault = rule.fault;
        if (delay) await new Promise((r) => setTimeout(r, delay));
        if (rule.fault === 'drop') {
          req.socket.destroy();
          return;
        }
        const answer = faultResponse(service, String(rule.fault) === '500' || String(rule.fault) === '503' ? String(rule.fault) : rule.fault, {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: text,
        });
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      }
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.on('error', () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  const release = () => {
    const now = parked;
    parked = [];
    for (const go of now) go();
    return now.length;
  };
  return {
    url,
    /** Replaces the rules (copies them: `times` counts down per proxy); releases any held request. */
    setRules(next) {
      release();
      rules = next.map((r) => ({ ...r }));
      log.length = 0;
    },
    /** Requests seen since the last setRules: { service, region, operation, fault, held, attempt, maxAttempts, features, ... }. */
    log: () => [...log],
    /** How many requests are held now (by a 'hold' rule, until release()). */
    held: () => parked.length,
    /** Lets every held request go on (forwarded, or answered by its fault); returns how many. */
    release,
    /** Drops the 'hold' rules (later requests pass, and are still logged) and releases the held ones; returns how many. */
    stopHolding() {
      rules = rules.filter((r) => r.fault !== 'hold');
      return release();
    },
    /**
     * Resolves once `check()` holds: checked now and again on every request the proxy sees or holds.
     * Rejects after `timeoutMs` (a deadline for a hang, not a delay: it never passes in a working run).
     */
    waitFor(check, { timeoutMs = 30_000, what = 'the proxy state' } = {}) {
      return new Promise((resolve, reject) => {
        const test = () => {
          if (!check()) return;
          waiters.delete(test);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`fault proxy: still waiting for ${what} after ${timeoutMs} ms; seen: ${log.map((x) => x.operation).join(' ')}`));
        }, timeoutMs);
        waiters.add(test);
        test();
      });
    },
    async stop() {
      release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
