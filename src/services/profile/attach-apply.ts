// profile attach, applying: associate, replace (running) or disassociate-then-associate (stopped),
// the first instance alone so an IAM propagation wait happens once, the rest with bounded concurrency;
// then, with --wait, poll the associations in batches until they are `associated`.
import type { ServiceEnv } from '../env.js';
import type { Change } from '../result.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import { mapLimit } from '../concurrency.js';
import { retryWhile } from '../retry.js';
import { associationsOf, changeFor, finish, type AttachPlan, type AttachResult, type Target } from './attach-plan.js';

/** EC2 refusing a profile IAM has not propagated yet (or one whose role is not in it yet). */
export function isProfilePropagationError(e: unknown): boolean {
  const message = String((e as { message?: unknown })?.message ?? '');
  return sdkErrorCode(e) === 'InvalidParameterValue' && /Invalid IAM Instance Profile|has no associated IAM Roles/i.test(message);
}

export async function applyAttach(env: ServiceEnv, plan: AttachPlan): Promise<AttachResult> {
  const profileArn = plan.profile.arn;
  const work = plan.targets.filter((t) => t.status === 'planned');
  const results = new Map<Target, { target: Target; change: Change }>();

  const one = async (t: Target): Promise<void> => {
    const change = changeFor(plan, t);
    if (env.signal.aborted) {
      results.set(t, { target: { ...t, status: 'failed', error: { code: 'NotAttempted', message: 'interrupted before this instance was changed', hint: 'Run the command again.' } }, change: { ...change, status: 'failed' } });
      return;
    }
    const ec2 = await env.clients.ec2(t.region!);
    const associate = async () => {
      const out = await retryWhile(
        () => ec2.associateIamInstanceProfile({ InstanceId: t.instanceId, IamInstanceProfile: { Arn: profileArn } }),
        isProfilePropagationError,
        {
          timeoutMs: env.propagationTimeoutMs,
          clock: env.clock,
          signal: env.signal,
          onRetry: (_e, waitMs, elapsedMs) =>
            env.progress({
              kind: 'waiting',
              message: `${t.instanceId}: EC2 does not accept instance profile ${plan.profile.name} yet (IAM is still propagating); retrying in ${Math.round(waitMs / 1000)}s (${Math.round(elapsedMs / 1000)}s of at most ${Math.round(env.propagationTimeoutMs / 1000)}s)`,
            }),
        },
      );
      return out.IamInstanceProfileAssociation;
    };
    try {
      let association;
      if (t.action === 'associate') association = await associate();
      else if (change.operation === 'ec2:ReplaceIamInstanceProfileAssociation') {
        association = (await ec2.replaceIamInstanceProfileAssociation({ AssociationId: t.previousAssociationId!, IamInstanceProfile: { Arn: profileArn } })).IamInstanceProfileAssociation;
      } else {
        // A stopped instance cannot have its association replaced (IncorrectState): remove, then add.
        await ec2.disassociateIamInstanceProfile({ AssociationId: t.previousAssociationId! });
        association = await associate();
      }
      results.set(t, {
        target: { ...t, status: 'applied', associationId: association?.AssociationId ?? t.associationId, associationState: association?.State ?? null },
        change: { ...change, status: 'applied' },
      });
    } catch (e) {
      const err = translateAwsError(e, { service: 'ec2', operation: change.operation.slice(4), region: t.region });
      const info = isProfilePropagationError(e)
        ? { ...err.info, hint: `IAM had not propagated instance profile ${plan.profile.name} within ${Math.round(env.propagationTimeoutMs / 1000)}s; run the same command again in a minute.` }
        : err.info;
      results.set(t, { target: { ...t, status: 'failed', error: info }, change: { ...change, status: 'failed', error: info } });
    }
  };

  // The first instance goes alone: if IAM has not propagated the profile yet, one instance waits
  // for it (with one progress line per retry) instead of every instance at once.
  if (work.length > 0) await one(work[0]!);
  await mapLimit(work.slice(1), plan.request.concurrency, one);

  let targets = plan.targets.map((t) => results.get(t)?.target ?? t);
  if (plan.request.wait) targets = await waitAssociated(env, plan, targets);
  const changes = work.map((t) => results.get(t)!.change);
  return finish(plan, targets, changes, false);
}

/** --wait: poll (batched, per region) until each changed association is `associated`, within the bound. */
async function waitAssociated(env: ServiceEnv, plan: AttachPlan, targets: Target[]): Promise<Target[]> {
  const started = env.clock.now();
  let pending = targets.filter((t) => t.status === 'applied' && t.associationState !== 'associated');
  let delay = 2000;
  while (pending.length > 0 && env.clock.now() - started < env.propagationTimeoutMs && !env.signal.aborted) {
    env.progress({ kind: 'waiting', message: `waiting for ${pending.length} association(s) to become associated` });
    await env.clock.sleep(delay, env.signal).catch(() => undefined);
    delay = Math.min(delay * 2, 10_000);
    const byRegion = new Map<string, string[]>();
    for (const t of pending) byRegion.set(t.region!, [...(byRegion.get(t.region!) ?? []), t.instanceId]);
    const states = new Map<string, string>();
    for (const [region, ids] of byRegion) {
      for (const [id, a] of await associationsOf(await env.clients.ec2(region), ids)) states.set(id, a.state);
    }
    targets = targets.map((t) => (states.has(t.instanceId) ? { ...t, associationState: states.get(t.instanceId)! } : t));
    pending = targets.filter((t) => t.status === 'applied' && t.associationState !== 'associated');
  }
  return targets.map((t) =>
    pending.some((p) => p.instanceId === t.instanceId)
      ? { ...t, status: 'failed', error: { code: 'WaitTimeout', message: `association still ${t.associationState} after ${Math.round(env.propagationTimeoutMs / 1000)}s`, hint: 'Check it with: aws ec2 describe-iam-instance-profile-associations' } }
      : t,
  );
}
