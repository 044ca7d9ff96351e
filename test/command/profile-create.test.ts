// profile create in-process: argv in, stdout / stderr / exit code out, IAM and STS mocked (test/helpers/aws-mocks.ts).
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policies/trust.js';
import { ACCOUNT, CORE_ARN, expectNoAwsCall, iam, iamEncoded, iamWrites, resetAws, roleAnswer, sts } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const NAME = 'SSMInstanceProfile';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${NAME}`;
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${NAME}`;
const CLOUDWATCH_ARN = 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy';
const S3_POLICY = `${NAME}-S3Policy`;
const S3_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${S3_POLICY}`;

/** The trust the guide gives an instance profile's role, written out rather than built by the code under test. */
const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
/** What `--s3-bucket my-ssm-output` generates. */
const BUCKET_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::my-ssm-output/*'] }],
};
const OLD_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::old-bucket/*' }],
};

function noWrite() {
  expect(iamWrites()).toEqual([]);
}

function noRole() {
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', `The role with name ${NAME} cannot be found.`, 404));
}

function noProfile() {
  iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', `Instance Profile ${NAME} cannot be found.`, 404));
}

function existingRole(trust: string | PolicyDocument, attached: string[], name = NAME) {
  iam.on(GetRoleCommand, { RoleName: name }).resolves(roleAnswer(name, trust));
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: name }).resolves({ AttachedPolicies: attached.map((PolicyArn) => ({ PolicyArn })), IsTruncated: false });
}

function existingProfile(roles: string[], name = NAME) {
  iam.on(GetInstanceProfileCommand, { InstanceProfileName: name }).resolves({
    InstanceProfile: {
      InstanceProfileName: name,
      InstanceProfileId: 'AIPA',
      Path: '/',
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`,
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      Roles: roles.map((r) => ({
        RoleName: r,
        RoleId: 'AROA',
        Path: '/',
        Arn: `arn:aws:iam::${ACCOUNT}:role/${r}`,
        CreateDate: new Date('2026-01-01T00:00:00Z'),
      })),
    },
  });
}

/** The S3 policy exists; its default version v1 holds `document`. */
function storedS3Policy(document: object) {
  iam.on(GetPolicyCommand, { PolicyArn: S3_POLICY_ARN }).resolves({ Policy: { Arn: S3_POLICY_ARN, PolicyName: S3_POLICY, DefaultVersionId: 'v1' } });
  iam
    .on(GetPolicyVersionCommand, { PolicyArn: S3_POLICY_ARN, VersionId: 'v1' })
    .resolves({ PolicyVersion: { Document: iamEncoded(document as PolicyDocument) } });
  iam.on(ListPolicyVersionsCommand).resolves({ Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: new Date('2026-01-01T00:00:00Z') }] });
  iam.on(CreatePolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v2', IsDefaultVersion: true } });
}

/** A role and profile already as `profile create` leaves them (the S3 policy attached too). */
function completeSetup(extraAttached: string[] = []) {
  existingRole('ec2.amazonaws.com', [CORE_ARN, ...extraAttached]);
  existingProfile([NAME]);
}

beforeEach(() => {
  resetAws();
  // Every AWS managed policy exists.
  iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
  iam.on(CreateRoleCommand).callsFake((input: { RoleName: string; Path: string }) => ({
    Role: {
      RoleName: input.RoleName,
      Path: input.Path,
      Arn: `arn:aws:iam::${ACCOUNT}:role${input.Path}${input.RoleName}`,
      RoleId: 'AROA',
      CreateDate: new Date(),
    },
  }));
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(CreateInstanceProfileCommand).resolves({});
  iam.on(AddRoleToInstanceProfileCommand).resolves({});
  iam.on(TagRoleCommand).resolves({});
});

