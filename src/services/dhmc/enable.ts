// `dhmc enable`: plan (read the role and every region's setting, compute the changes), then apply
// (IAM once, then each region's setting in parallel). The plan is also what --dry-run prints.
import { DHMC_DEFAULT_POLICY, INSTANCE_CORE_POLICY } from '../../policies/managed-policies.js';
import { dhmcSettingValue, sameDhmcRole } from '../../policies/dhmc-setting.js';
import { judgeAgentRole } from '../doctor/agent-judge.js';
import { awsManagedPolicyArn, roleArn as buildRoleArn } from '../../policies/partition.js';
import { checkServiceTrust, serviceTrustPolicy, SSM_SERVICE_PRINCIPAL } from '../../policies/trust.js';
import { PreconditionError, type ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import { notAttempted, regionOutcomes, type Change, type MutationResult } from '../result.js';
import { deniedAction, sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { mapLimit } from '../concurrency.js';
import { waitWhilePropagating } from '../propagation.js';
import { iamNotYetVisible, planned, runSteps, type Step } from '../steps.js';
import { requirePoliciesExist } from '../iam/policy-exists.js';
import { readRole, rolePolicies, type RoleState } from '../iam/role.js';
import { readDhmcSettingOrError, type Scope } from './setting.js';
import { trustAddingService, updateTrustCommand } from '../../policies/trust-merge.js';

export interface EnableRequest {
  scope: Scope;
  regions: readonly string[];
  /** Region whose endpoint serves IAM for this partition. */
  iamRegion: string;
  roleName: string;
  rolePath: string;
  /** The user named the path; a role found elsewhere then earns a warning. */
  rolePathGiven: boolean;
  createRole: boolean;
  extraPolicyArns: readonly string[];
  /** The default role is ours to complete; a custom role is only checked. */
  isDefaultRole: boolean;
}

export interface Overwrite {
  region: string;
  from: string;
  to: string;
}

export interface EnablePlan {
  request: EnableRequest;
  existingRole: RoleState | null;
  roleArn: string;
  settingValue: string;
  /** The IAM changes, each with the call that makes it (applied in order, before any region). */
  iamSteps: Step[];
  iamChanges: Change[];
  regionChanges: Change[];
  /** Regions whose setting could not be read: they get no change and report this error. */
  regionErrors: Map<string, ErrorInfo>;
  /** Regions whose setting names another role: changing them needs consent. */
  overwrites: Overwrite[];
  warnings: string[];
}

export async function planDhmcEnable(env: ServiceEnv, req: EnableRequest): Promise<EnablePlan> {
  const { partition, account } = req.scope;
  const iam = await env.clients.iam(req.iamRegion);
  const existing = await readRole(iam, req.roleName);
  const warnings: string[] = [];
  const iamSteps: Step[] = [];
  const roleName = existing?.name ?? req.roleName;
  const attach = (resource: string, policyArn: string): Step => ({
    change: planned({ region: null, action: 'attach', resource, operation: 'iam:AttachRolePolicy', details: { policyArn } }),
    run: async () => {
      await iam.attachRolePolicy({ RoleName: roleName, PolicyArn: policyArn });
    },
    propagation: { retryable: iamNotYetVisible, dependsOn: [resource, policyArn] },
  });
  const dhmcPolicyArn = awsManagedPolicyArn(partition, DHMC_DEFAULT_POLICY);

  let path = req.rolePath;
  let arn = buildRoleArn(partition, account, req.rolePath, req.roleName);
  if (existing) {
    path = existing.path;
    arn = existing.arn || buildRoleArn(partition, account, existing.path, existing.name);
    const trust = checkServiceTrust(existing.trustPolicy, SSM_SERVICE_PRINCIPAL);
    if (!trust.trusted) {
      throw new PreconditionError(
        'RoleNotTrustedBySsm',
        `role ${existing.name} does not trust ${SSM_SERVICE_PRINCIPAL}, so Systems Manager cannot use it for Default Host Management Configuration`,
        // The command on a line of its own, so that it can be pasted (the printer fits it as a command).
        `Let ${SSM_SERVICE_PRINCIPAL} assume it, keeping what the role trusts now (or choose another role with --role-name):\n${updateTrustCommand(existing.name, trustAddingService(existing.trustPolicy, SSM_SERVICE_PRINCIPAL))}`,
      );
    }
    if (trust.conditional) {
      warnings.push(`role ${existing.name} trusts ${SSM_SERVICE_PRINCIPAL} only under conditions; make sure they hold for Systems Manager.`);
    }
    if (req.rolePathGiven && existing.path !== req.rolePath) {
      warnings.push(`role ${existing.name} exists at path ${existing.path}, not ${req.rolePath}; the setting will name it at ${existing.path}.`);
    }
    const corePolicies = [dhmcPolicyArn, awsManagedPolicyArn(partition, INSTANCE_CORE_POLICY)];
    const hasKnownPolicy = existing.attachedPolicyArns.some((a) => corePolicies.includes(a));
    if (!hasKnownPolicy && req.isDefaultRole) {
      iamSteps.push(attach(arn, dhmcPolicyArn));
    } else if (!req.isDefaultRole || existing.boundaryArn) {
      // A custom role (or one under a permissions boundary) is judged as IAM would judge the agent's calls.
      warnings.push(...(await customRoleWarnings(iam, existing, dhmcPolicyArn, req.scope, req.regions)));
    }
    for (const policyArn of req.extraPolicyArns) {
      if (!existing.attachedPolicyArns.includes(policyArn)) {
        iamSteps.push(attach(arn, policyArn));
      }
    }
  } else {
    if (!req.createRole) {
      throw new PreconditionError(
        'RoleNotFound',
        `role ${req.roleName} does not exist and --no-create-role was given`,
        `Create it first (trusting ${SSM_SERVICE_PRINCIPAL}), or drop --no-create-role to let ssm-perms create it.`,
      );
    }
    iamSteps.push({
      change: planned({
        region: null,
        action: 'create',
        resource: arn,
        operation: 'iam:CreateRole',
        details: { path: req.rolePath, trustedService: SSM_SERVICE_PRINCIPAL },
      }),
      run: async () => {
        await iam.createRole({
          RoleName: req.roleName,
          Path: req.rolePath,
          AssumeRolePolicyDocument: JSON.stringify(serviceTrustPolicy(SSM_SERVICE_PRINCIPAL)),
          Description: 'Default Host Management Configuration role for Systems Manager (created by ssm-perms)',
        });
      },
    });
    for (const policyArn of [dhmcPolicyArn, ...req.extraPolicyArns.filter((a) => a !== dhmcPolicyArn)]) {
      iamSteps.push(attach(arn, policyArn));
    }
  }

  await requirePoliciesExist(
    iam,
    iamSteps.flatMap((st) => (st.change.operation === 'iam:AttachRolePolicy' && st.change.details.policyArn ? [st.change.details.policyArn] : [])),
  );
  const settingValue = dhmcSettingValue(path, existing?.name ?? req.roleName);
  const states = await mapLimit(req.regions, env.regionConcurrency, (r) => readDhmcSettingOrError(env, req.scope, r));
  const regionChanges: Change[] = [];
  const regionErrors = new Map<string, ErrorInfo>();
  const overwrites: Overwrite[] = [];
  for (const s of states) {
    if (s.error) {
      regionErrors.set(s.region, s.error);
      continue;
    }
    const current = s.enabled ? s.settingValue : null;
    if (current === settingValue) continue;
    // The same role spelled in another case replaces no one (no consent), but is rewritten to IAM's
    // spelling: IAM documents case-insensitive uniqueness of names, not how a role ARN in another case
    // is resolved when the agent assumes it.
    if (current && !sameDhmcRole(current, settingValue)) overwrites.push({ region: s.region, from: current, to: settingValue });
    regionChanges.push(
      planned({
        region: s.region,
        action: 'update',
        resource: s.settingArn,
        operation: 'ssm:UpdateServiceSetting',
        details: { settingValue, previousValue: current },
      }),
    );
  }
  const iamChanges = iamSteps.map((step) => step.change);
  return { request: req, existingRole: existing, roleArn: arn, settingValue, iamSteps, iamChanges, regionChanges, regionErrors, overwrites, warnings };
}

async function customRoleWarnings(
  iam: Awaited<ReturnType<ServiceEnv['clients']['iam']>>,
  role: RoleState,
  dhmcPolicyArn: string,
  scope: Scope,
  regions: readonly string[],
): Promise<string[]> {
  try {
    const { policies, boundary } = await rolePolicies(iam, role);
    const judged = { arn: role.arn, name: role.name, tags: Object.fromEntries(role.tags.map((t) => [t.Key, t.Value])), policies, boundary };
    // Judged per region, for every instance of it (the same evaluator as doctor).
    const out: string[] = [];
    for (const region of regions) {
      const j = judgeAgentRole(judged, { partition: scope.partition, account: scope.account, region, instanceId: null, agentVersion: null }, 'dhmc');
      const missing = [...(j.registers === 'yes' ? [] : ['ssm:UpdateInstanceInformation']), ...j.missing];
      if (j.registers === 'maybe') {
        const u = j.uncertain.find((x) => x.action === 'ssm:UpdateInstanceInformation') ?? j.uncertain[0];
        out.push(
          `${region}: role ${role.name} may not allow ssm:UpdateInstanceInformation: ${u ? `${u.statement} depends on ${u.keys.join(', ') || 'a part that could not be read'}` : 'a statement may or may not apply'}.`,
        );
      } else if (missing.length > 0) {
        out.push(
          `${region}: role ${role.name} does not have ${DHMC_DEFAULT_POLICY} and its policies do not allow ${missing.join(', ')}; instances will not register. Attach it with --policy-arn ${dhmcPolicyArn}.`,
        );
      }
    }
    return out;
  } catch (e) {
    const err = translateAwsError(e, { service: 'iam', operation: 'GetPolicyVersion', region: null });
    return [`could not read the policies of role ${role.name} to check its permissions (${err.code}); make sure it allows what ${DHMC_DEFAULT_POLICY} allows.`];
  }
}

/** The plan as a result, for --dry-run. */
export function enablePlanResult(plan: EnablePlan): MutationResult {
  return {
    account: plan.request.scope.account,
    dryRun: true,
    changes: [...plan.iamChanges, ...plan.regionChanges],
    regions: regionOutcomes(plan.request.regions, plan.regionErrors, []),
    warnings: plan.warnings,
  };
}

/** SSM refusing a role IAM has not propagated yet. The messages vary, so match the role, not a text. */
export function isRolePropagationError(e: unknown): boolean {
  const code = sdkErrorCode(e);
  const message = String((e as { message?: unknown })?.message ?? '');
  if (code === 'AccessDeniedException' || code === 'AccessDenied') return deniedAction(message) === 'iam:PassRole';
  return ['ValidationException', 'InvalidRole', 'InvalidParameterValue'].includes(code) && /role/i.test(message);
}

export async function applyDhmcEnable(env: ServiceEnv, plan: EnablePlan): Promise<MutationResult> {
  const req = plan.request;
  // IAM first, in order; the shared step runner stops at a failure and reports the rest as not attempted.
  const done = await runSteps(env, plan.iamSteps);
  const failedIam = done.find((c) => c.status === 'failed');
  const iamFailure = !failedIam
    ? null
    : failedIam.error?.code === 'NotAttempted'
      ? failedIam.error.message
      : `not attempted because ${failedIam.operation} failed (${failedIam.error?.code})`;

  const createdRole = done.some((c) => c.operation === 'iam:CreateRole' && c.status === 'applied');
  const regionDone = await mapLimit(plan.regionChanges, env.regionConcurrency, async (c): Promise<Change> => {
    if (iamFailure) return notAttempted(c, iamFailure);
    if (env.signal.aborted) return notAttempted(c, 'interrupted before this region was changed');
    const region = c.region!;
    try {
      const ssm = await env.clients.ssm(region);
      const update = () => ssm.updateServiceSetting({ SettingId: c.resource, SettingValue: plan.settingValue });
      if (createdRole) {
        await waitWhilePropagating(env, update, isRolePropagationError, () => `${region}: SSM does not accept role ${req.roleName} yet`);
      } else {
        await update();
      }
      return { ...c, status: 'applied' };
    } catch (e) {
      const err = translateAwsError(e, { service: 'ssm', operation: 'UpdateServiceSetting', region });
      const info = isRolePropagationError(e)
        ? {
            ...err.info,
            hint: `IAM had not propagated role ${req.roleName} within ${Math.round(env.propagationTimeoutMs / 1000)}s; run the same command again in a minute.`,
          }
        : err.info;
      return { ...c, status: 'failed', error: info };
    }
  });

  const changes = [...done, ...regionDone];
  return {
    account: req.scope.account,
    dryRun: false,
    changes,
    regions: regionOutcomes(req.regions, plan.regionErrors, regionDone),
    warnings: plan.warnings,
  };
}
