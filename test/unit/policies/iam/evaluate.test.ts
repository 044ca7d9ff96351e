// Policy evaluation logic: explicit Deny wins, an Allow is needed in the identity policies and in the
// permissions boundary, uncertainty is reported with the statement and the keys behind it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
import { describe, expect, it } from 'vitest';
import { evaluate, type IamRequest, type NamedPolicy } from '../../../../src/policies/iam/index.js';
import { INSTANCE, doc, named } from './helpers.js';

const request: IamRequest = { action: 'ssm:UpdateInstanceInformation', resource: INSTANCE, known: { 'aws:RequestedRegion': 'us-east-1' }, absent: ['*'] };
const allowAll = named('allow-all', doc({ Effect: 'Allow', Action: '*', Resource: '*' }));
const allowSsm = named('allow-ssm', doc({ Sid: 'Ssm', Effect: 'Allow', Action: 'ssm:*', Resource: '*' }));
const denySsm = named('deny-ssm', doc({ Effect: 'Deny', Action: 'ssm:Update*', Resource: 'arn:aws:ec2:*:*:instance/*' }));
const run = (identity: NamedPolicy[], boundary?: NamedPolicy[] | null, r: IamRequest = request) => evaluate({ identity, boundary }, r);

describe('actions', () => {
  it('matches exact names, wildcards and any case', () => {
    for (const Action of ['ssm:UpdateInstanceInformation', 'ssm:*', 'SSM:update*', 'ssm:?pdateInstanceInformation', '*', ['s3:*', 'ssm:Update*']]) {
      expect(run([named('p', doc({ Effect: 'Allow', Action, Resource: '*' }))]).decision).toBe('allowed');
    }
    for (const Action of ['ssm:Get*', 'ssmmessages:*', 'ssm:UpdateInstance']) {
      expect(run([named('p', doc({ Effect: 'Allow', Action, Resource: '*' }))]).decision).toBe('not-allowed');
    }
  });

  it('understands NotAction', () => {
    expect(run([named('p', doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))]).decision).toBe('allowed');
    expect(run([named('p', doc({ Effect: 'Allow', NotAction: ['iam:*', 'ssm:*'], Resource: '*' }))]).decision).toBe('not-allowed');
    expect(run([allowAll, named('p', doc({ Effect: 'Deny', NotAction: 'ssm:*', Resource: '*' }))]).decision).toBe('allowed');
    expect(run([allowAll, named('p', doc({ Effect: 'Deny', NotAction: 'ec2:*', Resource: '*' }))]).decision).toBe('denied');
  });
});

describe('identity policies', () => {
  it('lets an explicit Deny win over any Allow, across policies, and names it', () => {
    const result = run([allowAll, allowSsm, denySsm]);
    expect(result.decision).toBe('denied');
    expect(result.reasons).toEqual([{ kind: 'identity', policy: 'deny-ssm', index: 1, label: 'policy deny-ssm statement #1' }]);
  });

  it('names the allowing statements by Sid', () => {
    expect(run([allowSsm]).reasons.map((r) => r.label)).toEqual(['Ssm']);
  });

  it('is not allowed without an applicable Allow', () => {
    expect(run([]).decision).toBe('not-allowed');
    expect(run([named('p', doc({ Effect: 'Allow', Action: 'ssm:*', Resource: 'arn:aws:ssm:*:*:parameter/*' }))]).decision).toBe('not-allowed');
  });

  it('reads documents as objects, JSON text and URL-encoded JSON, with Statement as one object', () => {
    const policy = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation'], Resource: ['*'] } };
    expect(run([named('p', policy)]).decision).toBe('allowed');
    expect(run([named('p', JSON.stringify(policy))]).decision).toBe('allowed');
    expect(run([named('p', encodeURIComponent(JSON.stringify(policy)))]).decision).toBe('allowed');
  });
});

