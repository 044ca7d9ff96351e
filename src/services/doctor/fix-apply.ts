// doctor --fix, reading and applying: each group of the plan (fix-plan.ts) is prepared by the service
// of the command it stands for - `dhmc enable`, `profile create`, `profile attach`, `endpoints create`
// - so the changes are theirs, computed from the current state (what exists is not planned again),
// and applied in dependency order: IAM first (roles, policies, profiles; the shared step runner waits
// out IAM propagation for what it created), then what uses it, then the instances and the network.
// Each group fails alone, named: a failed read while preparing or a failed change while applying stops
// that group (and the groups that depend on it), never the others.
import { DHMC_DEFAULT_ROLE_NAME, DHMC_DEFAULT_ROLE_PATH } from '../../policies/dhmc-setting.js';
import { INSTANCE_CORE_POLICY } from '../../policies/managed-policies.js';
import { awsManagedPolicyArn, ec2InstanceArn, instanceProfileArn } from '../../policies/arn.js';
import { ec2ResourceArn } from '../../policies/endpoint-names.js';
import { EC2_SERVICE_PRINCIPAL, serviceTrustPolicy } from '../../policies/trust.js';
import { AwsServiceError, isSsmPermsError, PreconditionError, type ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import { notAttempted, regionOutcomes, type Change, type MutationResult } from '../result.js';
import { translateAwsError } from '../aws/translate-error.js';
import { mapLimit } from '../concurrency.js';
import { iamNotYetVisible, planned, runSteps, type Step } from '../steps.js';
import { applyDhmcEnable, planDhmcEnable } from '../dhmc/enable.js';
import { applyProfile, planProfile } from '../profile/setup.js';
import { planAttach } from '../profile/attach-plan.js';
import { applyAttach } from '../profile/attach-apply.js';
import { planEndpoints } from '../endpoints/plan.js';
import { applyEndpoints } from '../endpoints/apply.js';
import { readRole } from '../iam/role.js';
import type { FixGroup, FixPlan, LeftForYou } from './fix-plan.js';

export interface FixScope {
  partition: string;
  account: string;
  /** The region whose endpoint serves IAM. */
  iamRegion: string;
}

export interface PreparedFix {
  group: FixGroup;
  /** The changes the group makes, `planned`; empty when everything is already as asked. */
  changes: Change[];
  warnings: string[];
  /** What the changes replace (another DHMC role, VPC attributes): said in the one question. */
  replaces: string[];
  /** A read while preparing failed: the group is not applied. */
  error: ErrorInfo | null;
  apply: () => Promise<Change[]>;
}

export interface PreparedFixes {
  scope: FixScope;
  plan: FixPlan;
  fixes: PreparedFix[];
}

export type FixStatus = 'planned' | 'applied' | 'failed' | 'unchanged';

export interface FixOutcome {
  id: string;
  kind: FixGroup['kind'];
  region: string | null;
  target: string;
  summary: string;
  instanceIds: string[];
  sharedWith: string[];
  warning: string | null;
  status: FixStatus;
  error: ErrorInfo | null;
}

export interface FixResult extends MutationResult {
  fixes: FixOutcome[];
  leftForYou: LeftForYou[];
  notes: string[];
}

/** SendCommand takes at most 50 instance ids (InstanceIdList max 50, SSM's service model in botocore). */
const SEND_COMMAND_MAX_IDS = 50;
/**
 * The AWS-owned Run Command document that updates SSM Agent to the latest version (Systems Manager
 * User Guide, "Update SSM Agent by using Run Command":
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command-tutorial-update-software.html,
 * `aws ssm send-command --document-name "AWS-UpdateSSMAgent" ...`). It needs the agent to be
 * registered, hence only for managed instances.
 */
export const UPDATE_AGENT_DOCUMENT = 'AWS-UpdateSSMAgent';

const infoOf = (e: unknown, site: { service: string; operation: string; region: string | null }): ErrorInfo =>
  isSsmPermsError(e) ? e.info : translateAwsError(e, site).info;

/** One call per instance, each failing alone: a refused instance does not stop the others. */
async function perInstance(env: ServiceEnv, changes: readonly Change[], call: (c: Change) => Promise<void>): Promise<Change[]> {
  return mapLimit(changes, env.regionConcurrency, async (c): Promise<Change> => {
    if (env.signal.aborted) return notAttempted(c, 'interrupted before this change was made');
    try {
      await call(c);
      return { ...c, status: 'applied' };
    } catch (e) {
      const [service, operation] = c.operation.split(':') as [string, string];
      return { ...c, status: 'failed', error: infoOf(e, { service, operation, region: c.region }) };
    }
  });
}

type Prepared = Omit<PreparedFix, 'group' | 'error'>;
const none = (): Prepared => ({ changes: [], warnings: [], replaces: [], apply: async () => [] });

async function prepareGroup(env: ServiceEnv, scope: FixScope, g: FixGroup): Promise<Prepared> {
  const { partition, account, iamRegion } = scope;
  const instanceArn = (id: string) => ec2InstanceArn(partition, g.region!, account, id);
  switch (g.kind) {
    case 'dhmc-enable': {
      // As `dhmc enable --role-name R --region ...` would: the role created or completed, then the setting.
      const plan = await planDhmcEnable(env, {
        scope: { partition, account },
        regions: g.regions,
        iamRegion,
        roleName: g.target,
        rolePath: DHMC_DEFAULT_ROLE_PATH,
        rolePathGiven: false,
        createRole: true,
        extraPolicyArns: [],
        isDefaultRole: g.target === DHMC_DEFAULT_ROLE_NAME,
      });
      const unread = [...plan.regionErrors.values()][0];
      if (unread) throw new AwsServiceError(unread.code, unread.message, unread.hint);
      return {
        changes: [...plan.iamChanges, ...plan.regionChanges],
        warnings: plan.warnings,
        replaces: plan.overwrites.map((o) => `the DHMC role of ${o.region} (${o.from})`),
        apply: async () => (await applyDhmcEnable(env, plan)).changes,
      };
    }
    case 'role-policy': {
      const iam = await env.clients.iam(iamRegion);
      const role = await readRole(iam, g.target);
      if (!role) throw new PreconditionError('RoleNotFound', `role ${g.target} does not exist (it was there when doctor read it)`, 'Run doctor --fix again.');
      const policyArn = awsManagedPolicyArn(partition, g.policy!);
      if (role.attachedPolicyArns.includes(policyArn)) return none();
      const step: Step = {
        change: planned({ region: null, action: 'attach', resource: role.arn, operation: 'iam:AttachRolePolicy', details: { policyArn } }),
        run: async () => {
          await iam.attachRolePolicy({ RoleName: role.name, PolicyArn: policyArn });
        },
        propagation: { retryable: iamNotYetVisible, dependsOn: [role.arn] },
      };
      return { changes: [step.change], warnings: [], replaces: [], apply: () => runSteps(env, [step]) };
    }
    case 'profile-create': {
      // As `profile create --name P` does with its defaults: role P trusting EC2 with
      // AmazonSSMManagedInstanceCore, in instance profile P.
      const plan = await planProfile(env, {
        iamRegion,
        role: {
          partition,
          account,
          roleName: g.target,
          path: '/',
          trustService: EC2_SERVICE_PRINCIPAL,
          trustPolicy: serviceTrustPolicy(EC2_SERVICE_PRINCIPAL),
          existingTrust: 'refuse',
          mustExist: false,
          description: 'Lets Systems Manager manage EC2 instances (created by ssm-perms doctor --fix)',
          tags: [],
          policyArns: [awsManagedPolicyArn(partition, INSTANCE_CORE_POLICY)],
          policyQuota: 10,
        },
        instanceProfile: { name: g.target, path: '/', tags: [] },
      });
      return {
        changes: plan.steps.map((s) => s.change),
        warnings: plan.warnings,
        replaces: plan.replaces,
        apply: async () => (await applyProfile(env, plan)).changes,
      };
    }
    case 'profile-attach': {
      // The profile may not exist before profile-create runs: the attachments are planned from the
      // diagnosis (these instances have no profile), and `profile attach` plans them again when applied.
      const changes = g.instanceIds.map((id) =>
        planned({
          region: g.region,
          action: 'attach',
          resource: instanceArn(id),
          operation: 'ec2:AssociateIamInstanceProfile',
          details: { instanceProfileArn: instanceProfileArn(partition, account, '/', g.target), previousInstanceProfileArn: null },
        }),
      );
      const apply = async () => {
        const plan = await planAttach(env, {
          partition,
          account,
          regions: [g.region!],
          iamRegion,
          profileName: g.target,
          instanceIds: g.instanceIds,
          tags: [],
          // Never replace a profile here: an instance that got one since the diagnosis keeps it.
          replace: false,
          concurrency: env.regionConcurrency,
          wait: false,
        });
        const r = await applyAttach(env, plan);
        const refused = r.instances.filter((i) => i.status === 'failed' && !r.changes.some((c) => c.resource === instanceArn(i.instanceId)));
        // An instance planned as a failure (it has another profile now) is reported as this fix's failure.
        return [
          ...r.changes,
          ...refused.map((i) => ({ ...changes.find((c) => c.resource === instanceArn(i.instanceId))!, status: 'failed' as const, error: i.error })),
        ];
      };
      return { changes, warnings: [], replaces: [], apply };
    }
    case 'imds': {
      // ModifyInstanceMetadataOptions (EC2 API Reference): HttpEndpoint enabled turns IMDS on, HttpTokens
      // required makes IMDSv2 the only way in; on a stopped instance it applies at the next start.
      const options = g.imds === 'enable' ? { HttpEndpoint: 'enabled' as const, HttpTokens: 'required' as const } : { HttpTokens: 'required' as const };
      const details: Record<string, string> = g.imds === 'enable' ? { httpEndpoint: 'enabled', httpTokens: 'required' } : { httpTokens: 'required' };
      const changes = g.instanceIds.map((id) =>
        planned({ region: g.region, action: 'update', resource: instanceArn(id), operation: 'ec2:ModifyInstanceMetadataOptions', details }),
      );
      const ec2 = await env.clients.ec2(g.region!);
      return {
        changes,
        warnings: g.warning ? [`${g.summary}: ${g.warning}`] : [],
        replaces: [],
        apply: () =>
          perInstance(env, changes, async (c) => {
            await ec2.modifyInstanceMetadataOptions({ InstanceId: c.resource.split('/').pop()!, ...options });
          }),
      };
    }
    case 'egress-443': {
      const ec2 = await env.clients.ec2(g.region!);
      const change = planned({
        region: g.region,
        action: 'update',
        resource: ec2ResourceArn(partition, g.region!, account, 'security-group', g.target),
        operation: 'ec2:AuthorizeSecurityGroupEgress',
        details: { groupId: g.target, rule: 'tcp 443 to 0.0.0.0/0' },
      });
      // The same rule doctor's fix prints (aws ec2 authorize-security-group-egress ... 0.0.0.0/0).
      const step: Step = {
        change,
        run: async () => {
          await ec2.authorizeSecurityGroupEgress({
            GroupId: g.target,
            IpPermissions: [
              {
                IpProtocol: 'tcp',
                FromPort: 443,
                ToPort: 443,
                IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS to Systems Manager (ssm-perms doctor --fix)' }],
              },
            ],
          });
        },
      };
      return { changes: [change], warnings: [], replaces: [], apply: () => runSteps(env, [step]) };
    }
    case 'endpoints': {
      // As `endpoints create --vpc-id V --region R` (with --ec2messages for agents older than 3.3.40.0).
      const plan = await planEndpoints(env, {
        partition,
        account,
        region: g.region!,
        vpcId: g.target,
        subnetIds: [],
        securityGroupId: null,
        ec2messages: g.ec2messages,
        s3Gateway: false,
      });
      return {
        changes: plan.changes,
        warnings: plan.warnings,
        replaces: plan.dnsAttributes.map((a) => `${a} of ${g.target} (off, turned on for private DNS)`),
        apply: async () => (await applyEndpoints(env, plan)).changes,
      };
    }
    case 'update-agent': {
      const ssm = await env.clients.ssm(g.region!);
      const batches: string[][] = [];
      for (let n = 0; n < g.instanceIds.length; n += SEND_COMMAND_MAX_IDS) batches.push(g.instanceIds.slice(n, n + SEND_COMMAND_MAX_IDS));
      const changes = batches.map((ids) =>
        planned({
          region: g.region,
          action: 'update',
          resource: `arn:${partition}:ssm:${g.region}::document/${UPDATE_AGENT_DOCUMENT}`,
          operation: 'ssm:SendCommand',
          details: { documentName: UPDATE_AGENT_DOCUMENT, instanceIds: ids.join(',') },
        }),
      );
      return {
        changes,
        warnings: [],
        replaces: [],
        apply: () =>
          perInstance(env, changes, async (c) => {
            await ssm.sendCommand({
              DocumentName: UPDATE_AGENT_DOCUMENT,
              InstanceIds: c.details.instanceIds!.split(','),
              Comment: 'ssm-perms doctor --fix --update-agent',
            });
          }),
      };
    }
  }
}

/** Reads what each fix needs and computes its changes; no write call. */
export async function prepareFixes(env: ServiceEnv, scope: FixScope, plan: FixPlan): Promise<PreparedFixes> {
  const fixes: PreparedFix[] = [];
  for (const group of plan.groups) {
    try {
      fixes.push({ group, error: null, ...(await prepareGroup(env, scope, group)) });
    } catch (e) {
      const site = { service: group.region ? 'ec2' : 'iam', operation: group.kind, region: group.region };
      fixes.push({ group, ...none(), error: infoOf(e, site) });
    }
  }
  return { scope, plan, fixes };
}

function outcome(f: PreparedFix, status: FixStatus, error: ErrorInfo | null): FixOutcome {
  const g = f.group;
  return {
    id: g.id,
    kind: g.kind,
    region: g.region,
    target: g.target,
    summary: g.summary,
    instanceIds: g.instanceIds,
    sharedWith: g.sharedWith,
    warning: g.warning,
    status,
    error,
  };
}

function result(p: PreparedFixes, dryRun: boolean, fixes: FixOutcome[], changes: Change[]): FixResult {
  const regions = [...new Set(p.plan.groups.flatMap((g) => (g.region ? [g.region] : g.regions)))].sort();
  return {
    account: p.scope.account,
    dryRun,
    changes,
    regions: regionOutcomes(regions, new Map(), changes),
    warnings: p.fixes.flatMap((f) => f.warnings),
    fixes,
    leftForYou: p.plan.leftForYou,
    notes: p.plan.notes,
  };
}

/** The plan as a result, for --dry-run: each fix with its planned changes (or why it cannot be made). */
export function fixPlanResult(p: PreparedFixes): FixResult {
  // As applyFixes would go: a fix whose prerequisite could not be planned would not be attempted, and
  // the dry run says so rather than showing it planned.
  const blocked = new Map<string, string>();
  const fixes: FixOutcome[] = [];
  const changes: Change[] = [];
  for (const f of p.fixes) {
    const g = f.group;
    const blocker = g.dependsOn.map((d) => blocked.get(d)).find((x) => x);
    if (f.error) blocked.set(g.id, `${g.summary} could not be planned (${f.error.code})`);
    else if (blocker) {
      const skipped = f.changes.map((c) => notAttempted(c, `would not be attempted because ${blocker}`));
      blocked.set(g.id, `${g.summary} would not be made`);
      changes.push(...skipped);
      fixes.push(outcome(f, 'failed', skipped[0]?.error ?? { code: 'NotAttempted', message: `would not be attempted because ${blocker}`, hint: null }));
      continue;
    }
    changes.push(...f.changes);
    fixes.push(outcome(f, f.error ? 'failed' : f.changes.length ? 'planned' : 'unchanged', f.error));
  }
  return result(p, true, fixes, changes);
}

/** Applies the fixes in the plan's order; a fix whose prerequisite failed is not attempted. */
export async function applyFixes(env: ServiceEnv, p: PreparedFixes): Promise<FixResult> {
  const failed = new Map<string, string>();
  const fixes: FixOutcome[] = [];
  const changes: Change[] = [];
  for (const f of p.fixes) {
    const g = f.group;
    if (f.error) {
      failed.set(g.id, `${g.summary} could not be planned (${f.error.code})`);
      fixes.push(outcome(f, 'failed', f.error));
      continue;
    }
    const blocker = g.dependsOn.map((d) => failed.get(d)).find((x) => x);
    if (blocker || env.signal.aborted) {
      const reason = blocker ? `not attempted because ${blocker}` : 'interrupted before this fix was made';
      const skipped = f.changes.map((c) => notAttempted(c, reason));
      failed.set(g.id, `${g.summary} was not made`);
      changes.push(...skipped);
      fixes.push(
        outcome(f, 'failed', skipped[0]?.error ?? { code: 'NotAttempted', message: reason, hint: 'Fix the failure above and run doctor --fix again.' }),
      );
      continue;
    }
    if (f.changes.length === 0) {
      fixes.push(outcome(f, 'unchanged', null));
      continue;
    }
    let done: Change[];
    try {
      done = await f.apply();
    } catch (e) {
      // A service that throws (a read it makes first, a precondition) fails its group, named.
      const error = infoOf(e, { service: g.region ? 'ec2' : 'iam', operation: g.kind, region: g.region });
      done = f.changes.map((c) => ({ ...c, status: 'failed' as const, error }));
    }
    const bad = done.find((c) => c.status === 'failed');
    if (bad) failed.set(g.id, `${g.summary} failed (${bad.error?.code})`);
    changes.push(...done);
    fixes.push(outcome(f, bad ? 'failed' : 'applied', bad?.error ?? null));
  }
  return result(p, false, fixes, changes);
}
