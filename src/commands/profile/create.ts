import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { resolveScope } from '../scope.js';
import type { CommandDef } from '../types.js';
import { validateDescription, validateInstanceProfileName, validatePath, validateRoleName } from '../validate.js';
import { planConsentApply } from './apply-plan.js';
import { buildPolicySet, checkPartition, policySetOptions, readPolicySet, roleSpec, readTags, tagOption } from './policy-set.js';

export const PROFILE_DEFAULT_NAME = 'SSMInstanceProfile';

export const profileCreateCommand: CommandDef = {
  path: ['profile', 'create'],
  summary: 'Create the IAM role and instance profile Systems Manager needs on EC2 (AmazonSSMManagedInstanceCore + options)',
  options: [
    { flags: '--name <name>', description: `the instance profile (and role) name (default ${PROFILE_DEFAULT_NAME})`, kind: 'string' },
    { flags: '--role-name <name>', description: 'the role name, when it should differ from the profile name', kind: 'string' },
    { flags: '--path <path>', description: 'IAM path of the role and profile (default /)', kind: 'string' },
    { flags: '--description <text>', description: 'the role description', kind: 'string' },
    tagOption,
    ...policySetOptions,
  ],
  examples: [
    'ssm-perms profile create',
    'ssm-perms profile create --name AppServers --cloudwatch --s3-bucket my-ssm-output --s3-encrypted --tag Team=ops',
    'ssm-perms profile create --region us-east-1,us-east-2 --s3-vpc-endpoint --dry-run',
    "ssm-perms profile create --json | jq -r '.instanceProfileArn'",
  ],
  permissions: [
    'sts:GetCallerIdentity',
    'iam:GetRole, iam:ListAttachedRolePolicies, iam:GetInstanceProfile',
    'iam:CreateRole, iam:TagRole, iam:AttachRolePolicy, iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile, iam:PassRole (when they have something to do)',
    'iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion (with --s3-bucket / --s3-vpc-endpoint)',
  ],
  async run(opts, ctx) {
    const name = opts.name === undefined ? PROFILE_DEFAULT_NAME : validateInstanceProfileName(String(opts.name));
    const roleName = opts.roleName === undefined ? validateRoleName(name, '--name (used as the role name)') : validateRoleName(String(opts.roleName));
    const path = opts.path === undefined ? '/' : validatePath(String(opts.path), '--path');
    const description = opts.description === undefined ? 'Lets Systems Manager manage EC2 instances (created by ssm-perms)' : validateDescription(String(opts.description));
    const tags = readTags(opts);
    const input = readPolicySet(opts);
    const scope = await resolveScope(ctx, (r) => checkPartition(input, r.partition));
    const set = buildPolicySet(input, scope, roleName);
    return planConsentApply(
      ctx,
      {
        iamRegion: scope.home,
        role: roleSpec(scope, input, set, {
          roleName,
          path,
          trustService: EC2_SERVICE_PRINCIPAL,
          trustPolicy: serviceTrustPolicy(EC2_SERVICE_PRINCIPAL),
          existingTrust: 'refuse',
          mustExist: false,
          description,
          tags,
        }),
        instanceProfile: { name, path, tags },
      },
      () => [
        `Next: ssm-perms profile attach --name ${name} --instance-id i-... (or --tag KEY=VALUE), or choose ${name} when launching instances.`,
      ],
    );
  },
};
