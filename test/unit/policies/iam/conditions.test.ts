// Every condition operator, IfExists, the set operators and Null, with a case that holds and one that
// does not (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
import { describe, expect, it } from 'vitest';
import { underCondition as d } from './helpers.js';

const yes = 'allowed';
const no = 'not-allowed';

describe('string operators', () => {
  it.each([
    ['StringEquals', 'blue', 'blue', yes],
    ['StringEquals', 'blue', 'Blue', no],
    ['StringNotEquals', 'blue', 'red', yes],
    ['StringNotEquals', 'blue', 'blue', no],
    ['StringEqualsIgnoreCase', 'BLUE', 'blue', yes],
    ['StringEqualsIgnoreCase', 'BLUE', 'red', no],
    ['StringNotEqualsIgnoreCase', 'BLUE', 'red', yes],
    ['StringNotEqualsIgnoreCase', 'BLUE', 'blue', no],
    ['StringLike', 'bl?e*', 'blue-1', yes],
    ['StringLike', 'bl?e*', 'Blue-1', no],
    ['StringNotLike', 'r*', 'blue', yes],
    ['StringNotLike', 'r*', 'red', no],
    ['StringEquals', 'b*', 'blue', no], // no wildcards outside the Like operators
  ])('%s %s against %s', (op, value, actual, expected) => {
    expect(d({ [op]: { 'aws:PrincipalTag/team': value } }, { 'aws:PrincipalTag/team': actual })).toBe(expected);
  });

  it('reads condition keys case-insensitively, values case-sensitively', () => {
    expect(d({ StringEquals: { 'AWS:PRINCIPALTAG/TEAM': 'blue' } }, { 'aws:PrincipalTag/team': 'blue' })).toBe(yes);
    expect(d({ StringEquals: { 'aws:principaltag/team': 'BLUE' } }, { 'aws:PrincipalTag/team': 'blue' })).toBe(no);
  });

  it('ORs the values of a key, and a negated operator needs the value to match none of them', () => {
    expect(d({ StringEquals: { 'aws:PrincipalTag/team': ['red', 'blue'] } }, { 'aws:PrincipalTag/team': 'blue' })).toBe(yes);
    expect(d({ StringNotEquals: { 'aws:PrincipalTag/team': ['red', 'blue'] } }, { 'aws:PrincipalTag/team': 'blue' })).toBe(no);
    expect(d({ StringNotEquals: { 'aws:PrincipalTag/team': ['red', 'green'] } }, { 'aws:PrincipalTag/team': 'blue' })).toBe(yes);
  });

  it('ANDs keys and operators', () => {
    const condition = { StringEquals: { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'us-east-1' }, Bool: { 'aws:SecureTransport': 'true' } };
    expect(d(condition, { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'us-east-1', 'aws:SecureTransport': true })).toBe(yes);
    expect(d(condition, { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'eu-west-1', 'aws:SecureTransport': true })).toBe(no);
    expect(d(condition, { 'aws:PrincipalTag/team': 'blue', 'aws:RequestedRegion': 'us-east-1', 'aws:SecureTransport': false })).toBe(no);
  });
});

