import { describe, expect, it } from 'vitest';
import { decide, missingActions } from '../../../src/policies/evaluate.js';

const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

describe('decide', () => {
  it('allows an exact action on *', () => {
    expect(decide([doc({ Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: '*' })], 'ssm:UpdateInstanceInformation')).toBe('allowed');
  });

  it('matches wildcards and case-insensitively', () => {
    expect(decide([doc({ Effect: 'Allow', Action: 'ssm:*', Resource: '*' })], 'ssm:UpdateInstanceInformation')).toBe('allowed');
    expect(decide([doc({ Effect: 'Allow', Action: 'SSM:update*', Resource: '*' })], 'ssm:UpdateInstanceInformation')).toBe('allowed');
    expect(decide([doc({ Effect: 'Allow', Action: 'ssm:?etDocument', Resource: '*' })], 'ssm:GetDocument')).toBe('allowed');
    expect(decide([doc({ Effect: 'Allow', Action: 'ssm:Get*', Resource: '*' })], 'ssm:UpdateInstanceInformation')).toBe('not-allowed');
  });

  it('lets an explicit Deny override an Allow, across documents', () => {
    const allow = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
    const deny = doc({ Effect: 'Deny', Action: 'ssm:UpdateInstance*', Resource: 'arn:aws:ec2:*:*:instance/*' });
    expect(decide([allow, deny], 'ssm:UpdateInstanceInformation')).toBe('denied');
  });

  it('understands NotAction', () => {
    const d = doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(decide([d], 'ssm:UpdateInstanceInformation')).toBe('allowed');
    expect(decide([d], 'iam:PassRole')).toBe('not-allowed');
  });

  it('does not count an Allow scoped to unrelated resources', () => {
    expect(decide([doc({ Effect: 'Allow', Action: 'ssm:*', Resource: 'arn:aws:ssm:*:*:parameter/x' })], 'ssm:UpdateInstanceInformation')).toBe('not-allowed');
  });

  it('reads URL-encoded documents as IAM returns them', () => {
    const text = encodeURIComponent(JSON.stringify(doc({ Effect: 'Allow', Action: ['ssmmessages:*'], Resource: ['*'] })));
    expect(missingActions([text], ['ssmmessages:OpenDataChannel', 'ec2messages:GetMessages'])).toEqual(['ec2messages:GetMessages']);
  });
});
