import { UsageError } from '../../services/errors.js';
import { defineCommand } from '../define.js';
import { policySetOptions, readRoleCommandInput, tagOption, type RoleCommandInput } from '../shared/policy-set.js';
import { validateRoleName } from '../shared/validate.js';
import { DEFAULT_HYBRID_ROLE_NAME } from '../../policies/defaults.js';

export interface HybridRoleInput extends RoleCommandInput {
  roleName: string;
  /** The role as CreateActivation's IamRole names it: path (without the leading slash) and name. */
  activationRole: string;
}

export const hybridRoleCreateCommand = defineCommand<HybridRoleInput>({
  path: ['hybrid-role', 'create'],
  summary: 'Create the service role for hybrid and multicloud nodes (trusting ssm.amazonaws.com for this account and regions)',
  options: [
    { flags: '--role-name <name>', description: `the role (default ${DEFAULT_HYBRID_ROLE_NAME})`, kind: 'string' },
    { flags: '--path <path>', description: 'the role path (default /)', kind: 'string' },
    { flags: '--description <text>', description: 'the role description', kind: 'string' },
    tagOption,
    ...policySetOptions,
  ],
  examples: ['ssm-perms hybrid-role create --region us-east-2', 'ssm-perms hybrid-role create --region us-east-1,eu-west-1 --cloudwatch --json'],
  permissions: [
    'sts:GetCallerIdentity',
    'iam:GetRole, iam:ListAttachedRolePolicies, iam:GetPolicy (each policy to attach is checked to exist before any change)',
    'iam:CreateRole, iam:TagRole, iam:AttachRolePolicy (when they have something to do)',
    "iam:UpdateAssumeRolePolicy (when the role's trust, written by ssm-perms, names fewer regions than asked)",
    'iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion (with --s3-bucket / --s3-vpc-endpoint)',
  ],
  parse: (options) => {
    const roleName = options.roleName === undefined ? DEFAULT_HYBRID_ROLE_NAME : validateRoleName(String(options.roleName));
    const input = readRoleCommandInput(options, 'Service role for Systems Manager hybrid and multicloud nodes (created by ssm-perms)');
    // CreateActivation names the role with its path prefix (at most 64 characters in all).
    const activationRole = `${input.path.replace(/^\//, '')}${roleName}`;
    if (activationRole.length > 64) {
      throw new UsageError(
        'InvalidRoleName',
        `the role with its path (${activationRole}) is ${activationRole.length} characters; CreateActivation accepts at most 64`,
        'Use a shorter --path or --role-name.',
      );
    }
    return { roleName, activationRole, ...input };
  },
  load: () => import('./create.run.js'),
});
