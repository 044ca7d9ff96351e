// The one "wait while IAM propagates" of every command: a role or instance profile created moments ago
// is refused by SSM or EC2 for a while. The caller names the errors that mean that, and what is
// waiting; the wait is bounded by --wait-timeout and reported as progress on each retry.
import type { ServiceEnv } from './env.js';
import { retryWhile } from './retry.js';

/** Runs `fn`, waiting out `propagating` errors; `waiting(error)` says what is refused, for the progress line. */
export function waitWhilePropagating<T>(
  env: ServiceEnv,
  fn: () => Promise<T>,
  propagating: (e: unknown) => boolean,
  waiting: (e: unknown) => string,
): Promise<T> {
  const bound = Math.round(env.propagationTimeoutMs / 1000);
  return retryWhile(fn, propagating, {
    timeoutMs: env.propagationTimeoutMs,
    clock: env.clock,
    signal: env.signal,
    onRetry: (e, waitMs, elapsedMs) =>
      env.progress({
        kind: 'waiting',
        message: `${waiting(e)} (IAM is still propagating); retrying in ${Math.round(waitMs / 1000)}s (${Math.round(elapsedMs / 1000)}s of at most ${bound}s)`,
      }),
  });
}
