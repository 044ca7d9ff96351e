// applyAttach in detail: what each instance and each change says after the EC2 calls, the restore path
// of a stopped instance, the order of the work, and --wait's polling (delays, bound, messages).
import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  ReplaceIamInstanceProfileAssociationCommand,
  type IamInstanceProfileAssociation,
  type InstanceStateName,
  type Reservation,
} from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { coreProfile, ec2, expectNoAwsCall, iam } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv, type TestEnv } from '../../helpers/service-env.js';
import { planAttach, type AttachRequest } from '../../../src/services/profile/attach-plan.js';
import { applyAttach, isProfilePropagationError } from '../../../src/services/profile/attach-apply.js';
import { attachRequest as request, instanceId as id } from '../../helpers/attach-request.js';

const PROFILE_ARN = 'arn:aws:iam::111122223333:instance-profile/SSMInstanceProfile';
const OTHER_ARN = 'arn:aws:iam::111122223333:instance-profile/Other';
const arnOf = (n: number) => `arn:aws:ec2:us-east-1:111122223333:instance/${id(n)}`;

const instances = (ids: string[], state: InstanceStateName = 'running'): Reservation => ({
  Instances: ids.map((i) => ({ InstanceId: i, State: { Name: state } })),
});

const assoc = (n: number, state: string, arn = PROFILE_ARN): IamInstanceProfileAssociation => ({
  InstanceId: id(n),
  AssociationId: `a${n}`,
  State: state as IamInstanceProfileAssociation['State'],
  IamInstanceProfile: { Arn: arn },
});

async function run(env: TestEnv, over: Partial<AttachRequest> = {}) {
  return applyAttach(env, await planAttach(env, request(over)));
}

// The refusal EC2 gives while IAM has not propagated a new profile (the IAM User Guide, "Changes that I
// make are not always immediately visible": https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html).
const PROPAGATING = 'Value (SSMInstanceProfile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name';

beforeEach(() => {
  ec2.reset();
  iam.reset();
  coreProfile('SSMInstanceProfile', 'SSMInstanceProfile');
});

describe('isProfilePropagationError', () => {
  it('is InvalidParameterValue about the profile name or its missing role, and nothing else', () => {
    expect(isProfilePropagationError(awsError('InvalidParameterValue', PROPAGATING))).toBe(true);
    expect(
      isProfilePropagationError(
        awsError('InvalidParameterValue', 'Value (arn:...) for parameter iamInstanceProfile.arn is invalid. The instance profile has no associated IAM Roles'),
      ),
    ).toBe(true);
    // Another invalid parameter is a real error, not a wait.
    expect(isProfilePropagationError(awsError('InvalidParameterValue', 'Value (x) for parameter instanceId is invalid.'))).toBe(false);
    // The right words under another code are not it either.
    expect(isProfilePropagationError(awsError('IncorrectState', 'Invalid IAM Instance Profile name'))).toBe(false);
  });

  it('is false, without throwing, for a rejection that is not an object', () => {
    expect(isProfilePropagationError(undefined)).toBe(false);
    expect(isProfilePropagationError(null)).toBe(false);
  });
});

