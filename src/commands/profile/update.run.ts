import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { planConsentApply, scopeAndPolicies } from '../shared/role-command.js';
import { roleSpec } from '../shared/policy-set.js';
import type { Context, Outcome } from '../types.js';
import type { ProfileUpdateInput } from './update.js';

export async function run({ roleName, policies: input }: ProfileUpdateInput, ctx: Context): Promise<Outcome> {
  const { scope, set } = await scopeAndPolicies(ctx, input, roleName);
  return planConsentApply(
    ctx,
    {
      iamRegion: scope.home,
      role: roleSpec(scope, input, set, {
        roleName,
        path: '/',
        trustService: EC2_SERVICE_PRINCIPAL,
        trustPolicy: serviceTrustPolicy(EC2_SERVICE_PRINCIPAL),
        existingTrust: 'warn',
        mustExist: true,
        description: undefined,
        tags: [],
      }),
      instanceProfile: 'any',
    },
    (r) => [
      'Instances already using this role pick the new permissions up within minutes; restarting SSM Agent (or the instance) makes it sooner.',
      ...(r.instanceProfileArn ? [`Next: ssm-perms profile attach --name ${r.instanceProfileArn.split('/').pop()} --instance-id i-...`] : []),
    ],
  );
}
