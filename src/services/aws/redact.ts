// Secrets out of AWS error messages. Services quote parts of the signed request back when a signature
// fails: SignatureDoesNotMatch / InvalidSignatureException print the canonical request they computed,
// session token included (`x-amz-security-token:...`); IncompleteSignature prints the Authorization
// header, access key id and signature included. translateAwsError passes every message through here,
// so text, JSON, and the per-region / per-instance errors of a result are all covered.
// What helps to debug a signature stays: the signed headers, host, dates, credential scope and hashes.

export const REDACTED = '[REDACTED]';

/** A credential scope: /YYYYMMDD/region/service/aws4_request, raw or URL-encoded. */
const SCOPE = String.raw`(?:\/|%2F)\d{8}(?:\/|%2F)[a-z0-9-]+(?:\/|%2F)[a-z0-9-]+(?:\/|%2F)aws4_request`;
/** A value in a header, query string, key=value list or quoted string ends at one of these. */
const VALUE = String.raw`[^\s'"&,;<>\\]+`;

type Rule = [RegExp, string | ((match: string, ...groups: string[]) => string)];

const hasMixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s);

const RULES: Rule[] = [
  // S3-style error documents: <AWSAccessKeyId>, <SignatureProvided>...
  [/<(AWSAccessKeyId|AccessKeyId|SecretAccessKey|SessionToken|SecurityToken|SignatureProvided|Signature)>[^<]*<\/\1>/gi, `<$1>${REDACTED}</$1>`],
  // An Authorization header in another scheme than SigV4 (SigV2 "AWS KEY:SIG", Bearer, Basic): all of it.
  [/\b(authorization\s*[:=]\s*['"]?)(?!AWS4-)[^'"\n]+/gi, `$1${REDACTED}`],
  // SigV4: Credential=KEY/scope (the key id may hold anything, a secret pasted in its place included).
  [
    new RegExp(String.raw`(\bCredential\s*=\s*)([^,&'"\s]*?)(?=\s*${SCOPE}|[,&'"\s]|$)`, 'gi'),
    (_m, name: string, value: string) => `${name}${value ? REDACTED : ''}`,
  ],
  // The same key id in front of its scope, as IncompleteSignature quotes it: 'KEY/20240101/...'.
  [new RegExp(String.raw`(^|[\s'"=:(,])([^\s'"=:,()\[\]]+?)(?=\s?${SCOPE})`, 'gi'), `$1${REDACTED}`],
  // Signature=..., X-Amz-Signature=...
  [/(\bSignature\s*=\s*)[^,&'"\s]+/gi, `$1${REDACTED}`],
  // Security and access tokens in canonical headers (x-amz-security-token:...) and query strings.
  [new RegExp(String.raw`((?:x-amz-security-token|x-amz-access-token)\s*[:=]\s*)${VALUE}`, 'gi'), `$1${REDACTED}`],
  // Named secrets: aws_secret_access_key = ..., "SecretAccessKey":"...", SessionToken=..., password=...
  [
    new RegExp(String.raw`\b([\w-]*(?:secret|password|passwd|session[_-]?token|security[_-]?token|access[_-]?token)[\w-]*["']?\s*[:=]\s*["']?)${VALUE}`, 'gi'),
    (match: string, prefix: string) => (match.slice(prefix.length) === REDACTED ? match : `${prefix}${REDACTED}`),
  ],
  // Access key ids, long-term (AKIA) and temporary (ASIA), wherever they stand.
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,124}\b/g, REDACTED],
  // STS session tokens by their well-known openings.
  [/(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|AQoDYXdz|AgoGb3JpZ2lu)[A-Za-z0-9/+=%]*/g, REDACTED],
  // Long base64 runs (tokens whatever their opening), but not hex digests or base64url messages.
  [/(?<![\w/+=-])[A-Za-z0-9/+]{100,}={0,2}(?![\w/+=-])/g, (m: string) => (hasMixedCase(m) ? REDACTED : m)],
  // Secret access keys: 40 base64 characters, mixed case with a digit, standing alone (not in an ARN).
  [/(?<![\w/+=.:-])[A-Za-z0-9/+]{40}(?![\w/+=.:-])/g, (m: string) => (hasMixedCase(m) && /\d/.test(m) ? REDACTED : m)],
];

/** The text with signatures, tokens, access key ids, secret-looking values and Authorization values replaced. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement as never);
  return out;
}