describe('applyAttach: failures', () => {
  it('names the EC2 action in an access-denied failure', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const r = await run(testEnv());
    expect(r.instances[0]!.error!.message).toBe(
      'access denied to ec2:AssociateIamInstanceProfile in us-east-1: You are not authorized to perform this operation.',
    );
  });

  it('says how long it waited for IAM to propagate the profile, in seconds', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).rejects(awsError('InvalidParameterValue', PROPAGATING));
    const env = testEnv({ propagationTimeoutMs: 10_000 });
    const r = await run(env);
    expect(r.instances[0]).toMatchObject({
      status: 'failed',
      error: {
        code: 'InvalidParameterValue',
        hint: 'IAM had not propagated instance profile SSMInstanceProfile within 10s; run the same command again in a minute.',
      },
    });
    // Waits 1 s, 2 s, 4 s, then the 3 s left of the 10 s bound.
    expect(env.clock.waits).toEqual([1000, 2000, 4000, 3000]);
    expect(env.events.filter((e) => e.kind === 'waiting').map((e) => e.message)).toEqual([
      `${id(1)}: EC2 does not accept instance profile SSMInstanceProfile yet (IAM is still propagating); retrying in 1s (0s of at most 10s)`,
      `${id(1)}: EC2 does not accept instance profile SSMInstanceProfile yet (IAM is still propagating); retrying in 2s (1s of at most 10s)`,
      `${id(1)}: EC2 does not accept instance profile SSMInstanceProfile yet (IAM is still propagating); retrying in 4s (3s of at most 10s)`,
      `${id(1)}: EC2 does not accept instance profile SSMInstanceProfile yet (IAM is still propagating); retrying in 3s (7s of at most 10s)`,
    ]);
  });

  it('interrupted before it starts: changes nothing and reports every change as not attempted', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)]), instances([id(2)], 'stopped')] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [assoc(2, 'associated', OTHER_ARN)] });
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: assoc(1, 'associating') });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    const env = testEnv();
    const plan = await planAttach(env, request({ replace: true }));
    env.abort.abort(new Error('interrupted'));
    const r = await applyAttach(env, plan);
    expect(ec2).toHaveReceivedCommandTimes(AssociateIamInstanceProfileCommand, 0);
    expect(ec2).toHaveReceivedCommandTimes(DisassociateIamInstanceProfileCommand, 0);
    const interrupted = { code: 'NotAttempted', message: 'interrupted before this instance was changed', hint: 'Run the command again.' };
    expect(r.instances.map((i) => [i.instanceId, i.status, i.error])).toEqual([
      [id(1), 'failed', interrupted],
      [id(2), 'failed', interrupted],
    ]);
    const notAttempted = {
      code: 'NotAttempted',
      message: 'interrupted before this instance was changed',
      hint: 'Fix the failure above and run the command again.',
    };
    expect(r.changes.map((c) => [c.resource, c.operation, c.status, c.error])).toEqual([
      [arnOf(1), 'ec2:AssociateIamInstanceProfile', 'failed', notAttempted],
      [arnOf(2), 'ec2:DisassociateIamInstanceProfile', 'failed', notAttempted],
      [arnOf(2), 'ec2:AssociateIamInstanceProfile', 'failed', notAttempted],
    ]);
    expect(r.summary).toMatchObject({ attached: 0, replaced: 0, failed: 2 });
  });
});

describe('applyAttach: what EC2 answered', () => {
  it('a stopped instance with no profile is only associated (nothing to remove)', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)], 'stopped')] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: assoc(1, 'associating') });
    const r = await run(testEnv());
    expect(ec2).toHaveReceivedCommandTimes(DisassociateIamInstanceProfileCommand, 0);
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: id(1), IamInstanceProfile: { Arn: PROFILE_ARN } });
    expect(r.changes.map((c) => [c.operation, c.status])).toEqual([['ec2:AssociateIamInstanceProfile', 'applied']]);
    expect(r.instances[0]).toMatchObject({ status: 'applied', associationId: 'a1', associationState: 'associating' });
  });

  // The SDK types IamInstanceProfileAssociation as optional in every one of these answers
  // (@aws-sdk/client-ec2 AssociateIamInstanceProfileResult / ReplaceIamInstanceProfileAssociationResult):
  // an answer without it is still a success, with the association not known.
  it('an associate answer without the association is still applied, with the association unknown', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({});
    const r = await run(testEnv());
    expect(r.instances[0]).toMatchObject({ status: 'applied', associationId: null, associationState: null, error: null });
    expect(r.changes.map((c) => c.status)).toEqual(['applied']);
  });

  it('a replace answer without the association keeps the known association id', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [assoc(1, 'associated', OTHER_ARN)] });
    ec2.on(ReplaceIamInstanceProfileAssociationCommand).resolves({});
    const r = await run(testEnv(), { replace: true });
    expect(r.instances[0]).toMatchObject({ status: 'applied', associationId: 'a1', associationState: null });
  });

  it('a stopped instance: the new association and its state, or null when EC2 does not say', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)], 'stopped')] });
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolves({ IamInstanceProfileAssociations: [assoc(1, 'associated', OTHER_ARN), assoc(2, 'associated', OTHER_ARN)] });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2
      .on(AssociateIamInstanceProfileCommand, { InstanceId: id(1) })
      .resolves({ IamInstanceProfileAssociation: { AssociationId: 'new1', State: 'associating' } });
    ec2.on(AssociateIamInstanceProfileCommand, { InstanceId: id(2) }).resolves({});
    const r = await run(testEnv(), { replace: true });
    expect(r.instances.map((i) => [i.status, i.associationId, i.associationState])).toEqual([
      ['applied', 'new1', 'associating'],
      ['applied', null, null],
    ]);
    expect(r.changes.map((c) => c.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });
});

