import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  shown,
  validateAccountId,
  validateOnePartition,
  validatePath,
  validatePolicyArn,
  validateRegion,
  validateRegionTokens,
  validateRoleName,
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
