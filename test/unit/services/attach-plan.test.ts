// profile attach, planning: the instances read (DescribeInstances), their associations
// (DescribeIamInstanceProfileAssociations), the decision per instance, the role check and the dry-run result.
import {
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  type IamInstanceProfileAssociation,
  type Instance,
} from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, coreProfile, ec2, iam, iamEncoded, resetAws, roleAnswer } from '../../helpers/aws-mocks.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { attachPlanResult, planAttach } from '../../../src/services/profile/attach-plan.js';
import { attachRequest as request, instanceId as id } from '../../helpers/attach-request.js';

const PROFILE = 'SSMInstanceProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const OTHER_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/Other`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/Agent`;
const SUBJECT = `role ${PROFILE} of instance profile ${PROFILE}`;

const running = (n: number, over: Partial<Instance> = {}): Instance => ({ InstanceId: id(n), State: { Name: 'running' }, ...over });

function instancesAre(list: Instance[], associations: IamInstanceProfileAssociation[] = []): void {
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: list }] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({ IamInstanceProfileAssociations: associations });
}

const associated = (n: number, arn: string): IamInstanceProfileAssociation => ({
  InstanceId: id(n),
  AssociationId: `iip-assoc-${n}`,
  State: 'associated',
  IamInstanceProfile: { Arn: arn },
});

/** The profile's role (trusting EC2, with these tags) carries one customer managed policy with these statements. */
function roleAllows(statements: unknown[], tags: { Key: string; Value: string }[] = []): void {
  const role = roleAnswer(PROFILE, 'ec2.amazonaws.com');
  iam.on(GetRoleCommand).resolves({ Role: { ...role.Role!, Tags: tags } });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: POLICY_ARN }], IsTruncated: false });
  iam.on(GetPolicyCommand, { PolicyArn: POLICY_ARN }).resolves({ Policy: { Arn: POLICY_ARN, DefaultVersionId: 'v1' } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: POLICY_ARN })
    .resolves({ PolicyVersion: { Document: iamEncoded({ Version: '2012-10-17', Statement: statements as never }) } });
}

/** Everything the agent needs (agent version unknown, so no ec2messages) except registration. */
const ALL_BUT_REGISTER = { Effect: 'Allow', Action: ['ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'], Resource: '*' };
const NO_REGISTER_FINDING = `does not allow ssm:UpdateInstanceInformation: SSM Agent cannot register with it (it falls back to DHMC where that is on). Fix: ssm-perms profile update --role-name ${PROFILE}`;

beforeEach(() => {
  resetAws();
  coreProfile(PROFILE, PROFILE);
});

describe('planAttach: the instance profile and its role', () => {
  it('refuses a missing profile, and a profile without a role, with the command that fixes it', async () => {
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'Instance Profile SSMInstanceProfile cannot be found.', 404));
    await expect(planAttach(testEnv(), request())).rejects.toMatchObject({
      code: 'InstanceProfileNotFound',
      message: 'instance profile SSMInstanceProfile does not exist',
      hint: 'Create it with: ssm-perms profile create --name SSMInstanceProfile',
    });
    // EC2 refuses a profile without a role ("Invalid IAM Instance Profile"), so planning stops first.
    iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: { InstanceProfileName: PROFILE, Arn: PROFILE_ARN, Path: '/', InstanceProfileId: 'AIPA', CreateDate: new Date(), Roles: [] },
    });
    await expect(planAttach(testEnv(), request())).rejects.toMatchObject({
      code: 'InstanceProfileHasNoRole',
      message: 'instance profile SSMInstanceProfile holds no role, so EC2 would refuse it',
      hint: 'Give it one with: aws iam add-role-to-instance-profile --instance-profile-name SSMInstanceProfile --role-name ROLE',
    });
  });

  it('warns, and still plans, when the role cannot be read or its policies cannot be checked', async () => {
    instancesAre([running(1)]);
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role with name SSMInstanceProfile cannot be found.', 404));
    const gone = await planAttach(testEnv(), request());
    expect(gone.warnings).toEqual(['role SSMInstanceProfile of instance profile SSMInstanceProfile could not be read']);
    expect(gone.targets.map((t) => [t.instanceId, t.action, t.status])).toEqual([[id(1), 'associate', 'planned']]);

    iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform: iam:GetRole', 403));
    expect((await planAttach(testEnv(), request())).warnings).toEqual(['could not check the permissions of role SSMInstanceProfile (AccessDenied)']);
  });

  it("gives the evaluator the role's tags (aws:PrincipalTag), the instance's tags (aws:ResourceTag) and private IP", async () => {
    // Global condition keys: aws:PrincipalTag/key is the role's tag; aws:Ec2InstanceSourcePrivateIPv4 is the
    // private IP of the instance the credentials were delivered to; aws:ResourceTag is the instance's tag.
    roleAllows(
      [
        {
          Effect: 'Allow',
          Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/Team': 'ops', 'aws:ResourceTag/Env': 'prod' } },
        },
        {
          Effect: 'Allow',
          Action: ['ssm:GetDocument', 'ssm:PutInventory', 'ssmmessages:*'],
          Resource: '*',
          Condition: { IpAddress: { 'aws:Ec2InstanceSourcePrivateIPv4': '10.0.0.0/24' } },
        },
      ],
      [{ Key: 'Team', Value: 'ops' }],
    );
    instancesAre([running(1, { Tags: [{ Key: 'Env', Value: 'prod' }], PrivateIpAddress: '10.0.0.5' })]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([]);
  });
});