describe('applyAttach: restoring the previous profile of a stopped instance', () => {
  const DENIED = 'You are not authorized to perform this operation.';
  const stopped = () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(2)], 'stopped')] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [assoc(2, 'associated', OTHER_ARN)] });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand, { IamInstanceProfile: { Arn: PROFILE_ARN } }).rejects(awsError('UnauthorizedOperation', DENIED));
  };

  it('reports the restore as its own change, and the association it made', async () => {
    stopped();
    ec2
      .on(AssociateIamInstanceProfileCommand, { IamInstanceProfile: { Arn: OTHER_ARN } })
      .resolves({ IamInstanceProfileAssociation: { AssociationId: 'back', State: 'associating' } });
    const r = await run(testEnv(), { replace: true });
    expect(r.changes[2]).toEqual({
      region: 'us-east-1',
      action: 'attach',
      resource: arnOf(2),
      operation: 'ec2:AssociateIamInstanceProfile',
      status: 'applied',
      details: { instanceProfileArn: OTHER_ARN, reason: 'restore the previous profile' },
      error: null,
    });
    expect(r.instances[0]).toMatchObject({
      status: 'failed',
      associationId: 'back',
      associationState: 'associating',
      error: {
        code: 'UnauthorizedOperation',
        message: `access denied to ec2:AssociateIamInstanceProfile in us-east-1: ${DENIED}; the previous profile ${OTHER_ARN} was put back`,
      },
    });
  });

  it('a restore answer without the association leaves it unknown', async () => {
    stopped();
    ec2.on(AssociateIamInstanceProfileCommand, { IamInstanceProfile: { Arn: OTHER_ARN } }).resolves({});
    const r = await run(testEnv(), { replace: true });
    expect(r.changes.map((c) => c.status)).toEqual(['applied', 'failed', 'applied']);
    expect(r.instances[0]).toMatchObject({ status: 'failed', associationId: null, associationState: null });
  });

  it('a failed restore says the instance has no profile now, and the command that attaches the old one', async () => {
    stopped();
    ec2.on(AssociateIamInstanceProfileCommand, { IamInstanceProfile: { Arn: OTHER_ARN } }).rejects(awsError('IncorrectState', 'busy'));
    const r = await run(testEnv(), { replace: true });
    expect(r.changes[2]).toMatchObject({ operation: 'ec2:AssociateIamInstanceProfile', status: 'failed', error: { code: 'IncorrectState' } });
    expect(r.instances[0]).toMatchObject({
      status: 'failed',
      associationId: null,
      associationState: null,
      error: {
        code: 'UnauthorizedOperation',
        message: `access denied to ec2:AssociateIamInstanceProfile in us-east-1: ${DENIED}; the instance has NO instance profile now (putting ${OTHER_ARN} back failed: IncorrectState)`,
        hint: `Attach one: aws ec2 associate-iam-instance-profile --instance-id ${id(2)} --iam-instance-profile Arn=${OTHER_ARN} --region us-east-1`,
      },
    });
  });
});

