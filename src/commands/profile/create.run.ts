import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { runRoleCommand } from '../shared/role-command.js';
import type { Context, Outcome } from '../types.js';
import type { ProfileCreateInput } from './create.js';

export async function run({ name, roleName, path, description, tags, policies }: ProfileCreateInput, ctx: Context): Promise<Outcome> {
  return runRoleCommand(ctx, {
    roleName,
    policies,
    role: () => ({
      path,
      trustService: EC2_SERVICE_PRINCIPAL,
      trustPolicy: serviceTrustPolicy(EC2_SERVICE_PRINCIPAL),
      existingTrust: 'refuse',
      mustExist: false,
      description,
      tags,
    }),
    instanceProfile: { name, path, tags },
    nextSteps: () => [`Next: ssm-perms profile attach --name ${name} --instance-id i-... (or --tag KEY=VALUE), or choose ${name} when launching instances.`],
  });
}
