// Input validation, run before the first AWS call. Each failure is a UsageError (exit 2) that names
// the option, shows the value (escaped and shortened, so control characters or huge inputs cannot
// garble the terminal) and states the rule.
import { UsageError } from '../../services/errors.js';
import { stringList } from '../define.js';
import { DOCUMENTED_PARTITIONS, isRegionCode, partitionOf, REGION_RULE } from '../../policies/partition.js';
import { isKnownRegion, KNOWN_REGIONS_SOURCE } from '../../policies/known-regions.js';

/** The value as it is safe to print: JSON-escaped, at most 80 characters. */
export function shown(value: string): string {
  const s = JSON.stringify(value);
  return s.length > 82 ? `${s.slice(0, 79)}..."` : s;
}

function fail(option: string, value: string, rule: string, code: string): never {
  throw new UsageError(code, `invalid ${option} ${shown(value)}: ${rule}`, null);
}

export function validateRegion(value: string, option = '--region'): string {
  if (!isRegionCode(value)) {
    const hint = /[*?]/.test(value)
      ? 'Wildcards are not accepted: in a policy they could grant access to resources (such as S3 buckets) you do not intend. Name each region (comma-separated), or use "all" for every enabled region.'
      : 'List the codes with: aws ec2 describe-regions --query "Regions[].RegionName"';
    throw new UsageError('InvalidRegion', `invalid ${option} ${shown(value)}: must be ${REGION_RULE}`, hint);
  }
  return value;
}

/**
 * A well-formed code must also be a region AWS has (`us-east-7` is not): the SDK would build an
 * endpoint for any code its partition regex matches, so the typo would surface as a DNS error or, worse,
 * as an "unrecognized region" inside a policy document. The list is the SDK's (known-regions.ts), so a
 * region AWS opened after this release is refused until ssm-perms is upgraded, and the hint says so.
 * With a custom endpoint (--endpoint-url, AWS_ENDPOINT_URL[_<SERVICE>]) the list is not applied: the
 * endpoint decides which regions it serves (an emulator, a new region reached by its URL), and nothing
 * is resolved from the SDK's data for it.
 */
export function validateKnownRegion(value: string, source: string, customEndpoint: boolean): string {
  if (customEndpoint || isKnownRegion(value)) return value;
  throw new UsageError(
    'UnknownRegion',
    `unknown region ${value} (from ${source})`,
    `Check the code (list them with: aws ec2 describe-regions --all-regions --query "Regions[].RegionName"). If AWS opened ${value} after this release of ssm-perms, upgrade ssm-perms: its region list is the one of the AWS SDK it bundles (${KNOWN_REGIONS_SOURCE}).`,
  );
}

/** --region tokens (already split on commas): each a region code, or `all` on its own. */
export function validateRegionTokens(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tokens) {
    const t = raw.trim();
    if (t === '') fail('--region', raw, 'must not be empty', 'InvalidRegion');
    if (t === 'all') {
      out.push(t);
      continue;
    }
    validateRegion(t);
    if (!out.includes(t)) out.push(t);
  }
  if (out.includes('all') && out.length > 1) {
    throw new UsageError(
      'InvalidRegion',
      `--region all cannot be combined with other regions (${out.filter((r) => r !== 'all').join(', ')})`,
      'Use either "all" or a list of region codes.',
    );
  }
  return out;
}

/** All regions must be in one partition: one set of credentials cannot reach two. */
export function validateOnePartition(regions: readonly string[]): string {
  const ids = [...new Set(regions.map((r) => partitionOf(r)!.id))];
  if (ids.length > 1) {
    throw new UsageError(
      'MixedPartitions',
      `the regions ${regions.join(', ')} span the partitions ${ids.join(' and ')}; one set of credentials cannot reach both`,
      'Run the command once per partition, with a --profile for each.',
    );
  }
  return ids[0]!;
}

