import { hybridTrustPolicy, reviewHybridTrust } from '../../policies/hybrid-trust.js';
import { SSM_SERVICE_PRINCIPAL } from '../../policies/trust.js';
import { runRoleCommand } from '../shared/role-command.js';
import type { Context, Outcome } from '../types.js';
import type { HybridRoleInput } from './create.js';

/** `arn:aws:iam::1:role/service-role/X` -> `service-role/X`, the form CreateActivation's IamRole takes. */
function activationRole(roleArn: string): string | null {
  const i = roleArn.indexOf(':role/');
  return i < 0 ? null : roleArn.slice(i + ':role/'.length);
}

export async function run({ roleName, activationRole: iamRoleParam, path, description, tags, policies }: HybridRoleInput, ctx: Context): Promise<Outcome> {
  return runRoleCommand(ctx, {
    roleName,
    policies,
    // The trust names the account and the regions the activations are made in (confused-deputy guard).
    role: (scope) => ({
      path,
      trustService: SSM_SERVICE_PRINCIPAL,
      trustPolicy: hybridTrustPolicy(scope.partition, scope.account, scope.regions),
      // An existing role must let activations of every region asked use it (its aws:SourceArn).
      reviewTrust: (trust) => reviewHybridTrust(trust, scope.partition, scope.account, scope.regions),
      existingTrust: 'refuse',
      mustExist: false,
      description,
      tags,
    }),
    instanceProfile: null,
    regionsNeededFor: "the role's trust names the regions activations are created in (aws:SourceArn)",
    nextSteps: (r, scope) => [
      // The role as IAM has it (an existing role keeps its own path): CreateActivation takes path + name.
      // One command per line, each on a line of its own so that it can be pasted.
      `Next, create an activation with this role, per region:\n${scope.regions
        .map((region) => `aws ssm create-activation --iam-role ${activationRole(r.roleArn) ?? iamRoleParam} --registration-limit 10 --region ${region}`)
        .join('\n')}`,
      'Then install SSM Agent on each server and register it with the activation code and id.',
    ],
  });
}
