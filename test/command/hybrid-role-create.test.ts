// hybrid-role create in-process: argv in, stdout / stderr / exit code out, IAM and STS mocked.
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from '../../src/policies/trust.js';
import { awsError } from '../helpers/aws-errors.js';
import { ACCOUNT, CORE_ARN, iam, resetAws } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'SSMServiceRole';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const CLOUDWATCH_ARN = 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy';
const S3_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${ROLE}-S3Policy`;

/** The trust the README documents: ssm.amazonaws.com, only for this account and the regions asked. */
const hybridTrust = (regions: string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ssm.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnEquals: { 'aws:SourceArn': regions.length === 1 ? `arn:aws:ssm:${regions[0]}:${ACCOUNT}:*` : regions.map((r) => `arn:aws:ssm:${r}:${ACCOUNT}:*`) },
      },
    },
  ],
});

function noRole() {
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', `The role with name ${ROLE} cannot be found.`, 404));
}

function existingRole(trust: PolicyDocument, attached: string[], tags: { Key: string; Value: string }[] = []) {
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: ROLE,
      Path: '/',
      Arn: ROLE_ARN,
      RoleId: 'AROA',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
      Tags: tags,
    },
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: attached.map((PolicyArn) => ({ PolicyArn })), IsTruncated: false });
}

function noWrite() {
  expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
  expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
  expect(iam).not.toHaveReceivedCommand(TagRoleCommand);
  expect(iam).not.toHaveReceivedCommand(CreatePolicyCommand);
  expect(iam).not.toHaveReceivedCommand(CreatePolicyVersionCommand);
  expect(iam).not.toHaveReceivedCommand(DeletePolicyVersionCommand);
}

beforeEach(() => {
  resetAws();
  // Every AWS managed policy exists.
  iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
  iam.on(CreateRoleCommand).resolves({ Role: { RoleName: ROLE, Path: '/', Arn: ROLE_ARN, RoleId: 'AROA', CreateDate: new Date() } });
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(TagRoleCommand).resolves({});
});

describe('hybrid-role create: the normal path', () => {
  it('creates the role trusting SSM for this account and the regions, attaches the core policy, and prints the next step', async () => {
    noRole();
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1,eu-west-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, dryRun: false, roleArn: ROLE_ARN, instanceProfileArn: null, regions: [], warnings: [] });
    expect(doc.changes).toEqual([
      {
        region: null,
        action: 'create',
        resource: ROLE_ARN,
        operation: 'iam:CreateRole',
        status: 'applied',
        details: { path: '/', trustedService: 'ssm.amazonaws.com' },
        error: null,
      },
      {
        region: null,
        action: 'attach',
        resource: ROLE_ARN,
        operation: 'iam:AttachRolePolicy',
        status: 'applied',
        details: { policyArn: CORE_ARN },
        error: null,
      },
    ]);

    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: CORE_ARN });
    expect(iam).toHaveReceivedCommandTimes(CreateRoleCommand, 1);
    const create = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(create).toMatchObject({
      RoleName: ROLE,
      Path: '/',
      Description: 'Service role for Systems Manager hybrid and multicloud nodes (created by ssm-perms)',
    });
    expect(create.Tags).toBeUndefined();
    expect(JSON.parse(create.AssumeRolePolicyDocument!)).toEqual(hybridTrust(['us-east-1', 'eu-west-1']));
    expect(iam).toHaveReceivedCommandTimes(AttachRolePolicyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, { RoleName: ROLE, PolicyArn: CORE_ARN });

    expect(r.stderr).toContain(
      'note: Next, create an activation with this role, per region:\n' +
        `aws ssm create-activation --iam-role ${ROLE} --registration-limit 10 --region us-east-1\n` +
        `aws ssm create-activation --iam-role ${ROLE} --registration-limit 10 --region eu-west-1\n`,
    );
  });

  it('takes --role-name, --path, --tag and the policy flags; the activation names the role with its path', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const r = await cli([
      'hybrid-role',
      'create',
      '--region',
      'us-east-2',
      '--role-name',
      'EdgeNodes',
      '--path',
      '/service-role/',
      '--tag',
      'Team=ops',
      '--cloudwatch',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandWith(CreateRoleCommand, { RoleName: 'EdgeNodes', Path: '/service-role/', Tags: [{ Key: 'Team', Value: 'ops' }] });
    const trust = JSON.parse(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input.AssumeRolePolicyDocument!);
    expect(trust.Statement[0].Condition.ArnEquals['aws:SourceArn']).toBe(`arn:aws:ssm:us-east-2:${ACCOUNT}:*`);
    expect(iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: 'EdgeNodes', PolicyArn: CORE_ARN },
      { RoleName: 'EdgeNodes', PolicyArn: CLOUDWATCH_ARN },
    ]);
    expect(r.stdout).toContain(`create role arn:aws:iam::${ACCOUNT}:role/service-role/EdgeNodes (trusts ssm.amazonaws.com)`);
    expect(r.stderr).toContain('aws ssm create-activation --iam-role service-role/EdgeNodes --registration-limit 10 --region us-east-2');
  });

  it('leaves a role that is already as asked alone: no write, no next step', async () => {
    existingRole(hybridTrust(['us-east-1']), [CORE_ARN]);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
    expect(iam).toHaveReceivedCommandWith(ListAttachedRolePoliciesCommand, { RoleName: ROLE });
    noWrite();
    expect(r.stderr).not.toContain('create-activation');
  });

  it('completes an existing role: only the tags and policies it lacks', async () => {
    existingRole(hybridTrust(['us-east-1']), [CORE_ARN], [{ Key: 'Team', Value: 'ops' }]);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--tag', 'Team=ops', '--tag', 'Env=prod', '--cloudwatch', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
    expect(iam).toHaveReceivedCommandWith(TagRoleCommand, { RoleName: ROLE, Tags: [{ Key: 'Env', Value: 'prod' }] });
    expect(iam).toHaveReceivedCommandTimes(AttachRolePolicyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, { RoleName: ROLE, PolicyArn: CLOUDWATCH_ARN });
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string }) => c.operation)).toEqual(['iam:TagRole', 'iam:AttachRolePolicy']);
  });

  it('refuses an existing role that does not trust ssm.amazonaws.com: exit 6 with the fix, nothing written', async () => {
    existingRole(serviceTrustPolicy('ec2.amazonaws.com'), [CORE_ARN]);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--cloudwatch']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`error: role ${ROLE} does not trust ssm.amazonaws.com, so it cannot be used here`);
    // The fix keeps the EC2 statement the role has and adds the hybrid one.
    expect(r.stderr).toContain(
      `hint: Let the service assume it, keeping what the role trusts now (or choose another role name):\naws iam update-assume-role-policy --role-name ${ROLE} --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"}`,
    );
    noWrite();
  });

  it('refuses a --policy-arn that does not exist before creating anything (exit 6)', async () => {
    noRole();
    const missing = `arn:aws:iam::${ACCOUNT}:policy/Typo`;
    iam.on(GetPolicyCommand, { PolicyArn: missing }).rejects(awsError('NoSuchEntity', 'Policy Typo does not exist', 404));
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--policy-arn', missing]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`error: policy ${missing} does not exist; nothing was changed`);
    noWrite();
  });
});

