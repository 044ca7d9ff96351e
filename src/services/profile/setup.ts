// profile create / profile update / hybrid-role create: a role (see role-setup.ts) and, for EC2, the
// instance profile that carries it. Plan first; apply runs the steps in order.
import type { ServiceEnv } from '../env.js';
import type { MutationResult } from '../result.js';
import { runSteps, type Step } from '../steps.js';
import { checkServiceTrust } from '../../policies/trust.js';
import { planInstanceProfile, profilesForRole } from '../iam/instance-profile.js';
import { planRoleSetup, type RoleSetupSpec, type Tag } from '../iam/role-setup.js';

export interface ProfileRequest {
  iamRegion: string;
  role: RoleSetupSpec;
  /**
   * The instance profile: a name to create or complete (profile create), 'any' to make sure the role
   * is in some profile, creating one of the role's name when it is in none (profile update, as the
   * console does), or null for roles that need none (hybrid service roles).
   */
  instanceProfile: { name: string; path: string; tags: Tag[] } | 'any' | null;
}

export interface ProfilePlan {
  account: string;
  roleArn: string;
  instanceProfileArn: string | null;
  customerPolicyArn: string | null;
  steps: Step[];
  warnings: string[];
  replaces: string[];
}

export async function planProfile(env: ServiceEnv, req: ProfileRequest): Promise<ProfilePlan> {
  const iam = await env.clients.iam(req.iamRegion);
  const role = await planRoleSetup(iam, req.role);
  const steps = [...role.steps];
  let instanceProfileArn: string | null = null;
  const warnings = [...role.warnings];
  let profile = req.instanceProfile;
  if (profile === 'any') {
    const existing = role.existing ? await profilesForRole(iam, role.existing.name) : [];
    const usable = !role.existing || checkServiceTrust(role.existing.trustPolicy, req.role.trustService).trusted;
    profile = existing.length > 0 || !usable ? null : { name: req.role.roleName, path: role.existing?.path ?? req.role.path, tags: [] };
    // EC2 cannot hand a role that does not trust it to an instance: no profile is made for one, and
    // none is offered as the next step.
    if (existing.length > 0 && usable) instanceProfileArn = existing[0]!.arn;
    if (existing.length === 0 && !usable)
      warnings.push(`role ${req.role.roleName} is in no instance profile, and none is made for it until it trusts ${req.role.trustService}`);
  }
  if (profile) {
    const p = await planInstanceProfile(iam, {
      partition: req.role.partition,
      account: req.role.account,
      name: profile.name,
      path: profile.path,
      roleName: role.existing?.name ?? req.role.roleName,
      roleArn: role.roleArn,
      tags: profile.tags,
      namedAfterRole: req.instanceProfile === 'any',
    });
    instanceProfileArn = p.arn;
    steps.push(...p.steps);
  }
  return {
    account: req.role.account,
    roleArn: role.roleArn,
    instanceProfileArn,
    customerPolicyArn: role.customerPolicyArn,
    steps,
    warnings,
    replaces: role.replaces,
  };
}

export interface ProfileResult extends MutationResult {
  roleArn: string;
  instanceProfileArn: string | null;
}

function result(plan: ProfilePlan, changes: MutationResult['changes'], dryRun: boolean): ProfileResult {
  return {
    account: plan.account,
    dryRun,
    changes,
    regions: [],
    warnings: plan.warnings,
    roleArn: plan.roleArn,
    instanceProfileArn: plan.instanceProfileArn,
  };
}

export function profilePlanResult(plan: ProfilePlan): ProfileResult {
  return result(
    plan,
    plan.steps.map((s) => s.change),
    true,
  );
}

export async function applyProfile(env: ServiceEnv, plan: ProfilePlan): Promise<ProfileResult> {
  return result(plan, await runSteps(env, plan.steps), false);
}
