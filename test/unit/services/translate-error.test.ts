import { describe, expect, it } from 'vitest';
import { deniedAction, translateAwsError } from '../../../src/services/aws/translate-error.js';
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
