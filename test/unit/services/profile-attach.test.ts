import {
  AssociateIamInstanceProfileCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DisassociateIamInstanceProfileCommand,
  ReplaceIamInstanceProfileAssociationCommand,
} from '@aws-sdk/client-ec2';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import type { InstanceStateName, Reservation } from '@aws-sdk/client-ec2';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2, iam } from '../../helpers/aws-mocks.js';
import { attachPlanResult, planAttach } from '../../../src/services/profile/attach-plan.js';
import { applyAttach } from '../../../src/services/profile/attach-apply.js';
import { PreconditionError } from '../../../src/services/errors.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { attachRequest as request, instanceId as id } from '../../helpers/attach-request.js';

const PROFILE_ARN = 'arn:aws:iam::111122223333:instance-profile/SSMInstanceProfile';
const OTHER_ARN = 'arn:aws:iam::111122223333:instance-profile/Other';

function profileWithCoreRole() {
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      InstanceProfileName: 'SSMInstanceProfile',
      Arn: PROFILE_ARN,
      Path: '/',
      InstanceProfileId: 'x',
      CreateDate: new Date(),
      Roles: [{ RoleName: 'SSMInstanceProfile', Arn: 'r', Path: '/', RoleId: 'x', CreateDate: new Date() }],
    },
  });
  iam.on(GetRoleCommand).resolves({
    Role: { RoleName: 'SSMInstanceProfile', Arn: 'arn:aws:iam::111122223333:role/SSMInstanceProfile', Path: '/', RoleId: 'x', CreateDate: new Date() },
  });
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }], IsTruncated: false });
}

const instances = (ids: string[], state: InstanceStateName = 'running'): Reservation => ({
  Instances: ids.map((i) => ({ InstanceId: i, State: { Name: state } })),
});

beforeEach(() => {
  ec2.reset();
  iam.reset();
  profileWithCoreRole();
});

