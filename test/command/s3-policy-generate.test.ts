// s3-policy generate in-process: the document offline, and --create / --attach-to against mocked IAM and STS.
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../helpers/aws-errors.js';
import { ACCOUNT, expectNoAwsCall, iam, resetAws, sts } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';
import { fill, SEED_S3_POLICY } from '../fixtures/seed-vectors.js';

const NAME = 'SSMInstanceProfileS3Policy';
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/${NAME}`;
const ROLE = 'SSMInstanceProfile';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;

/** What `--bucket my-ssm-output` generates. */
const BUCKET_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::my-ssm-output/*'] }],
};
const OTHER_DOC = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::someone-elses-bucket/*'] }],
};
const create = (...extra: string[]) => ['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', NAME, ...extra];

function noPolicy() {
  iam.on(GetPolicyCommand).rejects(awsError('NoSuchEntity', `Policy ${POLICY_ARN} does not exist or is not attachable.`, 404));
  iam.on(CreatePolicyCommand).resolves({ Policy: { Arn: POLICY_ARN, PolicyName: NAME, DefaultVersionId: 'v1' } });
}

/** The policy exists; its default version holds `document` (IAM returns it URL-encoded). */
function storedPolicy(document: object, versions = 2) {
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: POLICY_ARN, PolicyName: NAME, DefaultVersionId: `v${versions}` } });
  iam
    .on(GetPolicyVersionCommand)
    .resolves({ PolicyVersion: { Document: encodeURIComponent(JSON.stringify(document)), VersionId: `v${versions}`, IsDefaultVersion: true } });
  iam.on(ListPolicyVersionsCommand).resolves({
    Versions: Array.from({ length: versions }, (_, i) => ({
      VersionId: `v${i + 1}`,
      IsDefaultVersion: i + 1 === versions,
      // v2 is the oldest, then v1, then the rest: the order of ids is not the order of age.
      CreateDate: new Date(Date.UTC(2026, 0, i === 1 ? 1 : i + 2)),
    })),
  });
  iam.on(CreatePolicyVersionCommand).resolves({ PolicyVersion: { VersionId: `v${versions + 1}`, IsDefaultVersion: true } });
  iam.on(DeletePolicyVersionCommand).resolves({});
}

function role(attached: string[] = []) {
  iam.on(GetRoleCommand).resolves({ Role: { RoleName: ROLE, Path: '/', Arn: ROLE_ARN, RoleId: 'AROA', CreateDate: new Date() } });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: attached.map((PolicyArn) => ({ PolicyArn })), IsTruncated: false });
  iam.on(AttachRolePolicyCommand).resolves({});
}

function noWrite() {
  expect(iam).not.toHaveReceivedCommand(CreatePolicyCommand);
  expect(iam).not.toHaveReceivedCommand(CreatePolicyVersionCommand);
  expect(iam).not.toHaveReceivedCommand(DeletePolicyVersionCommand);
  expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
}

beforeEach(resetAws);

describe('s3-policy generate: the document (offline)', () => {
  it("prints the guide's policy for VPC endpoints and your buckets, with no AWS call", async () => {
    const argv = ['s3-policy', 'generate', '--region', 'us-east-2', '--vpc-endpoint', '--bucket', 'amzn-s3-demo-bucket', '--cross-account', '--encrypted'];
    // The guide's example, with its region filled in (../shared/seed, test/fixtures/seed-vectors.ts).
    const guide = fill(SEED_S3_POLICY, { region: 'us-east-2' }) as { Version: string; Statement: { Resource: string[] }[] };
    // --no-patch-manager: the guide's list exactly, in its order.
    const exact = await cli([...argv, '--no-patch-manager']);
    expect(exact.code, exact.stderr).toBe(0);
    expect(JSON.parse(exact.stdout)).toEqual(guide);
    expect(JSON.stringify(JSON.parse(exact.stdout))).toBe(JSON.stringify(guide));
    // By default, Patch Manager's documented bucket follows the guide's list; nothing else differs.
    const r = await cli(argv);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      ...guide,
      Statement: [
        { ...guide.Statement[0], Resource: [...guide.Statement[0]!.Resource, 'arn:aws:s3:::aws-patch-manager-us-east-2-552881074/*'] },
        guide.Statement[1],
      ],
    });
    expect(iam.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('s3-policy generate --create: the normal path', () => {
  it('creates the policy with the printed document and attaches it to the role', async () => {
    noPolicy();
    role();
    const r = await cli([...create('--attach-to', ROLE), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ account: ACCOUNT, dryRun: false, policyArn: POLICY_ARN, regions: [], warnings: [] });
    expect(doc.policy).toEqual(BUCKET_DOC);
    expect(doc.changes).toEqual([
      { region: null, action: 'create', resource: POLICY_ARN, operation: 'iam:CreatePolicy', status: 'applied', details: { policyName: NAME }, error: null },
      {
        region: null,
        action: 'attach',
        resource: ROLE_ARN,
        operation: 'iam:AttachRolePolicy',
        status: 'applied',
        details: { policyArn: POLICY_ARN },
        error: null,
      },
    ]);

    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: POLICY_ARN });
    expect(iam).toHaveReceivedCommandTimes(CreatePolicyCommand, 1);
    const input = iam.commandCalls(CreatePolicyCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ PolicyName: NAME, Description: 'S3 access for Systems Manager (generated by ssm-perms)' });
    expect(JSON.parse(input.PolicyDocument!)).toEqual(BUCKET_DOC);
    expect(iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandWith(ListAttachedRolePoliciesCommand, { RoleName: ROLE });
    expect(iam).toHaveReceivedCommandTimes(AttachRolePolicyCommand, 1);
    expect(iam).toHaveReceivedCommandWith(AttachRolePolicyCommand, { RoleName: ROLE, PolicyArn: POLICY_ARN });
    expect(iam).not.toHaveReceivedCommand(CreatePolicyVersionCommand);
  });

  it('as text, lists the changes made', async () => {
    noPolicy();
    role();
    const r = await cli(create('--attach-to', ROLE));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+create policy ${POLICY_ARN}`));
    expect(r.stdout).toMatch(new RegExp(`applied\\s+global\\s+attach ${POLICY_ARN} to ${ROLE_ARN}`));
  });

  it('the same document already stored, already attached: nothing to do, no write', async () => {
    storedPolicy(BUCKET_DOC);
    role([POLICY_ARN]);
    const r = await cli([...create('--attach-to', ROLE), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
    expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: POLICY_ARN, VersionId: 'v2' });
    noWrite();
    const text = await cli(create('--attach-to', ROLE));
    expect(text.stdout).toContain('No changes: everything is already as asked.');
  });
});

