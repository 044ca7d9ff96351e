// The policy set of the guide's instance-profile procedures, shared by profile create / update and
// hybrid-role create: AmazonSSMManagedInstanceCore always, CloudWatch and Directory Service on
// request, the custom S3 policy (generated, or an existing one), and any extra policy ARNs.
import { s3Policy, policySize, MANAGED_POLICY_MAX_CHARS, S3_POLICY_FEATURE } from '../../policies/s3-policy.js';
import { awsManagedPolicyArn } from '../../policies/partition.js';
import { CLOUDWATCH_AGENT_POLICY, DIRECTORY_SERVICE_POLICY, INSTANCE_CORE_POLICY } from '../../policies/managed-policies.js';
import type { PolicyDocument } from '../../policies/trust.js';
import type { RoleSetupSpec } from '../../services/iam/role-setup.js';
import { UsageError } from '../../services/errors.js';
import type { OptionDef, ResolvedRegions } from '../types.js';
import { stringList, type RawOptions } from '../define.js';
import {
  validateDescription,
  validatePath,
  requireDocumentedPartition,
  validateBucketName,
  validatePolicyArn,
  validatePolicyName,
  validateTag,
  validateWholeNumber,
  type Tag,
} from './validate.js';

export const policySetOptions: OptionDef[] = [
  { flags: '--cloudwatch', description: 'attach CloudWatchAgentServerPolicy (CloudWatch agent, EventBridge, CloudWatch Logs)', kind: 'boolean' },
  { flags: '--directory-service', description: 'attach AmazonSSMDirectoryServiceAccess (join Windows instances to AWS Managed Microsoft AD)', kind: 'boolean' },
  { flags: '--s3-bucket <name>', description: 'create the custom S3 policy for this bucket of yours (repeatable)', kind: 'repeatable' },
  { flags: '--s3-vpc-endpoint', description: 'the custom S3 policy also allows the AWS-managed SSM buckets of each --region (VPC endpoints)', kind: 'boolean' },
  { flags: '--s3-cross-account', description: 'the buckets are in other accounts (adds s3:PutObjectAcl)', kind: 'boolean' },
  { flags: '--s3-encrypted', description: 'the buckets are encrypted (adds s3:GetEncryptionConfiguration and the bucket ARN)', kind: 'boolean' },
  { flags: '--s3-policy-name <name>', description: 'name of the custom S3 policy (default <role>-S3Policy)', kind: 'string' },
  { flags: '--s3-policy-arn <arn>', description: 'attach this existing S3 policy instead of creating one', kind: 'string' },
  { flags: '--policy-arn <arn>', description: 'also attach this managed policy (repeat the option for each; commas do not separate ARNs)', kind: 'repeatable' },
  { flags: '--role-policy-quota <n>', description: 'managed policies per role allowed in this account (IAM quota L-0DA4ABF3; default 10)', kind: 'string' },
];

export interface PolicySetInput {
  buckets: string[];
  s3VpcEndpoint: boolean;
  crossAccount: boolean;
  encrypted: boolean;
  s3PolicyName: string | undefined;
  s3PolicyArn: string | undefined;
  extraArns: string[];
  cloudwatch: boolean;
  directoryService: boolean;
  quota: number;
}

// Empty items stay in, so `--s3-bucket=` or `a,,b` is refused by validation instead of silently dropped.
const list = (v: unknown) => stringList(v).flatMap((x) => x.split(','));

/** Reads and validates the options (no AWS call); the partition is checked later by checkPartition. */
export function readPolicySet(opts: RawOptions): PolicySetInput {
  const quota = validateWholeNumber(opts.rolePolicyQuota === undefined ? '10' : String(opts.rolePolicyQuota), '--role-policy-quota', 1, 100);
  const input: PolicySetInput = {
    buckets: [...new Set(list(opts.s3Bucket).map((b) => validateBucketName(b, '--s3-bucket')))],
    s3VpcEndpoint: opts.s3VpcEndpoint === true,
    crossAccount: opts.s3CrossAccount === true,
    encrypted: opts.s3Encrypted === true,
    s3PolicyName: opts.s3PolicyName === undefined ? undefined : validatePolicyName(String(opts.s3PolicyName), '--s3-policy-name'),
    s3PolicyArn: opts.s3PolicyArn === undefined ? undefined : validatePolicyArn(String(opts.s3PolicyArn), null, '--s3-policy-arn'),
    // Repeated, never comma-split: IAM policy names may contain commas.
    extraArns: stringList(opts.policyArn).map((a) => validatePolicyArn(a, null)),
    cloudwatch: opts.cloudwatch === true,
    directoryService: opts.directoryService === true,
    quota,
  };
  const generates = input.buckets.length > 0 || input.s3VpcEndpoint;
  if (generates && input.s3PolicyArn) {
    throw new UsageError(
      'ConflictingOptions',
      '--s3-policy-arn attaches an existing S3 policy; it cannot be combined with --s3-bucket / --s3-vpc-endpoint, which generate one',
      null,
    );
  }
  if (!generates && (input.crossAccount || input.encrypted || input.s3PolicyName)) {
    throw new UsageError(
      'ConflictingOptions',
      '--s3-cross-account, --s3-encrypted and --s3-policy-name describe the generated S3 policy: add --s3-bucket NAME and/or --s3-vpc-endpoint',
      null,
    );
  }
  return input;
}

