// The plan / consent / apply sequence of the role-building commands (profile create, profile update,
// hybrid-role create).
import { applyProfile, planProfile, profilePlanResult, type ProfileRequest, type ProfileResult } from '../../services/profile/setup.js';
import { renderMutation } from '../../output/changes.js';
import { mutationExitCode } from '../../services/exit-codes.js';
import { ExitCode } from '../../services/errors.js';
import type { CommandScope } from './scope.js';
import { resolveScope } from './scope.js';
import type { Context, Outcome } from '../types.js';
import { buildPolicySet, checkPartition, type PolicySet, type PolicySetInput } from './policy-set.js';

export async function planConsentApply(ctx: Context, req: ProfileRequest, nextSteps: (r: ProfileResult) => string[]): Promise<Outcome> {
  const plan = await planProfile(ctx.services, req);
  if (ctx.flags.dryRun) {
    const r = profilePlanResult(plan);
    const notes = plan.replaces.length && !ctx.flags.yes ? [`replacing ${plan.replaces.join('; ')} will need --yes (or a y at the prompt)`] : [];
    return { data: r, text: (s) => renderMutation(r, s), exitCode: ExitCode.Ok, warnings: plan.warnings, notes };
  }
  if (plan.replaces.length) {
    const what = plan.replaces.join('; ');
    await ctx.requireConsent({ question: `This replaces ${what}. Continue?`, refused: `not replacing ${what}`, answer: 'replace it' });
  }
  const r = await applyProfile(ctx.services, plan);
  const code = mutationExitCode(r);
  return { data: r, text: (s) => renderMutation(r, s), exitCode: code, warnings: plan.warnings, notes: code === 0 && r.changes.length > 0 ? nextSteps(r) : [] };
}

/** The regions and account (checking the policy ARNs against the partition first), and the policy set. */
export async function scopeAndPolicies(ctx: Context, input: PolicySetInput, roleName: string): Promise<{ scope: CommandScope; set: PolicySet }> {
  // Everything that can refuse the input (policy ARNs of another partition, an S3 policy over IAM's size
  // limit) is decided as soon as the regions are known, before the first call that needs credentials.
  let set: PolicySet | undefined;
  const scope = await resolveScope(ctx, (r) => {
    checkPartition(input, r);
    set = buildPolicySet(input, r, roleName);
  });
  return { scope, set: set! };
}
