// Partitions and region codes. ARNs follow the partition of the region: a policy for cn-north-1 must
// say arn:aws-cn:..., and an IAM trust cannot cross partitions. The patterns are the SDK's own
// (its partitions.json), narrowed to lower-case letters so `us-east_1` or `US-EAST-1` are refused.

export interface Partition {
  id: string;
  pattern: RegExp;
  /** A region of the partition where its global services (IAM, STS) can be reached. */
  homeRegion: string;
}

// Most specific first: `us-gov-west-1` must not be taken for the `aws` partition's `us-...`.
export const PARTITIONS: readonly Partition[] = [
  { id: 'aws-us-gov', pattern: /^us-gov-[a-z]+-\d{1,2}$/, homeRegion: 'us-gov-west-1' },
  { id: 'aws-iso', pattern: /^us-iso-[a-z]+-\d{1,2}$/, homeRegion: 'us-iso-east-1' },
  { id: 'aws-iso-b', pattern: /^us-isob-[a-z]+-\d{1,2}$/, homeRegion: 'us-isob-east-1' },
  { id: 'aws-iso-f', pattern: /^us-isof-[a-z]+-\d{1,2}$/, homeRegion: 'us-isof-south-1' },
  { id: 'aws-iso-e', pattern: /^eu-isoe-[a-z]+-\d{1,2}$/, homeRegion: 'eu-isoe-west-1' },
  { id: 'aws-eusc', pattern: /^eusc-de-[a-z]+-\d{1,2}$/, homeRegion: 'eusc-de-east-1' },
  { id: 'aws-cn', pattern: /^cn-[a-z]+-\d{1,2}$/, homeRegion: 'cn-north-1' },
  { id: 'aws', pattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d{1,2}$/, homeRegion: 'us-east-1' },
];

export const REGION_RULE = 'a region code such as us-east-2, eu-west-1, cn-north-1 or us-gov-west-1 (lower case, no wildcards), or "all"';

/**
 * Where DHMC and the S3 policy are documented: the DHMC role ARN pattern of AWS::SSM's CloudFormation
 * schema allows `aws|aws-cn|aws-us-gov` only, and the Systems Manager buckets are listed for those.
 * Elsewhere (aws-iso*, aws-eusc) the tool refuses rather than guess.
 */
export const DOCUMENTED_PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov'];

export function partitionOf(region: string): Partition | undefined {
  return PARTITIONS.find((p) => p.pattern.test(region));
}

export function isRegionCode(region: string): boolean {
  return partitionOf(region) !== undefined;
}

/** The partition id for a region the caller has already validated. */
export function partitionId(region: string): string {
  const p = partitionOf(region);
  if (!p) throw new Error(`not a region code: ${region}`);
  return p.id;
}

// ARN builders live in arn.ts; these two are re-exported for the modules that import them from here.
export { awsManagedPolicyArn, roleArn } from './arn.js';
