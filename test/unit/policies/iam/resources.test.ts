// Resource / NotResource matching, ARN-aware
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
import { describe, expect, it } from 'vitest';
import { onResource as d } from './helpers.js';

const PARAM = 'arn:aws:ssm:us-east-1:111122223333:parameter/app/db';
const STREAM = 'arn:aws:logs:us-east-1:111122223333:log-group:grp:log-stream:s1';

describe('Resource', () => {
  it('matches "*" and exact ARNs', () => {
    expect(d('*', PARAM)).toBe('allowed');
    expect(d(PARAM, PARAM)).toBe('allowed');
    expect(d([`${PARAM}-x`, PARAM], PARAM)).toBe('allowed');
    expect(d(`${PARAM}-x`, PARAM)).toBe('not-allowed');
  });

  it('matches wildcards segment by segment', () => {
    expect(d('arn:aws:ssm:*:111122223333:parameter/app/*', PARAM)).toBe('allowed');
    expect(d('arn:aws:ssm:us-east-?:*:parameter/*/db', PARAM)).toBe('allowed');
    expect(d('arn:*:ssm:*:*:parameter/app/d?', PARAM)).toBe('allowed');
    expect(d('arn:aws:ssm:eu-*:*:parameter/*', PARAM)).toBe('not-allowed');
    expect(d('arn:aws:ssm:*:4444*:parameter/*', PARAM)).toBe('not-allowed');
    expect(d('arn:aws-cn:ssm:*:*:parameter/*', PARAM)).toBe('not-allowed');
  });

  it('keeps a wildcard inside the middle of a segment and lets a segment-final * run on', () => {
    // "us*3" does not end its segment, so its * cannot swallow "us-east-1:111122223333".
    expect(d('arn:aws:logs:us*3:log-group:grp:log-stream:s1', STREAM)).toBe('not-allowed');
    expect(d('arn:aws:logs:us*:log-group:grp:log-stream:s1', STREAM)).toBe('allowed');
    // A trailing * "can expand to match beyond the colon boundaries".
    expect(d('arn:aws:ssm:*', PARAM)).toBe('allowed');
    expect(d('arn:aws:ssm:us-east-1:*', PARAM)).toBe('allowed');
    expect(d('arn:aws:ec2:*', PARAM)).toBe('not-allowed');
    // A short ARN without a trailing * names no full ARN.
    expect(d('arn:aws:ssm:us-east-1', PARAM)).toBe('not-allowed');
  });

  it('lets the resource part match across / and :', () => {
    expect(d('arn:aws:logs:us-east-1:111122223333:log-group:grp:*', STREAM)).toBe('allowed');
    expect(d('arn:aws:logs:*:*:log-group:*:log-stream:s?', STREAM)).toBe('allowed');
    expect(d('arn:aws:logs:*:*:log-group:other:*', STREAM)).toBe('not-allowed');
  });

  it('is case-sensitive', () => {
    expect(d('arn:aws:ssm:*:*:parameter/APP/*', PARAM)).toBe('not-allowed');
  });

  it('covers a request for "*" (an action with no resource type) only with "*"', () => {
    expect(d('*', '*')).toBe('allowed');
    expect(d('arn:aws:ssm:*:*:*', '*')).toBe('not-allowed');
  });

  it('substitutes policy variables in Version 2012-10-17 only', () => {
    const known = { 'aws:PrincipalTag/app': 'app' };
    expect(d('arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app}/*', PARAM, known)).toBe('allowed');
    expect(d('arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app}/*', PARAM, known, ['*'], 'Resource', '2008-10-17')).toBe('not-allowed');
    expect(d('arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app}/*', PARAM)).toBe('not-allowed'); // absent, no default
    expect(d("arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app, 'app'}/*", PARAM)).toBe('allowed'); // default
    expect(d('arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app}/*', PARAM, {}, [])).toBe('uncertain'); // unknown
    // The substituted value is literal text, not a wildcard.
    expect(d('arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app}', PARAM, { 'aws:PrincipalTag/app': 'app/*' })).toBe('not-allowed');
    expect(d('arn:aws:ssm:*:*:parameter/app/${*}', 'arn:aws:ssm:us-east-1:1:parameter/app/*')).toBe('allowed');
    expect(d('arn:aws:ssm:*:*:parameter/app/${*}', PARAM)).toBe('not-allowed');
  });

  it('reads a variable whose name holds a colon as one piece of the ARN', () => {
    expect(d('arn:aws:ssm:*:${aws:PrincipalAccount}:parameter/*', PARAM, { 'aws:PrincipalAccount': '111122223333' })).toBe('allowed');
    expect(d('arn:aws:ssm:*:${aws:PrincipalAccount}:parameter/*', PARAM, { 'aws:PrincipalAccount': '444455556666' })).toBe('not-allowed');
  });

  it('calls an entry that is neither "*" nor an ARN malformed', () => {
    expect(d('parameter/app/db', PARAM)).toBe('uncertain');
  });
});

describe('NotResource', () => {
  it('applies to everything but the listed resources', () => {
    expect(d('arn:aws:ssm:*:*:parameter/secret/*', PARAM, {}, ['*'], 'NotResource')).toBe('allowed');
    expect(d(['arn:aws:ssm:*:*:parameter/secret/*', 'arn:aws:ssm:*:*:parameter/app/*'], PARAM, {}, ['*'], 'NotResource')).toBe('not-allowed');
    expect(d('*', PARAM, {}, ['*'], 'NotResource')).toBe('not-allowed');
    expect(d('arn:aws:ssm:*:*:*', '*', {}, ['*'], 'NotResource')).toBe('allowed');
  });

  it('is made invalid, not wider, by a variable that cannot be resolved where it matters', () => {
    expect(d('arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app}/*', PARAM, {}, ['*'], 'NotResource')).toBe('not-allowed');
    // When the rest of the ARN already rules the request out, the variable never comes into play.
    expect(d('arn:aws:ec2:*:*:instance/${aws:PrincipalTag/app}', PARAM, {}, ['*'], 'NotResource')).toBe('allowed');
  });

  it('is uncertain when an entry depends on an unknown key', () => {
    expect(d('arn:aws:ssm:*:*:parameter/${aws:PrincipalTag/app}/*', PARAM, {}, [], 'NotResource')).toBe('uncertain');
  });
});
