// profile update in-process: argv in, stdout / stderr / exit code out, IAM and STS mocked (test/helpers/aws-mocks.ts).
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyVersionCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/policies/trust.js';
import { ACCOUNT, CORE_ARN, expectNoAwsCall, iam, iamEncoded, iamWrites, resetAws, roleAnswer, sts } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'AppServerRole';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const PROFILE = 'AppServerProfile';
const PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/${PROFILE}`;
const CLOUDWATCH_ARN = 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy';
const DIRECTORY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMDirectoryServiceAccess';
const S3_POLICY = `${ROLE}-S3Policy`;
const S3_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${S3_POLICY}`;

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

/** The role exists with `trust` and these policies attached. */
function existingRole(trust: string | PolicyDocument, attached: string[], path = '/') {
  iam.on(GetRoleCommand, { RoleName: ROLE }).resolves(roleAnswer(ROLE, trust, path));
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: ROLE }).resolves({ AttachedPolicies: attached.map((PolicyArn) => ({ PolicyArn })), IsTruncated: false });
}

/** The instance profiles the role is in. */
function inProfiles(profiles: { name: string; arn: string }[]) {
  iam.on(ListInstanceProfilesForRoleCommand, { RoleName: ROLE }).resolves({
    InstanceProfiles: profiles.map((p) => ({
      InstanceProfileName: p.name,
      Arn: p.arn,
      InstanceProfileId: 'AIPA',
      Path: '/',
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      Roles: [],
    })),
    IsTruncated: false,
  });
}

/** A role trusting EC2, in PROFILE, with these policies: what `profile update` leaves. */
function readyRole(attached: string[]) {
  existingRole('ec2.amazonaws.com', attached);
  inProfiles([{ name: PROFILE, arn: PROFILE_ARN }]);
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

const update = (...extra: string[]) => ['profile', 'update', '--role-name', ROLE, ...extra];

beforeEach(() => {
  resetAws();
  // Every AWS managed policy exists.
  iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(CreateInstanceProfileCommand).resolves({});
  iam.on(AddRoleToInstanceProfileCommand).resolves({});
});

describe('profile update: the normal path', () => {
  it('--cloudwatch on a role that has the core policy: attaches only CloudWatchAgentServerPolicy, and says what happens next', async () => {
    readyRole([CORE_ARN]);
    const r = await cli(update('--cloudwatch', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CLOUDWATCH_ARN }]]);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandWith(ListInstanceProfilesForRoleCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: CLOUDWATCH_ARN });
    // The role is in a profile already: no profile is looked up by name or created.
    expect(iam).not.toHaveReceivedCommand(GetInstanceProfileCommand);

    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, dryRun: false, roleArn: ROLE_ARN, instanceProfileArn: PROFILE_ARN, regions: [], warnings: [] });
    expect(doc.changes).toEqual([
      {
        region: null,
        action: 'attach',
        resource: ROLE_ARN,
        operation: 'iam:AttachRolePolicy',
        status: 'applied',
        details: { policyArn: CLOUDWATCH_ARN },
        error: null,
      },
    ]);
    expect(r.stderr).toContain('note: Instances already using this role pick the new permissions up within minutes');
    expect(r.stderr).toContain(`note: Next: ssm-perms profile attach --name ${PROFILE} --instance-id i-...`);
  });

  it('a role without any SSM policy: attaches the core policy and each one asked, in order; never touches the role itself', async () => {
    readyRole(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    const r = await cli(update('--cloudwatch', '--directory-service', '--no-color'));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CORE_ARN }],
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CLOUDWATCH_ARN }],
      ['AttachRolePolicy', { RoleName: ROLE, PolicyArn: DIRECTORY_ARN }],
    ]);
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+attach ${CORE_ARN} to ${ROLE_ARN}`));
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+attach ${DIRECTORY_ARN} to ${ROLE_ARN}`));
  });

  it('a role in no instance profile: one of its name is created at its path, and the role put in it', async () => {
    existingRole('ec2.amazonaws.com', [CORE_ARN], '/app/');
    inProfiles([]);
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', `Instance Profile ${ROLE} cannot be found.`, 404));
    const r = await cli(update('--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([
      ['CreateInstanceProfile', { InstanceProfileName: ROLE, Path: '/app/', Tags: undefined }],
      ['AddRoleToInstanceProfile', { InstanceProfileName: ROLE, RoleName: ROLE }],
    ]);
    const profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/app/${ROLE}`;
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ roleArn: `arn:aws:iam::${ACCOUNT}:role/app/${ROLE}`, instanceProfileArn: profileArn });
    expect(r.stderr).toContain(`note: Next: ssm-perms profile attach --name ${ROLE} --instance-id i-...`);
  });
});

describe('profile update: idempotence', () => {
  it('a role that already has every policy and is in a profile: exit 0, no change, no write, no note', async () => {
    readyRole([CORE_ARN, CLOUDWATCH_ARN]);
    const r = await cli(update('--cloudwatch', '--json'));
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes).toEqual([]);
    expect(doc.instanceProfileArn).toBe(PROFILE_ARN);
    noWrite();

    const text = await cli(update('--cloudwatch'));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('No changes: everything is already as asked.');
    noWrite();
  });

  it('a second run against what the first one did changes nothing', async () => {
    existingRole('ec2.amazonaws.com', []);
    inProfiles([]);
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const first = await cli(update('--cloudwatch', '--json'));
    expect(first.code, first.stderr).toBe(0);
    expect(iamWrites().map(([name]) => name)).toEqual(['AttachRolePolicy', 'AttachRolePolicy', 'CreateInstanceProfile', 'AddRoleToInstanceProfile']);

    // IAM now holds what the first run sent.
    const attached = iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input.PolicyArn!);
    const profile = iam.commandCalls(AddRoleToInstanceProfileCommand)[0]!.args[0].input.InstanceProfileName!;
    resetAws();
    iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } }));
    existingRole('ec2.amazonaws.com', attached);
    inProfiles([{ name: profile, arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${profile}` }]);

    const second = await cli(update('--cloudwatch', '--json'));
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).changes).toEqual([]);
    noWrite();
  });
});