describe('planAttach', () => {
  it('follows NextToken on DescribeInstances and on the association listing', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [instances([id(1), id(2)])], NextToken: 't1' })
      .resolvesOnce({ Reservations: [instances([id(3)])] });
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({
        IamInstanceProfileAssociations: [{ InstanceId: id(1), AssociationId: 'a1', State: 'associated', IamInstanceProfile: { Arn: PROFILE_ARN } }],
        NextToken: 'n1',
      })
      .resolvesOnce({
        IamInstanceProfileAssociations: [{ InstanceId: id(2), AssociationId: 'a2', State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } }],
      });
    const plan = await planAttach(testEnv(), request());
    expect(ec2).toHaveReceivedCommandTimes(DescribeInstancesCommand, 2);
    expect(ec2).toHaveReceivedNthCommandWith(DescribeInstancesCommand, 2, { NextToken: 't1' });
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 2);
    expect(plan.targets.map((t) => [t.instanceId, t.action, t.status])).toEqual([
      [id(1), 'none', 'unchanged'],
      [id(2), 'replace', 'failed'],
      [id(3), 'associate', 'planned'],
    ]);
    expect(plan.targets[1]!.error!.message).toBe(`has profile ${OTHER_ARN}; use --replace`);
  });

  it('reads associations in chunks of 200 instance ids, not once per instance', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => id(i + 1));
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances(ids)] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: [] });
    const plan = await planAttach(testEnv(), request());
    expect(plan.targets).toHaveLength(450);
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 3);
    const sizes = ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand).map((c) => c.args[0].input.Filters![0]!.Values!.length);
    expect(sizes).toEqual([200, 200, 50]);
  });

  it('filters by tag and instance id together, skips terminated instances and reports ids not found', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)]), instances([id(2)], 'terminated')] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const plan = await planAttach(testEnv(), request({ instanceIds: [id(1), id(2), id(9)] }));
    expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [
        { Name: 'tag:Env', Values: ['prod'] },
        { Name: 'instance-id', Values: [id(1), id(2), id(9)] },
      ],
    });
    expect(plan.targets.map((t) => [t.instanceId, t.status])).toEqual([
      [id(1), 'planned'],
      [id(2), 'skipped'],
      [id(9), 'failed'],
    ]);
    expect(plan.targets[2]!.error!.code).toBe('InstanceNotFound');
    // The association listing skips terminated instances.
    expect(ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0]!.args[0].input.Filters![0]!.Values).toEqual([id(1)]);
  });

  it('refuses a profile that does not exist or holds no role, before reading instances', async () => {
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'nope', 404));
    await expect(planAttach(testEnv(), request())).rejects.toBeInstanceOf(PreconditionError);
    iam
      .on(GetInstanceProfileCommand)
      .resolves({ InstanceProfile: { InstanceProfileName: 'P', Arn: PROFILE_ARN, Path: '/', InstanceProfileId: 'x', CreateDate: new Date(), Roles: [] } });
    await expect(planAttach(testEnv(), request())).rejects.toMatchObject({ code: 'InstanceProfileHasNoRole' });
    expect(ec2).not.toHaveReceivedCommand(DescribeInstancesCommand);
  });

  it('plans with reads only (no EC2 or IAM write), and its result - what --dry-run prints - lists every change as planned', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)]), instances([id(3)], 'stopped')] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [
        { InstanceId: id(2), AssociationId: 'a2', State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } },
        { InstanceId: id(3), AssociationId: 'a3', State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } },
      ],
    });
    const r = attachPlanResult(await planAttach(testEnv(), request({ replace: true })));
    expect(r.dryRun).toBe(true);
    expect(r.changes.map((c) => [c.resource.split('/').pop(), c.operation, c.status])).toEqual([
      [id(1), 'ec2:AssociateIamInstanceProfile', 'planned'],
      [id(2), 'ec2:ReplaceIamInstanceProfileAssociation', 'planned'],
      [id(3), 'ec2:DisassociateIamInstanceProfile', 'planned'],
      [id(3), 'ec2:AssociateIamInstanceProfile', 'planned'],
    ]);
    expect(r.summary).toMatchObject({ planned: 3, attached: 0, replaced: 0 });
    // Every call planning sent was a read: none of the changes above was made.
    const sent = [...ec2.calls(), ...iam.calls()].map((c) => (c.args[0] as object).constructor.name);
    expect(sent).toContain('DescribeInstancesCommand');
    expect(sent.filter((n) => !/^(Describe|Get|List)/.test(n))).toEqual([]);
  });
});

/** The profile's role trusts EC2 and carries one managed policy; the returned function sets its statements. */
function roleWithOnePolicy(arn: string): (statements: unknown[]) => void {
  const ec2Trust = encodeURIComponent(
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  );
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: 'SSMInstanceProfile',
      Arn: 'arn:aws:iam::111122223333:role/SSMInstanceProfile',
      Path: '/',
      RoleId: 'x',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: ec2Trust,
    },
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: arn }], IsTruncated: false });
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: arn, DefaultVersionId: 'v1' } });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
  return (Statement) => {
    iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement })) } });
  };
}

describe('ids not found while a region could not be read', () => {
  it('are not called "not found": the region error decides, and the id says the region was not read', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const plan = await planAttach(testEnv(), request({ tags: [], instanceIds: [id(1)] }));
    const r = attachPlanResult(plan);
    expect(r.instances[0]).toMatchObject({
      status: 'failed',
      error: { code: 'NotAttempted', message: expect.stringContaining('us-east-1 could not be read') },
    });
    expect(r.regions[0]).toMatchObject({ ok: false, error: { code: 'UnauthorizedOperation' } });
  });
});

