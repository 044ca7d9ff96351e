import { describe, expect, it } from 'vitest';
import { deniedAction, sdkErrorCode, translateAwsError } from '../../../src/services/aws/translate-error.js';
import { awsError } from '../../helpers/aws-errors.js';

const site = { service: 'ssm', operation: 'GetServiceSetting', region: 'us-east-1' };

describe('translateAwsError', () => {
  it('maps access denied to exit 4 and names the denied action', () => {
    const e = translateAwsError(
      awsError('AccessDeniedException', 'User: arn:aws:iam::1:user/u is not authorized to perform: ssm:GetServiceSetting on resource: x'),
      site,
    );
    expect(e.exitCode).toBe(4);
    expect(e.message).toContain('ssm:GetServiceSetting');
    expect(e.hint).toContain('ssm:GetServiceSetting');
  });

  it('names the operation when AWS does not say which action was denied', () => {
    const e = translateAwsError(awsError('AccessDenied', 'Access Denied', 403), { service: 'iam', operation: 'CreateRole', region: null });
    expect(e.message).toContain('iam:CreateRole');
  });

  it('maps credential problems and a missing region to exit 3', () => {
    expect(translateAwsError(awsError('ExpiredTokenException', 'expired'), site).exitCode).toBe(3);
    expect(translateAwsError(awsError('CredentialsProviderError', 'Could not load credentials from any providers'), site).exitCode).toBe(3);
    expect(translateAwsError(awsError('InvalidClientTokenId', 'bad'), site).exitCode).toBe(3);
  });

  it('maps throttling, network and other service errors to exit 5 with a next step', () => {
    const t = translateAwsError(Object.assign(awsError('ThrottlingException', 'Rate exceeded'), { $metadata: { attempts: 3 } }), site);
    expect(t.exitCode).toBe(5);
    expect(t.message).toContain('after 3 attempts');
    const net = translateAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), site);
    expect(net.code).toBe('NetworkError');
    expect(net.hint).toContain('endpoint');
    const nf = translateAwsError(awsError('ServiceSettingNotFound', 'x'), site);
    expect(nf.exitCode).toBe(5);
    expect(nf.hint).toContain('not provisioned');
  });

  // The errors @smithy/node-http-handler 4.x raises for --cli-read-timeout (socketTimeout), for
  // --cli-connect-timeout (connectionTimeout), and for a whole-request requestTimeout.
  const timeout = (message: string, code?: string) => Object.assign(new Error(message), { name: 'TimeoutError' }, code ? { code } : {});

  it('names a read timeout: which call, how long, and the option that sets it (exit 5)', () => {
    const e = translateAwsError(
      timeout('@smithy/node-http-handler - the request socket timed out after 1000 ms of inactivity (configured by client requestHandler).'),
      { service: 'sts', operation: 'GetCallerIdentity', region: 'us-east-1' },
    );
    expect(e.exitCode).toBe(5);
    expect(e.code).toBe('ReadTimeout');
    expect(e.message).toMatch(/^sts:GetCallerIdentity in us-east-1 timed out/);
    expect(e.message).toContain('1 s');
    expect(e.hint).toContain('--cli-read-timeout');
    const whole = translateAwsError(
      timeout('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 2500 ms requestTimeout.', 'ETIMEDOUT'),
      site,
    );
    expect(whole.code).toBe('ReadTimeout');
    expect(whole.message).toContain('2.5 s');
  });

  it('names a connect timeout and the option that sets it (exit 5)', () => {
    const e = translateAwsError(
      timeout('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.'),
      site,
    );
    expect(e.exitCode).toBe(5);
    expect(e.code).toBe('ConnectTimeout');
    expect(e.message).toMatch(/^ssm:GetServiceSetting in us-east-1 timed out/);
    expect(e.message).toContain('3 s');
    expect(e.hint).toContain('--cli-connect-timeout');
    expect(e.message).toContain('no connection to the endpoint');
  });

  it('a connect timeout through a proxy names the proxy, and the hint says how to bypass it', () => {
    const through = Object.assign(
      timeout('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.'),
      { viaProxy: 'the proxy http://proxy.corp:3128 (from HTTPS_PROXY)' },
    );
    const e = translateAwsError(through, site);
    expect(e.code).toBe('ConnectTimeout');
    expect(e.message).toContain('timed out: no connection through the proxy http://proxy.corp:3128 (from HTTPS_PROXY) within 3 s (--cli-connect-timeout)');
    expect(e.hint).toContain('NO_PROXY');
  });

  it('redacts what AWS quotes back from the signed request, in every kind of error', () => {
    const token = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789abcdefABCDEF';
    const quoted = `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'POST\n/\n\nhost:ssm.us-east-1.amazonaws.com\nx-amz-security-token:${token}\n\nhost;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'`;
    const auth = `in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'`;
    for (const e of [
      translateAwsError(awsError('InvalidSignatureException', quoted), site),
      translateAwsError(awsError('SignatureDoesNotMatch', quoted, 403), { service: 'sts', operation: 'GetCallerIdentity', region: 'us-east-1' }),
      translateAwsError(awsError('IncompleteSignatureException', auth), site),
      translateAwsError(awsError('AccessDeniedException', `not authorized to perform: ssm:GetServiceSetting ${auth}`), site),
      translateAwsError(awsError('SomethingNew', quoted), site),
      translateAwsError(Object.assign(awsError('ThrottlingException', auth), { $metadata: { attempts: 3 } }), site),
    ]) {
      const text = JSON.stringify(e.info);
      expect(text).not.toContain(token.slice(0, 16));
      expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
      expect(text).not.toContain('0123456789abcdef0123456789abcdef');
      expect(text).toContain('[REDACTED]');
    }
  });

  it('maps IncompleteSignatureException (JSON protocol) to a credentials problem', () => {
    expect(translateAwsError(awsError('IncompleteSignatureException', 'x'), site).exitCode).toBe(3);
  });

  it('maps an aborted call to exit 130', () => {
    const e = new Error('aborted');
    e.name = 'AbortError';
    expect(translateAwsError(e, site).exitCode).toBe(130);
  });

  it('finds the action in a denial message', () => {
    expect(deniedAction('is not authorized to perform: iam:PassRole on resource')).toBe('iam:PassRole');
    expect(deniedAction('Access Denied')).toBeNull();
  });
});

