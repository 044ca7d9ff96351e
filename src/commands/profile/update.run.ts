import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { runRoleCommand } from '../shared/role-command.js';
import type { Context, Outcome } from '../types.js';
import type { ProfileUpdateInput } from './update.js';

export async function run({ roleName, policies }: ProfileUpdateInput, ctx: Context): Promise<Outcome> {
  return runRoleCommand(ctx, {
    roleName,
    policies,
    // The role must exist; its path, description and tags stay as they are.
    role: () => ({
      path: '/',
      trustService: EC2_SERVICE_PRINCIPAL,
      trustPolicy: serviceTrustPolicy(EC2_SERVICE_PRINCIPAL),
      existingTrust: 'warn',
      mustExist: true,
      description: undefined,
      tags: [],
    }),
    instanceProfile: 'any',
    nextSteps: (r) => [
      'Instances already using this role pick the new permissions up within minutes; restarting SSM Agent (or the instance) makes it sooner.',
      ...(r.instanceProfileArn ? [`Next: ssm-perms profile attach --name ${r.instanceProfileArn.split('/').pop()} --instance-id i-...`] : []),
    ],
  });
}
