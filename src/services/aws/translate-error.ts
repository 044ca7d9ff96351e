// The one place where SDK errors become the tool's typed errors, with what they mean here and what to
// do next. Services call this in their catch blocks; nothing else inspects SDK error shapes.
import { AbortedError, ACCESS_DENIED_CODES, AccessDeniedError, AwsServiceError, ConfigError, isSsmPermsError, type SsmPermsError } from '../errors.js';
import { redactSecrets } from './redact.js';

export interface CallSite {
  service: string; // 'ssm', 'iam', 'ec2', 'sts'
  operation: string; // 'GetServiceSetting'
  region: string | null;
}

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'AuthFailure',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'TokenRefreshRequired',
]);

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'TimeoutError']);

/**
 * A timeout raised by the SDK's request handler (@smithy/node-http-handler), told apart by its message:
 * connectionTimeout (--cli-connect-timeout), socketTimeout (--cli-read-timeout: no byte for that long)
 * or requestTimeout (the whole exchange; not set by this tool, but reported the same way).
 */
function handlerTimeout(e: SdkErrorLike, raw: string): { kind: 'connect' | 'read'; seconds: string } | null {
  if (e.name !== 'TimeoutError') return null;
  const seconds = (ms: string | undefined) => (ms === undefined ? 'the configured time' : `${Number(ms) / 1000} s`);
  const connect = /did not establish a connection with the server within the configured timeout of (\d+) ms/.exec(raw);
  if (connect) return { kind: 'connect', seconds: seconds(connect[1]) };
  const read = /timed out after (\d+) ms of inactivity/.exec(raw) ?? /exceeded the configured (\d+) ms requestTimeout/.exec(raw);
  if (read) return { kind: 'read', seconds: seconds(read[1]) };
  return null;
}

/** What an AWS error code means for this tool, and the next step. */
const HINTS: Record<string, string> = {
  ServiceSettingNotFound: 'Default Host Management Configuration is not provisioned in this region; check the region code, or leave this region out.',
  TooManyUpdates: 'Another update of this setting is in progress; wait a minute and run the command again.',
  InternalServerError: 'AWS had an internal error; run the command again (it only makes the changes still missing).',
  ServiceFailure: 'AWS had an internal error; run the command again (it only makes the changes still missing).',
  NoSuchEntity: 'The IAM resource does not exist; check the name (IAM names are case-insensitive but exact).',
  EntityAlreadyExists: 'Another run created it at the same time; run the command again to validate and reuse it.',
  ConcurrentModification: 'Someone else is changing the same IAM resource; run the command again.',
  LimitExceeded: 'An IAM quota was reached; see Service Quotas for IAM, or remove unused policies or roles.',
  MalformedPolicyDocument: 'IAM refused the policy document; this is a bug in ssm-perms, please report it with --debug output.',
  ValidationException: 'AWS refused a parameter; check the values given, or run with --debug.',
  OptInRequired: 'The region is not enabled for this account; enable it in the account settings or leave it out.',
};

export function sdkErrorCode(e: unknown): string {
  const err = (e ?? {}) as SdkErrorLike;
  // Node network errors carry their errno code in `code`; SDK service errors carry theirs in `name`.
  if (typeof err.code === 'string' && NETWORK.has(err.code)) return err.code;
  if (typeof err.Code === 'string' && err.Code) return err.Code;
  return typeof err.name === 'string' && err.name !== 'Error' ? err.name : 'UnknownError';
}

/** The IAM action AWS names in an access-denied message ("... not authorized to perform: ssm:X on ..."). */
export function deniedAction(message: string): string | null {
  const m = /perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message);
  return m?.[1] ?? null;
}

/**
 * What AWS said, without what the SDK adds for programmers: the deserializer's note "Deserialization
 * error: to see the raw response, inspect the hidden field {error}.$response on this object."
 * (@smithy/core deserializerMiddleware and schemaDeserializationMiddleware append it to the message),
 * any other line naming the SDK's hidden fields ($response, $metadata, $fault), and stack frames
 * ("    at ..."). The SDK error stays the cause, so --debug still has all of it.
 */
export function withoutSdkInternals(message: string): string {
  return message
    .split('\n')
    .filter((line) => !/\$(response|metadata|fault|responseBodyText)\b/.test(line) && !/^\s+at\s/.test(line))
    .join('\n')
    .trim();
}

/**
 * Throttling is the SDK's to absorb: standard retries make 3 attempts with backoff, adaptive mode also
 * slows the client to the rate AWS allows ("Retry modes", AWS SDKs and Tools Reference Guide:
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html, and the AWS CLI's
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-retries.html). Both are global options.
 */