describe('numeric, date, bool and binary operators', () => {
  it.each([
    ['NumericEquals', '3600', 3600, yes],
    ['NumericEquals', '3600', '3600.0', yes],
    ['NumericEquals', '3600', 60, no],
    ['NumericNotEquals', '3600', 60, yes],
    ['NumericNotEquals', '3600', 3600, no],
    ['NumericLessThan', '3600', 60, yes],
    ['NumericLessThan', '3600', 3600, no],
    ['NumericLessThanEquals', '3600', 3600, yes],
    ['NumericLessThanEquals', '3600', 3601, no],
    ['NumericGreaterThan', '3600', 3601, yes],
    ['NumericGreaterThan', '3600', 3600, no],
    ['NumericGreaterThanEquals', '3600', 3600, yes],
    ['NumericGreaterThanEquals', '3600', '12.5', no],
  ])('%s %s against %s', (op, value, actual, expected) => {
    expect(d({ [op]: { 'aws:MultiFactorAuthAge': value } }, { 'aws:MultiFactorAuthAge': actual })).toBe(expected);
  });

  it.each([
    ['DateEquals', '2026-05-01T12:00:00Z', '2026-05-01T12:00:00.000Z', yes],
    ['DateEquals', '2026-05-01T12:00:00Z', '2026-05-01T12:00:01Z', no],
    ['DateNotEquals', '2026-05-01T12:00:00Z', '2026-05-01T12:00:01Z', yes],
    ['DateNotEquals', '2026-05-01', '2026-05-01T00:00:00Z', no],
    ['DateLessThan', '2026-05-01T12:00:00Z', '2026-05-01T11:59:59Z', yes],
    ['DateLessThan', '2026-05-01T12:00:00Z', '2026-05-01T12:00:00Z', no],
    ['DateLessThanEquals', '2026-05-01T12:00:00Z', '2026-05-01T12:00:00Z', yes],
    ['DateLessThanEquals', '2026-05-01T12:00:00Z', '2026-05-01T12:00:01Z', no],
    ['DateGreaterThan', '2026-05-01T12:00:00+02:00', '2026-05-01T10:00:01Z', yes],
    ['DateGreaterThan', '2026-05-01T12:00:00+02:00', '2026-05-01T10:00:00Z', no],
    ['DateGreaterThanEquals', '1777636800', '2026-05-01T12:00:00Z', yes], // epoch seconds against ISO text
    ['DateGreaterThanEquals', '1777636801', '2026-05-01T12:00:00Z', no],
  ])('%s %s against %s', (op, value, actual, expected) => {
    expect(d({ [op]: { 'aws:CurrentTime': value } }, { 'aws:CurrentTime': actual })).toBe(expected);
  });

  it('compares aws:EpochTime given as a number with epoch and ISO values', () => {
    expect(d({ DateGreaterThan: { 'aws:EpochTime': '2026-01-01T00:00:00Z' } }, { 'aws:EpochTime': 1777636800 })).toBe(yes);
    expect(d({ DateLessThan: { 'aws:EpochTime': 1700000000 } }, { 'aws:EpochTime': 1777636800 })).toBe(no);
  });

  it.each([
    ['true', true, yes],
    ['True', 'true', yes],
    ['false', true, no],
    [true, true, yes],
  ])('Bool %s against %s', (value, actual, expected) => {
    expect(d({ Bool: { 'aws:SecureTransport': value } }, { 'aws:SecureTransport': actual })).toBe(expected);
  });

  it('BinaryEquals compares the base64 text', () => {
    expect(d({ BinaryEquals: { 'aws:PrincipalTag/blob': 'QmluYXJ5' } }, { 'aws:PrincipalTag/blob': 'QmluYXJ5' })).toBe(yes);
    expect(d({ BinaryEquals: { 'aws:PrincipalTag/blob': 'QmluYXJ5' } }, { 'aws:PrincipalTag/blob': 'QmluYXJ6' })).toBe(no);
  });

  it('does not guess on a value that is not of the operator type', () => {
    expect(d({ NumericLessThan: { 'aws:MultiFactorAuthAge': 'soon' } }, { 'aws:MultiFactorAuthAge': 5 })).toBe('uncertain');
    expect(d({ DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }, { 'aws:CurrentTime': '2026-05-01T12:00:00Z' })).toBe('uncertain');
    expect(d({ Bool: { 'aws:SecureTransport': 'yes' } }, { 'aws:SecureTransport': true })).toBe('uncertain');
  });
});

describe('IP address operators', () => {
  it.each([
    ['IpAddress', '203.0.113.0/24', '203.0.113.7', yes],
    ['IpAddress', '203.0.113.0/24', '203.0.114.7', no],
    ['IpAddress', '0.0.0.0/0', '198.51.100.1', yes],
    ['IpAddress', '203.0.113.7', '203.0.113.7', yes], // a bare address is a /32
    ['IpAddress', '2001:db8::/32', '2001:db8:ffff::1', yes],
    ['IpAddress', '2001:db8::/32', '2001:db9::1', no],
    ['IpAddress', '2001:db8::/32', '203.0.113.7', no], // families never mix
    ['NotIpAddress', '10.0.0.0/8', '203.0.113.7', yes],
    ['NotIpAddress', '10.0.0.0/8', '10.2.3.4', no],
    ['NotIpAddress', '2001:db8::/32', '203.0.113.7', yes],
    ['NotIpAddress', '::ffff:0:0/96', '::ffff:10.0.0.1', no],
  ])('%s %s against %s', (op, value, actual, expected) => {
    expect(d({ [op]: { 'aws:SourceIp': value } }, { 'aws:SourceIp': actual })).toBe(expected);
  });
});

