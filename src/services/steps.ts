// Applying a plan: each planned change carries the call that makes it. Steps run in order; after a
// failure the rest are reported as not attempted (nothing half-done goes unreported). A step may
// retry errors that mean "IAM has not propagated what was just created" for a bounded time.
import type { ServiceEnv } from './env.js';
import { notAttempted, type Change } from './result.js';
import { waitWhilePropagating } from './propagation.js';
import { sdkErrorCode, translateAwsError } from './aws/translate-error.js';

export interface Step {
  change: Change;
  run: () => Promise<void>;
  /**
   * Errors to wait out while IAM propagates, and the resources (ARNs) the step needs. The wait happens
   * only when one of them was created earlier in this run: a resource that existed before and answers
   * NoSuchEntity is missing for good, and waiting two minutes for it would only hide that.
   */
  propagation?: { retryable: (e: unknown) => boolean; dependsOn: readonly string[] };
}

export function planned(c: Omit<Change, 'status' | 'error'>): Change {
  // Key order is the documented one: region, action, resource, operation, status, details, error.
  return { region: c.region, action: c.action, resource: c.resource, operation: c.operation, status: 'planned', details: c.details, error: null };
}

/** IAM's own read-after-create lag: a role or profile created a moment ago answers NoSuchEntity. */
export const iamNotYetVisible = (e: unknown) => sdkErrorCode(e) === 'NoSuchEntity';

export async function runSteps(env: ServiceEnv, steps: readonly Step[]): Promise<Change[]> {
  const done: Change[] = [];
  let failure: string | null = null;
  const created = new Set<string>();
  for (const step of steps) {
    const c = step.change;
    if (failure) {
      done.push(notAttempted(c, failure));
      continue;
    }
    if (env.signal.aborted) {
      done.push(notAttempted(c, 'interrupted before this change was made'));
      continue;
    }
    try {
      if (step.propagation && step.propagation.dependsOn.some((arn) => created.has(arn))) {
        await waitWhilePropagating(env, step.run, step.propagation.retryable, (e) => `${c.operation} on ${c.resource}: ${sdkErrorCode(e)}`);
      } else {
        await step.run();
      }
      if (c.action === 'create') created.add(c.resource);
      done.push({ ...c, status: 'applied' });
    } catch (e) {
      const [service, operation] = c.operation.split(':') as [string, string];
      const err = translateAwsError(e, { service, operation, region: c.region });
      done.push({ ...c, status: 'failed', error: err.info });
      failure = `not attempted because ${c.operation} on ${c.resource} failed (${err.code})`;
    }
  }
  return done;
}