describe('s3-policy generate --create: consent to replace a different stored document', () => {
  it('without --yes and without a terminal: exit 2 with a hint, and no write call', async () => {
    storedPolicy(OTHER_DOC);
    role();
    const r = await cli(create('--attach-to', ROLE));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: not replacing the document of policy ${NAME} (default version v2) without consent; nothing was changed`);
    expect(r.stderr).toContain('hint: Pass --yes to replace it.');
    expect(r.stderr).not.toContain('[y/N]');
    noWrite();
  });

  it('with --yes: a new default version with the generated document', async () => {
    storedPolicy(OTHER_DOC);
    const r = await cli([...create(), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandTimes(CreatePolicyVersionCommand, 1);
    const input = iam.commandCalls(CreatePolicyVersionCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ PolicyArn: POLICY_ARN, SetAsDefault: true });
    expect(JSON.parse(input.PolicyDocument!)).toEqual(BUCKET_DOC);
    expect(iam).not.toHaveReceivedCommand(DeletePolicyVersionCommand);
    expect(iam).not.toHaveReceivedCommand(CreatePolicyCommand);
    expect(JSON.parse(r.stdout).changes).toEqual([
      expect.objectContaining({ operation: 'iam:CreatePolicyVersion', status: 'applied', details: { previousDefaultVersion: 'v2', setAsDefault: 'true' } }),
    ]);
  });

  it('with five versions stored, deletes the oldest non-default one first', async () => {
    storedPolicy(OTHER_DOC, 5);
    const r = await cli([...create(), '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandWith(DeletePolicyVersionCommand, { PolicyArn: POLICY_ARN, VersionId: 'v2' });
    const order = iam.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(order.indexOf('DeletePolicyVersionCommand')).toBeLessThan(order.indexOf('CreatePolicyVersionCommand'));
    expect(JSON.parse(r.stdout).changes.map((c: { operation: string }) => c.operation)).toEqual(['iam:DeletePolicyVersion', 'iam:CreatePolicyVersion']);
  });

  it('asks on a terminal: y replaces, anything else refuses', async () => {
    storedPolicy(OTHER_DOC);
    const no = await cli([...create(), '--no-color'], { tty: true, input: '\n', stderrColumns: 400 });
    expect(no.stderr).toContain(`This replaces the document of policy ${NAME} (default version v2). Continue? [y/N]`);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('hint: Answer y to replace it.');
    noWrite();
    const yes = await cli([...create(), '--no-color'], { tty: true, input: 'y\n' });
    expect(yes.code, yes.stderr).toBe(0);
    expect(iam).toHaveReceivedCommandTimes(CreatePolicyVersionCommand, 1);
  });
});

describe('s3-policy generate --create --dry-run', () => {
  it('plans the new version and the attachment, asks nothing, and sends no write', async () => {
    storedPolicy(OTHER_DOC);
    role();
    const r = await cli([...create('--attach-to', ROLE), '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.policy).toEqual(BUCKET_DOC);
    expect(doc.regions).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(doc.changes.map((c: { operation: string; status: string }) => [c.operation, c.status])).toEqual([
      ['iam:CreatePolicyVersion', 'planned'],
      ['iam:AttachRolePolicy', 'planned'],
    ]);
    expect(iam).toHaveReceivedCommand(GetPolicyVersionCommand);
    expect(iam).not.toHaveReceivedCommand(CreatePolicyVersionCommand);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    noWrite();
  });

  it('plans the creation of a policy that does not exist, and sends no write', async () => {
    noPolicy();
    const r = await cli([...create(), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Planned changes (dry run, nothing changed):');
    expect(r.stdout).toMatch(new RegExp(`planned\\s+global\\s+create policy ${POLICY_ARN}`));
    expect(iam).not.toHaveReceivedCommand(CreatePolicyCommand);
  });
});

describe('s3-policy generate --create: AWS failures', () => {
  it('access denied reading the policy: exit 4 naming iam:GetPolicy, nothing written', async () => {
    iam
      .on(GetPolicyCommand)
      .rejects(
        awsError('AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/admin is not authorized to perform: iam:GetPolicy on resource: policy ${POLICY_ARN}`, 403),
      );
    const r = await cli(create());
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('error: access denied to iam:GetPolicy');
    expect(r.stderr).toContain('hint: Allow iam:GetPolicy');
    expect(r.stdout).toBe('');
    noWrite();
  });

  it('a failed CreatePolicy: exit 5, the change failed with the AWS error, and the attachment not attempted', async () => {
    noPolicy();
    role();
    iam.on(CreatePolicyCommand).rejects(awsError('LimitExceeded', 'Cannot exceed quota for PoliciesPerAccount: 1500', 409));
    const r = await cli([...create('--attach-to', ROLE), '--json']);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.changes[0]).toMatchObject({ operation: 'iam:CreatePolicy', status: 'failed', error: { code: 'LimitExceeded' } });
    expect(doc.changes[0].error.message).toContain('iam:CreatePolicy failed');
    expect(doc.changes[1]).toMatchObject({ operation: 'iam:AttachRolePolicy', status: 'failed', error: { code: 'NotAttempted' } });
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
  });

  it('--attach-to a role that does not exist: exit 6 before anything is written', async () => {
    noPolicy();
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', `The role with name ${ROLE} cannot be found.`, 404));
    const r = await cli(create('--attach-to', ROLE));
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`error: role ${ROLE} (--attach-to) does not exist`);
    expect(r.stderr).toContain('hint: Check the name, or create it with: ssm-perms profile create');
    noWrite();
    const json = await cli([...create('--attach-to', ROLE), '--json']);
    expect(json.code).toBe(6);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'RoleNotFound' });
  });
});