describe('ARN operators', () => {
  const role = `arn:aws:iam::111122223333:role/path/ssm-role`;
  it.each([
    ['ArnEquals', role, yes],
    ['ArnEquals', 'arn:aws:iam::111122223333:role/path/*', yes], // ArnEquals takes wildcards too
    ['ArnLike', 'arn:aws*:iam::*:role/*', yes],
    ['ArnLike', 'arn:aws:iam::111122223333:role/other', no],
    ['ArnLike', 'arn:aws:iam::*', 'uncertain'], // not six components: a malformed value, not a guess
    ['ArnNotEquals', 'arn:aws:iam::444455556666:role/path/ssm-role', yes],
    ['ArnNotEquals', role, no],
    ['ArnNotLike', 'arn:aws:iam::*:user/*', yes],
    ['ArnNotLike', 'arn:aws:iam::*:role/*', no],
    ['ArnLike', 'arn:aws:iam::111122223333:role/PATH/*', no], // case-sensitive
  ])('%s %s', (op, value, expected) => {
    expect(d({ [op]: { 'aws:PrincipalArn': value } }, { 'aws:PrincipalArn': role })).toBe(expected);
  });

  it('does not let a wildcard in one component reach into the next', () => {
    expect(d({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam:*:role/path/ssm-role' } }, { 'aws:PrincipalArn': role })).toBe('uncertain');
    expect(d({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:*am::111122223333:role/path/ssm-role' } }, { 'aws:PrincipalArn': role })).toBe(yes);
  });
});

describe('missing keys', () => {
  it('fails a positive operator and holds a negated one', () => {
    expect(d({ StringEquals: { 'aws:PrincipalTag/team': 'blue' } })).toBe(no);
    expect(d({ StringNotEquals: { 'aws:PrincipalTag/team': 'blue' } })).toBe(yes);
    expect(d({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })).toBe(yes);
    expect(d({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } })).toBe(yes);
  });

  it('holds ...IfExists when the key is missing and checks it when present', () => {
    expect(d({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'blue' } })).toBe(yes);
    expect(d({ StringEqualsIfExists: { 'aws:PrincipalTag/team': 'blue' } }, { 'aws:PrincipalTag/team': 'red' })).toBe(no);
    expect(d({ NumericLessThanIfExists: { 'aws:MultiFactorAuthAge': '60' } })).toBe(yes);
    expect(d({ DateGreaterThanIfExists: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } })).toBe(yes);
    expect(d({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }, { 'aws:MultiFactorAuthPresent': false })).toBe(no);
    expect(d({ IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } })).toBe(yes);
    expect(d({ ArnLikeIfExists: { 'aws:SourceArn': 'arn:aws:s3:::*' } })).toBe(yes);
  });

  it('holds ForAllValues and fails ForAnyValue on a missing key (ForAnyValue...IfExists holds)', () => {
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } })).toBe(yes);
    expect(d({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } })).toBe(no);
    expect(d({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['env'] } })).toBe(yes);
  });

  it('Null tests presence', () => {
    expect(d({ Null: { 'aws:TokenIssueTime': 'true' } })).toBe(yes);
    expect(d({ Null: { 'aws:TokenIssueTime': 'false' } })).toBe(no);
    expect(d({ Null: { 'aws:TokenIssueTime': 'false' } }, { 'aws:TokenIssueTime': '2026-05-01T00:00:00Z' })).toBe(yes);
    expect(d({ Null: { 'aws:TokenIssueTime': true } }, { 'aws:TokenIssueTime': '2026-05-01T00:00:00Z' })).toBe(no);
  });
});

