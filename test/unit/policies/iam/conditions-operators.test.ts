// The Condition block evaluated directly (conditionBlockHolds), so that the three-valued answer and the
// diagnostics it carries (the unknown keys, the problem text a report shows) are visible, not only the
// decision. Operators and their semantics:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// Condition block shape ({ operator: { key: value | [values] } }):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
import { describe, expect, it } from 'vitest';
import { conditionBlockHolds } from '../../../../src/policies/iam/conditions.js';
import { RequestContext } from '../../../../src/policies/iam/context.js';
import type { ContextValue } from '../../../../src/policies/iam/types.js';

const holds = (condition: unknown, known: Record<string, ContextValue> = {}, absent: string[] = ['*'], variables = true) =>
  conditionBlockHolds(condition, new RequestContext({ known, absent }), variables);
const problemOf = (...problems: string[]) => ({ unknown: true, keys: [], problems });

describe('a value that is not of the operator type is a problem naming the type', () => {
  it.each([
    ['NumericEquals', 'aws:MultiFactorAuthAge', 'soon', 5, '"soon" is not a number'],
    ['NumericNotEquals', 'aws:MultiFactorAuthAge', 'soon', 5, '"soon" is not a number'],
    ['NumericLessThan', 'aws:MultiFactorAuthAge', 'soon', 5, '"soon" is not a number'],
    ['NumericLessThanEquals', 'aws:MultiFactorAuthAge', 'soon', 5, '"soon" is not a number'],
    ['NumericGreaterThan', 'aws:MultiFactorAuthAge', 'soon', 5, '"soon" is not a number'],
    ['NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', 'soon', 5, '"soon" is not a number'],
    ['DateEquals', 'aws:CurrentTime', 'tomorrow', '2026-05-01T12:00:00Z', '"tomorrow" is not a date'],
    ['DateNotEquals', 'aws:CurrentTime', 'tomorrow', '2026-05-01T12:00:00Z', '"tomorrow" is not a date'],
    ['DateLessThan', 'aws:CurrentTime', 'tomorrow', '2026-05-01T12:00:00Z', '"tomorrow" is not a date'],
    ['DateLessThanEquals', 'aws:CurrentTime', 'tomorrow', '2026-05-01T12:00:00Z', '"tomorrow" is not a date'],
    ['DateGreaterThan', 'aws:CurrentTime', 'tomorrow', '2026-05-01T12:00:00Z', '"tomorrow" is not a date'],
    ['DateGreaterThanEquals', 'aws:CurrentTime', 'tomorrow', '2026-05-01T12:00:00Z', '"tomorrow" is not a date'],
    ['Bool', 'aws:SecureTransport', 'yes', true, '"yes" is not a boolean'],
    ['IpAddress', 'aws:SourceIp', 'office', '203.0.113.7', '"office" is not an IP address or CIDR block'],
    ['NotIpAddress', 'aws:SourceIp', 'office', '203.0.113.7', '"office" is not an IP address or CIDR block'],
  ])('%s on %s with policy value %s', (op, key, value, actual, text) => {
    expect(holds({ [op]: { [key]: value } }, { [key]: actual })).toEqual(problemOf(text));
  });

  it('names a request value that is not of the type, rather than comparing it', () => {
    expect(holds({ NumericEquals: { 'aws:MultiFactorAuthAge': '5' } }, { 'aws:MultiFactorAuthAge': 'abc' })).toEqual(
      problemOf('request value "abc" is not a number'),
    );
    expect(holds({ NumericNotEquals: { 'aws:MultiFactorAuthAge': '5' } }, { 'aws:MultiFactorAuthAge': 'abc' })).toEqual(
      problemOf('request value "abc" is not a number'),
    );
    expect(holds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'maybe' })).toEqual(
      problemOf('request value "maybe" is not a boolean'),
    );
  });
});

describe('Bool and BinaryEquals', () => {
  // Bool takes "true" or "false" (any case); anything else, even containing those words, is not a boolean.
  it.each([
    [' true ', true, true],
    ['false ', false, true],
    [' FALSE', true, false],
    ['true', ' true', true],
  ])('Bool %j against %j: surrounding blanks are ignored', (value, actual, expected) => {
    expect(holds({ Bool: { 'aws:SecureTransport': value } }, { 'aws:SecureTransport': actual })).toBe(expected);
  });

  it.each([
    ['xtrue', '"xtrue" is not a boolean'],
    ['truex', '"truex" is not a boolean'],
    ['nofalse', '"nofalse" is not a boolean'],
    ['falsehood', '"falsehood" is not a boolean'],
  ])('Bool %j is not a boolean', (value, text) => {
    expect(holds({ Bool: { 'aws:SecureTransport': value } }, { 'aws:SecureTransport': true })).toEqual(problemOf(text));
  });

  it('BinaryEquals ignores blanks around the base64 text on either side', () => {
    expect(holds({ BinaryEquals: { 'aws:PrincipalTag/blob': ' QmluYXJ5 ' } }, { 'aws:PrincipalTag/blob': 'QmluYXJ5' })).toBe(true);
    expect(holds({ BinaryEquals: { 'aws:PrincipalTag/blob': 'QmluYXJ5' } }, { 'aws:PrincipalTag/blob': 'QmluYXJ5\n' })).toBe(true);
  });
});