describe('planAttach: the role check, summed up per finding', () => {
  it('names the first five instances and counts the others', async () => {
    roleAllows([ALL_BUT_REGISTER]);
    instancesAre([1, 2, 3, 4, 5, 6, 7].map((n) => running(n)));
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      `${SUBJECT} ${NO_REGISTER_FINDING} (7 instances ${id(1)}, ${id(2)}, ${id(3)}, ${id(4)}, ${id(5)} and 2 more)`,
    ]);
    instancesAre([1, 2, 3, 4, 5].map((n) => running(n)));
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      `${SUBJECT} ${NO_REGISTER_FINDING} (5 instances ${id(1)}, ${id(2)}, ${id(3)}, ${id(4)}, ${id(5)})`,
    ]);
  });

  it('judges only the instances that will carry the profile: planned and unchanged, not failed or skipped', async () => {
    roleAllows([ALL_BUT_REGISTER]);
    instancesAre([running(1), running(2), running(3), running(4, { State: { Name: 'terminated' } })], [associated(2, PROFILE_ARN), associated(3, OTHER_ARN)]);
    const plan = await planAttach(testEnv(), request({ instanceIds: [id(1), id(2), id(3), id(4), id(9)] }));
    expect(plan.targets.map((t) => [t.instanceId, t.status])).toEqual([
      [id(1), 'planned'],
      [id(2), 'unchanged'],
      [id(3), 'failed'],
      [id(4), 'skipped'],
      [id(9), 'failed'],
    ]);
    expect(plan.warnings).toEqual([`${SUBJECT} ${NO_REGISTER_FINDING} (2 instances ${id(1)}, ${id(2)})`]);
  });

  it('names the missing actions when the agent can register but not open sessions', async () => {
    roleAllows([
      { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory'], Resource: '*' },
    ]);
    instancesAre([running(1)]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      `${SUBJECT} lets the agent register, but does not allow ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel. Fix: ssm-perms profile update --role-name ${PROFILE} (instance ${id(1)})`,
    ]);
  });

  it('when registration hangs on keys AWS does not show, names the statement that allows registration and its keys', async () => {
    roleAllows([
      { Effect: 'Allow', Action: ['ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssm:PutInventory'], Resource: '*' },
      {
        Sid: 'Register',
        Effect: 'Allow',
        Action: 'ssm:UpdateInstanceInformation',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
      },
      // Also in doubt, but not the statement registration depends on.
      { Sid: 'Sessions', Effect: 'Allow', Action: 'ssmmessages:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ]);
    instancesAre([running(1)]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      `${SUBJECT} may not allow ssm:UpdateInstanceInformation: statement Register of ${POLICY_ARN} depends on aws:SourceIp, aws:SourceVpc, which AWS does not show (instance ${id(1)})`,
    ]);
  });

  it('when the policy document cannot be read, says registration depends on a part that could not be read', async () => {
    roleAllows([]);
    iam.on(GetPolicyVersionCommand, { PolicyArn: POLICY_ARN }).resolves({ PolicyVersion: { Document: encodeURIComponent('{"Statement": [') } });
    instancesAre([running(1)]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      `${SUBJECT} may not allow ssm:UpdateInstanceInformation: statement #0 of ${POLICY_ARN} depends on a part that could not be read, which AWS does not show (instance ${id(1)})`,
    ]);
  });

  it('when only other actions are in doubt, lists each once and the keys of the first statement', async () => {
    roleAllows([
      { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssmmessages:*'], Resource: '*' },
      {
        Sid: 'Inventory',
        Effect: 'Allow',
        Action: ['ssm:GetDocument', 'ssm:PutInventory'],
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
      },
    ]);
    instancesAre([running(1)]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      `${SUBJECT} lets the agent register; it may not allow ssm:GetDocument, ssm:PutInventory: statement Inventory of ${POLICY_ARN} depends on aws:SourceIp, aws:SourceVpc, which AWS does not show (instance ${id(1)})`,
    ]);
  });

  it('when only other actions are in doubt because a statement cannot be read, says so', async () => {
    roleAllows([
      { Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation', 'ssm:ListInstanceAssociations', 'ssm:GetDocument', 'ssmmessages:*'], Resource: '*' },
      // An identity policy statement cannot name a Principal: what it means is not known.
      { Sid: 'Odd', Effect: 'Allow', Action: 'ssm:PutInventory', Resource: '*', Principal: { AWS: '*' } },
    ]);
    instancesAre([running(1)]);
    expect((await planAttach(testEnv(), request())).warnings).toEqual([
      `${SUBJECT} lets the agent register; it may not allow ssm:PutInventory: statement Odd of ${POLICY_ARN} depends on a part that could not be read, which AWS does not show (instance ${id(1)})`,
    ]);
  });
});

