// AWS error messages that quote what was signed, as services really send them (shapes taken from
// reports of these errors; the key material below is made up), and what is left after redaction.
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../../src/services/aws/redact.js';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const TEMP_KEY = 'ASIAQWERTYUIOP123456';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN =
  'IQoJb3JpZ2luX2VjEHgaCXVzLWVhc3QtMSJHMEUCIQDP4+i2bhcJrsfEneblkk2nctfHgYWZ3GJ0fzfa08n8zgIgUn/tmEbKhLLR0eb36CMC75Q85hxDfnjA5pR/ZoLRlZMqnwUIgP//////////ARACGgwzMTAyNDIyMTY5MzEiDN1z6aMoRwTmvkmdKirzBGw+r5rq3kKURuRWuuyb9G+67Y3nyW6dPn4jWlkVMA9bEmocNS9nhjaMm/p7TW7M5p+l9jl27QXwHeKSjiVCbYNkpKZLqCjdbgLn23d5AXO3hFKbR8k3Idw0pPqCZIstx1d5cwOHpJOGdcJGvljWFqRnw41k24TG75o=';
const OLD_TOKEN = 'AQoDYXdzEN3//////////wEasAWUWP8lIbdUKNIpbGLOIh0eNU3vP9bPo5dGEI3kIr1gpzJ5ANI1ZUJ2Xzx5fMSVuSXi/wIxIE+RL9HxRM/b45XhMjBtn+g+uyoX9g1F9mPjEp+4=';
const SIGNATURE = 'ca1c27681e5530894c813ad18b8980b06610724e0521b226f3b5a9e0c1d2e3f4';
const SECRETS = [KEY, TEMP_KEY, SECRET, TOKEN, OLD_TOKEN, SIGNATURE, TOKEN.slice(0, 24), SECRET.slice(0, 20)];

function expectClean(text: string): void {
  for (const s of SECRETS) expect(text).not.toContain(s);
}