describe('policy values that are not strings, numbers or booleans', () => {
  it.each([
    ['an empty list', []],
    ['an object', { a: 1 }],
    ['null', null],
    ['a list holding an object', ['blue', { a: 1 }]],
  ])('%s is a problem, not a value that never matches', (_, value) => {
    expect(holds({ StringEquals: { 'aws:PrincipalTag/team': value } }, { 'aws:PrincipalTag/team': 'null' })).toEqual(
      problemOf('StringEquals: the values of aws:PrincipalTag/team are not strings'),
    );
  });

  it('reads number and boolean values as their text', () => {
    expect(holds({ StringEquals: { 'aws:PrincipalTag/n': 5 } }, { 'aws:PrincipalTag/n': '5' })).toBe(true);
    expect(holds({ StringEquals: { 'aws:PrincipalTag/b': false } }, { 'aws:PrincipalTag/b': 'false' })).toBe(true);
  });
});

describe('a negated operator with an unresolvable variable among its values', () => {
  // "If the policy variable ... cannot be resolved ... this might cause the entire statement to be invalid"
  // (reference_policies_variables.html): one such value makes the negated test fail even when the other
  // values would let it hold.
  it('fails even when the resolvable values do not match', () => {
    expect(holds({ StringNotEquals: { 'aws:PrincipalTag/owner': ['${aws:PrincipalTag/team}', 'red'] } }, { 'aws:PrincipalTag/owner': 'blue' })).toBe(false);
    expect(holds({ StringNotEquals: { 'aws:PrincipalTag/owner': ['red', 'green'] } }, { 'aws:PrincipalTag/owner': 'blue' })).toBe(true);
  });
});

describe('Null', () => {
  it('needs "true" or "false", each of its values', () => {
    expect(holds({ Null: { 'aws:TokenIssueTime': 'maybe' } })).toEqual(problemOf('Null: aws:TokenIssueTime needs "true" or "false"'));
    expect(holds({ Null: { 'aws:TokenIssueTime': ['true', 'maybe'] } })).toEqual(problemOf('Null: aws:TokenIssueTime needs "true" or "false"'));
    expect(holds({ Null: { 'aws:TokenIssueTime': ['maybe', 'false'] } }, { 'aws:TokenIssueTime': '2026-05-01T00:00:00Z' })).toEqual(
      problemOf('Null: aws:TokenIssueTime needs "true" or "false"'),
    );
  });

  it('ORs its values: ["true", "false"] holds whether the key is there or not', () => {
    expect(holds({ Null: { 'aws:TokenIssueTime': ['true', 'false'] } })).toBe(true);
    expect(holds({ Null: { 'aws:TokenIssueTime': ['false', 'true'] } }, { 'aws:TokenIssueTime': '2026-05-01T00:00:00Z' })).toBe(true);
  });

  it('depends on an unknown key, and names it', () => {
    expect(holds({ Null: { 'aws:SourceVpc': 'true' } }, {}, [])).toEqual({ unknown: true, keys: ['aws:SourceVpc'], problems: [] });
  });

  it('takes neither IfExists nor a set operator', () => {
    expect(holds({ NullIfExists: { 'aws:SourceVpc': 'true' } })).toEqual(problemOf('NullIfExists is not a valid operator'));
    expect(holds({ 'ForAnyValue:Null': { 'aws:SourceVpc': 'true' } })).toEqual(problemOf('ForAnyValue:Null is not a valid operator'));
  });
});

describe('operators this evaluator does not decide', () => {
  it('names an unknown operator', () => {
    expect(holds({ StringSortOf: { 'aws:RequestedRegion': 'us-east-1' } }, { 'aws:RequestedRegion': 'us-east-1' })).toEqual(
      problemOf('unknown condition operator StringSortOf'),
    );
  });

  it('names a single-valued operator on a multivalued key', () => {
    // "Multivalued context keys require a condition set operator"
    // (reference_policies_condition-single-vs-multi-valued-context-keys.html)
    expect(holds({ StringEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env', 'team'] })).toEqual(
      problemOf('StringEquals on aws:TagKeys, which has several values, needs ForAnyValue or ForAllValues'),
    );
  });
});

describe('a malformed Condition block', () => {
  it('holds when there is no Condition, and when it is empty', () => {
    expect(holds(undefined)).toBe(true);
    expect(holds({})).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'ab'],
    ['a number', 5],
    ['an empty list', []],
    ['a list', [{ StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }]],
    ['false', false],
  ])('%s is not an object', (_, condition) => {
    expect(holds(condition, { 'aws:RequestedRegion': 'us-east-1' })).toEqual(problemOf('Condition is not an object'));
  });

  it.each([
    ['null', null],
    ['a string', 'ab'],
    ['a number', 5],
    ['an empty list', []],
    ['a list', [{ 'aws:RequestedRegion': 'us-east-1' }]],
    ['true', true],
  ])('an operator mapped to %s does not map keys to values', (_, keys) => {
    expect(holds({ StringEquals: keys }, { 'aws:RequestedRegion': 'us-east-1' })).toEqual(problemOf('StringEquals does not map keys to values'));
  });

  it('keeps the other operators: a failing one still makes the block fail', () => {
    expect(holds({ StringEquals: 'ab', Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': false })).toBe(false);
    expect(holds({ StringEquals: null, Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true })).toEqual(
      problemOf('StringEquals does not map keys to values'),
    );
  });
});
