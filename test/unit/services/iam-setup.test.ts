import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../../src/services/aws/clients.js';
import { planCustomerPolicy, sameDocument } from '../../../src/services/iam/customer-policy.js';
import { applyStorePolicy, planStorePolicy } from '../../../src/services/s3-policy/store.js';
import { planRoleSetup, type RoleSetupSpec } from '../../../src/services/iam/role-setup.js';
import { planInstanceProfile } from '../../../src/services/iam/instance-profile.js';
import { runSteps } from '../../../src/services/steps.js';
import { PreconditionError } from '../../../src/services/errors.js';
import { serviceTrustPolicy } from '../../../src/policies/trust.js';
import { awsError } from '../../helpers/aws-errors.js';
import { testEnv } from '../../helpers/service-env.js';
import { iam as iamMock } from '../../helpers/aws-mocks.js';

const api = () => createClientFactory({}).iam('us-east-1');
const DOC = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
const ARN = 'arn:aws:iam::111122223333:policy/P';

beforeEach(() => iamMock.reset());

/** The IAM operations sent that are not reads: planning sends none, whatever it finds. */
const writesSent = () =>
  iamMock
    .calls()
    .map((c) => (c.args[0] as object).constructor.name)
    .filter((n) => !/^(Get|List)/.test(n));

describe('customer managed policy', () => {
  it('creates a missing policy', async () => {
    iamMock.on(GetPolicyCommand).rejects(awsError('NoSuchEntity', 'no', 404));
    const p = await planCustomerPolicy(await api(), 'aws', '111122223333', 'P', DOC, 'd');
    expect(p.steps.map((s) => s.change.operation)).toEqual(['iam:CreatePolicy']);
    expect(p.replaces).toBeNull();
  });

  it('leaves an equal document alone, even URL-encoded and with keys in another order', async () => {
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: ARN, DefaultVersionId: 'v3' } });
    const reordered = { Statement: [{ Resource: 'arn:aws:s3:::b/*', Action: 's3:GetObject', Effect: 'Allow' }], Version: '2012-10-17' };
    iamMock.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(reordered)) } });
    const p = await planCustomerPolicy(await api(), 'aws', '111122223333', 'P', DOC, 'd');
    expect(p.steps).toEqual([]);
    expect(sameDocument(reordered, DOC)).toBe(true);
  });

  it('with five versions, deletes the oldest non-default one before adding the new default', async () => {
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: ARN, DefaultVersionId: 'v1' } });
    iamMock.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}') } });
    iamMock.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        { VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date('2020-01-01') },
        { VersionId: 'v4', IsDefaultVersion: false, CreateDate: new Date('2023-01-01') },
        { VersionId: 'v2', IsDefaultVersion: false, CreateDate: new Date('2021-01-01') },
        { VersionId: 'v5', IsDefaultVersion: false, CreateDate: new Date('2024-01-01') },
        { VersionId: 'v3', IsDefaultVersion: false, CreateDate: new Date('2022-01-01') },
      ],
    });
    iamMock.on(DeletePolicyVersionCommand).resolves({});
    iamMock.on(CreatePolicyVersionCommand).resolves({});
    const p = await planCustomerPolicy(await api(), 'aws', '111122223333', 'P', DOC, 'd');
    expect(p.replaces).toContain('default version v1');
    expect(p.steps.map((s) => [s.change.operation, s.change.details.versionId ?? null])).toEqual([
      ['iam:DeletePolicyVersion', 'v2'],
      ['iam:CreatePolicyVersion', null],
    ]);
    await runSteps(testEnv(), p.steps);
    expect(iamMock).toHaveReceivedCommandWith(DeletePolicyVersionCommand, { PolicyArn: ARN, VersionId: 'v2' });
    expect(iamMock).toHaveReceivedCommandWith(CreatePolicyVersionCommand, { PolicyArn: ARN, SetAsDefault: true, PolicyDocument: JSON.stringify(DOC) });
  });
});

function spec(over: Partial<RoleSetupSpec> = {}): RoleSetupSpec {
  return {
    partition: 'aws',
    account: '111122223333',
    roleName: 'R',
    path: '/',
    trustService: 'ec2.amazonaws.com',
    trustPolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    existingTrust: 'refuse',
    mustExist: false,
    description: 'd',
    tags: [],
    policyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'],
    policyQuota: 10,
    ...over,
  };
}

function roleExists(trust: string, attached: string[]) {
  iamMock.on(GetRoleCommand).resolves({
    Role: {
      RoleName: 'R',
      Path: '/',
      Arn: 'arn:aws:iam::111122223333:role/R',
      RoleId: 'x',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(serviceTrustPolicy(trust))),
      Tags: [{ Key: 'Team', Value: 'ops' }],
    },
  });
  iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: attached.map((PolicyArn) => ({ PolicyArn })), IsTruncated: false });
}