describe('profile update --dry-run', () => {
  it('--json: plans the attachments and the profile, exit 0, and sends no write', async () => {
    existingRole('ec2.amazonaws.com', []);
    inProfiles([]);
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const r = await cli(update('--cloudwatch', '--dry-run', '--json'));
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(
      doc.changes.map((c: { operation: string; status: string; details: Record<string, string> }) => [c.operation, c.status, c.details.policyArn ?? null]),
    ).toEqual([
      ['iam:AttachRolePolicy', 'planned', CORE_ARN],
      ['iam:AttachRolePolicy', 'planned', CLOUDWATCH_ARN],
      ['iam:CreateInstanceProfile', 'planned', null],
      ['iam:AddRoleToInstanceProfile', 'planned', null],
    ]);
    expect(iam).toHaveReceivedCommand(ListAttachedRolePoliciesCommand);
    noWrite();
    expect(r.stderr).not.toContain('Next:');
    expect(r.stderr).not.toContain('pick the new permissions up');
  });

  it('as text: the plan under its dry-run heading, and no write', async () => {
    readyRole([CORE_ARN]);
    const r = await cli(update('--cloudwatch', '--dry-run', '--no-color'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Planned changes (dry run, nothing changed):');
    expect(r.stdout).toMatch(new RegExp(`planned\\s+global\\s+attach ${CLOUDWATCH_ARN} to ${ROLE_ARN}`));
    noWrite();
  });
});

describe('profile update: the role', () => {
  it('a role that does not exist: exit 6 naming it, pointing at profile create, nothing written', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', `The role with name ${ROLE} cannot be found.`, 404));
    const r = await cli(update('--cloudwatch'));
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: role ${ROLE} does not exist`);
    expect(r.stderr).toContain('hint: Check the name, or create a new role with: ssm-perms profile create --name NAME');
    noWrite();
    expect(iam).not.toHaveReceivedCommand(ListInstanceProfilesForRoleCommand);

    const json = await cli(update('--json'));
    expect(json.code).toBe(6);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'RoleNotFound', message: `role ${ROLE} does not exist` });
    noWrite();
  });

  it('a role that does not exist: --dry-run exits 6 too', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    const r = await cli(update('--dry-run', '--json'));
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.code).toBe('RoleNotFound');
  });

  it('a role that does not trust ec2.amazonaws.com: completed all the same, with a warning giving the fix', async () => {
    existingRole('lambda.amazonaws.com', []);
    inProfiles([{ name: PROFILE, arn: PROFILE_ARN }]);
    const r = await cli(update('--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CORE_ARN }]]);
    const warning = `role ${ROLE} does not trust ec2.amazonaws.com: Let the service assume it, keeping what the role trusts now (or choose another role name):\naws iam update-assume-role-policy --role-name ${ROLE}`;
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings).toHaveLength(1);
    expect(doc.warnings[0]).toContain(warning);
    expect(r.stderr).toContain(`warning: ${warning}`);
    expect(r.stderr).toContain('"Service":"ec2.amazonaws.com"');
  });

  it('a role that does not trust EC2 and is in no profile: no profile is made for it, and attach is not offered', async () => {
    existingRole('ssm.amazonaws.com', []);
    inProfiles([]);
    const r = await cli(update('--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CORE_ARN }]]);
    const doc = JSON.parse(r.stdout);
    expect(doc.instanceProfileArn).toBeNull();
    expect(doc.warnings).toContain(`role ${ROLE} is in no instance profile, and none is made for it until it trusts ec2.amazonaws.com`);
    expect(r.stderr).not.toContain('profile attach');
  });

  it("a profile of the role's name that holds another role: the hint offers profile create with another name, not --name", async () => {
    existingRole('ec2.amazonaws.com', [CORE_ARN]);
    inProfiles([]);
    iam.on(GetInstanceProfileCommand, { InstanceProfileName: ROLE }).resolves({
      InstanceProfile: {
        InstanceProfileName: ROLE,
        Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${ROLE}`,
        InstanceProfileId: 'AIPA',
        Path: '/',
        CreateDate: new Date('2026-01-01T00:00:00Z'),
        Roles: [{ ...roleAnswer('SomeoneElse', 'ec2.amazonaws.com').Role! }],
      },
    });
    const r = await cli(update());
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`hint: Put role ${ROLE} in a profile of another name with: ssm-perms profile create --name ${ROLE}Profile --role-name ${ROLE}`);
    expect(r.stderr).not.toContain('(--name)');
    noWrite();
  });

  it("shows the plan's warnings before asking, so a refusal still leaves them on screen", async () => {
    existingRole('lambda.amazonaws.com', [CORE_ARN, S3_POLICY_ARN]);
    inProfiles([{ name: PROFILE, arn: PROFILE_ARN }]);
    storedS3Policy(OLD_DOC);
    const r = await cli(update('--s3-bucket', 'my-ssm-output'), { tty: true, input: 'n\n', env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    const warning = r.stderr.indexOf(`warning: role ${ROLE} does not trust ec2.amazonaws.com`);
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(r.stderr.indexOf('[y/N]'));
    noWrite();
    // Accepted: the warning is not printed a second time with the result.
    const yes = await cli(update('--s3-bucket', 'my-ssm-output'), { tty: true, input: 'y\n', env: { NO_COLOR: '1' } });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr.split(`warning: role ${ROLE} does not trust`)).toHaveLength(2);
  });

  it('a role that trusts EC2 gives no warning', async () => {
    readyRole([]);
    const r = await cli(update('--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
    expect(r.stderr).not.toContain('warning:');
  });
});

describe('profile update --s3-bucket: replacing the stored S3 policy document needs consent', () => {
  it('without --yes and without a terminal: exit 2 with a hint, nothing written, no prompt', async () => {
    readyRole([CORE_ARN, S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const r = await cli(update('--s3-bucket', 'my-ssm-output'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: not replacing the document of policy ${S3_POLICY} (default version v1) without consent; nothing was changed`);
    expect(r.stderr).toContain('hint: Pass --yes to replace it.');
    expect(r.stderr).not.toContain('[y/N]');
    noWrite();
  });

  it('refused consent writes nothing at all, not even the attachments that needed no consent', async () => {
    readyRole([S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const r = await cli(update('--s3-bucket', 'my-ssm-output', '--cloudwatch', '--json'));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error.code).toBe('ConsentRequired');
    noWrite();
  });

  it('with --yes: a new default version holding the generated document', async () => {
    readyRole([CORE_ARN, S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const r = await cli(update('--s3-bucket', 'my-ssm-output', '--yes', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(iamWrites()).toEqual([['CreatePolicyVersion', { PolicyArn: S3_POLICY_ARN, PolicyDocument: expect.any(String), SetAsDefault: true }]]);
    expect(JSON.parse(iam.commandCalls(CreatePolicyVersionCommand)[0]!.args[0].input.PolicyDocument!)).toEqual(BUCKET_DOC);
  });

  it('asks on a terminal: y replaces, n refuses', async () => {
    readyRole([CORE_ARN, S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const no = await cli(update('--s3-bucket', 'my-ssm-output', '--no-color'), { tty: true, input: 'n\n', stderrColumns: 400 });
    expect(no.stderr).toContain(`This replaces the document of policy ${S3_POLICY} (default version v1). Continue? [y/N]`);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('hint: Answer y to replace it.');
    noWrite();

    const yes = await cli(update('--s3-bucket', 'my-ssm-output', '--no-color'), { tty: true, input: 'y\n' });
    expect(yes.stderr).toContain('Continue? [y/N]');
    expect(yes.code, yes.stderr).toBe(0);
    expect(iamWrites().map(([name]) => name)).toEqual(['CreatePolicyVersion']);
  });

  it('the same document already stored: nothing to replace, no question', async () => {
    readyRole([CORE_ARN, S3_POLICY_ARN]);
    storedS3Policy(BUCKET_DOC);
    const r = await cli(update('--s3-bucket', 'my-ssm-output'), { tty: true, input: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('[y/N]');
    noWrite();
  });

  it('--dry-run plans the new version, notes that it will need --yes, and writes nothing', async () => {
    readyRole([CORE_ARN, S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const r = await cli(update('--s3-bucket', 'my-ssm-output', '--dry-run', '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:CreatePolicyVersion', 'planned'],
    ]);
    expect(r.stderr).toContain(`note: replacing the document of policy ${S3_POLICY} (default version v1) will need --yes (or a y at the prompt)`);
    noWrite();
  });
});

describe('profile update: AWS failures', () => {
  it('AttachRolePolicy denied: exit 4 with AccessDenied in the change, the later attachment not attempted', async () => {
    readyRole([]);
    iam
      .on(AttachRolePolicyCommand, { PolicyArn: CORE_ARN })
      .rejects(
        awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: iam:AttachRolePolicy on resource: ${ROLE_ARN}`, 403),
      );
    const r = await cli(update('--cloudwatch', '--json'));
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes[0]).toMatchObject({ operation: 'iam:AttachRolePolicy', status: 'failed', error: { code: 'AccessDenied' } });
    expect(doc.changes[0].error.message).toContain('access denied to iam:AttachRolePolicy');
    expect(doc.changes[1]).toMatchObject({
      operation: 'iam:AttachRolePolicy',
      status: 'failed',
      error: { code: 'NotAttempted' },
      details: { policyArn: CLOUDWATCH_ARN },
    });
    expect(iamWrites()).toEqual([['AttachRolePolicy', { RoleName: ROLE, PolicyArn: CORE_ARN }]]);
    expect(r.stderr).not.toContain('Next:');
  });

  it('a 500 from AttachRolePolicy: exit 5 with the AWS code', async () => {
    readyRole([CORE_ARN]);
    iam.on(AttachRolePolicyCommand).rejects(awsError('ServiceFailure', 'Internal failure', 500));
    const r = await cli(update('--cloudwatch', '--json'));
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).changes[0]).toMatchObject({ operation: 'iam:AttachRolePolicy', status: 'failed', error: { code: 'ServiceFailure' } });
  });

  it('ListInstanceProfilesForRole denied: exit 4 before any write, the JSON error naming the action', async () => {
    existingRole('ec2.amazonaws.com', []);
    iam
      .on(ListInstanceProfilesForRoleCommand)
      .rejects(awsError('AccessDenied', `User: x is not authorized to perform: iam:ListInstanceProfilesForRole on resource: role ${ROLE}`, 403));
    const r = await cli(update('--json'));
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    const err = JSON.parse(r.stderr).error;
    expect(err.code).toBe('AccessDenied');
    expect(err.message).toContain('access denied to iam:ListInstanceProfilesForRole');
    noWrite();
  });
});