describe('planAttach: the instances and their associations', () => {
  it('leaves out an instance EC2 returns without an id, and calls a state EC2 leaves out "unknown"', async () => {
    instancesAre([{ State: { Name: 'running' } }, { InstanceId: id(2) }]);
    const plan = await planAttach(testEnv(), request());
    expect(plan.targets.map((t) => [t.instanceId, t.state, t.action, t.status])).toEqual([[id(2), 'unknown', 'associate', 'planned']]);
  });

  it('skips instances that are shutting down, and does not read their associations', async () => {
    instancesAre([running(1), running(2, { State: { Name: 'shutting-down' } })]);
    const plan = await planAttach(testEnv(), request());
    expect(plan.targets.map((t) => [t.instanceId, t.action, t.status, t.message])).toEqual([
      [id(1), 'associate', 'planned', null],
      [id(2), 'skip', 'skipped', 'skipped: the instance is shutting-down'],
    ]);
    expect(ec2.commandCalls(DescribeIamInstanceProfileAssociationsCommand)[0]!.args[0].input.Filters).toEqual([{ Name: 'instance-id', Values: [id(1)] }]);
  });

  it('treats a disassociated association, or one without an id, as none; keeps one without a profile or state', async () => {
    // DescribeIamInstanceProfileAssociations (EC2 API reference) lists associations in the states
    // associating | associated | disassociating | disassociated: a disassociated one is history.
    instancesAre(
      [running(1), running(2), running(3)],
      [
        { ...associated(1, OTHER_ARN), State: 'disassociated' },
        { InstanceId: id(2), State: 'associated', IamInstanceProfile: { Arn: OTHER_ARN } },
        { InstanceId: id(3), AssociationId: 'iip-assoc-3' },
      ],
    );
    const plan = await planAttach(testEnv(), request({ replace: true }));
    expect(plan.targets.map((t) => [t.instanceId, t.action, t.status, t.previousInstanceProfileArn, t.previousAssociationId, t.associationState])).toEqual([
      [id(1), 'associate', 'planned', null, null, null],
      [id(2), 'associate', 'planned', null, null, null],
      [id(3), 'replace', 'planned', null, 'iip-assoc-3', 'unknown'],
    ]);
  });

  it('refuses to replace another profile without --replace, saying how', async () => {
    instancesAre([running(1)], [associated(1, OTHER_ARN)]);
    const plan = await planAttach(testEnv(), request());
    expect(plan.targets[0]).toMatchObject({
      action: 'replace',
      status: 'failed',
      error: {
        code: 'HasAnotherProfile',
        message: `has profile ${OTHER_ARN}; use --replace`,
        hint: 'Rerun with --replace (and --yes) to swap it for SSMInstanceProfile, or leave the instances that have another profile out.',
      },
    });
  });

  it('names the association read when it is refused', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [running(1)] }] });
    ec2.on(DescribeIamInstanceProfileAssociationsCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));
    const plan = await planAttach(testEnv(), request());
    expect(plan.targets).toEqual([]);
    expect(plan.regionErrors.get('us-east-1')).toMatchObject({
      code: 'UnauthorizedOperation',
      message: 'access denied to ec2:DescribeIamInstanceProfileAssociations in us-east-1: You are not authorized to perform this operation.',
    });
  });

  it('stops on Ctrl-C instead of reporting the region as unread', async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError('AbortError', 'Request aborted'));
    await expect(planAttach(testEnv(), request())).rejects.toMatchObject({ code: 'Interrupted' });
  });
});