describe('profile create: the normal path', () => {
  it('in a fresh account: creates the role trusting EC2, attaches AmazonSSMManagedInstanceCore, creates the profile and puts the role in it', async () => {
    noRole();
    noProfile();
    const r = await cli(['profile', 'create', '--json']);
    expect(r.code, r.stderr).toBe(0);

    expect(iamWrites()).toEqual([
      [
        'CreateRole',
        {
          RoleName: NAME,
          Path: '/',
          AssumeRolePolicyDocument: expect.any(String),
          Description: 'Lets Systems Manager manage EC2 instances (created by ssm-perms)',
          Tags: undefined,
        },
      ],
      ['AttachRolePolicy', { RoleName: NAME, PolicyArn: CORE_ARN }],
      ['CreateInstanceProfile', { InstanceProfileName: NAME, Path: '/', Tags: undefined }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: NAME, RoleName: NAME }],
    ]);
    expect(JSON.parse(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input.AssumeRolePolicyDocument!)).toEqual(EC2_TRUST);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: NAME });
    expect(iam).toHaveReceivedCommandWith(GetInstanceProfileCommand, { InstanceProfileName: NAME });
    // The core policy is checked to exist before anything is created.
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: CORE_ARN });

    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, dryRun: false, roleArn: ROLE_ARN, instanceProfileArn: PROFILE_ARN, regions: [], warnings: [] });
    expect(doc.changes).toEqual([
      {
        region: null,
        action: 'create',
        resource: ROLE_ARN,
        operation: 'iam:CreateRole',
        status: 'applied',
        details: { path: '/', trustedService: 'ec2.amazonaws.com' },
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
      { region: null, action: 'create', resource: PROFILE_ARN, operation: 'iam:CreateInstanceProfile', status: 'applied', details: { path: '/' }, error: null },
      {
        region: null,
        action: 'attach',
        resource: PROFILE_ARN,
        operation: 'iam:AddRoleToInstanceProfile',
        status: 'applied',
        details: { roleName: NAME },
        error: null,
      },
    ]);
    expect(r.stderr).toContain(`note: Next: ssm-perms profile attach --name ${NAME} --instance-id i-...`);
  });

  it('takes --name, --role-name, --path, --tag and --cloudwatch; the text output lists each change', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const r = await cli([
      'profile',
      'create',
      '--name',
      'AppProfile',
      '--role-name',
      'AppRole',
      '--path',
      '/app/',
      '--tag',
      'Team=ops',
      '--cloudwatch',
      '--no-color',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const tags = [{ Key: 'Team', Value: 'ops' }];
    expect(iamWrites()).toEqual([
      ['CreateRole', expect.objectContaining({ RoleName: 'AppRole', Path: '/app/', Tags: tags })],
      ['AttachRolePolicy', { RoleName: 'AppRole', PolicyArn: CORE_ARN }],
      ['AttachRolePolicy', { RoleName: 'AppRole', PolicyArn: CLOUDWATCH_ARN }],
      ['CreateInstanceProfile', { InstanceProfileName: 'AppProfile', Path: '/app/', Tags: tags }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: 'AppProfile', RoleName: 'AppRole' }],
    ]);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/app/AppRole`;
    const profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/app/AppProfile`;
    expect(r.stdout).toContain('Changes:');
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+create role ${roleArn} \\(trusts ec2\\.amazonaws\\.com\\)`));
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+attach ${CORE_ARN} to ${roleArn}`));
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+attach ${CLOUDWATCH_ARN} to ${roleArn}`));
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+create instance profile ${profileArn}`));
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+put role AppRole in ${profileArn}`));
    expect(r.stderr).toContain('note: Next: ssm-perms profile attach --name AppProfile');
  });

  it('completes what is missing: an existing role trusting EC2 gets only the profile and its role', async () => {
    existingRole('ec2.amazonaws.com', [CORE_ARN]);
    noProfile();
    const r = await cli(['profile', 'create', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([
      ['CreateInstanceProfile', { InstanceProfileName: NAME, Path: '/', Tags: undefined }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: NAME, RoleName: NAME }],
    ]);
  });

  it('an empty existing profile only gets the role put in it', async () => {
    existingRole('ec2.amazonaws.com', [CORE_ARN]);
    existingProfile([]);
    const r = await cli(['profile', 'create', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([['AddRoleToInstanceProfile', { InstanceProfileName: NAME, RoleName: NAME }]]);
  });
});

describe('profile create: idempotence', () => {
  it('a state that already matches: exit 0, no change, no write, no next step', async () => {
    completeSetup();
    const r = await cli(['profile', 'create', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes).toEqual([]);
    expect(doc).toMatchObject({ roleArn: ROLE_ARN, instanceProfileArn: PROFILE_ARN });
    expect(iam).toHaveReceivedCommandWith(ListAttachedRolePoliciesCommand, { RoleName: NAME });
    noWrite();
    expect(r.stderr).not.toContain('Next:');

    const text = await cli(['profile', 'create']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No changes: everything is already as asked.');
    noWrite();
  });

  it('a second run against what the first one created changes nothing', async () => {
    noRole();
    noProfile();
    const first = await cli(['profile', 'create', '--cloudwatch', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(iamWrites()).toHaveLength(5);

    // IAM now holds exactly what the first run sent.
    const created = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    const attached = iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input.PolicyArn!);
    const inProfile = iam.commandCalls(AddRoleToInstanceProfileCommand).map((c) => c.args[0].input.RoleName!);
    resetAws();
    iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
    existingRole(JSON.parse(created.AssumeRolePolicyDocument!) as PolicyDocument, attached, created.RoleName);
    existingProfile(inProfile);

    const second = await cli(['profile', 'create', '--cloudwatch', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).changes).toEqual([]);
    expect(JSON.parse(second.stdout).warnings).toEqual([]);
    noWrite();
  });
});

describe('profile create --dry-run', () => {
  it('--json: plans the role, its policy and the profile, exit 0, and sends no write', async () => {
    noRole();
    noProfile();
    const r = await cli(['profile', 'create', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ dryRun: true, roleArn: ROLE_ARN, instanceProfileArn: PROFILE_ARN });
    expect(doc.changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:CreateRole', 'planned'],
      ['iam:AttachRolePolicy', 'planned'],
      ['iam:CreateInstanceProfile', 'planned'],
      ['iam:AddRoleToInstanceProfile', 'planned'],
    ]);
    // It read what exists, and wrote nothing.
    expect(iam).toHaveReceivedCommand(GetRoleCommand);
    expect(iam).toHaveReceivedCommand(GetInstanceProfileCommand);
    noWrite();
    expect(r.stderr).not.toContain('Next:');
  });

  it('as text: the plan under its dry-run heading, and no write', async () => {
    noRole();
    noProfile();
    const r = await cli(['profile', 'create', '--dry-run', '--no-color']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Planned changes (dry run, nothing changed):');
    expect(r.stdout).toMatch(new RegExp(`planned\\s+global\\s+create role ${ROLE_ARN} \\(trusts ec2\\.amazonaws\\.com\\)`));
    expect(r.stdout).toMatch(new RegExp(`planned\\s+global\\s+create instance profile ${PROFILE_ARN}`));
    expect(r.stdout).not.toContain('applied');
    noWrite();
  });

  it('still refuses an existing role that does not trust EC2 (exit 6): the plan could not be carried out', async () => {
    existingRole('ssm.amazonaws.com', [CORE_ARN]);
    noProfile();
    const r = await cli(['profile', 'create', '--dry-run', '--json']);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.code).toBe('RoleNotTrusted');
    noWrite();
  });
});

describe('profile create: an existing role or profile that cannot be used', () => {
  it('refuses an existing role that does not trust ec2.amazonaws.com: exit 6 with the fix, nothing written', async () => {
    existingRole('ssm.amazonaws.com', [CORE_ARN]);
    noProfile();
    const r = await cli(['profile', 'create', '--cloudwatch']);
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: role ${NAME} does not trust ec2.amazonaws.com, so it cannot be used here`);
    expect(r.stderr).toContain(
      `hint: Let the service assume it, keeping what the role trusts now (or choose another role name):\naws iam update-assume-role-policy --role-name ${NAME}`,
    );
    expect(r.stderr).toContain('"Service":"ec2.amazonaws.com"');
    noWrite();
  });

  it('refuses a profile that already holds another role: exit 6, pointing at profile update, nothing written', async () => {
    noRole();
    existingProfile(['SomeoneElsesRole']);
    const r = await cli(['profile', 'create']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`error: instance profile ${NAME} already holds role SomeoneElsesRole; a profile holds one role at most`);
    expect(r.stderr).toContain('ssm-perms profile update --role-name SomeoneElsesRole');
    noWrite();
  });
});

