import { asksAllRegions } from '../shared/scope-options.js';
import { UsageError } from '../../services/errors.js';
import { defineCommand, stringList, type RawOptions } from '../define.js';
import { validateBucketName, validatePolicyName, validateRoleName } from '../shared/validate.js';

export interface S3PolicyInput {
  buckets: string[];
  vpcEndpoint: boolean;
  crossAccount: boolean;
  encrypted: boolean;
  patchManager: boolean;
  macos: boolean;
  /** --create NAME: store the policy under this name. */
  create: string | undefined;
  attachTo: string | undefined;
}

function parse(options: RawOptions): S3PolicyInput {
  const buckets = [
    ...new Set(
      stringList(options.bucket)
        .flatMap((b) => b.split(','))
        .map((b) => validateBucketName(b)),
    ),
  ];
  const vpcEndpoint = options.vpcEndpoint === true;
  if (!vpcEndpoint && buckets.length === 0) {
    throw new UsageError(
      'MissingOption',
      's3-policy generate needs --vpc-endpoint (with --region) and/or --bucket NAME',
      'Statement 1 (--vpc-endpoint) is for instances that reach S3 through a VPC endpoint; statement 2 (--bucket) for buckets of yours that Systems Manager writes to.',
    );
  }
  const crossAccount = options.crossAccount === true;
  const encrypted = options.encrypted === true;
  if (buckets.length === 0 && (crossAccount || encrypted)) {
    throw new UsageError('ConflictingOptions', '--cross-account and --encrypted describe your buckets: add --bucket NAME', null);
  }
  const patchManager = options.patchManager !== false;
  const macos = options.macos === true;
  if (!vpcEndpoint && (macos || !patchManager)) {
    throw new UsageError('ConflictingOptions', '--macos and --no-patch-manager choose AWS-managed buckets: add --vpc-endpoint', null);
  }
  const create = options.create === undefined ? undefined : validatePolicyName(String(options.create), '--create');
  const attachTo = options.attachTo === undefined ? undefined : validateRoleName(String(options.attachTo), '--attach-to');
  if (attachTo && !create) throw new UsageError('MissingOption', '--attach-to needs --create NAME (the policy must be stored before it can be attached)', null);
  return { buckets, vpcEndpoint, crossAccount, encrypted, patchManager, macos, create, attachTo };
}

export const s3PolicyGenerateCommand = defineCommand<S3PolicyInput>({
  path: ['s3-policy', 'generate'],
  summary: "Print the custom S3 policy of the guide (SSM's own buckets per region for VPC endpoints, and your buckets); offline unless --create",
  options: [
    {
      flags: '--vpc-endpoint',
      description: 'allow the AWS-managed Systems Manager buckets of each --region (statement 1; needed behind VPC endpoints)',
      kind: 'boolean',
    },
    {
      flags: '--no-patch-manager',
      description: "with --vpc-endpoint: leave out Patch Manager's aws-patch-manager-REGION-SUFFIX bucket (the guide's list exactly)",
      kind: 'negatable',
    },
    { flags: '--macos', description: "with --vpc-endpoint: add Patch Manager's macOS bucket aws-patchmanager-macos-REGION-SUFFIX", kind: 'boolean' },
    { flags: '--bucket <name>', description: 'allow GetObject/PutObject on this bucket of yours (statement 2; repeatable)', kind: 'repeatable' },
    { flags: '--cross-account', description: 'your buckets are in other accounts (adds s3:PutObjectAcl)', kind: 'boolean' },
    { flags: '--encrypted', description: 'your buckets are encrypted (adds s3:GetEncryptionConfiguration and the bucket ARN)', kind: 'boolean' },
    { flags: '--create <name>', description: 'also store it as a customer managed policy of this name (idempotent)', kind: 'string' },
    { flags: '--attach-to <role>', description: 'with --create: attach the policy to this role', kind: 'string' },
  ],
  examples: [
    'ssm-perms s3-policy generate --region us-east-2 --vpc-endpoint --bucket amzn-s3-demo-bucket --cross-account --encrypted > s3-policy.json',
    'ssm-perms s3-policy generate --region us-east-1,eu-west-1 --vpc-endpoint',
    "ssm-perms s3-policy generate --bucket my-ssm-output | jq -r '.Statement[].Resource[]'",
    'ssm-perms s3-policy generate --bucket my-ssm-output --create SSMInstanceProfileS3Policy --attach-to SSMInstanceProfile',
  ],
  permissions: [
    'none (offline) without --create',
    'with --create: sts:GetCallerIdentity, iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion',
    'with --attach-to: iam:GetRole, iam:ListAttachedRolePolicies, iam:AttachRolePolicy',
  ],
  parse,
  load: () => import('./generate.run.js'),
  // Without --create the policy is the same in every account: no account need be entered (unless
  // --region all, whose regions are those each account has enabled).
  offline: (options) => options.create === undefined && !asksAllRegions(options),
});
