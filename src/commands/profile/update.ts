import { lazyRun, type CommandDef } from '../types.js';
import { policySetOptions } from '../shared/policy-set.js';

export const profileUpdateCommand: CommandDef = {
  path: ['profile', 'update'],
  summary: 'Add the Systems Manager permissions to an existing role, and make sure it is in an instance profile',
  options: [{ flags: '--role-name <name>', description: 'the existing role (required)', kind: 'string' }, ...policySetOptions],
  examples: ['ssm-perms profile update --role-name AppServerRole', 'ssm-perms profile update --role-name AppServerRole --cloudwatch --dry-run --json'],
  permissions: [
    'sts:GetCallerIdentity',
    'iam:GetRole, iam:ListAttachedRolePolicies, iam:ListInstanceProfilesForRole, iam:GetPolicy (each policy to attach is checked to exist before any change)',
    'iam:AttachRolePolicy, iam:CreateInstanceProfile, iam:GetInstanceProfile, iam:AddRoleToInstanceProfile, iam:PassRole (when they have something to do)',
    'iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion (with --s3-bucket / --s3-vpc-endpoint)',
  ],
  run: lazyRun(() => import('./update.run.js')),
};