describe('hybrid-role create --dry-run', () => {
  it('plans the role and its policies and sends no write', async () => {
    noRole();
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--cloudwatch', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(
      doc.changes.map((c: { operation: string; status: string; details: Record<string, string> }) => [c.operation, c.status, c.details.policyArn ?? null]),
    ).toEqual([
      ['iam:CreateRole', 'planned', null],
      ['iam:AttachRolePolicy', 'planned', CORE_ARN],
      ['iam:AttachRolePolicy', 'planned', CLOUDWATCH_ARN],
    ]);
    expect(iam).toHaveReceivedCommand(GetRoleCommand);
    noWrite();
    expect(r.stderr).not.toContain('create-activation');

    const text = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Planned changes (dry run, nothing changed):');
    noWrite();
  });
});

describe('hybrid-role create --s3-bucket: replacing a stored S3 policy needs consent', () => {
  const OLD_DOC = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::old-bucket/*' }] };
  function storedS3Policy() {
    existingRole(hybridTrust(['us-east-1']), [CORE_ARN, S3_POLICY_ARN]);
    iam.on(GetPolicyCommand, { PolicyArn: S3_POLICY_ARN }).resolves({ Policy: { Arn: S3_POLICY_ARN, DefaultVersionId: 'v2' } });
    iam
      .on(GetPolicyVersionCommand, { PolicyArn: S3_POLICY_ARN, VersionId: 'v2' })
      .resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(OLD_DOC)) } });
    iam.on(ListPolicyVersionsCommand).resolves({ Versions: [{ VersionId: 'v2', IsDefaultVersion: true }, { VersionId: 'v1' }] });
    iam.on(CreatePolicyVersionCommand).resolves({});
  }

  it('without --yes and without a terminal: exit 2 with a hint, and no write', async () => {
    storedS3Policy();
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--s3-bucket', 'my-ssm-output']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: not replacing the document of policy ${ROLE}-S3Policy (default version v2) without consent; nothing was changed`);
    expect(r.stderr).toContain('hint: Pass --yes to replace it.');
    expect(r.stdout).toBe('');
    noWrite();
  });

  it('with --yes: a new default version holding the generated document', async () => {
    storedS3Policy();
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--s3-bucket', 'my-ssm-output', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandTimes(CreatePolicyVersionCommand, 1);
    const input = iam.commandCalls(CreatePolicyVersionCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ PolicyArn: S3_POLICY_ARN, SetAsDefault: true });
    expect(JSON.parse(input.PolicyDocument!).Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::my-ssm-output/*'] },
    ]);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
  });

  it('--dry-run plans the new version, notes it will need --yes, and writes nothing', async () => {
    storedS3Policy();
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--s3-bucket', 'my-ssm-output', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:CreatePolicyVersion', 'planned'],
    ]);
    expect(r.stderr).toContain(`note: replacing the document of policy ${ROLE}-S3Policy (default version v2) will need --yes`);
    noWrite();
  });
});

describe('hybrid-role create: AWS failures', () => {
  it('access denied reading the role: exit 4 naming iam:GetRole, nothing written', async () => {
    iam
      .on(GetRoleCommand)
      .rejects(awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: iam:GetRole on resource: role ${ROLE}`, 403));
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('error: access denied to iam:GetRole');
    expect(r.stderr).toContain('hint: Allow iam:GetRole');
    noWrite();
  });

  it('a failed CreateRole: exit 5, the change failed with the AWS error, and the attachment not attempted', async () => {
    noRole();
    iam.on(CreateRoleCommand).rejects(awsError('LimitExceeded', 'Cannot exceed quota for RolesPerAccount: 1000', 409));
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes[0]).toMatchObject({ operation: 'iam:CreateRole', status: 'failed', error: { code: 'LimitExceeded' } });
    expect(doc.changes[0].error.message).toContain('iam:CreateRole failed');
    expect(doc.changes[1]).toMatchObject({ operation: 'iam:AttachRolePolicy', status: 'failed', error: { code: 'NotAttempted' } });
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(r.stderr).not.toContain('create-activation');
  });

  it('a denied write: exit 4, with the denied action in the change', async () => {
    noRole();
    iam
      .on(CreateRoleCommand)
      .rejects(awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: iam:CreateRole on resource: ${ROLE_ARN}`, 403));
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--json']);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).changes[0].error.message).toContain('access denied to iam:CreateRole');
  });
});

describe('hybrid-role create: the role as CreateActivation names it', () => {
  // CreateActivation's IamRole is the role's path (without its leading slash) and name, at most 64 characters
  // (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreateActivation.html, IamRole:
  // "Length Constraints: Maximum length of 64").
  it('refuses a path and name over 64 characters together before any AWS call (exit 2), and accepts 64 exactly', async () => {
    const name62 = 'R'.repeat(62);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--path', '/ab/', '--role-name', name62]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: the role with its path (ab/${name62}) is 65 characters; CreateActivation accepts at most 64\nhint: Use a shorter --path or --role-name.\n`,
    );
    const json = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--path', '/ab/', '--role-name', name62, '--json']);
    expect(JSON.parse(json.stderr).error.code).toBe('InvalidRoleName');
    expect(iam.calls()).toHaveLength(0);

    // 'a/' and 62 characters: 64, accepted; a 64-character name at the root path: 64, accepted.
    for (const [path, name] of [
      ['/a/', name62],
      ['/', 'R'.repeat(64)],
    ] as const) {
      resetAws();
      iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
      iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
      iam.on(CreateRoleCommand).resolves({});
      iam.on(AttachRolePolicyCommand).resolves({});
      const ok = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--path', path, '--role-name', name]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain(`aws ssm create-activation --iam-role ${path.slice(1)}${name} --registration-limit 10 --region us-east-1`);
    }
  });

  it("an existing role at another path than --path: the next step names it with IAM's path, then says to register the servers", async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: ROLE,
        Path: '/service-role/',
        Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`,
        RoleId: 'AROA',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(hybridTrust(['us-east-1']))),
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: CORE_ARN }], IsTruncated: false });
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--cloudwatch']);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, { RoleName: ROLE, PolicyArn: CLOUDWATCH_ARN });
    expect(r.stderr).toContain(
      [
        'note: Next, create an activation with this role, per region:',
        `aws ssm create-activation --iam-role service-role/${ROLE} --registration-limit 10 --region us-east-1`,
        'note: Then install SSM Agent on each server and register it with the activation code and id.',
      ].join('\n'),
    );
  });

  it('no note when nothing changed, nor when a write failed', async () => {
    existingRole(hybridTrust(['us-east-1']), [CORE_ARN]);
    const same = await cli(['hybrid-role', 'create', '--region', 'us-east-1']);
    expect(same.code).toBe(0);
    expect(same.stderr).not.toContain('note:');
    iam.on(AttachRolePolicyCommand).rejects(awsError('ServiceFailure', 'Internal failure', 500));
    const failed = await cli(['hybrid-role', 'create', '--region', 'us-east-1', '--cloudwatch']);
    expect(failed.code).toBe(5);
    expect(failed.stderr).not.toContain('note:');
  });
});

// Issue 11 follow-up: a role made for us-east-2, then asked for us-east-2 and eu-west-1, used to answer
// "No changes" while activations in eu-west-1 would be refused by its aws:SourceArn condition.
describe('hybrid-role create: the trust is judged against the regions asked', () => {
  const updates = () => iam.commandCalls(UpdateAssumeRolePolicyCommand).map((c) => c.args[0].input);
  /** A trust someone else wrote: ssm.amazonaws.com under `Condition`. */
  const ssmTrustWhen = (Condition: PolicyStatement['Condition'], Sid?: string): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [{ ...(Sid ? { Sid } : {}), Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole', Condition }],
  });

  it("widens the tool's own trust to the regions it lacks: one UpdateAssumeRolePolicy keeping us-east-2, no consent needed", async () => {
    existingRole(hybridTrust(['us-east-2']), [CORE_ARN]);
    iam.on(UpdateAssumeRolePolicyCommand).resolves({});
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-2,eu-west-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([
      {
        region: null,
        action: 'update',
        resource: ROLE_ARN,
        operation: 'iam:UpdateAssumeRolePolicy',
        status: 'applied',
        details: { addedRegions: 'eu-west-1' },
        error: null,
      },
    ]);
    expect(updates()).toHaveLength(1);
    expect(updates()[0]!.RoleName).toBe(ROLE);
    expect(JSON.parse(updates()[0]!.PolicyDocument!)).toEqual(hybridTrust(['us-east-2', 'eu-west-1']));
    expect(r.stderr).not.toContain('warning');
  });

  it('--dry-run plans the widening and sends no UpdateAssumeRolePolicy', async () => {
    existingRole(hybridTrust(['us-east-2']), [CORE_ARN]);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-2,eu-west-1', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:UpdateAssumeRolePolicy', 'planned'],
    ]);
    expect(iam).not.toHaveReceivedCommand(UpdateAssumeRolePolicyCommand);
  });

  it('the same regions again (in another order, or fewer): no change, no warning, exit 0', async () => {
    for (const regions of ['us-east-2,eu-west-1', 'eu-west-1,us-east-2', 'eu-west-1']) {
      resetAws();
      existingRole(hybridTrust(['us-east-2', 'eu-west-1']), [CORE_ARN]);
      const r = await cli(['hybrid-role', 'create', '--region', regions]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, regions).toBe('');
      expect(r.stdout).toContain('No changes');
      expect(iam).not.toHaveReceivedCommand(UpdateAssumeRolePolicyCommand);
    }
  });

  it("someone else's trust that leaves a region out: exit 6 naming it, with a fix keeping their statements, nothing written", async () => {
    const theirs = ssmTrustWhen({ ArnLike: { 'aws:SourceArn': 'arn:aws:ssm:us-east-2:*:*' } }, 'Theirs');
    existingRole(theirs, [CORE_ARN]);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-2,eu-west-1,ap-south-1']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`error: role ${ROLE} trusts ssm.amazonaws.com but not for activations in eu-west-1, ap-south-1`);
    const fix = /--policy-document '([^']*)'/.exec(r.stderr)![1]!;
    const doc = JSON.parse(fix) as PolicyDocument;
    expect(doc.Statement[0]).toEqual(theirs.Statement[0]);
    expect(doc.Statement[1]).toEqual(hybridTrust(['eu-west-1', 'ap-south-1']).Statement[0]);
    noWrite();
    expect(iam).not.toHaveReceivedCommand(UpdateAssumeRolePolicyCommand);
  });

  it("someone else's trust that covers every region asked (no conditions at all): no change, no warning", async () => {
    existingRole(serviceTrustPolicy('ssm.amazonaws.com'), [CORE_ARN]);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-2,eu-west-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(iam).not.toHaveReceivedCommand(UpdateAssumeRolePolicyCommand);
  });

  it('a trust whose conditions cannot be judged here: a warning naming the regions, no change', async () => {
    const tagged = ssmTrustWhen({ StringEquals: { 'aws:PrincipalTag/team': 'ops' } });
    existingRole(tagged, [CORE_ARN]);
    const r = await cli(['hybrid-role', 'create', '--region', 'us-east-2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('could not be judged for us-east-2');
    expect(iam).not.toHaveReceivedCommand(UpdateAssumeRolePolicyCommand);
  });
});
