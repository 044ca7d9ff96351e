import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { validateInstanceProfileName, validateRoleName } from '../shared/validate.js';
import { planConsentApply, readRoleCommandInput, scopeAndPolicies } from '../shared/role-command.js';
import { roleSpec } from '../shared/policy-set.js';
import { DEFAULT_PROFILE_NAME } from '../../policies/defaults.js';
import type { Context, Outcome } from '../types.js';

export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
  const name = opts.name === undefined ? DEFAULT_PROFILE_NAME : validateInstanceProfileName(String(opts.name));
  const roleName = opts.roleName === undefined ? validateRoleName(name, '--name (used as the role name)') : validateRoleName(String(opts.roleName));
  const { path, description, tags, policies: input } = readRoleCommandInput(opts, 'Lets Systems Manager manage EC2 instances (created by ssm-perms)');
  const { scope, set } = await scopeAndPolicies(ctx, input, roleName);
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
    () => [`Next: ssm-perms profile attach --name ${name} --instance-id i-... (or --tag KEY=VALUE), or choose ${name} when launching instances.`],
  );
}
