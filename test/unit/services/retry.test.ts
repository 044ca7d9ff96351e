import { afterEach, describe, expect, it, vi } from 'vitest';
import { realClock, retryWhile, type RetryOptions } from '../../../src/services/retry.js';
import { AbortedError } from '../../../src/services/errors.js';
import { FakeClock } from '../../helpers/service-env.js';

const refused = Object.assign(new Error('not yet'), { name: 'InvalidParameterValue' });
const isRefused = (e: unknown) => e === refused;

/** fn that fails with `refused` `n` times, then returns 'done'; counts its calls. */
function failing(n: number) {
  const f = async () => {
    f.calls += 1;
    if (f.calls <= n) throw refused;
    return 'done';
  };
  f.calls = 0;
  return f;
}

function options(clock: FakeClock, over: Partial<RetryOptions> = {}): RetryOptions & { seen: [unknown, number, number][] } {
  const seen: [unknown, number, number][] = [];
  return { timeoutMs: 120_000, clock, onRetry: (e, w, el) => seen.push([e, w, el]), seen, ...over };
}

describe('retryWhile', () => {
  it('returns at once when the first try succeeds, without waiting', async () => {
    const clock = new FakeClock();
    const fn = failing(0);
    expect(await retryWhile(fn, isRefused, options(clock))).toBe('done');
    expect(fn.calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('waits 1 s, then doubles, capped at 10 s, telling onRetry the error, the wait and the time spent', async () => {
    const clock = new FakeClock();
    clock.t = 5_000_000; // the start is not time zero: elapsed is measured from the first try
    const o = options(clock);
    const fn = failing(6);
    expect(await retryWhile(fn, isRefused, o)).toBe('done');
    expect(fn.calls).toBe(7);
    expect(clock.waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(o.seen).toEqual([
      [refused, 1000, 0],
      [refused, 2000, 1000],
      [refused, 4000, 3000],
      [refused, 8000, 7000],
      [refused, 10_000, 15_000],
      [refused, 10_000, 25_000],
    ]);
  });

  it('honours firstDelayMs and maxDelayMs', async () => {
    const clock = new FakeClock();
    await retryWhile(failing(4), isRefused, options(clock, { firstDelayMs: 300, maxDelayMs: 1000 }));
    expect(clock.waits).toEqual([300, 600, 1000, 1000]);
  });

  it('trims the last wait to the time left, then gives up with the last error once the bound has passed', async () => {
    const clock = new FakeClock();
    const fn = failing(100);
    const err = await retryWhile(fn, isRefused, options(clock, { timeoutMs: 5000 })).catch((e: unknown) => e);
    expect(err).toBe(refused);
    // 1000 + 2000 = 3000 spent; 4000 would pass the bound, so the last wait is the 2000 left
    expect(clock.waits).toEqual([1000, 2000, 2000]);
    expect(fn.calls).toBe(4);
  });

  it('gives up when exactly the bound has passed (no wait of zero)', async () => {
    const clock = new FakeClock();
    const fn = failing(100);
    await expect(retryWhile(fn, isRefused, options(clock, { timeoutMs: 3000 }))).rejects.toBe(refused);
    expect(clock.waits).toEqual([1000, 2000]);
  });

  it('throws an error it was not told to wait out at once', async () => {
    const clock = new FakeClock();
    const other = new Error('AccessDenied');
    let calls = 0;
    const fn = async () => {
      calls += 1;
      throw other;
    };
    await expect(retryWhile(fn, isRefused, options(clock))).rejects.toBe(other);
    expect(calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('works without onRetry', async () => {
    const clock = new FakeClock();
    expect(await retryWhile(failing(2), isRefused, { timeoutMs: 60_000, clock })).toBe('done');
    expect(clock.waits).toEqual([1000, 2000]);
  });

  it('turns Ctrl-C during a wait into an interruption that says how long it waited and that nothing was changed', async () => {
    const clock = new FakeClock();
    let sleeps = 0;
    clock.sleep = async (ms: number) => {
      sleeps += 1;
      if (sleeps === 3) throw new Error('aborted');
      clock.waits.push(ms);
      clock.t += ms;
    };
    const err = await retryWhile(failing(100), isRefused, options(clock)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(err).toMatchObject({
      code: 'Interrupted',
      message: 'interrupted while waiting for IAM to propagate (3s waited); the change was not made',
      hint: 'Run the command again: it makes only the changes still missing.',
    });
  });

  it('passes the signal to the clock', async () => {
    const clock = new FakeClock();
    const signals: (AbortSignal | undefined)[] = [];
    const sleep = clock.sleep.bind(clock);
    clock.sleep = (ms: number, signal?: AbortSignal) => {
      signals.push(signal);
      return sleep(ms);
    };
    const signal = new AbortController().signal;
    await retryWhile(failing(1), isRefused, options(clock, { signal }));
    expect(signals).toEqual([signal]);
  });
});

describe('realClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('now() is the wall clock', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    expect(realClock.now()).toBe(1_700_000_000_000);
  });

  it('sleep resolves after the time asked, not before', async () => {
    vi.useFakeTimers();
    let done = false;
    const p = realClock.sleep(1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);
  });

  it('sleep rejects with the reason when the signal aborts, and stops its timer', async () => {
    vi.useFakeTimers();
    const abort = new AbortController();
    const p = realClock.sleep(60_000, abort.signal);
    const reason = new Error('Ctrl-C');
    abort.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleep rejects at once on a signal already aborted, setting no timer', async () => {
    vi.useFakeTimers();
    const abort = new AbortController();
    const reason = new Error('Ctrl-C');
    abort.abort(reason);
    await expect(realClock.sleep(1000, abort.signal)).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sleep lets go of the abort listener when it ends normally', async () => {
    vi.useFakeTimers();
    const abort = new AbortController();
    const add = vi.spyOn(abort.signal, 'addEventListener');
    const remove = vi.spyOn(abort.signal, 'removeEventListener');
    const p = realClock.sleep(10, abort.signal);
    await vi.advanceTimersByTimeAsync(10);
    await p;
    expect(add).toHaveBeenCalledWith('abort', expect.any(Function), { once: true });
    expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0]![1]);
  });
});
