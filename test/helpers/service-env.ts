// A ServiceEnv for unit tests: the real lazy client factory (whose SDK clients aws-sdk-client-mock
// intercepts), a fake clock that records waits instead of sleeping, and a list of progress events.
import { createClientFactory, type CallRecord } from '../../src/services/aws/clients.js';
import type { ServiceEnv } from '../../src/services/env.js';
import type { ProgressEvent } from '../../src/services/result.js';
import type { RetryClock } from '../../src/services/retry.js';

export class FakeClock implements RetryClock {
  t = 0;
  waits: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    this.t += ms;
  }
}

export interface TestEnv extends ServiceEnv {
  clock: FakeClock;
  events: ProgressEvent[];
  calls: CallRecord[];
  abort: AbortController;
}

export function testEnv(overrides: Partial<ServiceEnv> = {}): TestEnv {
  const abort = new AbortController();
  const events: ProgressEvent[] = [];
  const calls: CallRecord[] = [];
  const clock = new FakeClock();
  return {
    clients: createClientFactory({ onCall: (c) => calls.push(c) }),
    signal: abort.signal,
    clock,
    progress: (e) => events.push(e),
    regionConcurrency: 4,
    propagationTimeoutMs: 120_000,
    ...overrides,
    events,
    calls,
    abort,
  } as TestEnv;
}