describe('planAttach: ids not found', () => {
  /** DescribeInstances refused in these regions, answered with no instance elsewhere. */
  function unreadable(regions: string[]): void {
    ec2.on(DescribeInstancesCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      if (regions.includes(region)) throw awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.');
      return { Reservations: [] };
    });
  }

  it('name the regions read and those that could not be read', async () => {
    unreadable(['eu-west-1']);
    const plan = await planAttach(testEnv(), request({ regions: ['us-east-1', 'us-west-2', 'eu-west-1'], instanceIds: [id(9)] }));
    expect(plan.targets).toEqual([
      expect.objectContaining({
        instanceId: id(9),
        region: null,
        action: 'skip',
        status: 'failed',
        error: {
          code: 'NotAttempted',
          message: 'not found in us-east-1, us-west-2, and eu-west-1 could not be read',
          hint: 'Fix the region read above and run the command again.',
        },
      }),
    ]);

    unreadable(['us-east-1', 'us-west-2']);
    const none = await planAttach(testEnv(), request({ regions: ['us-east-1', 'us-west-2'], instanceIds: [id(9)] }));
    expect(none.targets[0]!.error!.message).toBe('not found in any region, and us-east-1, us-west-2 could not be read');
  });

  it('with every region read, are not found there (with the --tag filters, when given)', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const tagged = await planAttach(testEnv(), request({ regions: ['us-east-1', 'us-west-2'], instanceIds: [id(9)] }));
    expect(tagged.targets).toEqual([
      expect.objectContaining({
        instanceId: id(9),
        action: 'skip',
        status: 'failed',
        error: {
          code: 'InstanceNotFound',
          message: 'not found in us-east-1, us-west-2 with the --tag filters',
          hint: 'Check the id and --region (instances are regional).',
        },
      }),
    ]);
    const untagged = await planAttach(testEnv(), request({ tags: [], instanceIds: [id(9)] }));
    expect(untagged.targets[0]!.error!.message).toBe('not found in us-east-1');
  });
});

describe('attachPlanResult (what --dry-run prints)', () => {
  it('replaces a pending instance in place, as a running one', async () => {
    // ReplaceIamInstanceProfileAssociation (EC2 API reference) "replaces an IAM instance profile for the
    // specified running instance"; a pending instance becomes running without a stop.
    instancesAre([running(1, { State: { Name: 'pending' } })], [associated(1, OTHER_ARN)]);
    const r = attachPlanResult(await planAttach(testEnv(), request({ replace: true })));
    expect(r.changes.map((c) => [c.action, c.resource, c.operation, c.details])).toEqual([
      [
        'update',
        `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id(1)}`,
        'ec2:ReplaceIamInstanceProfileAssociation',
        { instanceProfileArn: PROFILE_ARN, previousInstanceProfileArn: OTHER_ARN },
      ],
    ]);
  });

  it('lists changes for the planned instances only, and counts each status', async () => {
    instancesAre([running(1), running(2), running(3), running(4, { State: { Name: 'terminated' } })], [associated(2, PROFILE_ARN), associated(3, OTHER_ARN)]);
    const r = attachPlanResult(await planAttach(testEnv(), request()));
    expect(r.changes.map((c) => [c.resource.split('/').pop(), c.operation])).toEqual([[id(1), 'ec2:AssociateIamInstanceProfile']]);
    expect(r.summary).toEqual({ attached: 0, replaced: 0, unchanged: 1, skipped: 1, failed: 1, planned: 1 });
  });
});
