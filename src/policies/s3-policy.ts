// The custom S3 policy of AWS's "Configure instance permissions required for Systems Manager" guide
// ("(Optional) Create a custom policy for S3 bucket access").
// Statement 1 (VPC endpoints): s3:GetObject on the AWS-managed Systems Manager buckets, repeated per
// region - never a region wildcard, which "could provide access to S3 buckets that you don't intend".
// Statement 2 (your buckets): GetObject and PutObject on each bucket's objects, plus PutObjectAcl for
// cross-account buckets and GetEncryptionConfiguration with the bucket root for encrypted ones.
// AWS's per-region exceptions (patch-buckets.ts) replace the guide's uniform pattern where AWS lists
// another name, and the newer Patch Manager buckets are added after the guide's list.
import type { PolicyDocument, PolicyStatement } from './trust.js';
import { s3BucketArn } from './arn.js';
import { NO_BIRDWATCHER_REGIONS, PATCH_BASELINE_SNAPSHOT_SUFFIX, PATCH_MANAGER_SUFFIX } from './patch-buckets.js';

/** The AWS-managed buckets of statement 1, in the guide's order; `R` stands for the region. */
export const SSM_MANAGED_BUCKETS: readonly string[] = [
  'aws-ssm-R',
  'aws-windows-downloads-R',
  'amazon-ssm-R',
  'amazon-ssm-packages-R',
  'R-birdwatcher-prod',
  'aws-ssm-distributor-file-R',
  'aws-ssm-document-attachments-R',
  'patch-baseline-snapshot-R',
];

/** How errors name this policy (the partition gate). */
export const S3_POLICY_FEATURE = "the S3 policy for Systems Manager's buckets";

/** IAM's limit for a customer managed policy, white space not counted. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

export interface S3PolicyInput {
  partition: string;
  /** Regions whose AWS-managed buckets the instances reach through a VPC endpoint (statement 1). */
  vpcEndpointRegions: readonly string[];
  /** Your own buckets (statement 2). */
  buckets: readonly string[];
  crossAccount: boolean;
  encrypted: boolean;
  /** Add `aws-patch-manager-R-<suffix>`, where Patch Manager's command documents live now (default on). */
  patchManager?: boolean;
  /** Add `aws-patchmanager-macos-R-<suffix>` for macOS patching. */
  macos?: boolean;
}

/** The AWS-managed buckets of one region, with AWS's documented exceptions to the guide's pattern. */
export function managedBuckets(region: string, options: { patchManager?: boolean; macos?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const pattern of SSM_MANAGED_BUCKETS) {
    if (pattern === 'R-birdwatcher-prod' && NO_BIRDWATCHER_REGIONS.includes(region)) continue;
    if (pattern === 'patch-baseline-snapshot-R' && PATCH_BASELINE_SNAPSHOT_SUFFIX[region]) {
      out.push(`patch-baseline-snapshot-${region}-${PATCH_BASELINE_SNAPSHOT_SUFFIX[region]}`);
      continue;
    }
    out.push(pattern.replace('R', region));
  }
  const suffix = PATCH_MANAGER_SUFFIX[region];
  if (options.patchManager !== false && suffix) out.push(`aws-patch-manager-${region}-${suffix}`);
  if (options.macos && suffix) out.push(`aws-patchmanager-macos-${region}-${suffix}`);
  return out;
}

/** Regions for which AWS lists no Patch Manager bucket, so none could be added. */
export function regionsWithoutPatchBuckets(regions: readonly string[]): string[] {
  return regions.filter((r) => !PATCH_MANAGER_SUFFIX[r]);
}

export function s3Policy(input: S3PolicyInput): PolicyDocument {
  const s3 = (name: string) => s3BucketArn(input.partition, name);
  const statements: PolicyStatement[] = input.vpcEndpointRegions.map((region) => ({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: managedBuckets(region, input).map((b) => `${s3(b)}/*`),
  }));
  if (input.buckets.length > 0) {
    const actions = ['s3:GetObject', 's3:PutObject'];
    if (input.crossAccount) actions.push('s3:PutObjectAcl');
    if (input.encrypted) actions.push('s3:GetEncryptionConfiguration');
    statements.push({
      Effect: 'Allow',
      Action: actions,
      Resource: input.buckets.flatMap((b) => (input.encrypted ? [`${s3(b)}/*`, s3(b)] : [`${s3(b)}/*`])),
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

/** The size IAM counts for a managed policy: the document without white space outside strings. */
export function policySize(doc: unknown): number {
  return JSON.stringify(doc).length;
}
