import { describe, expect, it } from 'vitest';
import { checkServiceTrust, serviceTrustPolicy } from '../../../src/policies/trust.js';

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