export const THROTTLING_HINT =
  'AWS is rate-limiting this account: retry longer with --max-attempts (e.g. 10; default 3) and let the SDK pace the calls with --retry-mode adaptive (the default with --accounts), or run the command again later (it only makes the changes still missing).';

function attemptsNote(e: SdkErrorLike): string {
  const attempts = e.$metadata?.attempts;
  return attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
}

export function translateAwsError(e: unknown, site: CallSite): SsmPermsError {
  if (isSsmPermsError(e)) return e;
  const err = (e ?? {}) as SdkErrorLike;
  const code = sdkErrorCode(e);
  const where = `${site.service}:${site.operation}${site.region ? ` in ${site.region}` : ''}`;
  // AWS may quote the signed request back (canonical request, Authorization header): never pass it on.
  const raw = redactSecrets(withoutSdkInternals(err.message ?? String(e)));

  if (code === 'AbortError') {
    return new AbortedError('Interrupted', `${where} was interrupted`, null, { cause: e });
  }
  if (ACCESS_DENIED_CODES.has(code)) {
    const action = deniedAction(raw) ?? `${site.service}:${site.operation}`;
    return new AccessDeniedError(
      code,
      `access denied to ${action}${site.region ? ` in ${site.region}` : ''}: ${raw}`,
      `Allow ${action} for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.`,
      action,
      { cause: e },
    );
  }
  if (CREDENTIALS.has(code) || /could not load credentials|region is missing/i.test(raw)) {
    return new ConfigError(
      code,
      `${where}: ${raw}`,
      'Check your AWS credentials: refresh them (for SSO: aws sso login --profile NAME), or set AWS_PROFILE / --profile to a profile that works.',
      { cause: e },
    );
  }
  if (THROTTLING.has(code)) {
    return new AwsServiceError(code, `${where} was throttled${attemptsNote(err)}: ${raw}`, THROTTLING_HINT, { cause: e });
  }
  const timedOut = handlerTimeout(err, raw);
  const viaProxy = typeof (e as { viaProxy?: unknown }).viaProxy === 'string' ? (e as { viaProxy: string }).viaProxy : null;
  if (timedOut?.kind === 'connect') {
    return new AwsServiceError(
      'ConnectTimeout',
      viaProxy
        ? `${where} timed out: no connection through ${viaProxy} within ${timedOut.seconds} (--cli-connect-timeout): the proxy did not open the way to the endpoint${attemptsNote(err)}`
        : `${where} timed out: no connection to the endpoint within ${timedOut.seconds} (--cli-connect-timeout)${attemptsNote(err)}`,
      viaProxy
        ? 'Check that the proxy is the right one and lets HTTPS through (CONNECT), or bypass it for this endpoint with NO_PROXY; to wait longer, raise --cli-connect-timeout SECONDS (0 = no limit).'
        : 'Check the network path to AWS (firewall, proxy, VPC endpoint) or --endpoint-url / AWS_ENDPOINT_URL; to wait longer, raise --cli-connect-timeout SECONDS (0 = no limit).',
      { cause: e },
    );
  }
  if (timedOut?.kind === 'read') {
    return new AwsServiceError(
      'ReadTimeout',
      `${where} timed out: the endpoint accepted the request but sent nothing for ${timedOut.seconds} (--cli-read-timeout)${attemptsNote(err)}`,
      'Check the endpoint (--endpoint-url / AWS_ENDPOINT_URL) or a proxy in the way, then run the command again; to wait longer, raise --cli-read-timeout SECONDS (0 = no limit).',
      { cause: e },
    );
  }
  if (NETWORK.has(code)) {
    return new AwsServiceError(
      'NetworkError',
      `${where} could not reach AWS (${code})${attemptsNote(err)}: ${raw}`,
      'Check the network path to AWS, a proxy, or --endpoint-url / AWS_ENDPOINT_URL.',
      { cause: e },
    );
  }
  // Told by the SDK's deserializer note, which `raw` no longer has.
  if (code === 'SyntaxError' || /deserializ/i.test(err.message ?? '')) {
    return new AwsServiceError(
      'UnexpectedResponse',
      `${where} got a response that is not an AWS answer${attemptsNote(err)}: ${raw}`,
      'The endpoint answered with something other than the AWS API; check --endpoint-url / AWS_ENDPOINT_URL.',
      { cause: e },
    );
  }
  return new AwsServiceError(code, `${where} failed${attemptsNote(err)}: ${raw}`, HINTS[code] ?? null, {
    cause: e,
  });
}
