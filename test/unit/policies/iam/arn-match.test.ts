// ARN splitting and matching for Resource / NotResource and the Arn* condition operators.
// Resource: wildcards stay inside their colon-separated segment, except a segment-final "*", which "can
// expand to match beyond the colon boundaries"; the resource part matches "/" and ":" with "*".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// Arn*: "Each of the six colon-delimited components of the ARN is checked separately".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
// ARN format (arn:partition:service:region:account-id:resource):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
import { describe, expect, it } from 'vitest';
import { arnValueMatches, resourceEntryMatches, splitArn } from '../../../../src/policies/iam/arn-match.js';
import { RequestContext } from '../../../../src/policies/iam/context.js';

const PARAM = 'arn:aws:ssm:us-east-1:111122223333:parameter/app/db';
const STREAM = 'arn:aws:logs:us-east-1:111122223333:log-group:grp:log-stream:s1';
const absentAll = new RequestContext({ known: {}, absent: ['*'] });
const unknownAll = new RequestContext({ known: {}, absent: [] });

describe('splitArn', () => {
  it.each([
    // Policy variables (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    // may contain colons (${aws:username}); they do not split the ARN.
    ['arn:${aws:username}:x', undefined, undefined, ['arn', '${aws:username}', 'x']],
    ['arn:${aws:username}:x', 5, true, ['arn', '${aws:username}', 'x']],
    ['arn:${aws:username}:x', 5, false, ['arn', '${aws', 'username}', 'x']],
    // Only the first five colons split: the resource part keeps its own colons.
    ['a:b:c:d:e:f:g', 5, true, ['a', 'b', 'c', 'd', 'e', 'f:g']],
    // A "{" without a preceding "$" is plain text.
    ['x:{y}:z', 5, true, ['x', '{y}', 'z']],
    // A "}" without a "${" before it is plain text.
    ['a:b}', 5, true, ['a', 'b}']],
    // A "$" not followed by "{" is plain text.
    ['$:x}:y', 5, true, ['$', 'x}', 'y']],
    // The variable's closing brace is searched after its opening, not before.
    ['a}:${b:c}:d', 5, true, ['a}', '${b:c}', 'd']],
    // An unclosed "${" is plain text and its colons split.
    ['x:${a:b', 5, true, ['x', '${a', 'b']],
    ['${:b', 5, true, ['${', 'b']],
  ])('splitArn(%j, %j, %j)', (text, max, variables, expected) => {
    expect(splitArn(text, max, variables)).toEqual(expected);
  });
});

