// The request context (condition key names are case-insensitive:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html)
// and the three-valued results built on it (src/policies/iam/tri.ts).
import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../../../src/policies/iam/context.js';
import { all, any, not, problem, unknownOf } from '../../../../src/policies/iam/tri.js';

describe('RequestContext', () => {
  it('reads known keys case-insensitively, numbers and booleans as text', () => {
    const c = new RequestContext({ known: { 'aws:SourceIp': '10.0.0.1', 'ssm:Count': 3, 'aws:SecureTransport': true, 'aws:TagKeys': ['a', 'b'] } });
    expect(c.get('AWS:SOURCEIP')).toStrictEqual({ state: 'present', values: ['10.0.0.1'], multi: false });
    expect(c.get('ssm:count')).toStrictEqual({ state: 'present', values: ['3'], multi: false });
    expect(c.get('aws:securetransport')).toStrictEqual({ state: 'present', values: ['true'], multi: false });
    expect(c.get('aws:tagkeys')).toStrictEqual({ state: 'present', values: ['a', 'b'], multi: true });
  });

  it('an absent key is exact unless it ends in "*": aws:SourceVpc absent says nothing about aws:SourceVpce', () => {
    // aws:SourceVpc and aws:SourceVpce are distinct global keys:
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    const c = new RequestContext({ known: {}, absent: ['aws:SourceVpc'] });
    expect(c.get('aws:sourcevpc')).toStrictEqual({ state: 'absent' });
    expect(c.get('aws:SourceVpce')).toStrictEqual({ state: 'unknown' });
    expect(c.get('aws:SourceVp')).toStrictEqual({ state: 'unknown' });
  });

  it('an absent pattern ending in "*" covers its prefix, and a known key wins over it', () => {
    const c = new RequestContext({ known: { 'aws:PrincipalTag/team': 'ops' }, absent: ['aws:PrincipalTag/*'] });
    expect(c.get('aws:principaltag/env')).toStrictEqual({ state: 'absent' });
    expect(c.get('aws:PrincipalTag/team')).toStrictEqual({ state: 'present', values: ['ops'], multi: false });
    expect(c.get('aws:PrincipalType')).toStrictEqual({ state: 'unknown' });
  });

  it('without an absent list every unknown key is unknown', () => {
    const c = new RequestContext({ known: {} });
    expect(c.get('aws:SourceIp')).toStrictEqual({ state: 'unknown' });
  });
});

describe('three-valued logic (tri.ts)', () => {
  it('unknownOf keeps each key and problem once, with no problems by default', () => {
    expect(unknownOf(['aws:SourceIp', 'aws:SourceIp', 'aws:SourceVpc'])).toStrictEqual({
      unknown: true,
      keys: ['aws:SourceIp', 'aws:SourceVpc'],
      problems: [],
    });
    expect(problem('bad')).toStrictEqual({ unknown: true, keys: [], problems: ['bad'] });
  });

  it('all / any / not', () => {
    const u = unknownOf(['k']);
    expect(all([true, u, false])).toBe(false);
    expect(all([true, u])).toStrictEqual({ unknown: true, keys: ['k'], problems: [] });
    expect(all([])).toBe(true);
    expect(any([false, u, true])).toBe(true);
    expect(any([false, u, problem('p')])).toStrictEqual({ unknown: true, keys: ['k'], problems: ['p'] });
    expect(any([])).toBe(false);
    expect(not(true)).toBe(false);
    expect(not(u)).toBe(u);
  });
});