describe('profile create --s3-bucket: replacing the stored S3 policy document needs consent', () => {
  it('a new S3 policy needs no consent: created and attached without --yes', async () => {
    completeSetup();
    iam.on(GetPolicyCommand, { PolicyArn: S3_POLICY_ARN }).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(CreatePolicyCommand).resolves({ Policy: { Arn: S3_POLICY_ARN, PolicyName: S3_POLICY, DefaultVersionId: 'v1' } });
    const r = await cli(['profile', 'create', '--s3-bucket', 'my-ssm-output', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([
      [
        'CreatePolicy',
        { PolicyName: S3_POLICY, PolicyDocument: JSON.stringify(BUCKET_DOC), Description: 'S3 access for Systems Manager (generated by ssm-perms)' },
      ],
      ['AttachRolePolicy', { RoleName: NAME, PolicyArn: S3_POLICY_ARN }],
    ]);
  });

  it('without --yes and without a terminal: exit 2 with a hint, nothing written, no prompt', async () => {
    completeSetup([S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const r = await cli(['profile', 'create', '--s3-bucket', 'my-ssm-output']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: not replacing the document of policy ${S3_POLICY} (default version v1) without consent; nothing was changed`);
    expect(r.stderr).toContain('hint: Pass --yes to replace it.');
    expect(r.stderr).not.toContain('[y/N]');
    noWrite();
  });

  it('with --yes: a new default version holding the generated document, and nothing else', async () => {
    completeSetup([S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const r = await cli(['profile', 'create', '--s3-bucket', 'my-ssm-output', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([['CreatePolicyVersion', { PolicyArn: S3_POLICY_ARN, PolicyDocument: expect.any(String), SetAsDefault: true }]]);
    expect(JSON.parse(iam.commandCalls(CreatePolicyVersionCommand)[0]!.args[0].input.PolicyDocument!)).toEqual(BUCKET_DOC);
    expect(JSON.parse(r.stdout).changes).toEqual([
      expect.objectContaining({ operation: 'iam:CreatePolicyVersion', status: 'applied', details: { previousDefaultVersion: 'v1', setAsDefault: 'true' } }),
    ]);
  });

  it('asks on a terminal: y replaces, an empty answer refuses', async () => {
    completeSetup([S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const no = await cli(['profile', 'create', '--s3-bucket', 'my-ssm-output', '--no-color'], { tty: true, input: '\n', stderrColumns: 400 });
    expect(no.stderr).toContain(`This replaces the document of policy ${S3_POLICY} (default version v1). Continue? [y/N]`);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('hint: Answer y to replace it.');
    noWrite();

    const yes = await cli(['profile', 'create', '--s3-bucket', 'my-ssm-output', '--no-color'], { tty: true, input: 'y\n' });
    expect(yes.stderr).toContain('Continue? [y/N]');
    expect(yes.code, yes.stderr).toBe(0);
    expect(iamWrites().map(([name]) => name)).toEqual(['CreatePolicyVersion']);
  });

  it('--dry-run plans the new version, notes that it will need --yes, and writes nothing', async () => {
    completeSetup([S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const r = await cli(['profile', 'create', '--s3-bucket', 'my-ssm-output', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:CreatePolicyVersion', 'planned'],
    ]);
    expect(r.stderr).toContain(`note: replacing the document of policy ${S3_POLICY} (default version v1) will need --yes (or a y at the prompt)`);
    noWrite();
  });
});

describe('profile create: AWS failures', () => {
  it('AttachRolePolicy denied: exit 4, the change failed with AccessDenied, the profile steps not attempted', async () => {
    noRole();
    noProfile();
    iam
      .on(AttachRolePolicyCommand)
      .rejects(
        awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: iam:AttachRolePolicy on resource: ${ROLE_ARN}`, 403),
      );
    const r = await cli(['profile', 'create', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(
      doc.changes.map((c: { operation: string; status: string; error: { code: string } | null }) => [c.operation, c.status, c.error?.code ?? null]),
    ).toEqual([
      ['iam:CreateRole', 'applied', null],
      ['iam:AttachRolePolicy', 'failed', 'AccessDenied'],
      ['iam:CreateInstanceProfile', 'failed', 'NotAttempted'],
      ['iam:AddRoleToInstanceProfile', 'failed', 'NotAttempted'],
    ]);
    expect(doc.changes[1].error.message).toContain('access denied to iam:AttachRolePolicy');
    expect(iamWrites().map(([name]) => name)).toEqual(['CreateRole', 'AttachRolePolicy']);
    expect(r.stderr).not.toContain('Next:');
  });

  it('a 500 from CreateInstanceProfile: exit 5 with the AWS code in the change, the role put in no profile', async () => {
    existingRole('ec2.amazonaws.com', [CORE_ARN]);
    noProfile();
    iam.on(CreateInstanceProfileCommand).rejects(awsError('ServiceFailure', 'Internal failure', 500));
    const r = await cli(['profile', 'create', '--no-color']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(new RegExp(`FAILED\\s+global\\s+create instance profile ${PROFILE_ARN}`));
    expect(r.stdout).toContain('ServiceFailure: iam:CreateInstanceProfile failed: Internal failure');
    expect(iam).not.toHaveReceivedCommand(AddRoleToInstanceProfileCommand);
  });

  it('GetRole denied: exit 4 before any write, the JSON error naming the AWS code and action', async () => {
    iam.on(GetRoleCommand).rejects(awsError('AccessDenied', `User: x is not authorized to perform: iam:GetRole on resource: role ${NAME}`, 403));
    const r = await cli(['profile', 'create', '--json']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    const err = JSON.parse(r.stderr).error;
    expect(err.code).toBe('AccessDenied');
    expect(err.message).toContain('access denied to iam:GetRole');
    noWrite();
  });
});

describe('profile create: validation before any AWS call', () => {
  it.each([
    [['--name', 'bad name'], 'invalid --name "bad name"'],
    [['--name', 'a/b'], 'invalid --name "a/b"'],
    // A valid profile name that is too long for the role it also names.
    [['--name', 'P'.repeat(65)], 'invalid --name (used as the role name)'],
    [['--role-name', 'x'.repeat(65)], 'invalid --role-name'],
    [['--role-name', 'has space'], 'invalid --role-name "has space"'],
    [['--role-name', ''], 'invalid --role-name ""'],
  ])('%j exits 2', async (args, message) => {
    const r = await cli(['profile', 'create', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expectNoAwsCall();
  });

  it('a long --name is accepted as a profile name when --role-name names the role', async () => {
    const long = 'P'.repeat(100);
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const r = await cli(['profile', 'create', '--name', long, '--role-name', 'AppRole', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandWith(CreateInstanceProfileCommand, { InstanceProfileName: long });
    expect(iam).toHaveReceivedCommandWith(CreateRoleCommand, { RoleName: 'AppRole' });
  });
});
