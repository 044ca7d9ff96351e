import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { planConsentApply, scopeAndPolicies } from '../shared/role-command.js';
import { roleSpec } from '../shared/policy-set.js';
import type { Context, Outcome } from '../types.js';
import type { ProfileCreateInput } from './create.js';

export async function run({ name, roleName, path, description, tags, policies: input }: ProfileCreateInput, ctx: Context): Promise<Outcome> {
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
