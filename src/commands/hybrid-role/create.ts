import { lazyRun, type CommandDef } from '../types.js';
import { policySetOptions, tagOption } from '../shared/policy-set.js';
import { DEFAULT_HYBRID_ROLE_NAME } from '../../policies/defaults.js';

export const hybridRoleCreateCommand: CommandDef = {
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
    'iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion (with --s3-bucket / --s3-vpc-endpoint)',
  ],
  run: lazyRun(() => import('./create.run.js')),
};