export function checkPartition(input: PolicySetInput, regions: ResolvedRegions): void {
  for (const a of input.extraArns) validatePolicyArn(a, regions.partition);
  if (input.s3PolicyArn) validatePolicyArn(input.s3PolicyArn, regions.partition, '--s3-policy-arn');
  if (input.s3VpcEndpoint) requireDocumentedPartition(regions.home, S3_POLICY_FEATURE);
}

export interface PolicySet {
  policyArns: string[];
  customerPolicy: { name: string; document: PolicyDocument; description: string } | undefined;
}

export function buildPolicySet(input: PolicySetInput, regions: ResolvedRegions, roleName: string): PolicySet {
  const p = regions.partition;
  const arns = [awsManagedPolicyArn(p, INSTANCE_CORE_POLICY)];
  if (input.cloudwatch) arns.push(awsManagedPolicyArn(p, CLOUDWATCH_AGENT_POLICY));
  if (input.directoryService) arns.push(awsManagedPolicyArn(p, DIRECTORY_SERVICE_POLICY));
  if (input.s3PolicyArn) arns.push(input.s3PolicyArn);
  arns.push(...input.extraArns);
  let customerPolicy: PolicySet['customerPolicy'];
  if (input.buckets.length > 0 || input.s3VpcEndpoint) {
    const document = s3Policy({
      partition: p,
      vpcEndpointRegions: input.s3VpcEndpoint ? regions.regions : [],
      buckets: input.buckets,
      crossAccount: input.crossAccount,
      encrypted: input.encrypted,
      patchManager: true,
    });
    checkPolicySize(document);
    const name = input.s3PolicyName ?? `${roleName}-S3Policy`;
    validatePolicyName(name, '--s3-policy-name');
    customerPolicy = { name, document, description: 'S3 access for Systems Manager (generated by ssm-perms)' };
  }
  return { policyArns: [...new Set(arns)], customerPolicy };
}

export function checkPolicySize(document: PolicyDocument): void {
  const size = policySize(document);
  if (size > MANAGED_POLICY_MAX_CHARS) {
    throw new UsageError(
      'PolicyTooLarge',
      `the S3 policy would be ${size} characters, over IAM's limit of ${MANAGED_POLICY_MAX_CHARS} for a managed policy (white space not counted)`,
      'Split it: generate one policy per group of regions or buckets (e.g. --region us-east-1,us-east-2 and --region eu-west-1 separately) and attach each.',
    );
  }
}

export const tagOption: OptionDef = { flags: '--tag <key=value>', description: 'tag the role and instance profile (repeatable)', kind: 'repeatable' };

export function readTags(opts: RawOptions): Tag[] {
  const tags = stringList(opts.tag).map((t) => validateTag(t));
  const keys = new Set<string>();
  for (const t of tags) {
    if (keys.has(t.Key)) throw new UsageError('InvalidTag', `--tag ${JSON.stringify(t.Key)} is given twice`, null);
    keys.add(t.Key);
  }
  if (tags.length > 50) throw new UsageError('InvalidTag', `${tags.length} tags given; IAM allows 50 per role`, null);
  return tags;
}

/** The parts of a role spec that come from the scope and the policy-set options. */
export function roleSpec(
  scope: { partition: string; account: string },
  input: PolicySetInput,
  set: PolicySet,
  role: Omit<RoleSetupSpec, 'partition' | 'account' | 'policyArns' | 'customerPolicy' | 'policyQuota'>,
): RoleSetupSpec {
  return {
    partition: scope.partition,
    account: scope.account,
    ...role,
    policyArns: set.policyArns,
    customerPolicy: set.customerPolicy,
    policyQuota: input.quota,
  };
}

export interface RoleCommandInput {
  path: string;
  description: string;
  tags: Tag[];
  policies: PolicySetInput;
}

/** --path, --description, --tag and the policy-set options of the role-building commands, validated. */
export function readRoleCommandInput(opts: RawOptions, defaultDescription: string): RoleCommandInput {
  return {
    path: opts.path === undefined ? '/' : validatePath(String(opts.path), '--path'),
    description: opts.description === undefined ? defaultDescription : validateDescription(String(opts.description)),
    tags: readTags(opts),
    policies: readPolicySet(opts),
  };
}