describe('resourceEntryMatches', () => {
  it('reports an entry that is neither "*" nor an ARN', () => {
    expect(resourceEntryMatches('parameter/app', PARAM, absentAll, true)).toEqual({
      unknown: true,
      keys: [],
      problems: ['resource "parameter/app" is neither "*" nor an ARN'],
    });
  });

  it('never matches a request for "*" with an ARN entry, even one whose variable is unknown', () => {
    expect(resourceEntryMatches('arn:aws:ssm:*:*:parameter/${aws:username}', '*', unknownAll, true)).toBe(false);
  });

  it('is unknown, naming the key, when a variable of the entry is unknown', () => {
    expect(resourceEntryMatches('arn:aws:ssm:*:*:parameter/${aws:username}', PARAM, unknownAll, true)).toEqual({
      unknown: true,
      keys: ['aws:username'],
      problems: [],
    });
  });

  it('is unknown when one variable is unknown and another known absent (the unknown one decides)', () => {
    const ctx = new RequestContext({ known: {}, absent: ['aws:username'] });
    expect(resourceEntryMatches('arn:aws:ssm:${aws:RequestedRegion}:*:parameter/${aws:username}', PARAM, ctx, true)).toEqual({
      unknown: true,
      keys: ['aws:RequestedRegion'],
      problems: [],
    });
  });

  it.each([
    // An entry with fewer than six components names no full ARN unless it ends with "*".
    ['arn:aws:ssm:us-east-1', 'arn:aws:ssm:us-east-1', false],
    ['arn:aws:ssm:us-east-?', 'arn:aws:ssm:us-east-1', false],
    ['arn:aws:ssm:', 'arn:aws:ssm:', false],
    ['arn:aws:ssm:*', PARAM, true],
    // In the resource part (sixth component) "*" and "?" also cover ":".
    ['arn:aws:logs:us-east-1:111122223333:*:s1', STREAM, true],
    ['arn:aws:logs:us-east-1:111122223333:log-group?grp:log-stream:s1', STREAM, true],
    // Literal text of a component must match exactly.
    ['arn:aws:ssm:us-east-1:111122223334:parameter/app/db', PARAM, false],
    ['arn:aws:ssm:us-east-1:111122223333:parameter/app/dc', PARAM, false],
    // A segment-final "*" runs on, but what precedes it in the segment must match within the segment.
    ['arn:aws:ssm:us-*-2*', PARAM, false],
    ['arn:aws:ssm:us-*-1*', PARAM, true],
    // A segment-final "?" is one character, not a run.
    ['arn:aws:ssm:us-east-?:111122223333:parameter/app/db', 'arn:aws:ssm:us-east-12:111122223333:parameter/app/db', false],
    ['arn:aws:ssm:us-east-?:111122223333:parameter/app/db', PARAM, true],
    ['arn:aws:s*m*', PARAM, true],
    ['arn:aws:s?m*', PARAM, true],
    // A "*" that is not last in its segment does not cross the colon.
    ['arn:aws:*3*', PARAM, false],
    ['arn:aws:s*m:us-east-1:111122223333:parameter/app/db', PARAM, true],
    ['arn:aws:s?m:us-east-1:111122223333:parameter/app/db', PARAM, true],
    ['arn:aws:s*1:111122223333:parameter/app/db', PARAM, false],
    ['arn:aws:s?m:us-east-1:111122223333:parameter/app/db', 'arn:aws:s:m:us-east-1:111122223333:parameter/app/db', false],
  ])('%s against %s is %s', (entry, request, expected) => {
    expect(resourceEntryMatches(entry, request, absentAll, true)).toBe(expected);
  });
});

describe('arnValueMatches', () => {
  it.each([
    ['arn:aws:ssm', '"arn:aws:ssm" is not an ARN'],
    ['xyz:aws:ssm:us-east-1:111122223333:parameter/app/db', '"xyz:aws:ssm:us-east-1:111122223333:parameter/app/db" is not an ARN'],
  ])('reports the policy value %s as not an ARN', (value, message) => {
    expect(arnValueMatches(value, PARAM, absentAll, true)).toEqual({ unknown: true, keys: [], problems: [message] });
  });

  it('reports a request value with fewer than six components', () => {
    expect(arnValueMatches('arn:aws:ssm:*:*:*', 'arn:aws:ssm', absentAll, true)).toEqual({
      unknown: true,
      keys: [],
      problems: ['request value "arn:aws:ssm" is not an ARN'],
    });
  });

  it('splits the request value without variables: "${" in it is plain text', () => {
    const request = 'arn:aws:ssm:${x:y}:1:p';
    expect(arnValueMatches('arn:aws:ssm:${x:y}:1:p', request, absentAll, false)).toBe(true);
    expect(arnValueMatches('arn:aws:ssm:*:y}:1:p', request, absentAll, true)).toBe(true);
  });

  it('is unknown, naming the key, when a variable of the value is unknown', () => {
    expect(arnValueMatches('arn:aws:ssm:*:*:parameter/${aws:username}', PARAM, unknownAll, true)).toEqual({
      unknown: true,
      keys: ['aws:username'],
      problems: [],
    });
  });

  it('is unknown when one variable is unknown and another known absent', () => {
    const ctx = new RequestContext({ known: {}, absent: ['aws:username'] });
    expect(arnValueMatches('arn:aws:ssm:${aws:RequestedRegion}:*:parameter/${aws:username}', PARAM, ctx, true)).toEqual({
      unknown: true,
      keys: ['aws:RequestedRegion'],
      problems: [],
    });
  });
});
