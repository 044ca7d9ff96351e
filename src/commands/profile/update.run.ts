import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { UsageError } from '../../services/errors.js';
import { validateRoleName } from '../shared/validate.js';
import { planConsentApply, scopeAndPolicies } from '../shared/role-command.js';
import { readPolicySet, roleSpec } from '../shared/policy-set.js';
import type { Context, Outcome } from '../types.js';

export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
  if (opts.roleName === undefined)
    throw new UsageError(
      'MissingOption',
      'profile update needs --role-name ROLE (the existing role to complete)',
      'To create a new role and instance profile, use: ssm-perms profile create',
    );
  const roleName = validateRoleName(String(opts.roleName));
  const input = readPolicySet(opts);
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
