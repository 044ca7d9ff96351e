// profile attach, applying: associate, replace (running) or disassociate-then-associate (stopped),
// the first instance alone so an IAM propagation wait happens once, the rest with bounded concurrency;
// then, with --wait, poll the associations in batches until they are `associated`. Every call made
// is reported as it went: a stopped instance's removal and addition are two changes, and a failed
// addition after a removal is followed by an attempt to put the previous profile back.
import type { ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import type { Change } from '../result.js';
import { notAttempted } from '../result.js';
import { sdkErrorCode, translateAwsError } from '../aws/translate-error.js';
import type { Ec2Api } from '../aws/clients.js';
import { mapLimit } from '../concurrency.js';
import { waitWhilePropagating } from '../propagation.js';
import { planned } from '../steps.js';
import { associationsOf, changesFor, finish, replacesInPlace, type AttachPlan, type AttachResult, type Target } from './attach-plan.js';

/** EC2 refusing a profile IAM has not propagated yet (or one whose role is not in it yet). */
export function isProfilePropagationError(e: unknown): boolean {
  const message = String((e as { message?: unknown })?.message ?? '');
  return sdkErrorCode(e) === 'InvalidParameterValue' && /Invalid IAM Instance Profile|has no associated IAM Roles/i.test(message);
}

const INTERRUPTED: ErrorInfo = { code: 'NotAttempted', message: 'interrupted before this instance was changed', hint: 'Run the command again.' };

interface Outcome {
  target: Target;
  changes: Change[];
}

export async function applyAttach(env: ServiceEnv, plan: AttachPlan): Promise<AttachResult> {
  const profileArn = plan.profile.arn;
  // Instances that only gain a profile go first: once EC2 has accepted the profile for one of them,
  // it is known to be usable before any stopped instance has its current profile taken away.
  const work = plan.targets.filter((t) => t.status === 'planned').sort((a, b) => Number(destructive(a)) - Number(destructive(b)));
  const results = new Map<Target, Outcome>();

  const associate = async (ec2: Ec2Api, t: Target, arn: string) => {
    const out = await waitWhilePropagating(
      env,
      () => ec2.associateIamInstanceProfile({ InstanceId: t.instanceId, IamInstanceProfile: { Arn: arn } }),
      isProfilePropagationError,
      () => `${t.instanceId}: EC2 does not accept instance profile ${plan.profile.name} yet`,
    );
    return out.IamInstanceProfileAssociation;
  };

  const failure = (e: unknown, t: Target, operation: string): ErrorInfo => {
    const err = translateAwsError(e, { service: 'ec2', operation: operation.slice(4), region: t.region });
    return isProfilePropagationError(e)
      ? {
          ...err.info,
          hint: `IAM had not propagated instance profile ${plan.profile.name} within ${Math.round(env.propagationTimeoutMs / 1000)}s; run the same command again in a minute.`,
        }
      : err.info;
  };

  const one = async (t: Target): Promise<void> => {
    const calls = changesFor(plan, t);
    if (env.signal.aborted) {
      results.set(t, { target: { ...t, status: 'failed', error: INTERRUPTED }, changes: calls.map((c) => notAttempted(c, INTERRUPTED.message)) });
      return;
    }
    const ec2 = await env.clients.ec2(t.region!);
    if (t.action === 'associate' || replacesInPlace(t)) {
      const change = calls[0]!;
      try {
        const association =
          t.action === 'associate'
            ? await associate(ec2, t, profileArn)
            : (await ec2.replaceIamInstanceProfileAssociation({ AssociationId: t.previousAssociationId!, IamInstanceProfile: { Arn: profileArn } }))
                .IamInstanceProfileAssociation;
        results.set(t, {
          target: { ...t, status: 'applied', associationId: association?.AssociationId ?? t.associationId, associationState: association?.State ?? null },
          changes: [{ ...change, status: 'applied' }],
        });
      } catch (e) {
        const info = failure(e, t, change.operation);
        results.set(t, { target: { ...t, status: 'failed', error: info }, changes: [{ ...change, status: 'failed', error: info }] });
      }
      return;
    }
    results.set(t, await replaceStopped(ec2, t, calls));
  };

  /** Stopped instance: remove the current association, add the new one, and restore the old one if that fails. */
  const replaceStopped = async (ec2: Ec2Api, t: Target, [removal, addition]: Change[]): Promise<Outcome> => {
    try {
      await ec2.disassociateIamInstanceProfile({ AssociationId: t.previousAssociationId! });
    } catch (e) {
      const info = failure(e, t, removal!.operation);
      return {
        target: { ...t, status: 'failed', error: info },
        changes: [{ ...removal!, status: 'failed', error: info }, notAttempted(addition!, 'not attempted because removing the current profile failed')],
      };
    }
    const removed: Change = { ...removal!, status: 'applied' };
    try {
      const association = await associate(ec2, t, profileArn);
      return {
        target: { ...t, status: 'applied', associationId: association?.AssociationId ?? null, associationState: association?.State ?? null },
        changes: [removed, { ...addition!, status: 'applied' }],
      };
    } catch (e) {
      const info = failure(e, t, addition!.operation);
      const failedAddition: Change = { ...addition!, status: 'failed', error: info };
      // Never leave the instance with no profile when its old one can be put back.
      const restore = planned({
        region: t.region,
        action: 'attach',
        resource: addition!.resource,
        operation: 'ec2:AssociateIamInstanceProfile',
        details: { instanceProfileArn: t.previousInstanceProfileArn, reason: 'restore the previous profile' },
      });
      try {
        const back = (await ec2.associateIamInstanceProfile({ InstanceId: t.instanceId, IamInstanceProfile: { Arn: t.previousInstanceProfileArn! } }))
          .IamInstanceProfileAssociation;
        return {
          target: {
            ...t,
            status: 'failed',
            associationId: back?.AssociationId ?? null,
            associationState: back?.State ?? null,
            error: { ...info, message: `${info.message}; the previous profile ${t.previousInstanceProfileArn} was put back` },
          },
          changes: [removed, failedAddition, { ...restore, status: 'applied' }],
        };
      } catch (e2) {
        const info2 = failure(e2, t, restore.operation);
        return {
          target: {
            ...t,
            status: 'failed',
            associationId: null,
            associationState: null,
            error: {
              ...info,
              message: `${info.message}; the instance has NO instance profile now (putting ${t.previousInstanceProfileArn} back failed: ${info2.code})`,
              hint: `Attach one: aws ec2 associate-iam-instance-profile --instance-id ${t.instanceId} --iam-instance-profile Arn=${t.previousInstanceProfileArn} --region ${t.region}`,
            },
          },
          changes: [removed, failedAddition, { ...restore, status: 'failed', error: info2 }],
        };
      }
    }
  };

  // A counter for the terminal as instances finish: the ones that got the profile, out of all to
  // change, and the failures beside them. Instances never tried (Ctrl-C) do not move it.
  const tally = { attached: 0, failed: 0 };
  const report = () =>
    env.progress({ kind: 'progress', message: `profile attach: attached ${tally.attached}/${work.length}${tally.failed ? `, ${tally.failed} failed` : ''}` });
  const counted = async (t: Target): Promise<void> => {
    await one(t);
    const done = results.get(t)?.target;
    if (done?.status === 'applied') tally.attached += 1;
    else if (done?.error?.code !== 'NotAttempted') tally.failed += 1;
    report();
  };

  try {
    if (work.length > 0) report();
    // The first instance goes alone: if IAM has not propagated the profile yet, one instance waits
    // for it (with one progress line per retry) instead of every instance at once.
    if (work.length > 0) await counted(work[0]!);
    await mapLimit(work.slice(1), plan.request.concurrency, counted);
  } finally {
    env.progress({ kind: 'progress', message: '', done: true });
  }

  let targets = plan.targets.map((t) => results.get(t)?.target ?? t);
  if (plan.request.wait) targets = await waitAssociated(env, targets);
  const changes = plan.targets.flatMap((t) => results.get(t)?.changes ?? []);
  return finish(plan, targets, changes, false);
}

/** A stopped instance's replacement removes its current profile before adding the new one. */
function destructive(t: Target): boolean {
  return t.action === 'replace' && !replacesInPlace(t);
}

/**
 * --wait: poll (batched, per region) until each changed association is `associated`, within the bound.
 * Ctrl-C or a failed poll ends the wait, never the report: the associations made stay `applied`, with
 * the reason they were not seen `associated` in `error`.
 */
async function waitAssociated(env: ServiceEnv, targets: Target[]): Promise<Target[]> {
  const started = env.clock.now();
  const isPending = (t: Target) => t.status === 'applied' && t.associationState !== 'associated';
  let stop: ErrorInfo | null = null;
  let delay = 2000;
  while (targets.some(isPending) && env.clock.now() - started < env.propagationTimeoutMs) {
    const pending = targets.filter(isPending);
    env.progress({ kind: 'waiting', message: `waiting for ${pending.length} association(s) to become associated` });
    try {
      await env.clock.sleep(delay, env.signal);
      delay = Math.min(delay * 2, 10_000);
      const byRegion = new Map<string, string[]>();
      for (const t of pending) byRegion.set(t.region!, [...(byRegion.get(t.region!) ?? []), t.instanceId]);
      const states = new Map<string, string>();
      for (const [region, ids] of byRegion) {
        for (const [id, a] of await associationsOf(await env.clients.ec2(region), ids)) states.set(id, a.state);
      }
      targets = targets.map((t) => (states.has(t.instanceId) ? { ...t, associationState: states.get(t.instanceId)! } : t));
    } catch (e) {
      stop = env.signal.aborted
        ? {
            code: 'Interrupted',
            message: 'interrupted while waiting for the association to become associated; the association was made',
            hint: 'Check it with: aws ec2 describe-iam-instance-profile-associations',
          }
        : translateAwsError(e, { service: 'ec2', operation: 'DescribeIamInstanceProfileAssociations', region: null }).info;
      break;
    }
  }
  const elapsed = Math.round(env.propagationTimeoutMs / 1000);
  // The association was made: the instance stays `applied`, and `error` says why it was not seen `associated`.
  return targets.map((t) =>
    isPending(t)
      ? {
          ...t,
          error: stop
            ? { ...stop, message: `association made, but waiting for it stopped: ${stop.message}` }
            : {
                code: 'WaitTimeout',
                message: `association still ${t.associationState} after ${elapsed}s`,
                hint: 'Check it with: aws ec2 describe-iam-instance-profile-associations',
              },
        }
      : t,
  );
}
