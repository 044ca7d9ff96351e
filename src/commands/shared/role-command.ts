// The plan / consent / apply sequence of the role-building commands (profile create, profile update,
// hybrid-role create).
import { applyProfile, planProfile, profilePlanResult, type ProfileRequest, type ProfileResult } from '../../services/profile/setup.js';
import { renderMutation } from '../../output/changes.js';
import { mutationExitCode } from '../../services/exit-codes.js';
import { ExitCode } from '../../services/errors.js';
import type { CommandScope } from './scope.js';
import { noRegionError, resolveScope } from './scope.js';
import type { Context, Outcome } from '../types.js';
import { buildPolicySet, checkPartition, roleSpec, type PolicySet, type PolicySetInput } from './policy-set.js';
import type { RoleSetupSpec } from '../../services/iam/role-setup.js';

async function planConsentApply(ctx: Context, req: ProfileRequest, nextSteps: (r: ProfileResult) => string[]): Promise<Outcome> {
  const plan = await planProfile(ctx.services, req);
  if (ctx.flags.dryRun) {
    const r = profilePlanResult(plan);
    const notes = plan.replaces.length && !ctx.flags.yes ? [`replacing ${plan.replaces.join('; ')} will need --yes (or a y at the prompt)`] : [];
    return { data: r, text: (s) => renderMutation(r, s), exitCode: ExitCode.Ok, warnings: plan.warnings, notes };
  }
  if (plan.replaces.length) {
    const what = plan.replaces.join('; ');
    await ctx.requireConsent({ question: `This replaces ${what}. Continue?`, refused: `not replacing ${what}`, answer: 'replace it', warnings: plan.warnings });
  }
  const r = await applyProfile(ctx.services, plan);
  const code = mutationExitCode(r);
  return {
    data: r,
    text: (s) => renderMutation(r, s),
    exitCode: code,
    warnings: plan.warnings,
    notes: code === ExitCode.Ok && r.changes.length > 0 ? nextSteps(r) : [],
  };
}

/** The role a command builds, less what the scope and the policy set decide (partition, account, policies). */
export type RoleFields = Omit<RoleSetupSpec, 'partition' | 'account' | 'policyArns' | 'customerPolicy' | 'policyQuota'>;

export interface RoleCommand {
  roleName: string;
  policies: PolicySetInput;
  /** The rest of the role; a function where it depends on the account or regions (a hybrid role's trust). */
  role: (scope: CommandScope) => Omit<RoleFields, 'roleName'>;
  instanceProfile: ProfileRequest['instanceProfile'];
  nextSteps: (r: ProfileResult, scope: CommandScope) => string[];
  /** What in the role needs regions whatever the policies (a hybrid role's trust names them), if anything. */
  regionsNeededFor?: string;
}

/**
 * profile create, profile update and hybrid-role create: resolve the scope (refusing policy ARNs of
 * another partition and an oversized S3 policy before the first call that needs credentials), then
 * plan, ask consent for what is replaced, and apply.
 */
export async function runRoleCommand(ctx: Context, cmd: RoleCommand): Promise<Outcome> {
  const { policies } = cmd;
  let set: PolicySet | undefined;
  // IAM is global: without a region anywhere, the role is made through the partition's global region,
  // unless something in it names regions (the hybrid trust, the S3 VPC endpoint buckets).
  const scope = await resolveScope(
    ctx,
    (r) => {
      const needs = cmd.regionsNeededFor ?? (policies.s3VpcEndpoint ? 'the S3 policy of --s3-vpc-endpoint names the regions of its buckets' : undefined);
      if (r.regions.length === 0 && needs) throw noRegionError(needs);
      checkPartition(policies, r);
      set = buildPolicySet(policies, r, cmd.roleName);
    },
    { global: true },
  );
  const role = { roleName: cmd.roleName, ...cmd.role(scope) };
  return planConsentApply(ctx, { iamRegion: scope.home, role: roleSpec(scope, policies, set!, role), instanceProfile: cmd.instanceProfile }, (r) =>
    cmd.nextSteps(r, scope),
  );
}
