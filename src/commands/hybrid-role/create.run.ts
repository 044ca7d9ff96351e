import { hybridTrustPolicy } from '../../policies/hybrid-trust.js';
import { SSM_SERVICE_PRINCIPAL } from '../../policies/trust.js';
import { UsageError } from '../../services/errors.js';
import { resolveScope } from '../scope.js';
import { validateDescription, validatePath, validateRoleName } from '../validate.js';
import { planConsentApply } from '../profile/apply-plan.js';
import { buildPolicySet, checkPartition, readPolicySet, roleSpec, readTags } from '../profile/policy-set.js';
import type { Context, Outcome } from '../types.js';

export const HYBRID_DEFAULT_ROLE = 'SSMServiceRole';


export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
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
}