describe('the role check of planAttach (the IAM evaluator, as doctor uses it)', () => {
  it("warns when the role's permissions boundary leaves out the agent's registration, even with the core policy attached, naming the instances", async () => {
    const core = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
    const boundary = 'arn:aws:iam::111122223333:policy/S3Only';
    const ec2Trust = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    );
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'SSMInstanceProfile',
        Arn: 'arn:aws:iam::111122223333:role/SSMInstanceProfile',
        Path: '/',
        RoleId: 'x',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: ec2Trust,
        PermissionsBoundary: { PermissionsBoundaryArn: boundary, PermissionsBoundaryType: 'PermissionsBoundaryPolicy' },
      },
    });
    iam.on(GetPolicyCommand).callsFake((i: { PolicyArn: string }) => ({ Policy: { Arn: i.PolicyArn, DefaultVersionId: 'v1' } }));
    const doc = (Statement: unknown) => ({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement })) } });
    iam
      .on(GetPolicyVersionCommand, { PolicyArn: core })
      .resolves(doc([{ Effect: 'Allow', Action: ['ssm:*', 'ssmmessages:*', 'ec2messages:*'], Resource: '*' }]));
    iam.on(GetPolicyVersionCommand, { PolicyArn: boundary }).resolves(doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]));
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const plan = await planAttach(testEnv(), request());
    expect(plan.warnings).toEqual([
      expect.stringMatching(
        /^role SSMInstanceProfile of instance profile SSMInstanceProfile is limited by permissions boundary .*S3Only.* \(2 instances i-0+1, i-0+2\)$/,
      ),
    ]);
    expect(plan.warnings[0]).toContain('aws iam delete-role-permissions-boundary --role-name SSMInstanceProfile');

    iam.on(GetPolicyVersionCommand, { PolicyArn: boundary }).resolves(doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]));
    expect((await planAttach(testEnv(), request())).warnings).toEqual([]);
  });

  it('judges each instance as doctor does: a statement scoped to one instance warns only for the others', async () => {
    const policy = roleWithOnePolicy('arn:aws:iam::111122223333:policy/OneInstance');
    const statements = [
      { Effect: 'Allow', Action: ['ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'], Resource: '*' },
      { Effect: 'Allow', Action: 'ssm:UpdateInstanceInformation', Resource: `arn:aws:ec2:us-east-1:111122223333:instance/${id(1)}` },
    ];
    policy(statements);
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const plan = await planAttach(testEnv(), request());
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toContain('does not allow ssm:UpdateInstanceInformation: SSM Agent cannot register with it');
    expect(plan.warnings[0]).toMatch(new RegExp(`\\(instance ${id(2)}\\)$`));
  });

  it("gives the evaluator the instance's VPC (aws:Ec2InstanceSourceVpc), and warns when only the other actions are in doubt", async () => {
    const policy = roleWithOnePolicy('arn:aws:iam::111122223333:policy/VpcOnly');
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [{ InstanceId: id(1), State: { Name: 'running' }, VpcId: 'vpc-1', PrivateIpAddress: '10.0.0.5' }] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});

    policy([{ Effect: 'Allow', Action: ['ssm:*', 'ssmmessages:*'], Resource: '*', Condition: { StringEquals: { 'aws:Ec2InstanceSourceVpc': 'vpc-1' } } }]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([]);

    policy([
      { Effect: 'Allow', Action: 'ssm:*', Resource: '*' },
      { Sid: 'Sessions', Effect: 'Allow', Action: 'ssmmessages:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      expect.stringMatching(/lets the agent register; it may not allow ssmmessages:.*statement Sessions .* depends on aws:SourceIp/),
    ]);
  });
});

