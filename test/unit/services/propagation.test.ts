// waitWhilePropagating: the one bounded "IAM is still propagating" wait of every command, and its progress line.
import { describe, expect, it } from 'vitest';
import { waitWhilePropagating } from '../../../src/services/propagation.js';
import { testEnv } from '../../helpers/service-env.js';

const refused = new Error('not yet');
const propagating = (e: unknown) => e === refused;

describe('waitWhilePropagating', () => {
  it('retries the refusals it is told about, with one progress line per wait in seconds', async () => {
    const env = testEnv({ propagationTimeoutMs: 60_000 });
    let tries = 0;
    const out = await waitWhilePropagating(
      env,
      async () => {
        tries += 1;
        if (tries <= 3) throw refused;
        return 'done';
      },
      propagating,
      (e) => `role R is refused (${(e as Error).message})`,
    );
    expect(out).toBe('done');
    expect(env.clock.waits).toEqual([1000, 2000, 4000]);
    expect(env.events).toEqual([
      { kind: 'waiting', message: 'role R is refused (not yet) (IAM is still propagating); retrying in 1s (0s of at most 60s)' },
      { kind: 'waiting', message: 'role R is refused (not yet) (IAM is still propagating); retrying in 2s (1s of at most 60s)' },
      { kind: 'waiting', message: 'role R is refused (not yet) (IAM is still propagating); retrying in 4s (3s of at most 60s)' },
    ]);
  });

  it('gives up with the refusal once --wait-timeout has passed', async () => {
    const env = testEnv({ propagationTimeoutMs: 5000 });
    await expect(
      waitWhilePropagating(
        env,
        async () => {
          throw refused;
        },
        propagating,
        () => 'x',
      ),
    ).rejects.toBe(refused);
    // 1 s, 2 s, then the 2 s left of the 5 s bound.
    expect(env.clock.waits).toEqual([1000, 2000, 2000]);
    expect(env.events.map((e) => e.message)).toEqual([
      'x (IAM is still propagating); retrying in 1s (0s of at most 5s)',
      'x (IAM is still propagating); retrying in 2s (1s of at most 5s)',
      'x (IAM is still propagating); retrying in 2s (3s of at most 5s)',
    ]);
  });

  it('does not wait on any other error', async () => {
    const env = testEnv();
    const other = new Error('AccessDenied');
    await expect(
      waitWhilePropagating(
        env,
        async () => {
          throw other;
        },
        propagating,
        () => 'x',
      ),
    ).rejects.toBe(other);
    expect(env.clock.waits).toEqual([]);
    expect(env.events).toEqual([]);
  });
});