describe('applyAttach: order', () => {
  /** The EC2 writes made, in order, as "Command:instance or association id". */
  const writes = () =>
    ec2
      .calls()
      .map((c) => {
        const input = c.args[0].input as { InstanceId?: string; AssociationId?: string };
        return `${c.args[0].constructor.name}:${input.InstanceId ?? input.AssociationId}`;
      })
      .filter((o) => !o.startsWith('Describe'));

  it('a stopped instance that only gains a profile keeps its place: only a removal waits for the others', async () => {
    // Plan order: the stopped, profile-less id(1); the stopped id(2) whose profile is replaced; the running id(3).
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)], 'stopped'), instances([id(3)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [assoc(2, 'associated', OTHER_ARN)] });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: assoc(1, 'associating') });
    await run(testEnv(), { replace: true, concurrency: 1 });
    expect(writes()).toEqual([
      `AssociateIamInstanceProfileCommand:${id(1)}`,
      `AssociateIamInstanceProfileCommand:${id(3)}`,
      'DisassociateIamInstanceProfileCommand:a2',
      `AssociateIamInstanceProfileCommand:${id(2)}`,
    ]);
  });

  it('a stopped instance listed first still loses its profile only after the others gained theirs', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)], 'stopped'), instances([id(2), id(3)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [assoc(1, 'associated', OTHER_ARN)] });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: assoc(1, 'associating') });
    await run(testEnv(), { replace: true, concurrency: 1 });
    expect(writes()).toEqual([
      `AssociateIamInstanceProfileCommand:${id(2)}`,
      `AssociateIamInstanceProfileCommand:${id(3)}`,
      'DisassociateIamInstanceProfileCommand:a1',
      `AssociateIamInstanceProfileCommand:${id(1)}`,
    ]);
  });
});

describe('applyAttach --wait', () => {
  const associating = (ids: number[]) => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances(ids.map(id))] });
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'x', State: 'associating' } });
  };

  it('waits 2 s, doubling up to 10 s, and gives up at the bound with the state last seen', async () => {
    associating([1]);
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({})
      .resolves({ IamInstanceProfileAssociations: [assoc(1, 'associating')] });
    const env = testEnv({ propagationTimeoutMs: 34_000 });
    const r = await run(env, { wait: true });
    // 2 + 4 + 8 + 10 + 10 = 34 s: the bound is reached exactly after the fifth poll, and there is no sixth.
    expect(env.clock.waits).toEqual([2000, 4000, 8000, 10_000, 10_000]);
    expect(env.events.filter((e) => e.kind === 'waiting')).toEqual(
      Array(5).fill({ kind: 'waiting', message: 'waiting for 1 association(s) to become associated' }),
    );
    expect(r.instances[0]).toMatchObject({
      status: 'applied',
      associationState: 'associating',
      error: {
        code: 'WaitTimeout',
        message: 'association still associating after 34s',
        hint: 'Check it with: aws ec2 describe-iam-instance-profile-associations',
      },
    });
    expect(r.summary).toMatchObject({ attached: 1, failed: 0 });
  });

  it('measures the bound from when the wait starts, whatever the clock read then', async () => {
    associating([1]);
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({})
      .resolves({ IamInstanceProfileAssociations: [assoc(1, 'associated')] });
    const env = testEnv({ propagationTimeoutMs: 10_000 });
    env.clock.t = 1_000_000;
    const r = await run(env, { wait: true });
    expect(env.clock.waits).toEqual([2000]);
    expect(r.instances[0]).toMatchObject({ associationState: 'associated', error: null });
  });

  it('polls only the associations still pending, and leaves failed instances and their error alone', async () => {
    associating([1, 2, 3]);
    ec2.on(AssociateIamInstanceProfileCommand, { InstanceId: id(1) }).resolves({ IamInstanceProfileAssociation: { AssociationId: 'x', State: 'associated' } });
    ec2.on(AssociateIamInstanceProfileCommand, { InstanceId: id(3) }).rejects(awsError('IncorrectState', 'There is an existing association for instance'));
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({})
      .resolves({ IamInstanceProfileAssociations: [assoc(2, 'associated')] });
    const env = testEnv();
    const r = await run(env, { wait: true });
    expect(env.events.filter((e) => e.kind === 'waiting')).toEqual([{ kind: 'waiting', message: 'waiting for 1 association(s) to become associated' }]);
    const poll = ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[1]!;
    expect(poll.args[0].input.Filters).toEqual([{ Name: 'instance-id', Values: [id(2)] }]);
    expect(r.instances.map((i) => [i.status, i.associationState, i.error?.code ?? null])).toEqual([
      ['applied', 'associated', null],
      ['applied', 'associated', null],
      ['failed', null, 'IncorrectState'],
    ]);
    expect(r.instances[2]!.error!.message).toBe('ec2:AssociateIamInstanceProfile in us-east-1 failed: There is an existing association for instance');
  });

  it('a failed poll ends the wait and says which call failed', async () => {
    associating([1]);
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({})
      .rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503));
    const env = testEnv();
    const r = await run(env, { wait: true });
    expect(env.clock.waits).toEqual([2000]);
    expect(r.instances[0]).toMatchObject({
      status: 'applied',
      associationState: 'associating',
      error: {
        code: 'RequestLimitExceeded',
        message: 'association made, but waiting for it stopped: ec2:DescribeIamInstanceProfileAssociations was throttled: Request limit exceeded.',
      },
    });
  });

  it('Ctrl-C during the wait: the association was made, and says how to check it', async () => {
    associating([1]);
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const env = testEnv();
    env.clock.sleep = async () => {
      env.abort.abort(new Error('interrupted'));
      throw new Error('interrupted');
    };
    const r = await run(env, { wait: true });
    expect(r.instances[0]).toMatchObject({
      status: 'applied',
      error: {
        code: 'Interrupted',
        message: 'association made, but waiting for it stopped: interrupted while waiting for the association to become associated; the association was made',
        hint: 'Check it with: aws ec2 describe-iam-instance-profile-associations',
      },
    });
  });
});