// What the operator sees for each kind of AWS error: the code, the whole message and the hint, and the
// SDK error kept as the cause (--debug prints it). The codes are those AWS documents:
// - common errors of every service (AccessDeniedException, ExpiredTokenException, IncompleteSignature,
//   InvalidClientTokenId, ThrottlingException, ValidationException, OptInRequired):
//   https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html
//   https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
//   https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
// - EC2's own (AuthFailure, UnauthorizedOperation, RequestLimitExceeded, OptInRequired):
//   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
// - per operation, the "Errors" section of the API reference, e.g.
//   https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetServiceSetting.html#API_GetServiceSetting_Errors
//   https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html#API_CreateRole_Errors
describe('translateAwsError: what the operator sees', () => {
  const iamSite = { service: 'iam', operation: 'CreateRole', region: null };
  const ec2Site = { service: 'ec2', operation: 'DescribeInstances', region: 'eu-west-1' };
  const CREDENTIALS_HINT =
    'Check your AWS credentials: refresh them (for SSO: aws sso login --profile NAME), or set AWS_PROFILE / --profile to a profile that works.';
  // The AWS CLI's answer to throttling, and this tool's global options of the same names.
  const THROTTLED_HINT =
    'AWS is rate-limiting this account: retry longer with --max-attempts (e.g. 10; default 3) and let the SDK pace the calls with --retry-mode adaptive (the default with --accounts), or run the command again later (it only makes the changes still missing).';
  const INTERNAL_HINT = 'AWS had an internal error; run the command again (it only makes the changes still missing).';
  const withAttempts = (e: Error, attempts: number) => Object.assign(e, { $metadata: { httpStatusCode: 400, attempts } });

  it('an interrupted call: Interrupted, exit 130, naming the call', () => {
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    const e = translateAwsError(abort, site);
    expect(e.constructor.name).toBe('AbortedError');
    expect(e.info).toEqual({ code: 'Interrupted', message: 'ssm:GetServiceSetting in us-east-1 was interrupted', hint: null });
    expect(e.cause).toBe(abort);
  });

  it('access denied without a region (IAM is global) names the operation as the action', () => {
    const sdk = awsError('AccessDenied', 'Access Denied', 403);
    const e = translateAwsError(sdk, iamSite);
    expect(e.exitCode).toBe(4);
    expect(e.info).toEqual({
      code: 'AccessDenied',
      message: 'access denied to iam:CreateRole: Access Denied',
      hint: "Allow iam:CreateRole for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.",
    });
    expect(e.cause).toBe(sdk);
  });

  it("EC2's UnauthorizedOperation is access denied, in the region", () => {
    const e = translateAwsError(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), ec2Site);
    expect(e.exitCode).toBe(4);
    expect(e.info).toEqual({
      code: 'UnauthorizedOperation',
      message: 'access denied to ec2:DescribeInstances in eu-west-1: You are not authorized to perform this operation.',
      hint: "Allow ec2:DescribeInstances for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.",
    });
  });

  it.each([
    // STS (query protocol) and IAM answer ExpiredToken; JSON services (SSM) ExpiredTokenException.
    ['ExpiredToken', 'The security token included in the request is expired'],
    ['ExpiredTokenException', 'The security token included in the request is expired'],
    ['InvalidClientTokenId', 'The security token included in the request is invalid.'],
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
    ['AuthFailure', 'AWS was not able to validate the provided access credentials'],
    ['IncompleteSignature', 'The request signature does not conform to AWS standards.'],
  ])('%s is a credentials problem: exit 3, the call and what AWS said, and how to refresh them', (code, message) => {
    const sdk = awsError(code, message, 403);
    const e = translateAwsError(sdk, site);
    expect(e.exitCode).toBe(3);
    expect(e.info).toEqual({ code, message: `ssm:GetServiceSetting in us-east-1: ${message}`, hint: CREDENTIALS_HINT });
    expect(e.cause).toBe(sdk);
  });

  it('a missing region, as the SDK words it, is a configuration problem too (exit 3)', () => {
    const e = translateAwsError(new Error('Region is missing'), iamSite);
    expect(e.exitCode).toBe(3);
    expect(e.info).toEqual({ code: 'UnknownError', message: 'iam:CreateRole: Region is missing', hint: CREDENTIALS_HINT });
  });

  it.each([
    ['ThrottlingException', 'Rate exceeded'], // SSM, and the common errors of JSON services
    ['Throttling', 'Rate exceeded'], // IAM and STS (query protocol)
    ['RequestLimitExceeded', 'Request limit exceeded.'], // EC2
    ['TooManyRequestsException', 'Too many requests'], // REST-JSON services
  ])('%s is throttling: exit 5, how many attempts the SDK made, and --retry-mode adaptive / --max-attempts', (code, message) => {
    const sdk = withAttempts(awsError(code, message), 3);
    const e = translateAwsError(sdk, ec2Site);
    expect(e.exitCode).toBe(5);
    expect(e.info).toEqual({ code, message: `ec2:DescribeInstances in eu-west-1 was throttled after 3 attempts: ${message}`, hint: THROTTLED_HINT });
    expect(e.cause).toBe(sdk);
  });

  it('a single attempt is not mentioned', () => {
    const e = translateAwsError(awsError('ThrottlingException', 'Rate exceeded'), site);
    expect(e.message).toBe('ssm:GetServiceSetting in us-east-1 was throttled: Rate exceeded');
  });

  it('a connect timeout keeps the SDK error as its cause', () => {
    const sdk = Object.assign(
      new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.'),
      { name: 'TimeoutError', $metadata: { attempts: 3 } },
    );
    const e = translateAwsError(sdk, site);
    expect(e.info).toEqual({
      code: 'ConnectTimeout',
      message: 'ssm:GetServiceSetting in us-east-1 timed out: no connection to the endpoint within 5 s (--cli-connect-timeout) after 3 attempts',
      hint: 'Check the network path to AWS (firewall, proxy, VPC endpoint) or --endpoint-url / AWS_ENDPOINT_URL; to wait longer, raise --cli-connect-timeout SECONDS (0 = no limit).',
    });
    expect(e.cause).toBe(sdk);
  });

  it('a read timeout keeps the SDK error as its cause', () => {
    const sdk = Object.assign(
      new Error('@smithy/node-http-handler - the request socket timed out after 60000 ms of inactivity (configured by client requestHandler).'),
      { name: 'TimeoutError' },
    );
    const e = translateAwsError(sdk, site);
    expect(e.info).toEqual({
      code: 'ReadTimeout',
      message: 'ssm:GetServiceSetting in us-east-1 timed out: the endpoint accepted the request but sent nothing for 60 s (--cli-read-timeout)',
      hint: 'Check the endpoint (--endpoint-url / AWS_ENDPOINT_URL) or a proxy in the way, then run the command again; to wait longer, raise --cli-read-timeout SECONDS (0 = no limit).',
    });
    expect(e.cause).toBe(sdk);
  });

  it('a TimeoutError with another message is a network error, not a misread timeout', () => {
    const e = translateAwsError(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), site);
    expect(e.info).toEqual({
      code: 'NetworkError',
      message: 'ssm:GetServiceSetting in us-east-1 could not reach AWS (TimeoutError): socket hang up',
      hint: 'Check the network path to AWS, a proxy, or --endpoint-url / AWS_ENDPOINT_URL.',
    });
  });

  it("a service error that merely quotes a timeout is not taken for the SDK's own", () => {
    const message = 'upstream timed out after 5000 ms of inactivity';
    const e = translateAwsError(awsError('InternalServerError', message, 500), site);
    expect(e.info).toEqual({ code: 'InternalServerError', message: `ssm:GetServiceSetting in us-east-1 failed: ${message}`, hint: INTERNAL_HINT });
  });

  it('a refused connection: NetworkError with the errno, the attempts and what Node said', () => {
    const sdk = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', $metadata: { attempts: 2 } });
    const e = translateAwsError(sdk, site);
    expect(e.exitCode).toBe(5);
    expect(e.info).toEqual({
      code: 'NetworkError',
      message: 'ssm:GetServiceSetting in us-east-1 could not reach AWS (ECONNREFUSED) after 2 attempts: connect ECONNREFUSED 127.0.0.1:4566',
      hint: 'Check the network path to AWS, a proxy, or --endpoint-url / AWS_ENDPOINT_URL.',
    });
    expect(e.cause).toBe(sdk);
  });

  // The SDK's deserializer adds "Deserialization error: to see the raw response, inspect the hidden
  // field {error}.$response on this object." to a body it cannot parse (@smithy/core deserializerMiddleware).
  it('an answer that is not AWS (HTML from a proxy): UnexpectedResponse, pointing at the endpoint', () => {
    const message = `Unexpected token '<', "<html><body>"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`;
    const sdk = Object.assign(new SyntaxError(message), { $metadata: { httpStatusCode: 200, attempts: 1 } });
    const e = translateAwsError(sdk, site);
    expect(e.exitCode).toBe(5);
    // What the SDK adds for programmers ({error}.$response) is not for the operator.
    expect(e.info).toEqual({
      code: 'UnexpectedResponse',
      message: `ssm:GetServiceSetting in us-east-1 got a response that is not an AWS answer: Unexpected token '<', "<html><body>"... is not valid JSON`,
      hint: 'The endpoint answered with something other than the AWS API; check --endpoint-url / AWS_ENDPOINT_URL.',
    });
    expect(e.cause).toBe(sdk);
  });

  it('is an UnexpectedResponse by the SyntaxError alone, or by the deserializer note alone', () => {
    expect(translateAwsError(new SyntaxError('Unexpected end of JSON input'), site).code).toBe('UnexpectedResponse');
    const xml = translateAwsError(
      new Error('Unclosed tag html\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'),
      iamSite,
    );
    expect(xml.code).toBe('UnexpectedResponse');
    expect(xml.message).toMatch(/^iam:CreateRole got a response that is not an AWS answer: Unclosed tag html/);
  });

  it.each([
    ['ServiceSettingNotFound', 'Default Host Management Configuration is not provisioned in this region; check the region code, or leave this region out.'],
    ['TooManyUpdates', 'Another update of this setting is in progress; wait a minute and run the command again.'],
    ['InternalServerError', INTERNAL_HINT],
    ['ServiceFailure', INTERNAL_HINT],
    ['NoSuchEntity', 'The IAM resource does not exist; check the name (IAM names are case-insensitive but exact).'],
    ['EntityAlreadyExists', 'Another run created it at the same time; run the command again to validate and reuse it.'],
    ['ConcurrentModification', 'Someone else is changing the same IAM resource; run the command again.'],
    ['LimitExceeded', 'An IAM quota was reached; see Service Quotas for IAM, or remove unused policies or roles.'],
    ['MalformedPolicyDocument', 'IAM refused the policy document; this is a bug in ssm-perms, please report it with --debug output.'],
    ['ValidationException', 'AWS refused a parameter; check the values given, or run with --debug.'],
    ['OptInRequired', 'The region is not enabled for this account; enable it in the account settings or leave it out.'],
  ])('%s: exit 5, the call, what AWS said, and the next step', (code, hint) => {
    const sdk = withAttempts(awsError(code, 'what AWS said'), 2);
    const e = translateAwsError(sdk, site);
    expect(e.exitCode).toBe(5);
    expect(e.info).toEqual({ code, message: 'ssm:GetServiceSetting in us-east-1 failed after 2 attempts: what AWS said', hint });
    expect(e.cause).toBe(sdk);
  });

  it.each([
    ['the deserializer note', 'Bad body\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'],
    ['a line naming $metadata', 'Bad body\n{"$metadata":{"httpStatusCode":500}}'],
    ['stack frames', 'Bad body\n    at deserialize (file:///x/dist/main.js:1:2)\n    at async next (file:///x/dist/main.js:3:4)'],
  ])('no SDK internals in any message or hint: %s is dropped, what AWS said is kept', (_what, message) => {
    for (const sdk of [awsError('SomethingNew', message, 500), awsError('ThrottlingException', message), new SyntaxError(message)]) {
      const e = translateAwsError(sdk, site);
      expect(e.message).toMatch(/: Bad body$/);
      expect(JSON.stringify(e.info)).not.toMatch(/\$response|\$metadata|\bat deserialize|main\.js/);
    }
  });

  it('an error code it does not know keeps its code and message, without a hint', () => {
    const e = translateAwsError(awsError('InvalidInstanceID.Malformed', 'Invalid id: "i-1"'), ec2Site);
    expect(e.info).toEqual({ code: 'InvalidInstanceID.Malformed', message: 'ec2:DescribeInstances in eu-west-1 failed: Invalid id: "i-1"', hint: null });
  });

  it('trims the line breaks AWS leaves at the end of a message', () => {
    const e = translateAwsError(awsError('SomethingNew', 'Something happened.\n\n'), site);
    expect(e.message).toBe('ssm:GetServiceSetting in us-east-1 failed: Something happened.');
  });

  it('a thrown value that is not an Error is reported by its text', () => {
    expect(translateAwsError('boom', site).info).toEqual({ code: 'UnknownError', message: 'ssm:GetServiceSetting in us-east-1 failed: boom', hint: null });
  });

  it('passes the errors of the tool itself through unchanged', () => {
    const own = translateAwsError(awsError('NoSuchEntity', 'x'), iamSite);
    expect(translateAwsError(own, site)).toBe(own);
  });
});

