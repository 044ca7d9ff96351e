import { lazyRun, type CommandDef } from '../types.js';

export const s3PolicyGenerateCommand: CommandDef = {
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
  run: lazyRun(() => import('./generate.run.js')),
};
