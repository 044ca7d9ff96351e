// What every service works with: the lazy clients, the interrupt signal, a clock for bounded waits
// and a listener for progress. Built by the CLI; services never touch process, stdout or stderr.
import type { ClientFactory } from './aws/clients.js';
import type { ProgressListener } from './result.js';
import type { RetryClock } from './retry.js';

export interface ServiceEnv {
  clients: ClientFactory;
  signal: AbortSignal;
  clock: RetryClock;
  progress: ProgressListener;
  /** How many regions to work on at once. */
  regionConcurrency: number;
  /** How long to wait for IAM propagation before giving up, in milliseconds. */
  propagationTimeoutMs: number;
}

/** Regions worked on at once by default. */
export const DEFAULT_REGION_CONCURRENCY = 8;
