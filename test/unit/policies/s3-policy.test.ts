import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  managedBuckets,
  MANAGED_POLICY_MAX_CHARS,
  policySize,
  regionsWithoutPatchBuckets,
  s3Policy,
  SSM_MANAGED_BUCKETS,
} from '../../../src/policies/s3-policy.js';
import { hybridTrustPolicy } from '../../../src/policies/hybrid-trust.js';
import { partitionOf } from '../../../src/policies/partition.js';
import { validateBucketName } from '../../../src/commands/shared/validate.js';
import { fill, SEED_S3_POLICY } from '../../fixtures/seed-vectors.js';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1', 'af-south-1', 'me-south-1', 'ca-central-1'];
const CN = ['cn-north-1', 'cn-northwest-1'];
const GOV = ['us-gov-west-1', 'us-gov-east-1'];
const regionSet = fc.constantFrom(REGIONS, CN, GOV).chain((pool) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: pool.length }));
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/).filter((b) => {
  try {
    validateBucketName(b);
    return true;
  } catch {
    return false;
  }
});

describe('s3Policy', () => {
  it("equals the guide example for us-east-2, its demo bucket, cross-account and encrypted (without Patch Manager's newer bucket)", () => {
    const doc = s3Policy({
      partition: 'aws',
      vpcEndpointRegions: ['us-east-2'],
      buckets: ['amzn-s3-demo-bucket'],
      crossAccount: true,
      encrypted: true,
      patchManager: false,
    });
    expect(doc).toEqual(fill(SEED_S3_POLICY, { region: 'us-east-2' }));
    // Same order of actions and resources, as the guide prints them.
    expect(JSON.stringify(doc)).toBe(JSON.stringify(fill(SEED_S3_POLICY, { region: 'us-east-2' })));
  });

  it("adds Patch Manager's documented bucket after the guide's list, and the macOS one only when asked", () => {
    const guide = (fill(SEED_S3_POLICY, { region: 'us-east-2' }) as { Statement: { Resource: string[] }[] }).Statement[0]!.Resource;
    const doc = s3Policy({ partition: 'aws', vpcEndpointRegions: ['us-east-2'], buckets: [], crossAccount: false, encrypted: false });
    expect(doc.Statement[0]!.Resource).toEqual([...guide, 'arn:aws:s3:::aws-patch-manager-us-east-2-552881074/*']);
    const mac = s3Policy({ partition: 'aws', vpcEndpointRegions: ['us-east-1'], buckets: [], crossAccount: false, encrypted: false, macos: true });
    expect(mac.Statement[0]!.Resource).toEqual(
      expect.arrayContaining(['arn:aws:s3:::aws-patch-manager-us-east-1-1970c647d/*', 'arn:aws:s3:::aws-patchmanager-macos-us-east-1-1970c647d/*']),
    );
  });

  it("follows AWS's per-region bucket names: me-south-1's suffixes, no birdwatcher in af-south-1 and eu-south-1", () => {
    const of = (region: string) => managedBuckets(region);
    // "Reference: Amazon S3 buckets for patching operations" and the guide's per-bucket notes.
    expect(of('me-south-1')).toEqual(expect.arrayContaining(['patch-baseline-snapshot-me-south-1-uduvl7q8', 'aws-patch-manager-me-south-1-a53fc9dce']));
    expect(of('me-south-1')).not.toContain('patch-baseline-snapshot-me-south-1');
    expect(of('ap-southeast-3')).toContain('patch-baseline-snapshot-ap-southeast-3-be0a3174');
    for (const region of ['af-south-1', 'eu-south-1']) {
      expect(of(region)).not.toContain(`${region}-birdwatcher-prod`);
      expect(of(region)).toContain(`aws-ssm-distributor-file-${region}`);
    }
    expect(of('eu-west-1')).toContain('eu-west-1-birdwatcher-prod');
    expect(of('us-east-1')).toContain('patch-baseline-snapshot-us-east-1');
    // Regions AWS lists no Patch Manager bucket for get none, and are named for a warning.
    expect(of('cn-north-1').some((b) => b.startsWith('aws-patch-manager-'))).toBe(false);
    expect(regionsWithoutPatchBuckets(['us-east-1', 'cn-north-1', 'us-gov-west-1'])).toEqual(['cn-north-1', 'us-gov-west-1']);
  });

  it('adds only what each option asks for', () => {
    const plain = s3Policy({ partition: 'aws', vpcEndpointRegions: [], buckets: ['b1', 'b2'], crossAccount: false, encrypted: false });
    expect(plain.Statement).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::b1/*', 'arn:aws:s3:::b2/*'] }]);
    const enc = s3Policy({ partition: 'aws', vpcEndpointRegions: [], buckets: ['b1'], crossAccount: false, encrypted: true });
    expect(enc.Statement[0]).toEqual({
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:GetEncryptionConfiguration'],
      Resource: ['arn:aws:s3:::b1/*', 'arn:aws:s3:::b1'],
    });
  });

  it('repeats statement 1 per region, never with a region wildcard', () => {
    const doc = s3Policy({ partition: 'aws', vpcEndpointRegions: ['us-east-1', 'eu-west-1'], buckets: [], crossAccount: false, encrypted: false });
    expect(doc.Statement).toHaveLength(2);
    expect(doc.Statement[1]!.Resource).toContain('arn:aws:s3:::eu-west-1-birdwatcher-prod/*');
  });

  it('property: every resource is a well-formed S3 ARN of the region partition, with no wildcard but the trailing /*', () => {
    fc.assert(
      fc.property(regionSet, fc.uniqueArray(bucket, { maxLength: 4 }), fc.boolean(), fc.boolean(), (regions, buckets, crossAccount, encrypted) => {
        const partition = partitionOf(regions[0]!)!.id;
        const doc = s3Policy({ partition, vpcEndpointRegions: regions, buckets, crossAccount, encrypted });
        const resources = doc.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource!]));
        for (const r of resources) {
          expect(r).toMatch(new RegExp(`^arn:${partition}:s3:::[a-z0-9][a-z0-9.-]*[a-z0-9](/\\*)?$`));
          expect(r.replace(/\/\*$/, '')).not.toMatch(/[*?]/);
        }
        expect(doc.Statement.length).toBe(regions.length + (buckets.length ? 1 : 0));
        regions.forEach((region, i) => {
          const stmt = doc.Statement[i]!.Resource as string[];
          // The guide's buckets (one fewer where AWS has no birdwatcher bucket) and Patch Manager's where documented.
          expect(stmt.length).toBeGreaterThanOrEqual(SSM_MANAGED_BUCKETS.length - 1);
          expect(stmt.length).toBeLessThanOrEqual(SSM_MANAGED_BUCKETS.length + 1);
          for (const r of stmt) expect(r).toContain(region);
        });
      }),
    );
  });

  it('measures size as IAM does (no white space) against the 6,144-character limit', () => {
    const many = s3Policy({
      partition: 'aws',
      vpcEndpointRegions: REGIONS.concat([
        'us-west-1',
        'eu-west-2',
        'eu-west-3',
        'eu-north-1',
        'ap-south-1',
        'ap-northeast-1',
        'ap-northeast-2',
        'ap-southeast-1',
      ]),
      buckets: [],
      crossAccount: false,
      encrypted: false,
    });
    expect(policySize(many)).toBeGreaterThan(MANAGED_POLICY_MAX_CHARS);
    expect(policySize({ a: 'x y' })).toBe(JSON.stringify({ a: 'x y' }).length);
  });
});

describe('hybridTrustPolicy', () => {
  it('trusts SSM for the account, with one source ARN per region', () => {
    const one = hybridTrustPolicy('aws', '123456789012', ['us-east-2']);
    expect(one.Statement[0]!.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnEquals: { 'aws:SourceArn': 'arn:aws:ssm:us-east-2:123456789012:*' },
    });
    const two = hybridTrustPolicy('aws-us-gov', '123456789012', ['us-gov-west-1', 'us-gov-east-1']);
    expect(two.Statement[0]!.Condition!.ArnEquals!['aws:SourceArn']).toEqual([
      'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:*',
      'arn:aws-us-gov:ssm:us-gov-east-1:123456789012:*',
    ]);
  });
});