describe('redactSecrets', () => {
  // Query protocol (IAM, STS, EC2, SQS): SignatureDoesNotMatch quotes the canonical request, with the
  // session token among the signed headers, and the string to sign (cf. aws/aws-cli#5341).
  const queryMessage =
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
    "The Canonical String for this request should have been\n'POST\n/\n\n" +
    'content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:sts.us-east-1.amazonaws.com\nx-amz-date:20240708T203231Z\n' +
    `x-amz-security-token:${TOKEN}\n\n` +
    "content-type;host;x-amz-date;x-amz-security-token\n48a38266faf90970d6c7fea9b15e6ba366e5f6397c2970fc893f8a7b5e207bd0'\n\n" +
    "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20240708T203231Z\n20240708/us-east-1/sts/aws4_request\n5df91ef18175156826cddb0f3c6519dcb884ff9649eecdf6a76705ad3ddd244e'\n";

  it('removes the session token from a SignatureDoesNotMatch canonical request and keeps the rest', () => {
    const out = redactSecrets(queryMessage);
    expectClean(out);
    expect(out).toContain(`x-amz-security-token:${REDACTED}\n`);
    // What helps to debug a signature stays: the signed headers, the host, the date, the scope, the hashes.
    expect(out).toContain('content-type;host;x-amz-date;x-amz-security-token\n48a38266faf90970d6c7fea9b15e6ba366e5f6397c2970fc893f8a7b5e207bd0');
    expect(out).toContain('host:sts.us-east-1.amazonaws.com');
    expect(out).toContain('20240708/us-east-1/sts/aws4_request\n5df91ef18175156826cddb0f3c6519dcb884ff9649eecdf6a76705ad3ddd244e');
    expect(out).toContain('The request signature we calculated does not match');
  });

  // JSON protocol (SSM): InvalidSignatureException, same text, an older-style token (cf. aws/aws-sdk-cpp#17).
  it('removes the token from an InvalidSignatureException message', () => {
    const message =
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/\n\n" +
      `content-type:application/x-amz-json-1.1\nhost:ssm.us-east-1.amazonaws.com\nx-amz-date:20240708T203231Z\nx-amz-security-token:${OLD_TOKEN}\nx-amz-target:AmazonSSM.GetServiceSetting\n\n` +
      "content-type;host;x-amz-date;x-amz-security-token;x-amz-target\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'";
    const out = redactSecrets(message);
    expectClean(out);
    expect(out).toContain('x-amz-target:AmazonSSM.GetServiceSetting');
  });

  // IncompleteSignature quotes the whole Authorization header, and the access key id a second time in
  // front of the credential scope (cf. aws/aws-sdk-go#289, jenkinsci/aws-credentials-plugin#72).
  it('removes the access key id and the signature from an IncompleteSignature message, keeping the scope', () => {
    const message = `'${KEY} /20240128/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=${KEY} /20240128/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${SIGNATURE}'.`;
    const out = redactSecrets(message);
    expectClean(out);
    expect(out).toContain(`Signature=${REDACTED}'`);
    expect(out).toContain('/20240128/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date');
    const glued = redactSecrets(`'${TEMP_KEY}/20240128/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header`);
    expect(glued).toBe(`'${REDACTED}/20240128/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header`);
  });

  it('removes a secret key pasted where the key id belongs (keys swapped), slashes and all', () => {
    const message = `'${SECRET}/20240128/us-east-1/ssm/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=${SECRET}/20240128/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}'.`;
    const out = redactSecrets(message);
    expectClean(out);
    expect(out).toContain(`Credential=${REDACTED}/20240128/us-east-1/ssm/aws4_request`);
  });

  // A profile whose key id holds the prompt's text (cf. alexa-samples/skill-sample-nodejs-salesforce#4),
  // and a header with no signature at all (cf. brendanhay/amazonka#316).
  it('handles malformed credentials and a bare Authorization=', () => {
    const odd = redactSecrets(
      `'Access' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AWS Access Key ID [None]: ${KEY}/20240813/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${SIGNATURE}'`,
    );
    expectClean(odd);
    const bare = redactSecrets(
      `Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=${KEY}`,
    );
    expectClean(bare);
    expect(bare).toContain("Authorization header requires 'Signature' parameter.");
  });

  it('removes other Authorization header schemes whole', () => {
    const v2 = redactSecrets(`Authorization: AWS ${KEY}:StRFAW/7qxD8z2e5847fzTOu88w=\nDate: Tue, 01 Jun 2024 15:40:12 GMT`);
    expect(v2).toBe(`Authorization: ${REDACTED}\nDate: Tue, 01 Jun 2024 15:40:12 GMT`);
    expect(redactSecrets('authorization:Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc')).toBe(`authorization:${REDACTED}`);
  });

  // S3's error document carries the key id and the signature as elements (cf. cognitect-labs/aws-api#5),
  // and a presigned URL carries everything in its query string.
  it('removes secrets from XML elements and query strings', () => {
    const xml = redactSecrets(
      `<AWSAccessKeyId>${TEMP_KEY}</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256</StringToSign><SignatureProvided>${SIGNATURE}</SignatureProvided>`,
    );
    expectClean(xml);
    expect(xml).toContain('<StringToSign>AWS4-HMAC-SHA256</StringToSign>');
    const url = redactSecrets(
      `https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${KEY}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=900&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=${SIGNATURE}&X-Amz-SignedHeaders=host`,
    );
    expectClean(url);
    expect(url).toContain(`X-Amz-Credential=${REDACTED}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&`);
    expect(url).toContain('X-Amz-Expires=900&');
    expect(url).toContain('&X-Amz-SignedHeaders=host');
  });

  it('removes secret-looking values wherever they stand', () => {
    expectClean(redactSecrets(`aws_secret_access_key = ${SECRET}`));
    expectClean(redactSecrets(`{"AccessKeyId":"${TEMP_KEY}","SecretAccessKey":"${SECRET}","SessionToken":"${TOKEN}"}`));
    expectClean(redactSecrets(`the key ${KEY} and ${TEMP_KEY} and the token ${TOKEN}.`));
    expectClean(redactSecrets(`found ${SECRET} in the request`));
    expectClean(redactSecrets(`password=hunter2hunter2 ${OLD_TOKEN}`));
  });

  it('leaves messages without secrets as they are', () => {
    for (const message of [
      'User: arn:aws:iam::123456789012:user/ops is not authorized to perform: ssm:UpdateServiceSetting on resource: arn:aws:ssm:us-east-1:123456789012:servicesetting/ssm/managed-instance/default-ec2-instance-management-role because no identity-based policy allows the ssm:UpdateServiceSetting action',
      'The role with name AWSSystemsManagerDefaultEC2InstanceManagementRole cannot be found.',
      // A role name of exactly 40 characters, mixed case with digits, inside an ARN.
      'Role arn:aws:iam::123456789012:role/SsmInstanceRoleForProductionWorkloads01 is invalid',
      'The security token included in the request is expired',
      'The security token included in the request is invalid.',
      'Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)',
      "Credential should be scoped to a valid region, not 'us-east-1'.",
      'You are not authorized to perform this operation. Encoded authorization failure message: 3m4Qp-u1dZ0cJ_JXfH6eNBl0Ff1pTXLk9E4v-U2TGN1oXzL8_YyI1bmC6sDBpT8ZuV0lQwAqUyYg7kSWxVcLh2RzUuK4PnFgTjaHuM0Y_Z1rPqAs5eL6oWDn-Vk8cJbHfIxT3wG9iRdO',
      'commit 1f0e4b2c9d8a7e6f5a4b3c2d1e0f9a8b7c6d5e4f is not a secret',
      'Rate exceeded',
    ]) {
      expect(redactSecrets(message)).toBe(message);
    }
  });

  it('replaces the value of a named secret, whatever it looks like', () => {
    expect(redactSecrets('password=hunter2hunter2')).toBe(`password=${REDACTED}`);
    expect(redactSecrets('{"SessionToken": "short-token"}')).toBe(`{"SessionToken": "${REDACTED}"}`);
    expect(redactSecrets('client_secret: abc')).toBe(`client_secret: ${REDACTED}`);
  });

  // An empty AWS_ACCESS_KEY_ID signs "Credential=/<scope>": nothing to hide, and nothing put in its place.
  it('leaves an empty Credential= empty', () => {
    const message = "Authorization header: 'AWS4-HMAC-SHA256 Credential=/20240128/us-east-1/sts/aws4_request, SignedHeaders=host'";
    expect(redactSecrets(message)).toBe(message);
  });

  // A secret access key is 40 base64 characters of mixed case with digits; 40 characters that are not
  // mixed case (an upper-case SHA-1), or have no digit (a long CamelCase name), are left alone.
  it('keeps 40-character words that cannot be a secret access key', () => {
    for (const message of [
      'payload hash DA39A3EE5E6B4B0D3255BFEF95601890AFD80709 does not match',
      'The role with name ManagedInstanceRoleForProductionWorkload cannot be found.',
    ]) {
      expect(redactSecrets(message)).toBe(message);
    }
  });

  it('is idempotent', () => {
    const once = redactSecrets(queryMessage);
    expect(redactSecrets(once)).toBe(once);
  });
});
