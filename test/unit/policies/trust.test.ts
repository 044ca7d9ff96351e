import { describe, expect, it } from 'vitest';
import { checkServiceTrust, parsePolicyDocument, serviceTrustPolicy } from '../../../src/policies/trust.js';

const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const stmt = (s: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [s] });
/** A role's trust of one AWS service, as IAM documents it - written out, not built by the code under test. */
const trustOf = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

describe('serviceTrustPolicy', () => {
  it('is the one-statement trust IAM documents for a service role', () => {
    expect(serviceTrustPolicy('ssm.amazonaws.com')).toEqual(trustOf('ssm.amazonaws.com'));
    expect(serviceTrustPolicy('ec2.amazonaws.com')).toEqual(trustOf('ec2.amazonaws.com'));
  });
});

describe('checkServiceTrust', () => {
  it('accepts the trust the guide asks for (Systems Manager as the trusted entity), URL-encoded as GetRole returns it', () => {
    expect(checkServiceTrust(enc(trustOf('ssm.amazonaws.com')), 'ssm.amazonaws.com')).toEqual({ trusted: true, conditional: false });
  });

  it('accepts plain JSON, principal lists, a single statement object and sts:*', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'ssm.amazonaws.com'] }, Action: ['sts:*'] },
    };
    expect(checkServiceTrust(JSON.stringify(doc), 'ssm.amazonaws.com').trusted).toBe(true);
  });

  it('refuses a role that trusts only EC2', () => {
    expect(checkServiceTrust(enc(trustOf('ec2.amazonaws.com')), 'ssm.amazonaws.com').trusted).toBe(false);
  });

  it('refuses when a Deny names the service, and when the action is not AssumeRole', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    expect(checkServiceTrust(enc(doc), 'ssm.amazonaws.com').trusted).toBe(false);
    expect(
      checkServiceTrust(enc(stmt({ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:TagSession' })), 'ssm.amazonaws.com').trusted,
    ).toBe(false);
  });

  it('reports conditions on the allowing statement', () => {
    const doc = stmt({
      Effect: 'Allow',
      Principal: { Service: 'ssm.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
    expect(checkServiceTrust(enc(doc), 'ssm.amazonaws.com')).toEqual({ trusted: true, conditional: true });
  });

  it('treats garbage and a missing document as not trusted', () => {
    expect(checkServiceTrust('%%%not json', 'ssm.amazonaws.com').trusted).toBe(false);
    expect(checkServiceTrust(undefined, 'ssm.amazonaws.com').trusted).toBe(false);
  });
});

// The Principal element: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// ("AWS services": "Service" is one service principal or a list; "All principals": "Principal": "*").
// NotPrincipal: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
// An explicit Deny overrides any Allow: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
describe('checkServiceTrust: principal forms', () => {
  const SSM = 'ssm.amazonaws.com';
  const allowSsm = { Effect: 'Allow', Principal: { Service: SSM }, Action: 'sts:AssumeRole' };

  it('"Principal": "*" (all principals) includes the service', () => {
    expect(checkServiceTrust(enc(stmt({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' })), SSM)).toEqual({ trusted: true, conditional: false });
  });

  it('a Deny on "Principal": "*" overrides the Allow of the service', () => {
    const doc = { Version: '2012-10-17', Statement: [allowSsm, { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' }] };
    expect(checkServiceTrust(enc(doc), SSM).trusted).toBe(false);
  });

  it('a principal without a Service key (an account) does not trust the service', () => {
    const doc = stmt({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' });
    expect(checkServiceTrust(enc(doc), SSM)).toEqual({ trusted: false, conditional: false });
  });

  it('a Deny with NotPrincipal naming the service does not deny the service', () => {
    const doc = { Version: '2012-10-17', Statement: [allowSsm, { Effect: 'Deny', NotPrincipal: { Service: SSM }, Action: 'sts:AssumeRole' }] };
    expect(checkServiceTrust(enc(doc), SSM)).toEqual({ trusted: true, conditional: false });
  });

  it('a statement with NotAction instead of Action does not count as allowing sts:AssumeRole', () => {
    const doc = { Version: '2012-10-17', Statement: [allowSsm, { Effect: 'Allow', Principal: { Service: SSM }, NotAction: 'sts:TagSession' }] };
    expect(checkServiceTrust(enc(doc), SSM)).toEqual({ trusted: true, conditional: false });
  });
});

describe('checkServiceTrust: actions', () => {
  const SSM = 'ssm.amazonaws.com';
  it('an action list counts when any action in it is sts:AssumeRole', () => {
    const doc = stmt({ Effect: 'Allow', Principal: { Service: SSM }, Action: ['sts:AssumeRole', 'sts:TagSession'] });
    expect(checkServiceTrust(enc(doc), SSM).trusted).toBe(true);
  });

  it('"Action": "*" covers sts:AssumeRole', () => {
    expect(checkServiceTrust(enc(stmt({ Effect: 'Allow', Principal: { Service: SSM }, Action: '*' })), SSM).trusted).toBe(true);
  });

  // "The prefix and the action name are case insensitive": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
  it('an action named in another case still counts (action names are case-insensitive)', () => {
    expect(checkServiceTrust(enc(stmt({ Effect: 'Allow', Principal: { Service: SSM }, Action: 'STS:assumerole' })), SSM).trusted).toBe(true);
  });
});

describe('checkServiceTrust: Deny and conditions', () => {
  const SSM = 'ssm.amazonaws.com';
  const cond = { StringEquals: { 'aws:SourceAccount': '111122223333' } };

  it('a Deny alone, even with a Condition, grants nothing', () => {
    const doc = stmt({ Effect: 'Deny', Principal: { Service: SSM }, Action: 'sts:AssumeRole', Condition: cond });
    expect(checkServiceTrust(enc(doc), SSM)).toEqual({ trusted: false, conditional: false });
  });

  it('a role that does not trust the service is not reported as conditional', () => {
    expect(checkServiceTrust(enc(trustOf('ec2.amazonaws.com')), SSM)).toEqual({ trusted: false, conditional: false });
  });

  it('is conditional only when every allowing statement has a Condition', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: SSM }, Action: 'sts:AssumeRole', Condition: cond },
        { Effect: 'Allow', Principal: { Service: SSM }, Action: 'sts:AssumeRole' },
      ],
    };
    expect(checkServiceTrust(enc(doc), SSM)).toEqual({ trusted: true, conditional: false });
  });
});

describe('checkServiceTrust: malformed documents are read without throwing', () => {
  const SSM = 'ssm.amazonaws.com';
  it('a document without Statement, or with a null Statement, trusts no one', () => {
    expect(checkServiceTrust(JSON.stringify({ Version: '2012-10-17' }), SSM)).toEqual({ trusted: false, conditional: false });
    expect(checkServiceTrust(JSON.stringify({ Version: '2012-10-17', Statement: null }), SSM)).toEqual({ trusted: false, conditional: false });
  });

  it('a null Principal names no one', () => {
    expect(checkServiceTrust(JSON.stringify(stmt({ Effect: 'Allow', Principal: null, Action: 'sts:AssumeRole' })), SSM)).toEqual({
      trusted: false,
      conditional: false,
    });
  });

  it('non-string entries in an Action list are skipped; the string entries still count', () => {
    const doc = stmt({ Effect: 'Allow', Principal: { Service: SSM }, Action: [42, 'sts:AssumeRole'] });
    expect(checkServiceTrust(JSON.stringify(doc), SSM)).toEqual({ trusted: true, conditional: false });
  });
});

describe('parsePolicyDocument', () => {
  it('reads URL-encoded and plain JSON policy objects', () => {
    expect(parsePolicyDocument(enc(trustOf('ssm.amazonaws.com')))).toEqual(trustOf('ssm.amazonaws.com'));
    expect(parsePolicyDocument('{"Version":"2012-10-17","Statement":[]}')).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('is undefined for JSON that is not an object, for non-JSON text and for no text', () => {
    expect(parsePolicyDocument('42')).toBeUndefined();
    expect(parsePolicyDocument('null')).toBeUndefined();
    expect(parsePolicyDocument('"Statement"')).toBeUndefined();
    expect(parsePolicyDocument('true')).toBeUndefined();
    expect(parsePolicyDocument('%%%not json')).toBeUndefined();
    expect(parsePolicyDocument('')).toBeUndefined();
    expect(parsePolicyDocument(undefined)).toBeUndefined();
  });
});
