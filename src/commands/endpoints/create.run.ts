import { endpointsPlanResult, planEndpoints, type EndpointsPlan } from '../../services/endpoints/plan.js';
import { applyEndpoints } from '../../services/endpoints/apply.js';
import { renderMutation } from '../../output/changes.js';
import { mutationExitCode } from '../../services/exit-codes.js';
import { UsageError } from '../../services/errors.js';
import { resolveScope } from '../shared/scope.js';
import type { Context, Outcome } from '../types.js';
import type { EndpointsCreateInput } from './create.js';

/** A VPC id belongs to one region, so the command works in exactly one (checked before any call). */
function requireOneRegion(given: readonly string[]): void {
  if (given.includes('all') || given.length > 1) {
    throw new UsageError(
      'OneRegionOnly',
      `endpoints create works in one region, the VPC's; got --region ${given.join(',')}`,
      'Pass the region the VPC is in, e.g. --region us-east-2, and run the command once per VPC.',
    );
  }
}

const dnsQuestion = (plan: EndpointsPlan) =>
  `VPC ${plan.request.vpcId} has ${plan.dnsAttributes.join(' and ')} off; the endpoints' private DNS needs ${plan.dnsAttributes.length > 1 ? 'them' : 'it'} on. ` +
  `Turning ${plan.dnsAttributes.length > 1 ? 'them' : 'it'} on changes name resolution in the VPC (instances get DNS hostnames; the endpoints' private zones answer the services' public names). Turn on?`;

export async function run(input: EndpointsCreateInput, ctx: Context): Promise<Outcome> {
  requireOneRegion(ctx.flags.regions);
  const scope = await resolveScope(ctx);
  requireOneRegion(scope.regions);
  const region = scope.regions[0]!;
  const plan = await planEndpoints(ctx.services, { partition: scope.partition, account: scope.account, region, ...input });
  const chosen = `endpoints in ${plan.subnets.map((s) => `${s.id} (${s.az})`).join(', ')}`;
  if (ctx.flags.dryRun) {
    const r = endpointsPlanResult(plan);
    const notes = [
      ...(plan.changes.length ? [chosen] : []),
      ...(plan.dnsAttributes.length && !ctx.flags.yes ? [`turning on ${plan.dnsAttributes.join(' and ')} will need --yes (or a y at the prompt)`] : []),
    ];
    return { data: r, text: (s) => renderMutation(r, s), exitCode: mutationExitCode(r), warnings: plan.warnings, notes };
  }
  if (plan.dnsAttributes.length) {
    await ctx.requireConsent({
      question: dnsQuestion(plan),
      refused: `not turning on ${plan.dnsAttributes.join(' and ')} in VPC ${plan.request.vpcId} (the endpoints' private DNS needs ${plan.dnsAttributes.length > 1 ? 'them' : 'it'}) and not creating the endpoints`,
      answer: `turn ${plan.dnsAttributes.length > 1 ? 'them' : 'it'} on`,
      warnings: plan.warnings,
    });
  }
  const r = await applyEndpoints(ctx.services, plan);
  const applied = r.changes.some((c) => c.status === 'applied');
  const notes = applied
    ? [
        chosen,
        'Instances in the VPC reach Systems Manager through the endpoints once they are available (a minute or two); SSM Agent retries on its own, or restart it to connect sooner.',
        "The instances' security groups must allow outbound TCP 443 to the endpoints (the default group rule allows all outbound).",
        `Next: ssm-perms doctor --region ${region}`,
      ]
    : [];
  return { data: r, text: (s) => renderMutation(r, s), exitCode: mutationExitCode(r), warnings: plan.warnings, notes };
}
