// Evaluation edges: malformed Action entries, NotResource with an unresolvable variable, and the full
// shape of each decision (reasons only for allowed/denied, uncertain statements only for uncertain).
// Policy evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// Action is "service:action" or "*": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// "If AWS cannot resolve a variable this might cause the entire statement to be invalid":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
import { describe, expect, it } from 'vitest';
import { evaluate, type IamRequest, type NamedPolicy } from '../../../../src/policies/iam/index.js';
import { doc, named } from './helpers.js';

const PARAM = 'arn:aws:ssm:us-east-1:111122223333:parameter/app/db';
const request: IamRequest = { action: 'ssm:GetParameter', resource: PARAM, known: {}, absent: ['*'] };
const run = (identity: NamedPolicy[], r: IamRequest = request) => evaluate({ identity }, r);

describe('malformed Action entries', () => {
  it.each(['*sm:GetParameter', 'ssm:GetParameter:x', 'x:ssm:GetParameter'])('%s is reported, not matched', (action) => {
    expect(run([named('p', doc({ Effect: 'Allow', Action: action, Resource: '*' }))])).toEqual({
      decision: 'uncertain',
      reasons: [],
      uncertain: [
        {
          statement: { kind: 'identity', policy: 'p', index: 1, label: 'policy p statement #1' },
          keys: [],
          problems: [`action "${action}" is not "service:action"`],
        },
      ],
    });
  });

  it('a statement without Action or NotAction depends on no key', () => {
    expect(run([named('p', doc({ Effect: 'Allow', Resource: '*' }))])).toEqual({
      decision: 'uncertain',
      reasons: [],
      uncertain: [
        {
          statement: { kind: 'identity', policy: 'p', index: 1, label: 'policy p statement #1' },
          keys: [],
          problems: ['the statement has neither Action nor NotAction'],
        },
      ],
    });
  });
});

describe('NotResource with an unresolvable variable', () => {
  it('invalidates the statement even next to a resolvable entry', () => {
    const policy = doc({ Effect: 'Allow', Action: '*', NotResource: ['arn:aws:ssm:*:*:parameter/${aws:username}', 'arn:aws:s3:::bucket'] });
    expect(run([named('p', policy)])).toEqual({ decision: 'not-allowed', reasons: [], uncertain: [] });
  });
});

describe('decision shapes', () => {
  it('a document that is not a policy is one uncertain entry with no keys', () => {
    expect(run([named('p', 'not a policy')])).toEqual({
      decision: 'uncertain',
      reasons: [],
      uncertain: [
        {
          statement: { kind: 'identity', policy: 'p', index: 0, label: 'policy p' },
          keys: [],
          problems: ['the document is not a JSON policy'],
        },
      ],
    });
  });

  it('denied lists the Deny statements and nothing uncertain', () => {
    const policy = doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ssm:GetParameter', Resource: '*' });
    expect(run([named('p', policy)])).toEqual({
      decision: 'denied',
      reasons: [{ kind: 'identity', policy: 'p', index: 2, label: 'policy p statement #2' }],
      uncertain: [],
    });
  });

  it('not-allowed has no reasons and nothing uncertain', () => {
    expect(run([named('p', doc({ Effect: 'Allow', Action: 'ssm:PutParameter', Resource: '*' }))])).toEqual({
      decision: 'not-allowed',
      reasons: [],
      uncertain: [],
    });
  });

  it('allowed lists the Allow statements and nothing uncertain', () => {
    expect(run([named('p', doc({ Sid: 'A', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' }))])).toEqual({
      decision: 'allowed',
      reasons: [{ kind: 'identity', policy: 'p', index: 1, sid: 'A', label: 'A' }],
      uncertain: [],
    });
  });

  it('uncertain has no reasons and lists each possibly-applying statement once', () => {
    const r: IamRequest = { ...request, absent: [] };
    const policy = doc(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:username': 'bob' } } },
    );
    expect(run([named('p', policy)], r)).toEqual({
      decision: 'uncertain',
      reasons: [],
      uncertain: [
        { statement: { kind: 'identity', policy: 'p', index: 2, label: 'policy p statement #2' }, keys: ['aws:SourceVpc'] },
        { statement: { kind: 'identity', policy: 'p', index: 3, label: 'policy p statement #3' }, keys: ['aws:username'] },
      ],
    });
  });
});