describe('s3-policy generate is offline', () => {
  it('prints the document with no AWS call, in the partition of the region', async () => {
    const r = await cli(['s3-policy', 'generate', '--bucket', 'my-bucket', '--region', 'cn-north-1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Statement[0].Resource).toEqual(['arn:aws-cn:s3:::my-bucket/*']);
    const noRegion = await cli(['s3-policy', 'generate', '--bucket', 'my-bucket'], { env: { AWS_REGION: undefined } });
    expect(JSON.parse(noRegion.stdout).Statement[0].Resource).toEqual(['arn:aws:s3:::my-bucket/*']);
    expectNoAwsCall();
  });
});

describe('s3-policy generate: option combinations refused before any AWS call (exit 2)', () => {
  const refused = async (argv: string[], stderr: string, code: string) => {
    const r = await cli(['s3-policy', 'generate', ...argv]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr);
    const json = await cli(['s3-policy', 'generate', ...argv, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error.code).toBe(code);
    expectNoAwsCall();
  };

  it('neither --vpc-endpoint nor --bucket: MissingOption, with what each statement is for', async () => {
    await refused(
      [],
      'error: s3-policy generate needs --vpc-endpoint (with --region) and/or --bucket NAME\n' +
        'hint: Statement 1 (--vpc-endpoint) is for instances that reach S3 through a VPC endpoint; statement 2 (--bucket) for buckets of yours that Systems Manager writes to.\n',
      'MissingOption',
    );
  });

  it('--cross-account or --encrypted without --bucket: they describe your buckets', async () => {
    const message = 'error: --cross-account and --encrypted describe your buckets: add --bucket NAME\n';
    await refused(['--vpc-endpoint', '--region', 'us-east-1', '--cross-account'], message, 'ConflictingOptions');
    await refused(['--vpc-endpoint', '--region', 'us-east-1', '--encrypted'], message, 'ConflictingOptions');
  });

  it('--macos or --no-patch-manager without --vpc-endpoint: they choose AWS-managed buckets', async () => {
    const message = 'error: --macos and --no-patch-manager choose AWS-managed buckets: add --vpc-endpoint\n';
    await refused(['--bucket', 'my-ssm-output', '--macos'], message, 'ConflictingOptions');
    await refused(['--bucket', 'my-ssm-output', '--no-patch-manager'], message, 'ConflictingOptions');
  });

  it('--attach-to without --create, and an invalid --attach-to role name, name the option', async () => {
    await refused(
      ['--bucket', 'my-ssm-output', '--attach-to', ROLE],
      'error: --attach-to needs --create NAME (the policy must be stored before it can be attached)\n',
      'MissingOption',
    );
    await refused(
      ['--bucket', 'my-ssm-output', '--create', NAME, '--attach-to', 'a/b'],
      'error: invalid --attach-to "a/b": must be 1-64 characters of letters, digits and + = , . @ _ -\n',
      'InvalidRoleName',
    );
  });

  it('a region outside the partitions AWS documents the policy for is refused, with or without --vpc-endpoint', async () => {
    const message =
      "error: the S3 policy for Systems Manager's buckets is not supported in this partition: us-iso-east-1 is in aws-iso, and AWS documents the S3 policy for Systems Manager's buckets for aws, aws-cn, aws-us-gov only\n" +
      'hint: Leave this region out, or use the AWS console of that partition.\n';
    await refused(['--vpc-endpoint', '--region', 'us-iso-east-1'], message, 'UnsupportedPartition');
    await refused(['--bucket', 'my-ssm-output', '--region', 'us-iso-east-1'], message, 'UnsupportedPartition');
  });
});

describe('s3-policy generate: the Patch Manager buckets AWS does not list', () => {
  // AWS lists no Patch Manager bucket for ap-southeast-5 or mx-central-1 ("Reference: Amazon S3 buckets for
  // patching operations", https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-operations-s3-buckets.html).
  const reference = '(see "Reference: Amazon S3 buckets for patching operations")';

  it('warns on stderr for one region ("it") and for several ("them"), and still prints the document', async () => {
    const one = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', 'us-east-1,ap-southeast-5']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toBe(`warning: AWS lists no Patch Manager bucket for ap-southeast-5: the policy has none for it ${reference}\n`);
    expect(JSON.parse(one.stdout).Statement).toHaveLength(2);
    const two = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', 'ap-southeast-5,us-east-1,mx-central-1', '--json']);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toBe(`warning: AWS lists no Patch Manager bucket for ap-southeast-5, mx-central-1: the policy has none for them ${reference}\n`);
  });

  it('--macos alone (with --no-patch-manager) warns as well: the macOS bucket is missing too', async () => {
    const r = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', 'ap-southeast-5', '--no-patch-manager', '--macos']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`warning: AWS lists no Patch Manager bucket for ap-southeast-5: the policy has none for it ${reference}\n`);
  });

  it('no warning with --no-patch-manager, nor when every region has its bucket; the document ends with a newline', async () => {
    const none = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', 'ap-southeast-5', '--no-patch-manager']);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('');
    const listed = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', 'us-east-2']);
    expect(listed.stderr).toBe('');
    expect(listed.stdout.endsWith('}\n')).toBe(true);
    expect(listed.stdout.endsWith('}\n\n')).toBe(false);
    const bucketOnly = await cli(['s3-policy', 'generate', '--bucket', 'my-ssm-output']);
    expect(bucketOnly.stderr).toBe('');
  });

  it('--macos adds the macOS bucket of each listed region', async () => {
    const r = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', 'us-east-2', '--macos']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).Statement[0].Resource.slice(-2)).toEqual([
      'arn:aws:s3:::aws-patch-manager-us-east-2-552881074/*',
      'arn:aws:s3:::aws-patchmanager-macos-us-east-2-552881074/*',
    ]);
  });
});
