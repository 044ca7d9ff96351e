import { defineCommand } from '../define.js';
import { policySetOptions, readRoleCommandInput, tagOption, type RoleCommandInput } from '../shared/policy-set.js';
import { validateInstanceProfileName, validateRoleName } from '../shared/validate.js';
import { DEFAULT_PROFILE_NAME } from '../../policies/defaults.js';

export interface ProfileCreateInput extends RoleCommandInput {
  /** The instance profile; the role too unless roleName says otherwise. */
  name: string;
  roleName: string;
}

export const profileCreateCommand = defineCommand<ProfileCreateInput>({
  path: ['profile', 'create'],
  summary: 'Create the IAM role and instance profile Systems Manager needs on EC2 (AmazonSSMManagedInstanceCore + options)',
  options: [
    { flags: '--name <name>', description: `the instance profile (and role) name (default ${DEFAULT_PROFILE_NAME})`, kind: 'string' },
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
    'iam:GetRole, iam:ListAttachedRolePolicies, iam:GetInstanceProfile, iam:GetPolicy (each policy to attach is checked to exist before any change)',
    'iam:CreateRole, iam:TagRole, iam:AttachRolePolicy, iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile, iam:PassRole (when they have something to do)',
    'iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion (with --s3-bucket / --s3-vpc-endpoint)',
  ],
  parse: (options) => {
    const name = options.name === undefined ? DEFAULT_PROFILE_NAME : validateInstanceProfileName(String(options.name));
    const roleName = options.roleName === undefined ? validateRoleName(name, '--name (used as the role name)') : validateRoleName(String(options.roleName));
    return { name, roleName, ...readRoleCommandInput(options, 'Lets Systems Manager manage EC2 instances (created by ssm-perms)') };
  },
  load: () => import('./create.run.js'),
});