describe('sdkErrorCode', () => {
  it("takes a service error's code from its name", () => {
    expect(sdkErrorCode(awsError('ServiceSettingNotFound', 'x'))).toBe('ServiceSettingNotFound');
  });

  it('takes a Node network error by its errno code, whatever its name', () => {
    expect(sdkErrorCode(Object.assign(new Error('getaddrinfo ENOTFOUND ssm.xx-east-1.amazonaws.com'), { code: 'ENOTFOUND' }))).toBe('ENOTFOUND');
  });

  it('ignores a `code` that is not a network errno', () => {
    // e.g. a TLS failure: code ERR_TLS_CERT_ALTNAME_INVALID, name Error.
    expect(sdkErrorCode(Object.assign(new Error('Hostname/IP does not match certificate'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))).toBe('UnknownError');
    expect(sdkErrorCode(Object.assign(awsError('ThrottlingException', 'x'), { code: 'ERR_OTHER' }))).toBe('ThrottlingException');
  });

  it('prefers the Code field of a query-protocol error body, when it holds a code', () => {
    expect(sdkErrorCode(Object.assign(new Error('x'), { Code: 'OptInRequired' }))).toBe('OptInRequired');
    expect(sdkErrorCode(Object.assign(awsError('Foo', 'x'), { Code: 'AuthFailure' }))).toBe('AuthFailure');
    expect(sdkErrorCode(Object.assign(awsError('Foo', 'x'), { Code: '' }))).toBe('Foo');
    expect(sdkErrorCode(Object.assign(awsError('Foo', 'x'), { Code: 403 }))).toBe('Foo');
  });

  it('is UnknownError for a plain Error, a nameless value, or nothing', () => {
    expect(sdkErrorCode(new Error('x'))).toBe('UnknownError');
    expect(sdkErrorCode({})).toBe('UnknownError');
    expect(sdkErrorCode({ name: 42 })).toBe('UnknownError');
    expect(sdkErrorCode(undefined)).toBe('UnknownError');
    expect(sdkErrorCode(null)).toBe('UnknownError');
  });
});

describe('deniedAction', () => {
  it('reads the action after "perform:" however much space follows it', () => {
    expect(deniedAction('is not authorized to perform:  ssm:UpdateServiceSetting on resource')).toBe('ssm:UpdateServiceSetting');
    expect(deniedAction('is not authorized to perform:\nec2:DescribeInstances')).toBe('ec2:DescribeInstances');
  });
});
