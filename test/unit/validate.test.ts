import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readInstanceIds,
  readTagFilters,
  requireDocumentedPartition,
  shown,
  validateAccountId,
  validateBucketName,
  validateDescription,
  validateInstanceId,
  validateInstanceProfileName,
  validateOnePartition,
  validatePath,
  validatePolicyArn,
  validatePolicyName,
  validateRegion,
  validateRegionTokens,
  validateRoleName,
  validateTag,
  validateTagFilter,
  validateWholeNumber,
} from '../../src/commands/shared/validate.js';
import { UsageError } from '../../src/services/errors.js';
import { partitionOf } from '../../src/policies/partition.js';
import { readPolicySet } from '../../src/commands/shared/policy-set.js';

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
};

const KNOWN_REGIONS = [
  'us-east-1',
  'us-east-2',
  'eu-west-1',
  'ap-southeast-7',
  'mx-central-1',
  'il-central-1',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-west-1',
  'us-gov-east-1',
];
const roleNameChar = fc.constantFrom(...'abcXYZ019_+=,.@-'.split(''));
const roleName = fc.string({ unit: roleNameChar, minLength: 1, maxLength: 64 });
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', minLength: 1 }),
  fc.constantFrom('', ' ', '*', 'us-east-*', 'us-east-?', '{"a":1}', 'us-east-1\n', 'us\u2013east\u20131', 'ｕｓ-east-1', 'a'.repeat(5000), '\u0000', '../etc'),
);

describe('region validation', () => {
  it('accepts every known region code and puts it in the right partition', () => {
    for (const r of KNOWN_REGIONS) expect(validateRegion(r)).toBe(r);
    expect(partitionOf('cn-north-1')!.id).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')!.id).toBe('aws-us-gov');
    expect(partitionOf('us-east-1')!.id).toBe('aws');
  });

  it('refuses nowhere-1, wildcards and upper case, naming the value and the rule', () => {
    const e = usage(() => validateRegion('nowhere-1'));
    expect(e.message).toContain('"nowhere-1"');
    expect(e.message).toContain('region code');
    expect(usage(() => validateRegion('*')).hint).toMatch(/Wildcards/);
    usage(() => validateRegion('US-EAST-1'));
    usage(() => validateRegion('us-east-1 '));
  });

  it('never accepts a value with a wildcard, white space or non-ASCII character', () => {
    fc.assert(
      fc.property(hostile, (v) => {
        fc.pre(/[*?\s]|[^\x20-\x7e]/.test(v) || v === '');
        expect(() => validateRegion(v)).toThrow(UsageError);
      }),
    );
  });

  it('splits tokens, drops duplicates, and keeps "all" alone', () => {
    expect(validateRegionTokens(['us-east-1', 'us-east-2', 'us-east-1'])).toEqual(['us-east-1', 'us-east-2']);
    expect(validateRegionTokens(['all'])).toEqual(['all']);
    usage(() => validateRegionTokens(['all', 'us-east-1']));
    usage(() => validateRegionTokens(['']));
  });

  it('refuses regions of two partitions', () => {
    expect(validateOnePartition(['us-east-1', 'eu-west-1'])).toBe('aws');
    expect(usage(() => validateOnePartition(['us-east-1', 'cn-north-1'])).message).toContain('aws and aws-cn');
  });
});

