import { UsageError } from '../../services/errors.js';
import { defineCommand } from '../define.js';
import { policySetOptions, readPolicySet, type PolicySetInput } from '../shared/policy-set.js';
import { validateRoleName } from '../shared/validate.js';

export interface ProfileUpdateInput {
  roleName: string;
  policies: PolicySetInput;
}

export const profileUpdateCommand = defineCommand<ProfileUpdateInput>({
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
  parse: (options) => {
    if (options.roleName === undefined) {
      throw new UsageError(
        'MissingOption',
        'profile update needs --role-name ROLE (the existing role to complete)',
        'To create a new role and instance profile, use: ssm-perms profile create',
      );
    }
    return { roleName: validateRoleName(String(options.roleName)), policies: readPolicySet(options) };
  },
  load: () => import('./update.run.js'),
});
