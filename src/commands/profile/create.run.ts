import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { resolveScope } from '../scope.js';
import { validateDescription, validateInstanceProfileName, validatePath, validateRoleName } from '../validate.js';
import { planConsentApply } from './apply-plan.js';
import { buildPolicySet, checkPartition, readPolicySet, roleSpec, readTags } from './policy-set.js';
import type { Context, Outcome } from '../types.js';

export const PROFILE_DEFAULT_NAME = 'SSMInstanceProfile';


export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
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
}