describe('role setup', () => {
  it('gives an existing EC2 role only what it lacks (policies and tags)', async () => {
    roleExists('ec2.amazonaws.com', ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    const plan = await planRoleSetup(
      await api(),
      spec({
        policyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'],
        tags: [
          { Key: 'Team', Value: 'ops' },
          { Key: 'Env', Value: 'prod' },
        ],
      }),
    );
    expect(plan.steps.map((s) => [s.change.operation, s.change.details.policyArn ?? s.change.details.tags])).toEqual([
      ['iam:TagRole', 'Env=prod'],
      ['iam:AttachRolePolicy', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'],
    ]);
    expect(writesSent()).toEqual([]);
  });

  it('refuses (exit 6) or warns about a role that does not trust the service, as asked', async () => {
    roleExists('lambda.amazonaws.com', []);
    await expect(planRoleSetup(await api(), spec())).rejects.toBeInstanceOf(PreconditionError);
    const warned = await planRoleSetup(await api(), spec({ existingTrust: 'warn' }));
    expect(warned.warnings[0]).toContain('does not trust ec2.amazonaws.com');
  });

  it('checks the managed-policies-per-role quota before attaching, naming what does not fit', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`);
    roleExists('ec2.amazonaws.com', nine);
    const err = await planRoleSetup(
      await api(),
      spec({ policyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'] }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(PreconditionError);
    expect(err.message).toContain('arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy would not fit');
    expect(err.message).toContain('room for arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    expect(writesSent()).toEqual([]);
    const raised = await planRoleSetup(
      await api(),
      spec({ policyQuota: 20, policyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'] }),
    );
    expect(raised.steps).toHaveLength(2);
  });

  it('retries attaching to a role created a moment ago while IAM answers NoSuchEntity', async () => {
    iamMock.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'no', 404));
    iamMock.on(CreateRoleCommand).resolves({});
    iamMock
      .on(AttachRolePolicyCommand)
      .rejectsOnce(awsError('NoSuchEntity', 'The role cannot be found', 404))
      .resolves({});
    const plan = await planRoleSetup(await api(), spec());
    const env = testEnv();
    const changes = await runSteps(env, plan.steps);
    expect(changes.map((c) => c.status)).toEqual(['applied', 'applied']);
    expect(iamMock).toHaveReceivedCommandTimes(AttachRolePolicyCommand, 2);
    expect(env.clock.waits).toEqual([1000]);
  });

  it('refuses a policy that does not exist (exit 6) while planning, before any change', async () => {
    iamMock.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'no', 404));
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' } });
    iamMock
      .on(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::111122223333:policy/Typo' })
      .rejects(awsError('NoSuchEntity', 'Policy arn:aws:iam::111122223333:policy/Typo does not exist or is not attachable.', 404));
    const err = await planRoleSetup(
      await api(),
      spec({ policyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::111122223333:policy/Typo'] }),
    ).catch((e) => e);
    expect(err).toMatchObject({ code: 'PolicyNotFound', exitCode: 6 });
    expect(err.message).toContain('arn:aws:iam::111122223333:policy/Typo');
    expect(err.message).not.toContain('AmazonSSMManagedInstanceCore');
    expect(iamMock).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::111122223333:policy/Typo' });
    expect(writesSent()).toEqual([]);
  });

  it('does not wait on NoSuchEntity when nothing the step needs was created in this run', async () => {
    roleExists('ec2.amazonaws.com', []);
    iamMock.on(AttachRolePolicyCommand).rejects(awsError('NoSuchEntity', 'Policy does not exist or is not attachable.', 404));
    const plan = await planRoleSetup(await api(), spec({ tags: [{ Key: 'Env', Value: 'prod' }] }));
    const env = testEnv();
    const changes = await runSteps(env, plan.steps);
    expect(changes.map((c) => [c.operation, c.status, c.error?.code ?? null])).toEqual([
      ['iam:TagRole', 'applied', null],
      ['iam:AttachRolePolicy', 'failed', 'NoSuchEntity'],
    ]);
    expect(iamMock).toHaveReceivedCommandTimes(AttachRolePolicyCommand, 1);
    expect(env.clock.waits).toEqual([]);
  });

  it('reports Ctrl-C during a propagation wait as Interrupted and the rest as NotAttempted', async () => {
    iamMock.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'no', 404));
    iamMock.on(CreateRoleCommand).resolves({});
    iamMock.on(AttachRolePolicyCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found', 404));
    const plan = await planRoleSetup(
      await api(),
      spec({ policyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'] }),
    );
    const env = testEnv();
    env.clock.sleep = async () => {
      env.abort.abort(new Error('interrupted'));
      throw new Error('interrupted');
    };
    const changes = await runSteps(env, plan.steps);
    expect(changes.map((c) => [c.operation, c.status, c.error?.code ?? null])).toEqual([
      ['iam:CreateRole', 'applied', null],
      ['iam:AttachRolePolicy', 'failed', 'Interrupted'],
      ['iam:AttachRolePolicy', 'failed', 'NotAttempted'],
    ]);
    expect(changes[1]!.error!.message).toContain('interrupted while waiting for IAM to propagate');
  });
});

describe('instance profile', () => {
  it('refuses a profile that holds another role, and adds the role to an empty one', async () => {
    iamMock.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: 'P',
        Arn: 'arn:aws:iam::111122223333:instance-profile/P',
        Path: '/',
        InstanceProfileId: 'x',
        CreateDate: new Date(),
        Roles: [{ RoleName: 'Other', Arn: 'a', Path: '/', RoleId: 'x', CreateDate: new Date() }],
      },
    });
    const s = { partition: 'aws', account: '111122223333', name: 'P', path: '/', roleName: 'R', roleArn: 'arn:aws:iam::111122223333:role/R', tags: [] };
    await expect(planInstanceProfile(await api(), s)).rejects.toMatchObject({ code: 'InstanceProfileHoldsAnotherRole', exitCode: 6 });
    iamMock.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        InstanceProfileName: 'P',
        Arn: 'arn:aws:iam::111122223333:instance-profile/P',
        Path: '/',
        InstanceProfileId: 'x',
        CreateDate: new Date(),
        Roles: [],
      },
    });
    const p = await planInstanceProfile(await api(), s);
    expect(p.steps.map((x) => x.change.operation)).toEqual(['iam:AddRoleToInstanceProfile']);
  });
});
describe('s3-policy --create --attach-to', () => {
  it('waits for IAM to show a policy it has just created before attaching it', async () => {
    iamMock.on(GetPolicyCommand).rejects(awsError('NoSuchEntity', 'no', 404));
    iamMock.on(CreatePolicyCommand).resolves({ Policy: { Arn: ARN } });
    iamMock.on(GetRoleCommand).resolves({ Role: { RoleName: 'R', Path: '/', Arn: 'arn:aws:iam::111122223333:role/R', RoleId: 'x', CreateDate: new Date() } });
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iamMock
      .on(AttachRolePolicyCommand)
      .rejectsOnce(awsError('NoSuchEntity', 'Policy does not exist or is not attachable.', 404))
      .resolves({});
    const env = testEnv();
    const plan = await planStorePolicy(env, { iamRegion: 'us-east-1', partition: 'aws', account: '111122223333', name: 'P', document: DOC, attachTo: 'R' });
    const r = await applyStorePolicy(env, plan);
    expect(r.changes.map((c) => [c.operation, c.status])).toEqual([
      ['iam:CreatePolicy', 'applied'],
      ['iam:AttachRolePolicy', 'applied'],
    ]);
    expect(env.clock.waits).toEqual([1000]);
  });
});

describe('an existing role whose trust has conditions', () => {
  it('is used, with a warning that shows the trust this command would write', async () => {
    const conditional = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } },
        },
      ],
    };
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'R',
        Path: '/',
        Arn: 'arn:aws:iam::111122223333:role/R',
        RoleId: 'x',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(conditional)),
      },
    });
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    const plan = await planRoleSetup(
      await api(),
      spec({ trustService: 'ssm.amazonaws.com', trustPolicy: serviceTrustPolicy('ssm.amazonaws.com'), policyArns: [] }),
    );
    expect(plan.warnings).toEqual([expect.stringContaining('role R trusts ssm.amazonaws.com only under conditions')]);
  });
});

describe("a role's policies that cannot be read", () => {
  it('name the refused action, even when AWS says no more than "access denied"', async () => {
    const { rolePolicies } = await import('../../../src/services/iam/role.js');
    iamMock.on(ListRolePoliciesCommand).rejects(awsError('AccessDenied', 'User is not authorized.', 403));
    const role = { name: 'R', path: '/', arn: 'arn:aws:iam::111122223333:role/R', trustPolicy: undefined, attachedPolicyArns: [], tags: [], boundaryArn: null };
    const err = await rolePolicies(await api(), role).catch((e) => e);
    expect(err).toMatchObject({ exitCode: 4, action: 'iam:ListRolePolicies' });
  });
});

// The IAM quota "Managed policies attached to an IAM role" is 10 by default, 20 at most (IAM User Guide,
// IAM and AWS STS quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
describe('role setup: what it plans and what it tells', () => {
  const policy = (n: string) => `arn:aws:iam::111122223333:policy/${n}`;
  const quotaHint =
    'Detach a policy the role no longer needs, raise the IAM quota "Managed policies per role" (L-0DA4ABF3) in Service Quotas and pass --role-policy-quota, or merge policies.';
  const okPolicies = () => iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: 'x', DefaultVersionId: 'v1' } });

  it('adds the tags whose key or value differs from the role, as one update', async () => {
    roleExists('ec2.amazonaws.com', ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    const plan = await planRoleSetup(
      await api(),
      spec({
        tags: [
          { Key: 'Team', Value: 'ops' },
          { Key: 'Team', Value: 'dev' },
          { Key: 'Owner', Value: 'ops' },
        ],
      }),
    );
    expect(plan.steps.map((s) => s.change)).toEqual([
      {
        region: null,
        action: 'update',
        resource: 'arn:aws:iam::111122223333:role/R',
        operation: 'iam:TagRole',
        status: 'planned',
        details: { tags: 'Team=dev,Owner=ops' },
        error: null,
      },
    ]);
  });

  it('refuses a role that does not trust the service, with the command that fixes its trust; warns the same when asked', async () => {
    roleExists('lambda.amazonaws.com', []);
    const fix = `Let the service assume it, keeping what the role trusts now (or choose another role name):\naws iam update-assume-role-policy --role-name R --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`;
    expect(await planRoleSetup(await api(), spec()).catch((e) => e)).toMatchObject({
      code: 'RoleNotTrusted',
      exitCode: 6,
      message: 'role R does not trust ec2.amazonaws.com, so it cannot be used here',
      hint: fix,
    });
    okPolicies();
    expect((await planRoleSetup(await api(), spec({ existingTrust: 'warn' }))).warnings).toEqual([`role R does not trust ec2.amazonaws.com: ${fix}`]);
  });

  it('lets a new role take policies up to the quota, and an existing one up to the last free place', async () => {
    okPolicies();
    iamMock.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'no', 404));
    const fresh = await planRoleSetup(await api(), spec({ policyQuota: 1 }));
    expect(fresh.steps.map((s) => s.change.operation)).toEqual(['iam:CreateRole', 'iam:AttachRolePolicy']);
    roleExists(
      'ec2.amazonaws.com',
      Array.from({ length: 9 }, (_, i) => policy(`p${i}`)),
    );
    const full = await planRoleSetup(await api(), spec());
    expect(full.steps.map((s) => s.change.details.policyArn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
  });

  it('names the policies that would not fit and those that would, with how to make room', async () => {
    roleExists(
      'ec2.amazonaws.com',
      Array.from({ length: 7 }, (_, i) => policy(`p${i}`)),
    );
    const err = await planRoleSetup(await api(), spec({ policyQuota: 9, policyArns: [policy('A'), policy('B'), policy('C'), policy('D')] })).catch((e) => e);
    expect(err).toMatchObject({
      code: 'PoliciesPerRoleQuota',
      exitCode: 6,
      message: `role R has 7 managed policies attached and the quota is 9: ${policy('C')}, ${policy('D')} would not fit (room for ${policy('A')}, ${policy('B')})`,
      hint: quotaHint,
    });
  });

  it('says no more than what would not fit when the role has no room left', async () => {
    roleExists(
      'ec2.amazonaws.com',
      Array.from({ length: 10 }, (_, i) => policy(`p${i}`)),
    );
    const err = await planRoleSetup(await api(), spec({ policyArns: [policy('A')] })).catch((e) => e);
    expect(err.message).toBe(`role R has 10 managed policies attached and the quota is 10: ${policy('A')} would not fit`);
    expect(writesSent()).toEqual([]);
  });

  it('checks an existing customer policy again with the others, so one deleted since it was read stops the run before any change', async () => {
    iamMock.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'no', 404));
    okPolicies();
    iamMock
      .on(GetPolicyCommand, { PolicyArn: ARN })
      .resolvesOnce({ Policy: { Arn: ARN, DefaultVersionId: 'v1' } })
      .rejects(awsError('NoSuchEntity', `Policy ${ARN} does not exist or is not attachable.`, 404));
    iamMock.on(GetPolicyVersionCommand, { PolicyArn: ARN }).resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(DOC)) } });
    const err = await planRoleSetup(await api(), spec({ customerPolicy: { name: 'P', document: DOC, description: 'd' } })).catch((e) => e);
    expect(err).toMatchObject({ code: 'PolicyNotFound', message: `policy ${ARN} does not exist; nothing was changed` });
    expect(writesSent()).toEqual([]);
  });
});