describe('name, path, account and ARN validation', () => {
  it('accepts every role name IAM accepts', () => {
    fc.assert(
      fc.property(roleName, (n) => {
        expect(validateRoleName(n)).toBe(n);
      }),
    );
  });

  it('refuses role names outside IAM rules: too long, empty, other characters', () => {
    usage(() => validateRoleName('a'.repeat(65)));
    usage(() => validateRoleName(''));
    fc.assert(
      fc.property(hostile, (v) => {
        fc.pre(!/^[\w+=,.@-]{1,64}$/.test(v));
        expect(() => validateRoleName(v)).toThrow(UsageError);
      }),
    );
  });

  it('accepts IAM paths and refuses the rest', () => {
    for (const p of ['/', '/service-role/', '/a/b/c/']) expect(validatePath(p)).toBe(p);
    for (const p of ['service-role', '/service-role', 'service-role/', '//', '/a//b/', '/a b/', `/${'a'.repeat(511)}/`]) usage(() => validatePath(p));
  });

  it('accepts 12-digit account ids only', () => {
    expect(validateAccountId('111122223333')).toBe('111122223333');
    for (const a of ['11112222333', '1111222233334', '11112222333x', ' 111122223333']) usage(() => validateAccountId(a));
  });

  it('accepts policy ARNs in the partition and refuses others', () => {
    for (const arn of [
      'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
      'arn:aws:iam::111122223333:policy/team/MyPolicy',
      'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM',
    ])
      expect(validatePolicyArn(arn, 'aws')).toBe(arn);
    expect(validatePolicyArn('arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore', 'aws-cn')).toBe(
      'arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
    usage(() => validatePolicyArn('arn:aws-cn:iam::aws:policy/X', 'aws'));
    usage(() => validatePolicyArn('arn:aws:iam::aws:role/X', 'aws'));
    usage(() => validatePolicyArn('AmazonSSMManagedInstanceCore', 'aws'));
  });

  it('shows hostile values escaped and shortened', () => {
    expect(shown('a\nb\u0000')).toBe('"a\\nb\\u0000"');
    expect(shown('x'.repeat(500)).length).toBeLessThanOrEqual(83);
  });
});

describe('--policy-arn values', () => {
  it('keeps a comma inside one policy name: commas never split ARNs', () => {
    const input = readPolicySet({ policyArn: ['arn:aws:iam::111122223333:policy/team,ops', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'] });
    expect(input.extraArns).toEqual(['arn:aws:iam::111122223333:policy/team,ops', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
    expect(() => validatePolicyArn('arn:aws:iam::aws:policy/A,arn:aws:iam::aws:policy/B', null)).toThrow(/holds more than one ARN/);
  });
});

// The exact refusals: the operator reads the option, the value and the rule (exit 2, no AWS call).
const refusal = (fn: () => unknown) => {
  const e = usage(fn);
  return { code: e.code, message: e.message, hint: e.hint };
};

describe('shown values', () => {
  it('keeps a value of up to 80 characters whole and shortens a longer one to 80 with "..."', () => {
    expect(shown('a'.repeat(80))).toBe(`"${'a'.repeat(80)}"`);
    expect(shown('a'.repeat(81))).toBe(`"${'a'.repeat(78)}..."`);
  });
});

describe('region refusals', () => {
  it('names the value, the rule and how to list the region codes', () => {
    expect(refusal(() => validateRegion('nowhere-1', '--home-region'))).toEqual({
      code: 'InvalidRegion',
      message:
        'invalid --home-region "nowhere-1": must be a region code such as us-east-2, eu-west-1, cn-north-1 or us-gov-west-1 (lower case, no wildcards), or "all"',
      hint: 'List the codes with: aws ec2 describe-regions --query "Regions[].RegionName"',
    });
  });

  it('trims the tokens around the commas', () => {
    expect(validateRegionTokens([' us-east-1 ', 'eu-west-1'])).toEqual(['us-east-1', 'eu-west-1']);
  });

  it.each([[''], ['  ']])('refuses the empty token %j as empty, not as an unknown region', (raw) => {
    expect(refusal(() => validateRegionTokens(['us-east-1', raw]))).toEqual({
      code: 'InvalidRegion',
      message: `invalid --region ${JSON.stringify(raw)}: must not be empty`,
      hint: null,
    });
  });

  it('refuses "all" with other regions, naming the others', () => {
    expect(refusal(() => validateRegionTokens(['us-east-1', 'all', 'eu-west-1']))).toEqual({
      code: 'InvalidRegion',
      message: '--region all cannot be combined with other regions (us-east-1, eu-west-1)',
      hint: 'Use either "all" or a list of region codes.',
    });
  });

  it('refuses regions of two partitions with the partitions named and a way out', () => {
    expect(refusal(() => validateOnePartition(['us-east-1', 'us-gov-west-1']))).toEqual({
      code: 'MixedPartitions',
      message: 'the regions us-east-1, us-gov-west-1 span the partitions aws and aws-us-gov; one set of credentials cannot reach both',
      hint: 'Run the command once per partition, with a --profile for each.',
    });
  });

  it('refuses a feature in a partition where AWS does not document it, and lets the documented ones and unknown codes through', () => {
    expect(refusal(() => requireDocumentedPartition('us-iso-east-1', 'DHMC'))).toEqual({
      code: 'UnsupportedPartition',
      message: 'DHMC is not supported in this partition: us-iso-east-1 is in aws-iso, and AWS documents DHMC for aws, aws-cn, aws-us-gov only',
      hint: 'Leave this region out, or use the AWS console of that partition.',
    });
    for (const r of ['us-east-1', 'cn-north-1', 'us-gov-west-1', 'nowhere-1']) expect(() => requireDocumentedPartition(r, 'DHMC')).not.toThrow();
  });
});

describe('IAM name, path, account and policy ARN refusals', () => {
  // Names: IAM API reference, CreateRole RoleName (1-64), CreatePolicy PolicyName and
  // CreateInstanceProfile InstanceProfileName (1-128), pattern [\w+=,.@-]+; IAM User Guide "IAM and AWS STS quotas".
  // Path: CreateRole Path, 1-512 characters, pattern (\u002F)|(\u002F[\u0021-\u007E]+\u002F).
  it.each([
    [() => validateRoleName('a b'), 'InvalidRoleName', 'invalid --role-name "a b": must be 1-64 characters of letters, digits and + = , . @ _ -'],
    [
      () => validatePolicyName('a'.repeat(129), '--policy-name'),
      'InvalidPolicyName',
      `invalid --policy-name "${'a'.repeat(78)}...": must be 1-128 characters of letters, digits and + = , . @ _ -`,
    ],
    [
      () => validateInstanceProfileName('a/b'),
      'InvalidInstanceProfileName',
      'invalid --name "a/b": must be 1-128 characters of letters, digits and + = , . @ _ -',
    ],
    [
      () => validatePath('/a//b/'),
      'InvalidPath',
      'invalid --role-path "/a//b/": must start and end with "/" (e.g. /service-role/), at most 512 printable ASCII characters, no "//"',
    ],
    [() => validateAccountId('12345678901'), 'InvalidAccountId', 'invalid --account "12345678901": must be a 12-digit AWS account id'],
  ])('%#: refuses with %s and the rule', (fn, code, message) => {
    expect(refusal(fn)).toEqual({ code, message, hint: null });
  });

  it('accepts names of the maximum length', () => {
    expect(validatePolicyName('p'.repeat(128), '--policy-name')).toBe('p'.repeat(128));
    expect(validateInstanceProfileName('n'.repeat(128))).toBe('n'.repeat(128));
  });

  it.each([
    // A comma then a second ARN, even with a space after the comma, is two ARNs given as one value.
    [
      'arn:aws:iam::aws:policy/A, arn:aws:iam::aws:policy/B',
      'aws',
      'invalid --policy-arn "arn:aws:iam::aws:policy/A, arn:aws:iam::aws:policy/B": holds more than one ARN; give each policy its own --policy-arn (commas are part of IAM names, never separators)',
    ],
    [
      'CloudWatchAgentServerPolicy',
      null,
      'invalid --policy-arn "CloudWatchAgentServerPolicy": must be an IAM policy ARN such as arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy or arn:aws:iam::123456789012:policy/MyPolicy',
    ],
    ['arn:aws-cn:iam::aws:policy/X', 'aws', 'invalid --policy-arn "arn:aws-cn:iam::aws:policy/X": must be in the partition of the regions (aws), not aws-cn'],
  ])('refuses the policy ARN %j (partition %j) with the rule', (value, partition, message) => {
    expect(refusal(() => validatePolicyArn(value, partition))).toEqual({ code: 'InvalidPolicyArn', message, hint: null });
  });
});

// S3 general purpose bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
describe('S3 bucket names', () => {
  it.each([
    'abc',
    'a1.2.3.4', // digits and dots, but not formatted as an IP address
    '1.2.3.4a',
    'my-xn--bucket', // xn-- and sthree- are refused as prefixes only
    'my-sthree-bucket',
    'my-s3alias-logs', // the reserved suffixes are refused at the end only
    'logs.mrap.backup',
    'a'.repeat(63),
  ])('accepts %s', (name) => {
    expect(validateBucketName(name)).toBe(name);
  });

  it.each([
    'ab',
    'a'.repeat(64),
    'My-Bucket',
    'a..b',
    '192.168.5.4',
    '192.168.10.4',
    '192.168.5.40',
    'xn--abc',
    'sthree-abc',
    'logs-s3alias',
    'logs--ol-s3',
    'logs.mrap',
    'logs--x-s3',
    'logs--table-s3',
    '-abc',
    'abc-',
  ])('refuses %s with the rules', (name) => {
    expect(refusal(() => validateBucketName(name))).toEqual({
      code: 'InvalidBucketName',
      message: `invalid --bucket "${name}": must be an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, not starting with xn-- or sthree-, not ending with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3`,
      hint: null,
    });
  });
});

// EC2 instance ids: i- and 8 (older) or 17 hexadecimal digits (EC2 User Guide, "Resource IDs").
describe('instance ids', () => {
  it.each(['i-0123abcd', 'i-0123456789abcdef0'])('accepts %s', (id) => {
    expect(validateInstanceId(id)).toBe(id);
  });

  it.each(['xi-0123abcd', 'i-0123abcd9', 'i-0123456789abcdef01', 'i-0123ABCD', 'i-0123abc'])('refuses %s', (id) => {
    expect(refusal(() => validateInstanceId(id))).toEqual({
      code: 'InvalidInstanceId',
      message: `invalid --instance-id "${id}": must be an EC2 instance id: i- and 8 or 17 hexadecimal digits`,
      hint: null,
    });
  });

  it('splits on commas, trims and drops duplicates', () => {
    expect(readInstanceIds(['i-0123abcd, i-0123456789abcdef0', ' i-0123abcd'])).toEqual(['i-0123abcd', 'i-0123456789abcdef0']);
  });
});

// Tag limits (EC2 User Guide, "Tag your Amazon EC2 resources", Tag restrictions; IAM API reference, Tag):
// key 1-128 and value 0-256 Unicode characters; letters, numbers, spaces and + - = . _ : / @;
// the aws: prefix (any case) is reserved for AWS use.
describe('tags this tool writes', () => {
  const TAG_RULE = 'must be KEY=VALUE: a key of 1-128 and a value of up to 256 letters, digits, spaces and _ . : / = + - @, the key not starting with aws:';

  it.each([
    ['Name=my server', { Key: 'Name', Value: 'my server' }],
    ['Team=', { Key: 'Team', Value: '' }],
    ['a=b=c', { Key: 'a', Value: 'b=c' }],
    ['team:aws:x=1', { Key: 'team:aws:x', Value: '1' }], // aws: is refused as a prefix only
    ['Ünïcode 名前=värde', { Key: 'Ünïcode 名前', Value: 'värde' }],
    [`${'k'.repeat(128)}=${'v'.repeat(256)}`, { Key: 'k'.repeat(128), Value: 'v'.repeat(256) }],
    // The limits count Unicode characters: U+1D400 (𝐀, a letter) is one character, two UTF-16 code units.
    [`${'𝐀'.repeat(128)}=${'𝐀'.repeat(256)}`, { Key: '𝐀'.repeat(128), Value: '𝐀'.repeat(256) }],
  ])('accepts %j', (value, tag) => {
    expect(validateTag(value)).toEqual(tag);
  });

  it.each([
    ['Name', '"Name"'],
    ['=x', '"=x"'],
    ['a#b=c', '"a#b=c"'],
    ['a=b#c', '"a=b#c"'],
    ['aws:x=1', '"aws:x=1"'],
    ['AWS:x=1', '"AWS:x=1"'],
    [`${'k'.repeat(129)}=v`, `"${'k'.repeat(78)}..."`],
    [`k=${'v'.repeat(257)}`, `"k=${'v'.repeat(76)}..."`],
    [`${'𝐀'.repeat(129)}=v`, `"${'𝐀'.repeat(39)}..."`],
    [`k=${'𝐀'.repeat(257)}`, `"k=${'𝐀'.repeat(38)}..."`],
  ])('refuses %j', (value, shownValue) => {
    expect(refusal(() => validateTag(value))).toEqual({ code: 'InvalidTag', message: `invalid --tag ${shownValue}: ${TAG_RULE}`, hint: null });
  });
});

describe('tag filters', () => {
  const FILTER_RULE = 'must be KEY=VALUE: a tag key of 1-128 and a value of up to 256 characters, no control characters';

  it.each([
    ['aws:cloudformation:stack-name=web*', { Key: 'aws:cloudformation:stack-name', Value: 'web*' }],
    ['Env=', { Key: 'Env', Value: '' }],
    [`${'k'.repeat(128)}=${'v'.repeat(256)}`, { Key: 'k'.repeat(128), Value: 'v'.repeat(256) }],
    // Any character EC2 holds, counted as Unicode characters: an emoji is one, not two UTF-16 code units.
    [`${'🙂'.repeat(128)}=${'🙂'.repeat(256)}`, { Key: '🙂'.repeat(128), Value: '🙂'.repeat(256) }],
  ])('accepts %j', (value, tag) => {
    expect(validateTagFilter(value)).toEqual(tag);
  });

  it.each([
    ['Name', '"Name"'],
    ['=x', '"=x"'],
    ['a\u0007=b', '"a\\u0007=b"'],
    ['a=b\n', '"a=b\\n"'],
    [`${'k'.repeat(129)}=v`, `"${'k'.repeat(78)}..."`],
    [`k=${'v'.repeat(257)}`, `"k=${'v'.repeat(76)}..."`],
    [`${'🙂'.repeat(129)}=v`, `"${'🙂'.repeat(39)}..."`],
    [`k=${'🙂'.repeat(257)}`, `"k=${'🙂'.repeat(38)}..."`],
  ])('refuses %j', (value, shownValue) => {
    expect(refusal(() => validateTagFilter(value))).toEqual({ code: 'InvalidTag', message: `invalid --tag ${shownValue}: ${FILTER_RULE}`, hint: null });
  });

  it('takes one filter or several, and refuses a key given twice', () => {
    expect(readTagFilters('Env=prod')).toEqual([{ Key: 'Env', Value: 'prod' }]);
    expect(readTagFilters(['Env=prod', 'Team=ops'])).toEqual([
      { Key: 'Env', Value: 'prod' },
      { Key: 'Team', Value: 'ops' },
    ]);
    expect(refusal(() => readTagFilters(['Env=prod', 'Team=ops', 'Env=test']))).toEqual({
      code: 'InvalidTag',
      message: 'invalid --tag "Env=test": each tag key may be given once (an instance has one value per key)',
      hint: null,
    });
  });
});

// IAM API reference, CreateRole Description: at most 1000 characters,
// pattern [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*.
describe('role descriptions', () => {
  it.each(['', 'Lets SSM manage the instances', 'Rôle géré\tpar SSM\r\n', 'd'.repeat(1000)])('accepts %j', (d) => {
    expect(validateDescription(d)).toBe(d);
  });

  it.each([
    ['d'.repeat(1001), `"${'d'.repeat(78)}..."`],
    ['emoji 🙂', '"emoji 🙂"'],
    ['del \u007f', '"del \u007f"'],
    ['nbsp\u00a0', '"nbsp\u00a0"'],
  ])('refuses %j', (d, shownValue) => {
    expect(refusal(() => validateDescription(d))).toEqual({
      code: 'InvalidDescription',
      message: `invalid --description ${shownValue}: must be at most 1000 printable characters (IAM role descriptions accept Latin-1 text)`,
      hint: null,
    });
  });
});

describe('whole numbers', () => {
  it.each([
    ['1', 1],
    ['64', 64],
    ['010', 10],
  ])('accepts %s within 1-64', (value, n) => {
    expect(validateWholeNumber(value, '--concurrency', 1, 64)).toBe(n);
  });

  it.each(['0', '65', '-1', '1.5', '', ' 8', '1e1'])('refuses %j outside 1-64 or not whole', (value) => {
    expect(refusal(() => validateWholeNumber(value, '--concurrency', 1, 64))).toEqual({
      code: 'InvalidOption',
      message: `invalid --concurrency ${JSON.stringify(value)}: must be a whole number from 1 to 64`,
      hint: null,
    });
  });
});