describe('permissions boundary', () => {
  it('needs the boundary to allow the action too', () => {
    const boundary = [named('boundary', doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }))];
    expect(run([allowAll], boundary).decision).toBe('not-allowed');
  });

  it('allows when both allow, naming both statements', () => {
    const result = run([allowSsm], [named('boundary', doc({ Sid: 'Bound', Effect: 'Allow', Action: 'ssm:Update*', Resource: '*' }))]);
    expect(result.decision).toBe('allowed');
    expect(result.reasons.map((r) => `${r.kind}:${r.label}`)).toEqual(['identity:Ssm', 'boundary:Bound']);
  });

  it('denies on an explicit Deny in the boundary', () => {
    const boundary = [named('boundary', doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ssm:*', Resource: '*' }))];
    const result = run([allowAll], boundary);
    expect(result.decision).toBe('denied');
    expect(result.reasons[0]?.kind).toBe('boundary');
  });

  it('does not grant anything by itself', () => {
    expect(run([], [allowAll]).decision).toBe('not-allowed');
  });

  it('treats null, undefined and an empty list as no boundary', () => {
    expect(run([allowSsm], null).decision).toBe('allowed');
    expect(run([allowSsm], []).decision).toBe('allowed');
  });

  it('propagates uncertainty from the boundary', () => {
    const boundary = [named('boundary', doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }))];
    const result = run([allowSsm], boundary, { ...request, absent: [] });
    expect(result.decision).toBe('uncertain');
    expect(result.uncertain).toEqual([
      { statement: { kind: 'boundary', policy: 'boundary', index: 1, label: 'policy boundary statement #1' }, keys: ['aws:SourceVpc'] },
    ]);
  });
});

describe('uncertain results', () => {
  const unknownRequest = { ...request, absent: [] };
  const vpcDeny = named(
    'vpc-only',
    doc({ Sid: 'VpcOnly', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-1' } } }),
  );

  it('a possible Deny next to an Allow is uncertain, naming the statement and the key', () => {
    const result = run([allowSsm, vpcDeny], null, unknownRequest);
    expect(result.decision).toBe('uncertain');
    expect(result.uncertain).toEqual([
      { statement: { kind: 'identity', policy: 'vpc-only', index: 1, sid: 'VpcOnly', label: 'VpcOnly' }, keys: ['aws:SourceVpc'] },
    ]);
  });

  it('a definite Deny still wins over a possible one', () => {
    expect(run([allowSsm, vpcDeny, denySsm], null, unknownRequest).decision).toBe('denied');
  });

  it('a possible Deny without any Allow is simply not allowed', () => {
    expect(run([vpcDeny], null, unknownRequest).decision).toBe('not-allowed');
  });

  it('a possible Allow alone is uncertain; with a definite Allow it is allowed', () => {
    const vpcAllow = named('vpc-allow', doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }));
    expect(run([vpcAllow], null, unknownRequest).decision).toBe('uncertain');
    expect(run([vpcAllow, allowSsm], null, unknownRequest).decision).toBe('allowed');
  });

  it('knows the keys the request lists as absent, by prefix too', () => {
    expect(run([allowSsm, vpcDeny], null, { ...request, absent: ['aws:Source*'] }).decision).toBe('denied');
    expect(run([allowSsm, vpcDeny], null, { ...request, known: { 'aws:SourceVpc': 'vpc-1' }, absent: [] }).decision).toBe('allowed');
  });
});

describe('malformed input', () => {
  it('never throws, and says why it cannot decide', () => {
    for (const document of ['not json', '%E0%A4%A', 42, null, { Statement: 'nope' }, { Version: '2012-10-17' }]) {
      const result = run([allowSsm, named('odd', document)]);
      expect(result.decision).toBe('uncertain');
      expect(result.uncertain.some((u) => u.statement.policy === 'odd' && (u.problems?.length ?? 0) > 0)).toBe(true);
    }
  });

  it('treats a malformed statement as possibly applying, whatever its effect says', () => {
    expect(run([named('p', doc({ Effect: 'Allow', Resource: '*' }))]).decision).toBe('uncertain'); // no Action
    expect(run([named('p', doc({ Effect: 'Permit', Action: '*', Resource: '*' }))]).decision).toBe('uncertain');
    expect(run([named('p', doc({ Effect: 'Allow', Action: 'ssm', Resource: '*' }))]).decision).toBe('uncertain');
    expect(run([allowSsm, named('p', doc({ Effect: 'Deny', Action: '*', Resource: '*', Principal: '*' }))]).decision).toBe('uncertain');
  });

  it('lets a definite Deny decide even next to a malformed statement', () => {
    expect(run([denySsm, named('p', doc({ Effect: 'Allow' }))]).decision).toBe('denied');
  });
});