/** Refuses a partition where `feature` is not documented (exit 2, before any AWS call). */
export function requireDocumentedPartition(region: string, feature: string): void {
  const id = partitionOf(region)?.id;
  if (id && !DOCUMENTED_PARTITIONS.includes(id)) {
    throw new UsageError(
      'UnsupportedPartition',
      `${feature} is not supported in this partition: ${region} is in ${id}, and AWS documents ${feature} for ${DOCUMENTED_PARTITIONS.join(', ')} only`,
      'Leave this region out, or use the AWS console of that partition.',
    );
  }
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
export const ROLE_NAME_RULE = 'must be 1-64 characters of letters, digits and + = , . @ _ -';

export function validateRoleName(value: string, option = '--role-name'): string {
  if (!ROLE_NAME.test(value)) fail(option, value, ROLE_NAME_RULE, 'InvalidRoleName');
  return value;
}

const PATH = /^(\/|\/[\x21-\x7e]{1,510}\/)$/;
export function validatePath(value: string, option = '--role-path'): string {
  if (!PATH.test(value) || value.includes('//')) {
    fail(option, value, 'must start and end with "/" (e.g. /service-role/), at most 512 printable ASCII characters, no "//"', 'InvalidPath');
  }
  return value;
}

export function validateAccountId(value: string, option = '--account'): string {
  if (!/^\d{12}$/.test(value)) fail(option, value, 'must be a 12-digit AWS account id', 'InvalidAccountId');
  return value;
}

const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(aws|\d{12}):policy\/([\x21-\x7e]*\/)?[\w+=,.@-]{1,128}$/;

export function validatePolicyArn(value: string, partition: string | null, option = '--policy-arn'): string {
  // Commas are legal in IAM names and paths, so they never separate ARNs: repeat the option instead.
  // A value holding a second ARN after a comma is that mistake, not a policy at an odd path.
  if (/,\s*arn:/.test(value))
    fail(option, value, `holds more than one ARN; give each policy its own ${option} (commas are part of IAM names, never separators)`, 'InvalidPolicyArn');
  const m = POLICY_ARN.exec(value);
  if (!m)
    fail(
      option,
      value,
      'must be an IAM policy ARN such as arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy or arn:aws:iam::123456789012:policy/MyPolicy',
      'InvalidPolicyArn',
    );
  if (partition && m[1] !== partition) {
    fail(option, value, `must be in the partition of the regions (${partition}), not ${m[1]}`, 'InvalidPolicyArn');
  }
  return value;
}

// S3 general purpose bucket naming rules.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BUCKET_RULE =
  'must be an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, not starting with xn-- or sthree-, not ending with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3';

export function validateBucketName(value: string, option = '--bucket'): string {
  const bad =
    !BUCKET.test(value) ||
    value.includes('..') ||
    /^\d+\.\d+\.\d+\.\d+$/.test(value) ||
    /^(xn--|sthree-)/.test(value) ||
    /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(value);
  if (bad) fail(option, value, BUCKET_RULE, 'InvalidBucketName');
  return value;
}

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
export function validatePolicyName(value: string, option: string): string {
  if (!POLICY_NAME.test(value)) fail(option, value, 'must be 1-128 characters of letters, digits and + = , . @ _ -', 'InvalidPolicyName');
  return value;
}

export function validateInstanceProfileName(value: string, option = '--name'): string {
  if (!POLICY_NAME.test(value)) fail(option, value, 'must be 1-128 characters of letters, digits and + = , . @ _ -', 'InvalidInstanceProfileName');
  return value;
}

export function validateInstanceId(value: string, option = '--instance-id'): string {
  if (!/^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(value)) fail(option, value, 'must be an EC2 instance id: i- and 8 or 17 hexadecimal digits', 'InvalidInstanceId');
  return value;
}

export interface Tag {
  Key: string;
  Value: string;
}

/**
 * Tag lengths count Unicode characters, as AWS does ("128 Unicode characters in UTF-8" on the EC2
 * tagging page; Smithy's length trait counts Unicode scalar values), not UTF-16 code units: a letter
 * outside the Basic Multilingual Plane (𝐀, 𠀀) or an emoji is one character, not two.
 */
const chars = (s: string): number => [...s].length;

/** KEY=VALUE split at the first "=", or null without an "=" or with an empty key. */
function splitTag(value: string): Tag | null {
  const i = value.indexOf('=');
  return i < 1 ? null : { Key: value.slice(0, i), Value: value.slice(i + 1) };
}

/** K=V, as EC2 and IAM accept tags: key 1-128 characters, value 0-256, no aws: prefix on the key. */
export function validateTag(value: string, option = '--tag'): Tag {
  const tag = splitTag(value);
  const allowed = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
  if (!tag || chars(tag.Key) > 128 || chars(tag.Value) > 256 || !allowed.test(tag.Key) || !allowed.test(tag.Value) || /^aws:/i.test(tag.Key)) {
    fail(
      option,
      value,
      'must be KEY=VALUE: a key of 1-128 and a value of up to 256 letters, digits, spaces and _ . : / = + - @, the key not starting with aws:',
      'InvalidTag',
    );
  }
  return tag;
}

/**
 * K=V as a filter on existing tags (doctor, profile attach): any key EC2 can hold, `aws:` ones included
 * (aws:cloudformation:stack-name, aws:autoscaling:groupName), and EC2's * and ? wildcards in the value.
 * Only control characters are refused; the creation rules above are for tags this tool writes.
 */
export function validateTagFilter(value: string, option = '--tag'): Tag {
  const tag = splitTag(value);
  if (!tag || chars(tag.Key) > 128 || chars(tag.Value) > 256 || /\p{Cc}/u.test(tag.Key) || /\p{Cc}/u.test(tag.Value)) {
    fail(option, value, 'must be KEY=VALUE: a tag key of 1-128 and a value of up to 256 characters, no control characters', 'InvalidTag');
  }
  return tag;
}

/** --tag filters (repeatable): instances must carry every one. */
export function readTagFilters(values: unknown): Tag[] {
  const tags = stringList(values).map((t) => validateTagFilter(t));
  const keys = new Set<string>();
  for (const t of tags) {
    if (keys.has(t.Key)) fail('--tag', `${t.Key}=${t.Value}`, 'each tag key may be given once (an instance has one value per key)', 'InvalidTag');
    keys.add(t.Key);
  }
  return tags;
}

export function validateDescription(value: string, option = '--description'): string {
  if (value.length > 1000 || !/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/.test(value)) {
    fail(option, value, 'must be at most 1000 printable characters (IAM role descriptions accept Latin-1 text)', 'InvalidDescription');
  }
  return value;
}

/** A whole number option within bounds (--concurrency, --role-policy-quota, --max-attempts...). */
export function validateWholeNumber(value: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    fail(option, value, `must be a whole number from ${min} to ${max}`, 'InvalidOption');
  }
  return Number(value);
}

/** --instance-id values (repeatable, comma-separated), validated and without duplicates. */
export function readInstanceIds(values: unknown): string[] {
  return [
    ...new Set(
      stringList(values)
        .flatMap((x) => x.split(','))
        .map((x) => validateInstanceId(x.trim())),
    ),
  ];
}