it('reads nothing and writes nothing when the plan has no work', async () => {
  const env = testEnv();
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
  const plan = await planAttach(env, request({ wait: true }));
  ec2.reset();
  iam.reset();
  const r = await applyAttach(env, plan);
  expectNoAwsCall();
  expect(r.changes).toEqual([]);
});

describe('applyAttach: progress', () => {
  const progress = (env: TestEnv) => env.events.filter((e) => e.kind === 'progress').map((e) => ('done' in e && e.done ? 'done' : e.message));

  it('counts the instances attached out of those to change, with the failures beside them, then ends the line', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2), id(3)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    ec2
      .on(AssociateIamInstanceProfileCommand)
      .resolves({ IamInstanceProfileAssociation: assoc(1, 'associating') })
      .on(AssociateIamInstanceProfileCommand, { InstanceId: id(2) })
      .rejects(awsError('UnauthorizedOperation', 'no'));
    const env = testEnv();
    await run(env, { concurrency: 1 });
    expect(progress(env)).toEqual([
      'profile attach: attached 0/3',
      'profile attach: attached 1/3',
      'profile attach: attached 1/3, 1 failed',
      'profile attach: attached 2/3, 1 failed',
      'done',
    ]);
  });

  it('instances never tried after Ctrl-C move neither count, and the line still ends', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: assoc(1, 'associating') });
    const env = testEnv();
    const plan = await planAttach(env, request());
    env.abort.abort(new Error('interrupted'));
    await applyAttach(env, plan);
    expect(progress(env)).toEqual(['profile attach: attached 0/2', 'profile attach: attached 0/2', 'profile attach: attached 0/2', 'done']);
  });

  it('over several regions, planning counts the regions read; one region reads without a counter', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const two = testEnv();
    await planAttach(two, request({ regions: ['us-east-1', 'us-west-2'] }));
    expect(progress(two)).toEqual(['profile attach: read 1 of 2 regions', 'profile attach: read 2 of 2 regions', 'done']);
    const one = testEnv();
    await planAttach(one, request());
    expect(progress(one)).toEqual([]);
  });
});
