import { hybridTrustPolicy } from '../../policies/hybrid-trust.js';
import { SSM_SERVICE_PRINCIPAL } from '../../policies/trust.js';
import { UsageError } from '../../services/errors.js';
import { resolveScope } from '../scope.js';
import type { CommandDef } from '../types.js';
import { validateDescription, validatePath, validateRoleName } from '../validate.js';
import { planConsentApply } from '../profile/apply-plan.js';
import { buildPolicySet, checkPartition, policySetOptions, readPolicySet, roleSpec, readTags, tagOption } from '../profile/policy-set.js';

export const HYBRID_DEFAULT_ROLE = 'SSMServiceRole';

export const hybridRoleCreateCommand: CommandDef = {
  path: ['hybrid-role', 'create'],
  summary: 'Create the service role for hybrid and multicloud nodes (trusting ssm.amazonaws.com for this account and regions)',
  options: [
    { flags: '--role-name <name>', description: `the role (default ${HYBRID_DEFAULT_ROLE})`, kind: 'string' },
    { flags: '--path <path>', description: 'the role path (default /)', kind: 'string' },
    { flags: '--description <text>', description: 'the role description', kind: 'string' },
    tagOption,
    ...policySetOptions,
  ],
  examples: ['ssm-perms hybrid-role create --region us-east-2', 'ssm-perms hybrid-role create --region us-east-1,eu-west-1 --cloudwatch --json'],
  permissions: [
    'sts:GetCallerIdentity',
    'iam:GetRole, iam:ListAttachedRolePolicies',
    'iam:CreateRole, iam:TagRole, iam:AttachRolePolicy (when they have something to do)',
    'iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicy, iam:CreatePolicyVersion, iam:DeletePolicyVersion (with --s3-bucket / --s3-vpc-endpoint)',
  ],
  async run(opts, ctx) {
    const roleName = opts.roleName === undefined ? HYBRID_DEFAULT_ROLE : validateRoleName(String(opts.roleName));
    const path = opts.path === undefined ? '/' : validatePath(String(opts.path), '--path');
    const description = opts.description === undefined ? 'Service role for Systems Manager hybrid and multicloud nodes (created by ssm-perms)' : validateDescription(String(opts.description));
    const tags = readTags(opts);
    const input = readPolicySet(opts);
    const scope = await resolveScope(ctx, (r) => checkPartition(input, r.partition));
    const set = buildPolicySet(input, scope, roleName);
    // CreateActivation names the role with its path prefix (at most 64 characters in all).
    const iamRoleParam = `${path.replace(/^\//, '')}${roleName}`;
    if (iamRoleParam.length > 64) {
      throw new UsageError('InvalidRoleName', `the role with its path (${iamRoleParam}) is ${iamRoleParam.length} characters; CreateActivation accepts at most 64`, 'Use a shorter --path or --role-name.');
    }
    return planConsentApply(
      ctx,
      {
        iamRegion: scope.home,
        role: roleSpec(scope, input, set, {
          roleName,
          path,
          trustService: SSM_SERVICE_PRINCIPAL,
          trustPolicy: hybridTrustPolicy(scope.partition, scope.account, scope.regions),
          existingTrust: 'refuse',
          mustExist: false,
          description,
          tags,
        }),
        instanceProfile: null,
      },
      () => [
        `Next, create an activation with this role, per region: ${scope.regions
          .map((r) => `aws ssm create-activation --iam-role ${iamRoleParam} --registration-limit 10 --region ${r}`)
          .join(' ; ')}`,
        'Then install SSM Agent on each server and register it with the activation code and id.',
      ],
    );
  },
};