describe('set operators on multivalued keys', () => {
  const tags = { 'aws:TagKeys': ['env', 'team'] };
  it('ForAllValues: every request value must match some policy value', () => {
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team', 'cost'] } }, tags)).toBe(yes);
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, tags)).toBe(no);
    expect(d({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['aws:*'] } }, tags)).toBe(yes);
    expect(d({ 'ForAllValues:StringNotLike': { 'aws:TagKeys': ['t*'] } }, tags)).toBe(no);
  });

  it('ForAnyValue: some request value must match some policy value', () => {
    expect(d({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }, tags)).toBe(yes);
    expect(d({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['cost'] } }, tags)).toBe(no);
    expect(d({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env'] } }, tags)).toBe(yes);
    expect(d({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env', 'team'] } }, tags)).toBe(no);
  });

  it('treats an empty set like a missing key', () => {
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, { 'aws:TagKeys': [] })).toBe(yes);
    expect(d({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, { 'aws:TagKeys': [] })).toBe(no);
  });

  it('reads a single-valued key as a set of one under a set operator', () => {
    expect(d({ 'ForAnyValue:StringEquals': { 'aws:PrincipalTag/team': ['blue', 'red'] } }, { 'aws:PrincipalTag/team': 'red' })).toBe(yes);
  });

  it('does not guess when a single-valued operator meets a multivalued key', () => {
    expect(d({ StringEquals: { 'aws:TagKeys': 'env' } }, tags)).toBe('uncertain');
  });
});

describe('policy variables in condition values', () => {
  it('substitutes a present key, uses the default when it is missing, fails without one', () => {
    expect(
      d({ StringEquals: { 'aws:PrincipalTag/owner': '${aws:PrincipalTag/team}' } }, { 'aws:PrincipalTag/owner': 'blue', 'aws:PrincipalTag/team': 'blue' }),
    ).toBe(yes);
    expect(d({ StringEquals: { 'aws:PrincipalTag/owner': "${aws:PrincipalTag/team, 'blue'}" } }, { 'aws:PrincipalTag/owner': 'blue' })).toBe(yes);
    expect(d({ StringEquals: { 'aws:PrincipalTag/owner': '${aws:PrincipalTag/team}' } }, { 'aws:PrincipalTag/owner': 'blue' })).toBe(no);
    // An unresolvable variable invalidates a negated test rather than satisfying it.
    expect(d({ StringNotEquals: { 'aws:PrincipalTag/owner': '${aws:PrincipalTag/team}' } }, { 'aws:PrincipalTag/owner': 'blue' })).toBe(no);
  });

  it('treats substituted text as literal, and ${*} ${?} ${$} as the characters themselves', () => {
    expect(
      d({ StringLike: { 'aws:PrincipalTag/owner': '${aws:PrincipalTag/team}' } }, { 'aws:PrincipalTag/owner': 'blue', 'aws:PrincipalTag/team': 'b*' }),
    ).toBe(no);
    expect(d({ StringLike: { 'aws:PrincipalTag/owner': 'a${*}b*' } }, { 'aws:PrincipalTag/owner': 'a*bc' })).toBe(yes);
    expect(d({ StringLike: { 'aws:PrincipalTag/owner': 'a${*}b*' } }, { 'aws:PrincipalTag/owner': 'axbc' })).toBe(no);
    expect(d({ StringEquals: { 'aws:PrincipalTag/owner': 'what${?}${$}' } }, { 'aws:PrincipalTag/owner': 'what?$' })).toBe(yes);
  });

  it('lets another ARN component rule a value out before its missing variable matters; a string cannot', () => {
    const other = { 'aws:PrincipalArn': 'arn:aws-cn:iam::444455556666:role/ssm-role' };
    expect(d({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/${aws:username}' } }, other)).toBe(yes);
    expect(d({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws-cn:iam::444455556666:role/${aws:username}' } }, other)).toBe(no);
    expect(d({ StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/${aws:username}' } }, other)).toBe(no);
  });

  it('substitutes in ARN operators', () => {
    expect(
      d(
        { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/${aws:PrincipalTag/team}' } },
        { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/blue', 'aws:PrincipalTag/team': 'blue' },
      ),
    ).toBe(yes);
  });

  it('leaves variables alone in the numeric operators', () => {
    expect(d({ NumericEquals: { 'aws:MultiFactorAuthAge': '${aws:PrincipalTag/age}' } }, { 'aws:MultiFactorAuthAge': 5, 'aws:PrincipalTag/age': '5' })).toBe(
      'uncertain',
    );
  });
});

describe('unknown keys', () => {
  it('makes a statement that depends on them possibly apply', () => {
    expect(d({ StringEquals: { 'aws:SourceVpc': 'vpc-1' } }, {}, [])).toBe('uncertain');
    expect(d({ Null: { 'aws:SourceVpc': 'true' } }, {}, [])).toBe('uncertain');
    expect(d({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'env' } }, {}, [])).toBe('uncertain');
    expect(d({ StringEquals: { 'aws:PrincipalTag/team': '${aws:SourceVpc}' } }, { 'aws:PrincipalTag/team': 'x' }, [])).toBe('uncertain');
  });

  it('does not matter when another condition already fails', () => {
    expect(d({ StringEquals: { 'aws:SourceVpc': 'vpc-1', 'aws:RequestedRegion': 'us-east-1' } }, { 'aws:RequestedRegion': 'eu-west-1' }, [])).toBe(no);
  });

  it('treats an unknown operator or a malformed block as uncertain, never as a match or a miss', () => {
    expect(d({ StringSortOf: { 'aws:RequestedRegion': 'us-east-1' } }, { 'aws:RequestedRegion': 'us-east-1' })).toBe('uncertain');
    expect(d('not an object')).toBe('uncertain');
    expect(d({ NullIfExists: { 'aws:SourceVpc': 'true' } })).toBe('uncertain');
  });
});