describe('applyAttach', () => {
  it('replaces on a running instance, and disassociates then associates on a stopped one', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)]), instances([id(2)], 'stopped')] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({
      IamInstanceProfileAssociations: [
        { InstanceId: id(1), AssociationId: 'a1', State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } },
        { InstanceId: id(2), AssociationId: 'a2', State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } },
      ],
    });
    ec2.on(ReplaceIamInstanceProfileAssociationCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'a1b', State: 'associating' } });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'a2b', State: 'associating' } });
    const env = testEnv();
    const r = await applyAttach(env, await planAttach(env, request({ replace: true })));
    expect(ec2).toHaveReceivedCommandWith(ReplaceIamInstanceProfileAssociationCommand, { AssociationId: 'a1', IamInstanceProfile: { Arn: PROFILE_ARN } });
    expect(ec2).toHaveReceivedCommandWith(DisassociateIamInstanceProfileCommand, { AssociationId: 'a2' });
    expect(ec2).toHaveReceivedCommandWith(AssociateIamInstanceProfileCommand, { InstanceId: id(2), IamInstanceProfile: { Arn: PROFILE_ARN } });
    expect(ec2.commandCalls(DisassociateIamInstanceProfileCommand)[0]!.calledBefore(ec2.commandCalls(AssociateIamInstanceProfileCommand)[0]!)).toBe(true);
    expect(r.summary).toMatchObject({ replaced: 2, failed: 0 });
    expect(r.instances.map((i) => i.associationId)).toEqual(['a1b', 'a2b']);
  });

  it('waits out "Invalid IAM Instance Profile name" while IAM propagates, with progress, up to the bound', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const propagating = awsError(
      'InvalidParameterValue',
      'Value (SSMInstanceProfile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name',
    );
    ec2
      .on(AssociateIamInstanceProfileCommand)
      .rejectsOnce(propagating)
      .rejectsOnce(propagating)
      .resolves({ IamInstanceProfileAssociation: { AssociationId: 'a', State: 'associating' } });
    const env = testEnv();
    const r = await applyAttach(env, await planAttach(env, request()));
    expect(r.summary.attached).toBe(2);
    expect(env.clock.waits).toEqual([1000, 2000]);
    expect(env.events.filter((e) => e.kind === 'waiting')).toHaveLength(2);

    ec2.on(AssociateIamInstanceProfileCommand).rejects(propagating);
    const slow = testEnv({ propagationTimeoutMs: 10_000 });
    const failed = await applyAttach(slow, await planAttach(slow, request()));
    expect(failed.summary.failed).toBe(2);
    expect(failed.instances[0]!.error!.hint).toContain('run the same command again');
  });

  it('reports each failure per instance while the others proceed', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2), id(3)])] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'a', State: 'associating' } });
    ec2.on(AssociateIamInstanceProfileCommand, { InstanceId: id(2) }).rejects(awsError('IncorrectState', 'There is an existing association for instance'));
    const env = testEnv();
    const r = await applyAttach(env, await planAttach(env, request()));
    expect(r.instances.map((i) => i.status)).toEqual(['applied', 'failed', 'applied']);
    expect(r.instances[1]!.error!.code).toBe('IncorrectState');
    expect(r.changes.map((c) => c.status)).toEqual(['applied', 'failed', 'applied']);
    // The region of a failed change is not ok, so `jq -e '.regions | all(.ok)'` tells the truth.
    expect(r.regions).toEqual([{ region: 'us-east-1', ok: false, error: expect.objectContaining({ code: 'IncorrectState' }) }]);
  });

  it('never has more than --concurrency writes in flight', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => id(i + 1));
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances(ids)] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    let inFlight = 0;
    let peak = 0;
    ec2.on(AssociateIamInstanceProfileCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return { IamInstanceProfileAssociation: { AssociationId: 'a', State: 'associated' } };
    });
    const env = testEnv();
    const r = await applyAttach(env, await planAttach(env, request({ concurrency: 3 })));
    expect(r.summary.attached).toBe(40);
    expect(peak).toBe(3);
  });

  it('--wait polls the associations in batches until they are associated', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)])] });
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({})
      .resolvesOnce({
        IamInstanceProfileAssociations: [
          { InstanceId: id(1), AssociationId: 'a', State: 'associated', IamInstanceProfile: { Arn: PROFILE_ARN } },
          { InstanceId: id(2), AssociationId: 'b', State: 'associating', IamInstanceProfile: { Arn: PROFILE_ARN } },
        ],
      })
      .resolves({
        IamInstanceProfileAssociations: [
          { InstanceId: id(1), AssociationId: 'a', State: 'associated', IamInstanceProfile: { Arn: PROFILE_ARN } },
          { InstanceId: id(2), AssociationId: 'b', State: 'associated', IamInstanceProfile: { Arn: PROFILE_ARN } },
        ],
      });
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'x', State: 'associating' } });
    const env = testEnv();
    const r = await applyAttach(env, await planAttach(env, request({ wait: true })));
    expect(r.instances.map((i) => i.associationState)).toEqual(['associated', 'associated']);
    // One plan read, then two polls - each a single call for both instances.
    expect(ec2).toHaveReceivedCommandTimes(DescribeIamInstanceProfileAssociationsCommand, 3);
  });

  it('on a stopped instance, reports the removal and the failed addition apart, and puts the old profile back', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(2)], 'stopped')] });
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolves({ IamInstanceProfileAssociations: [{ InstanceId: id(2), AssociationId: 'a2', State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } }] });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2
      .on(AssociateIamInstanceProfileCommand, { IamInstanceProfile: { Arn: PROFILE_ARN } })
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    ec2
      .on(AssociateIamInstanceProfileCommand, { IamInstanceProfile: { Arn: OTHER_ARN } })
      .resolves({ IamInstanceProfileAssociation: { AssociationId: 'a2-back', State: 'associating' } });
    const env = testEnv();
    const r = await applyAttach(env, await planAttach(env, request({ replace: true })));
    expect(r.changes.map((c) => [c.operation, c.status, c.details.instanceProfileArn])).toEqual([
      ['ec2:DisassociateIamInstanceProfile', 'applied', OTHER_ARN],
      ['ec2:AssociateIamInstanceProfile', 'failed', PROFILE_ARN],
      ['ec2:AssociateIamInstanceProfile', 'applied', OTHER_ARN],
    ]);
    expect(r.instances[0]).toMatchObject({
      status: 'failed',
      associationId: 'a2-back',
      error: { code: 'UnauthorizedOperation', message: expect.stringContaining(`the previous profile ${OTHER_ARN} was put back`) },
    });

    ec2.on(AssociateIamInstanceProfileCommand, { IamInstanceProfile: { Arn: OTHER_ARN } }).rejects(awsError('UnauthorizedOperation', 'no'));
    const again = await applyAttach(env, await planAttach(env, request({ replace: true })));
    expect(again.changes.map((c) => c.status)).toEqual(['applied', 'failed', 'failed']);
    expect(again.instances[0]!.error!.message).toContain('has NO instance profile now');
    expect(again.instances[0]!.error!.hint).toContain(`aws ec2 associate-iam-instance-profile --instance-id ${id(2)}`);
  });

  it('gives running instances their profile before any stopped instance loses its own', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1)], 'stopped'), instances([id(2)])] });
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolves({ IamInstanceProfileAssociations: [{ InstanceId: id(1), AssociationId: 'a1', State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } }] });
    ec2.on(DisassociateIamInstanceProfileCommand).resolves({});
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'n', State: 'associating' } });
    const env = testEnv();
    await applyAttach(env, await planAttach(env, request({ replace: true, concurrency: 1 })));
    const first = ec2.commandCalls(AssociateIamInstanceProfileCommand)[0]!;
    expect(first.args[0].input).toMatchObject({ InstanceId: id(2) });
    expect(first.calledBefore(ec2.commandCalls(DisassociateIamInstanceProfileCommand)[0]!)).toBe(true);
  });

  it('--wait: Ctrl-C or a failed poll ends the wait but keeps every association made in the report', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [instances([id(1), id(2)])] });
    ec2
      .on(DescribeIamInstanceProfileAssociationsCommand)
      .resolvesOnce({})
      .rejects(awsError('RequestLimitExceeded', 'Request limit exceeded.', 503));
    ec2.on(AssociateIamInstanceProfileCommand).resolves({ IamInstanceProfileAssociation: { AssociationId: 'x', State: 'associating' } });
    const env = testEnv();
    const r = await applyAttach(env, await planAttach(env, request({ wait: true })));
    expect(r.changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(r.instances.map((i) => [i.status, i.associationId, i.error?.code])).toEqual([
      ['applied', 'x', 'RequestLimitExceeded'],
      ['applied', 'x', 'RequestLimitExceeded'],
    ]);
    expect(r.summary).toMatchObject({ attached: 2, failed: 0 });

    ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
    const interrupted = testEnv();
    interrupted.clock.sleep = async () => {
      interrupted.abort.abort(new Error('interrupted'));
      throw new Error('interrupted');
    };
    const r2 = await applyAttach(interrupted, await planAttach(interrupted, request({ wait: true })));
    expect(r2.changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(r2.instances.map((i) => [i.status, i.error?.code])).toEqual([
      ['applied', 'Interrupted'],
      ['applied', 'Interrupted'],
    ]);
  });
});
