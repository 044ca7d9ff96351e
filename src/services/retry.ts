// Bounded retry for IAM eventual consistency: a role or profile created seconds ago may be refused by
// SSM or EC2 until IAM has propagated it (typically ~10 s; Terraform waits up to 2 minutes). This is
// not the SDK's retry (which handles throttling and 5xx); it retries only the errors a caller names.
import { AbortedError } from './errors.js';

export interface RetryClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface RetryOptions {
  /** Give up once this much time has passed since the first try. */
  timeoutMs: number;
  clock: RetryClock;
  signal?: AbortSignal | undefined;
  /** Told before each wait: the error that caused it, the wait, and the time spent so far. */
  onRetry?: (error: unknown, waitMs: number, elapsedMs: number) => void;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/** Runs `fn`, retrying while `retryable(error)` holds, with exponential backoff, for at most timeoutMs. */
export async function retryWhile<T>(fn: () => Promise<T>, retryable: (e: unknown) => boolean, o: RetryOptions): Promise<T> {
  const started = o.clock.now();
  let delay = o.firstDelayMs ?? 1000;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      const elapsed = o.clock.now() - started;
      if (!retryable(e) || elapsed >= o.timeoutMs) throw e;
      const wait = Math.min(delay, o.maxDelayMs ?? 10_000, Math.max(0, o.timeoutMs - elapsed));
      o.onRetry?.(e, wait, elapsed);
      try {
        await o.clock.sleep(wait, o.signal);
      } catch {
        // Ctrl-C during the wait: the change was tried and not made; say so in the tool's own terms.
        throw new AbortedError(
          'Interrupted',
          `interrupted while waiting for IAM to propagate (${Math.round(elapsed / 1000)}s waited); the change was not made`,
          'Run the command again: it makes only the changes still missing.',
        );
      }
      delay *= 2;
    }
  }
}
