// profile attach, planning: which instances (chosen by id and/or tag) get the instance profile, and
// how. Reads are batched and paginated (DescribeInstances with filters,
// DescribeIamInstanceProfileAssociations by chunks of instance ids), never one call per instance.
// An instance that has another profile is planned as a failure unless --replace is given.
import { ec2InstanceArn } from '../../policies/arn.js';
import { judgeAgentRole, type JudgedRole } from '../doctor/agent-judge.js';
import { refusalOf } from '../doctor/checks.js';
import { checkServiceTrust, EC2_SERVICE_PRINCIPAL } from '../../policies/trust.js';
import { AbortedError, PreconditionError, type ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import type { Change, MutationResult } from '../result.js';
import { regionOutcomes } from '../result.js';
import type { Ec2Api, IamApi } from '../aws/clients.js';
import { translateAwsError } from '../aws/translate-error.js';
import { mapLimit } from '../concurrency.js';
import { allPages } from '../paginate.js';
import { filterBatches } from '../aws/ec2-filters.js';
import { describeSelectedInstances, tagRecord } from '../aws/instances.js';
import { planned } from '../steps.js';
import { readInstanceProfile, type InstanceProfileState } from '../iam/instance-profile.js';
import { readRole, rolePolicies } from '../iam/role.js';
import type { Tag } from '../iam/role-setup.js';
import { trustAddingService, updateTrustCommand } from '../../policies/trust-merge.js';

export interface AttachRequest {
  partition: string;
  account: string;
  regions: readonly string[];
  iamRegion: string;
  profileName: string;
  instanceIds: readonly string[];
  tags: readonly Tag[];
  replace: boolean;
  concurrency: number;
  wait: boolean;
  /**
   * One account of a run across accounts: an id asked for that is not here is most likely in another
   * account - noted in `notHere`, not failed (the run judges the ids no account holds).
   */
  elsewhere?: boolean;
}

export type InstanceAction = 'associate' | 'replace' | 'none' | 'skip';
export type InstanceStatus = 'planned' | 'applied' | 'failed' | 'unchanged' | 'skipped';

export interface InstanceResult {
  instanceId: string;
  region: string | null;
  name: string | null;
  state: string | null;
  previousInstanceProfileArn: string | null;
  action: InstanceAction;
  status: InstanceStatus;
  associationId: string | null;
  associationState: string | null;
  message: string | null;
  error: ErrorInfo | null;
}

export interface Target extends InstanceResult {
  /** The association to replace or remove. */
  previousAssociationId: string | null;
}

export interface AttachPlan {
  request: AttachRequest;
  profile: InstanceProfileState;
  targets: Target[];
  regionErrors: Map<string, ErrorInfo>;
  warnings: string[];
  /** Ids asked for that are not in this account (only with `elsewhere`). */
  notHere: string[];
}

/** The profile's role, as the IAM evaluator needs it; a string when it could not be read. */
type ProfileRole = JudgedRole & { trustPolicy: string | undefined };

async function judgedRole(iam: IamApi, profile: InstanceProfileState): Promise<ProfileRole | string> {
  const roleName = profile.roleNames[0]!;
  try {
    const role = await readRole(iam, roleName);
    if (!role) return `role ${roleName} of instance profile ${profile.name} could not be read`;
    const { policies, boundary } = await rolePolicies(iam, role);
    return {
      arn: role.arn,
      name: role.name,
      tags: Object.fromEntries(role.tags.map((t) => [t.Key, t.Value])),
      policies,
      boundary,
      trustPolicy: role.trustPolicy,
    };
  } catch (e) {
    return `could not check the permissions of role ${roleName} (${translateAwsError(e, { service: 'iam', operation: 'GetRole', region: null }).code})`;
  }
}

const list = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;

/**
 * The role judged for each instance that will carry the profile, as doctor judges it (the instance's
 * ARN and tags in the agent's request), and summed up per finding so a fleet gets a few lines.
 */
function roleWarnings(
  role: ProfileRole,
  req: AttachRequest,
  profile: InstanceProfileState,
  targets: readonly Target[],
  found: ReadonlyMap<string, Found>,
): string[] {
  const subject = `role ${role.name} of instance profile ${profile.name}`;
  if (!checkServiceTrust(role.trustPolicy, EC2_SERVICE_PRINCIPAL).trusted) {
    return [
      // The fix keeps the role's other trust (a role trusted by other services stays usable by them).
      `${subject} does not trust ${EC2_SERVICE_PRINCIPAL}: EC2 gives the instances no credentials from it. Fix (on a line of its own, to paste):\n${updateTrustCommand(role.name, trustAddingService(role.trustPolicy, EC2_SERVICE_PRINCIPAL))}`,
    ];
  }
  const findings = new Map<string, string[]>();
  for (const t of targets) {
    if (t.status !== 'planned' && t.status !== 'unchanged') continue;
    const f = found.get(t.instanceId);
    const j = judgeAgentRole(
      role,
      {
        partition: req.partition,
        account: req.account,
        region: t.region!,
        instanceId: t.instanceId,
        instanceTags: f?.tags ?? {},
        privateIp: f?.privateIp ?? null,
        vpcId: f?.vpcId ?? null,
        agentVersion: null,
      },
      'instance-profile',
    );
    let finding: string | null = null;
    if (j.registers === 'maybe') {
      const u = j.uncertain.find((x) => x.action === 'ssm:UpdateInstanceInformation') ?? j.uncertain[0];
      finding = `may not allow ssm:UpdateInstanceInformation: ${u ? `${u.statement} depends on ${u.keys.join(', ') || 'a part that could not be read'}, which AWS does not show` : 'a statement may or may not apply'}`;
    } else if (j.registers === 'no') {
      const refusal = refusalOf(j, role.name);
      finding = `${refusal.message}: SSM Agent cannot register with it (it falls back to DHMC where that is on). Fix: ${refusal.fix ?? `ssm-perms profile update --role-name ${role.name}`}`;
    } else if (j.missing.length) {
      const refusal = refusalOf(j, role.name, j.missing);
      finding = `lets the agent register, but ${refusal.message}. Fix: ${refusal.fix ?? `ssm-perms profile update --role-name ${role.name}`}`;
    } else if (j.uncertain.length) {
      const u = j.uncertain[0]!;
      finding = `lets the agent register; it may not allow ${[...new Set(j.uncertain.map((x) => x.action))].join(', ')}: ${u.statement} depends on ${u.keys.join(', ') || 'a part that could not be read'}, which AWS does not show`;
    }
    if (finding) findings.set(finding, [...(findings.get(finding) ?? []), t.instanceId]);
  }
  return [...findings].map(([finding, ids]) => `${subject} ${finding} (${ids.length === 1 ? 'instance' : `${ids.length} instances`} ${list(ids)})`);
}

interface Found {
  instanceId: string;
  state: string;
  name: string | null;
  tags: Record<string, string>;
  privateIp: string | null;
  vpcId: string | null;
}

async function findInstances(ec2: Ec2Api, req: AttachRequest): Promise<Found[]> {
  const found: Found[] = [];
  for (const i of await describeSelectedInstances(ec2, req)) {
    if (!i.InstanceId) continue;
    const tags = tagRecord(i);
    found.push({
      instanceId: i.InstanceId,
      state: i.State?.Name ?? 'unknown',
      name: tags.Name ?? null,
      tags,
      privateIp: i.PrivateIpAddress ?? null,
      vpcId: i.VpcId ?? null,
    });
  }
  return found;
}

interface Association {
  associationId: string;
  profileArn: string | null;
  state: string;
}

export async function associationsOf(ec2: Ec2Api, instanceIds: readonly string[]): Promise<Map<string, Association>> {
  const byInstance = new Map<string, Association>();
  for (const Filters of filterBatches([], 'instance-id', instanceIds)) {
    const pages = await allPages(
      (NextToken) => ec2.describeIamInstanceProfileAssociations({ Filters, MaxResults: 1000, NextToken }),
      (p) => p.NextToken,
    );
    for (const a of pages.flatMap((p) => p.IamInstanceProfileAssociations ?? [])) {
      if (!a.InstanceId || !a.AssociationId || a.State === 'disassociated') continue;
      byInstance.set(a.InstanceId, { associationId: a.AssociationId, profileArn: a.IamInstanceProfile?.Arn ?? null, state: a.State ?? 'unknown' });
    }
  }
  return byInstance;
}

function target(base: Partial<Target> & Pick<Target, 'instanceId' | 'action' | 'status'>): Target {
  return {
    region: null,
    name: null,
    state: null,
    previousInstanceProfileArn: null,
    associationId: null,
    associationState: null,
    message: null,
    error: null,
    previousAssociationId: null,
    ...base,
  };
}

/** Whether the selection holds a live instance in any region; a region that cannot be read may. */
async function anyLiveInstance(env: ServiceEnv, req: AttachRequest): Promise<boolean> {
  const found = await mapLimit(req.regions, env.regionConcurrency, async (region) => {
    try {
      return (await findInstances(await env.clients.ec2(region), req)).some((f) => f.state !== 'terminated' && f.state !== 'shutting-down');
    } catch (e) {
      if (translateAwsError(e, { service: 'ec2', operation: 'DescribeInstances', region }) instanceof AbortedError) throw e;
      return true;
    }
  });
  return found.some(Boolean);
}

/** An account of a run across accounts that holds none of the instances: nothing to do, nothing missing. */
function nothingToAttach(req: AttachRequest): AttachPlan {
  const arn = `arn:${req.partition}:iam::${req.account}:instance-profile/${req.profileName}`;
  return {
    request: req,
    profile: { name: req.profileName, arn, roleNames: [] },
    targets: [],
    regionErrors: new Map(),
    warnings: [],
    notHere: [...req.instanceIds],
  };
}

export async function planAttach(env: ServiceEnv, req: AttachRequest): Promise<AttachPlan> {
  const iam = await env.clients.iam(req.iamRegion);
  const profile = await readInstanceProfile(iam, req.profileName);
  if (!profile) {
    // Across accounts, an account with no instance to attach it to has no need of the profile.
    if (req.elsewhere && !(await anyLiveInstance(env, req))) return nothingToAttach(req);
    throw new PreconditionError(
      'InstanceProfileNotFound',
      `instance profile ${req.profileName} does not exist`,
      `Create it with: ssm-perms profile create --name ${req.profileName}`,
    );
  }
  if (profile.roleNames.length === 0) {
    throw new PreconditionError(
      'InstanceProfileHasNoRole',
      `instance profile ${profile.name} holds no role, so EC2 would refuse it`,
      `Give it one with: aws iam add-role-to-instance-profile --instance-profile-name ${profile.name} --role-name ROLE`,
    );
  }
  const role = await judgedRole(iam, profile);
  const foundById = new Map<string, Found>();

  const regionErrors = new Map<string, ErrorInfo>();
  // Over several regions, a counter of the regions read (one region is one short read: no counter).
  let readCount = 0;
  const regionDone = () => {
    readCount += 1;
    if (req.regions.length > 1) env.progress({ kind: 'progress', message: `profile attach: read ${readCount} of ${req.regions.length} regions` });
  };
  const perRegion = await mapLimit(req.regions, env.regionConcurrency, async (region): Promise<Target[]> => {
    // The read in progress, so a failure names the action that was refused.
    let operation = 'DescribeInstances';
    try {
      const ec2 = await env.clients.ec2(region);
      const found = await findInstances(ec2, req);
      for (const f of found) foundById.set(f.instanceId, f);
      const live = found.filter((f) => f.state !== 'terminated' && f.state !== 'shutting-down');
      operation = 'DescribeIamInstanceProfileAssociations';
      const assoc = await associationsOf(
        ec2,
        live.map((f) => f.instanceId),
      );
      return found.map((f): Target => {
        const base = { instanceId: f.instanceId, region, name: f.name, state: f.state };
        if (f.state === 'terminated' || f.state === 'shutting-down') {
          return target({ ...base, action: 'skip', status: 'skipped', message: `skipped: the instance is ${f.state}` });
        }
        const a = assoc.get(f.instanceId);
        if (!a) return target({ ...base, action: 'associate', status: 'planned' });
        const current = {
          previousInstanceProfileArn: a.profileArn,
          previousAssociationId: a.associationId,
          associationId: a.associationId,
          associationState: a.state,
        };
        if (a.profileArn === profile.arn)
          return target({ ...base, ...current, action: 'none', status: 'unchanged', message: 'already has this instance profile' });
        if (!req.replace) {
          return target({
            ...base,
            ...current,
            action: 'replace',
            status: 'failed',
            error: {
              code: 'HasAnotherProfile',
              message: `has profile ${a.profileArn}; use --replace`,
              hint: `Rerun with --replace (and --yes) to swap it for ${profile.name}, or leave the instances that have another profile out.`,
            },
          });
        }
        return target({ ...base, ...current, action: 'replace', status: 'planned' });
      });
    } catch (e) {
      const err = translateAwsError(e, { service: 'ec2', operation, region });
      if (err instanceof AbortedError) throw err;
      regionErrors.set(region, err.info);
      return [];
    } finally {
      regionDone();
    }
  }).finally(() => {
    if (req.regions.length > 1) env.progress({ kind: 'progress', message: '', done: true });
  });
  const targets = perRegion.flat();
  const seen = new Set(targets.map((t) => t.instanceId));
  const regionsRead = req.regions.filter((r) => !regionErrors.has(r));
  const notHere: string[] = [];
  for (const id of req.instanceIds) {
    if (seen.has(id)) continue;
    if (req.elsewhere && regionErrors.size === 0) {
      notHere.push(id);
      continue;
    }
    targets.push(
      target({
        instanceId: id,
        action: 'skip',
        status: 'failed',
        // With a region unread the id may well be there: say so, and let the region's error set the exit code.
        error: regionErrors.size
          ? {
              code: 'NotAttempted',
              message: `not found in ${regionsRead.join(', ') || 'any region'}, and ${[...regionErrors.keys()].join(', ')} could not be read`,
              hint: 'Fix the region read above and run the command again.',
            }
          : {
              code: 'InstanceNotFound',
              message: `not found in ${regionsRead.join(', ')}${req.tags.length ? ' with the --tag filters' : ''}`,
              hint: 'Check the id and --region (instances are regional).',
            },
      }),
    );
  }
  const warnings = typeof role === 'string' ? [role] : roleWarnings(role, req, profile, targets, foundById);
  return { request: req, profile, targets, regionErrors, warnings, notHere };
}

export interface AttachResult extends MutationResult {
  instanceProfileArn: string;
  instances: InstanceResult[];
  summary: Record<'attached' | 'replaced' | 'unchanged' | 'skipped' | 'failed' | 'planned', number>;
  /** In one account of a run across accounts: the ids asked for that are not in it. */
  notFound?: string[];
}

function instanceArn(req: AttachRequest, region: string, id: string): string {
  return ec2InstanceArn(req.partition, region, req.account, id);
}

/** A running (or pending) instance has its association replaced in one call; others cannot (IncorrectState). */
export function replacesInPlace(t: Target): boolean {
  return t.state === 'running' || t.state === 'pending';
}

/**
 * The calls that change one instance, in order: associate; replace (running); or, on a stopped
 * instance, disassociate then associate - two changes, reported one by one.
 */
export function changesFor(plan: AttachPlan, t: Target): Change[] {
  const req = plan.request;
  const resource = instanceArn(req, t.region!, t.instanceId);
  const details = { instanceProfileArn: plan.profile.arn, previousInstanceProfileArn: t.previousInstanceProfileArn };
  const change = (action: Change['action'], operation: string, d: Record<string, string | null> = details) =>
    planned({ region: t.region, action, resource, operation, details: d });
  if (t.action === 'associate') return [change('attach', 'ec2:AssociateIamInstanceProfile')];
  if (replacesInPlace(t)) return [change('update', 'ec2:ReplaceIamInstanceProfileAssociation')];
  return [
    change('detach', 'ec2:DisassociateIamInstanceProfile', { instanceProfileArn: t.previousInstanceProfileArn, associationId: t.previousAssociationId }),
    change('attach', 'ec2:AssociateIamInstanceProfile'),
  ];
}

function strip(t: Target): InstanceResult {
  const { previousAssociationId: _drop, ...rest } = t;
  void _drop;
  return rest;
}

export function finish(plan: AttachPlan, targets: Target[], changes: Change[], dryRun: boolean): AttachResult {
  const count = (f: (t: Target) => boolean) => targets.filter(f).length;
  return {
    account: plan.request.account,
    dryRun,
    changes,
    // A region whose read or one of whose changes failed is not ok, as in every mutating command.
    regions: regionOutcomes(plan.request.regions, plan.regionErrors, changes),
    warnings: plan.warnings,
    instanceProfileArn: plan.profile.arn,
    instances: targets.map(strip),
    summary: {
      attached: count((t) => t.status === 'applied' && t.action === 'associate'),
      replaced: count((t) => t.status === 'applied' && t.action === 'replace'),
      unchanged: count((t) => t.status === 'unchanged'),
      skipped: count((t) => t.status === 'skipped'),
      failed: count((t) => t.status === 'failed'),
      planned: count((t) => t.status === 'planned'),
    },
    ...(plan.request.elsewhere && plan.request.instanceIds.length ? { notFound: plan.notHere } : {}),
  };
}

export function attachPlanResult(plan: AttachPlan): AttachResult {
  const changes = plan.targets.filter((t) => t.status === 'planned').flatMap((t) => changesFor(plan, t));
  return finish(plan, plan.targets, changes, true);
}

/** Instances whose existing profile would be replaced (consent is asked for them). */
export function replacements(plan: AttachPlan): Target[] {
  return plan.targets.filter((t) => t.action === 'replace' && t.status === 'planned');
}
