// runSteps: a plan's steps in order, the rest not attempted after a failure or Ctrl-C, and the IAM
// propagation wait only for a resource this run created (IAM is eventually consistent: "changes
// that you make in IAM ... are not always immediately visible", IAM User Guide, Troubleshooting
// IAM, "Changes that I make are not always immediately visible").
import { describe, expect, it } from 'vitest';
import { iamNotYetVisible, planned, runSteps, type Step } from '../../../src/services/steps.js';
import { notAttempted } from '../../../src/services/result.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';

const ROLE = 'arn:aws:iam::111122223333:role/R';
const POLICY = 'arn:aws:iam::111122223333:policy/P';

function step(action: 'create' | 'attach', resource: string, run: () => Promise<void>, propagation?: Step['propagation']): Step {
  return {
    change: planned({ region: null, action, resource, operation: action === 'create' ? 'iam:CreateRole' : 'iam:AttachRolePolicy', details: {} }),
    run,
    propagation,
  };
}

/** A run that fails with NoSuchEntity `n` times, then succeeds. */
function lagging(n: number) {
  let calls = 0;
  const run = async () => {
    calls += 1;
    if (calls <= n) throw awsError('NoSuchEntity', 'The role with name R cannot be found.', 404);
  };
  return { run, calls: () => calls };
}

describe('iamNotYetVisible', () => {
  it('is true only for NoSuchEntity', () => {
    expect(iamNotYetVisible(awsError('NoSuchEntity', 'x', 404))).toBe(true);
    expect(iamNotYetVisible(awsError('AccessDenied', 'x', 403))).toBe(false);
    expect(iamNotYetVisible(new Error('x'))).toBe(false);
  });
});

describe('runSteps', () => {
  it('runs the steps in order and reports each applied', async () => {
    const order: string[] = [];
    const changes = await runSteps(testEnv(), [
      step('create', ROLE, async () => void order.push('create')),
      step('attach', ROLE, async () => void order.push('attach')),
    ]);
    expect(order).toEqual(['create', 'attach']);
    expect(changes.map((c) => [c.operation, c.status, c.error])).toEqual([
      ['iam:CreateRole', 'applied', null],
      ['iam:AttachRolePolicy', 'applied', null],
    ]);
  });

  it('waits out NoSuchEntity on a resource created earlier in the run, with a progress line naming the call and the AWS code', async () => {
    const env = testEnv();
    const lag = lagging(2);
    const changes = await runSteps(env, [
      step('create', POLICY, async () => undefined),
      step('attach', ROLE, lag.run, { retryable: iamNotYetVisible, dependsOn: [POLICY] }),
    ]);
    expect(changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(lag.calls()).toBe(3);
    expect(env.clock.waits).toEqual([1000, 2000]);
    expect(env.events[0]).toEqual({
      kind: 'waiting',
      message: `iam:AttachRolePolicy on ${ROLE}: NoSuchEntity (IAM is still propagating); retrying in 1s (0s of at most 120s)`,
    });
  });

  it('does not wait for a resource that existed before the run: NoSuchEntity then means missing, at once', async () => {
    const env = testEnv();
    const lag = lagging(1);
    const changes = await runSteps(env, [step('attach', ROLE, lag.run, { retryable: iamNotYetVisible, dependsOn: [POLICY] })]);
    expect(lag.calls()).toBe(1);
    expect(env.clock.waits).toEqual([]);
    expect(changes[0]).toMatchObject({ status: 'failed', error: { code: 'NoSuchEntity' } });
  });

  it('does not wait when the resource was only attached (not created) earlier in the run', async () => {
    const env = testEnv();
    const lag = lagging(1);
    const changes = await runSteps(env, [
      step('attach', POLICY, async () => undefined),
      step('attach', ROLE, lag.run, { retryable: iamNotYetVisible, dependsOn: [POLICY] }),
    ]);
    expect(lag.calls()).toBe(1);
    expect(changes[1]!.status).toBe('failed');
  });

  it('after a failure, reports the rest as not attempted, naming the call that failed and its code', async () => {
    const env = testEnv();
    let ran = false;
    const changes = await runSteps(env, [
      step('create', ROLE, async () => {
        throw awsError('EntityAlreadyExists', 'Role with name R already exists.', 409);
      }),
      step('attach', ROLE, async () => {
        ran = true;
      }),
    ]);
    expect(ran).toBe(false);
    expect(changes[0]).toMatchObject({ status: 'failed', error: { code: 'EntityAlreadyExists' } });
    expect(changes[1]).toEqual({
      ...changes[1],
      status: 'failed',
      error: {
        code: 'NotAttempted',
        message: `not attempted because iam:CreateRole on ${ROLE} failed (EntityAlreadyExists)`,
        hint: 'Fix the failure above and run the command again.',
      },
    });
  });

  it('after Ctrl-C, sends nothing more and reports the rest as not attempted because of the interruption', async () => {
    const env = testEnv();
    const ran: string[] = [];
    const changes = await runSteps(env, [
      step('create', ROLE, async () => {
        ran.push('create');
        env.abort.abort();
      }),
      step('attach', ROLE, async () => void ran.push('attach')),
    ]);
    expect(ran).toEqual(['create']);
    expect(changes.map((c) => [c.status, c.error?.code ?? null, c.error?.message ?? null])).toEqual([
      ['applied', null, null],
      ['failed', 'NotAttempted', 'interrupted before this change was made'],
    ]);
  });
});

describe('notAttempted', () => {
  it('marks the change failed with the NotAttempted code, the reason and the next step', () => {
    const c = planned({ region: 'us-east-1', action: 'reset', resource: 'x', operation: 'ssm:ResetServiceSetting', details: {} });
    expect(notAttempted(c, 'because')).toEqual({
      ...c,
      status: 'failed',
      error: { code: 'NotAttempted', message: 'because', hint: 'Fix the failure above and run the command again.' },
    });
  });
});
