// The policy-set options of profile create / update and hybrid-role create: how they are read, checked
// against the partition, turned into the ARNs and S3 document to attach, and the IAM limits on them.
import { describe, expect, it } from 'vitest';
import { buildPolicySet, checkPartition, checkPolicySize, readPolicySet, readTags } from '../../../src/commands/shared/policy-set.js';
import type { PolicyDocument } from '../../../src/policies/trust.js';
import { UsageError } from '../../../src/services/errors.js';

const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const MY_S3 = 'arn:aws:iam::111122223333:policy/MyS3Policy';
const AWS_US_EAST_2 = { regions: ['us-east-2'], partition: 'aws', home: 'us-east-2' };

/** The UsageError `f` throws, as the operator sees it (code, message, hint). */
function refusal(f: () => unknown): { code: string; message: string; hint: string | null } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as UsageError).info;
  }
  throw new Error('expected a UsageError');
}

describe('readPolicySet', () => {
  it('--s3-cross-account with a bucket: the generated document lets the instance set the object ACL', () => {
    const input = readPolicySet({ s3Bucket: ['my-ssm-output'], s3CrossAccount: true });
    expect(input.crossAccount).toBe(true);
    const set = buildPolicySet(input, AWS_US_EAST_2, 'AppRole');
    expect(set.customerPolicy!.document.Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:PutObjectAcl'], Resource: ['arn:aws:s3:::my-ssm-output/*'] },
    ]);
    expect(readPolicySet({ s3Bucket: ['my-ssm-output'] }).crossAccount).toBe(false);
  });

  it('an invalid --s3-policy-arn is named as such', () => {
    expect(refusal(() => readPolicySet({ s3PolicyArn: 'MyS3Policy' }))).toEqual({
      code: 'InvalidPolicyArn',
      message:
        'invalid --s3-policy-arn "MyS3Policy": must be an IAM policy ARN such as arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy or arn:aws:iam::123456789012:policy/MyPolicy',
      hint: null,
    });
  });

  it('options that contradict each other are ConflictingOptions', () => {
    expect(refusal(() => readPolicySet({ s3Bucket: ['my-ssm-output'], s3PolicyArn: MY_S3 }))).toEqual({
      code: 'ConflictingOptions',
      message: '--s3-policy-arn attaches an existing S3 policy; it cannot be combined with --s3-bucket / --s3-vpc-endpoint, which generate one',
      hint: null,
    });
    expect(refusal(() => readPolicySet({ s3Encrypted: true }))).toEqual({
      code: 'ConflictingOptions',
      message: '--s3-cross-account, --s3-encrypted and --s3-policy-name describe the generated S3 policy: add --s3-bucket NAME and/or --s3-vpc-endpoint',
      hint: null,
    });
  });
});

describe('checkPartition', () => {
  it('refuses an --s3-policy-arn of another partition than the regions, naming the option', () => {
    const input = readPolicySet({ s3PolicyArn: MY_S3 });
    expect(refusal(() => checkPartition(input, { regions: ['cn-north-1'], partition: 'aws-cn', home: 'cn-north-1' }))).toEqual({
      code: 'InvalidPolicyArn',
      message: `invalid --s3-policy-arn "${MY_S3}": must be in the partition of the regions (aws-cn), not aws`,
      hint: null,
    });
    expect(() => checkPartition(input, AWS_US_EAST_2)).not.toThrow();
  });

  it("checks the partition's documented S3 buckets only for --s3-vpc-endpoint", () => {
    const iso = { regions: ['us-iso-east-1'], partition: 'aws-iso', home: 'us-iso-east-1' };
    expect(() => checkPartition(readPolicySet({ s3Bucket: ['my-ssm-output'] }), iso)).not.toThrow();
    expect(refusal(() => checkPartition(readPolicySet({ s3VpcEndpoint: true }), iso)).code).toBe('UnsupportedPartition');
  });
});

describe('buildPolicySet', () => {
  it('attaches an existing --s3-policy-arn after the core policy, and generates nothing', () => {
    const set = buildPolicySet(readPolicySet({ s3PolicyArn: MY_S3 }), AWS_US_EAST_2, 'AppRole');
    expect(set).toEqual({ policyArns: [CORE, MY_S3], customerPolicy: undefined });
  });

  it("--s3-vpc-endpoint: the generated policy includes each region's Patch Manager bucket", () => {
    // aws-patch-manager-us-east-2-552881074: "Reference: Amazon S3 buckets for patching operations"
    // (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html).
    const set = buildPolicySet(readPolicySet({ s3VpcEndpoint: true }), AWS_US_EAST_2, 'AppRole');
    expect(set.customerPolicy!.name).toBe('AppRole-S3Policy');
    const resources = (set.customerPolicy!.document.Statement[0] as { Resource: string[] }).Resource;
    expect(resources).toContain('arn:aws:s3:::aws-patch-manager-us-east-2-552881074/*');
  });
});

describe('checkPolicySize', () => {
  // A managed policy holds at most 6,144 characters, white space not counted (IAM and AWS STS quotas,
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
  // {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::"}]} is 108 characters.
  const doc = (padding: number): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(padding)}` }],
  });

  it('accepts 6144 characters exactly, and refuses 6145 with how to split it', () => {
    expect(() => checkPolicySize(doc(6036))).not.toThrow();
    expect(refusal(() => checkPolicySize(doc(6037)))).toEqual({
      code: 'PolicyTooLarge',
      message: "the S3 policy would be 6145 characters, over IAM's limit of 6144 for a managed policy (white space not counted)",
      hint: 'Split it: generate one policy per group of regions or buckets (e.g. --region us-east-1,us-east-2 and --region eu-west-1 separately) and attach each.',
    });
  });
});

describe('readTags', () => {
  // IAM allows 50 tags per role (IAM and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
  const tags = (n: number) => Array.from({ length: n }, (_, i) => `k${i + 1}=v`);

  it('accepts 50 tags, refuses 51', () => {
    expect(readTags({ tag: tags(50) })).toHaveLength(50);
    expect(refusal(() => readTags({ tag: tags(51) }))).toEqual({ code: 'InvalidTag', message: '51 tags given; IAM allows 50 per role', hint: null });
  });

  it('refuses a key given twice, naming it', () => {
    expect(refusal(() => readTags({ tag: ['Env=prod', 'Env=dev'] }))).toEqual({ code: 'InvalidTag', message: '--tag "Env" is given twice', hint: null });
  });
});