describe('profile update: validation before any AWS call', () => {
  it.each([
    [[], 'profile update needs --role-name ROLE'],
    [['--role-name', 'x'.repeat(65)], 'invalid --role-name'],
    [['--role-name', 'has space'], 'invalid --role-name "has space"'],
    [['--role-name', 'a/b'], 'invalid --role-name "a/b"'],
    [['--role-name', 'R', '--policy-arn', 'not-an-arn'], 'invalid --policy-arn "not-an-arn"'],
  ])('%j exits 2', async (args, message) => {
    const r = await cli(['profile', 'update', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expectNoAwsCall();
  });

  it('profile update takes no --name: commander refuses it (exit 2), nothing sent', async () => {
    const r = await cli(['profile', 'update', '--name', 'X']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--name'");
    expectNoAwsCall();
  });
});

describe('profile update: what it says next', () => {
  it('no --role-name: MissingOption, pointing at profile create for a new role', async () => {
    const r = await cli(['profile', 'update']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: profile update needs --role-name ROLE (the existing role to complete)\nhint: To create a new role and instance profile, use: ssm-perms profile create\n',
    );
    const json = await cli(['profile', 'update', '--json']);
    expect(JSON.parse(json.stderr).error).toEqual({
      code: 'MissingOption',
      message: 'profile update needs --role-name ROLE (the existing role to complete)',
      hint: 'To create a new role and instance profile, use: ssm-perms profile create',
    });
    expectNoAwsCall();
  });

  it('a role that does not trust EC2 and is in no profile: only the note on the new permissions', async () => {
    existingRole('ssm.amazonaws.com', []);
    inProfiles([]);
    const r = await cli(update());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note:'))).toEqual([
      'note: Instances already using this role pick the new permissions up within minutes; restarting SSM Agent (or the instance) makes it sooner.',
    ]);
  });

  it('--dry-run notes nothing when nothing is replaced, nor when --yes is already given', async () => {
    readyRole([]);
    const plain = await cli(update('--dry-run'));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toContain('note:');

    readyRole([CORE_ARN, S3_POLICY_ARN]);
    storedS3Policy(OLD_DOC);
    const yes = await cli(update('--s3-bucket', 'my-ssm-output', '--dry-run', '--yes', '--json'));
    expect(yes.code, yes.stderr).toBe(0);
    expect(JSON.parse(yes.stdout).changes.map((c: { operation: string }) => c.operation)).toEqual(['iam:CreatePolicyVersion']);
    expect(yes.stderr).not.toContain('note:');
    noWrite();
  });
});
