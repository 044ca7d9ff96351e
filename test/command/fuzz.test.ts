// Property-based tests over every validated option that reaches AWS: an invalid value never produces
// an AWS call (exit 2, naming the option and showing the value), and a valid value is never refused nor
// crashes the CLI (it ends with the exit code the mocked answers lead to, and reaches AWS as given).
// Valid values are built from AWS's documented rules; invalid ones include hostile strings (control
// characters, very long values, unicode look-alikes, JSON fragments, * and ?).
import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, GetPolicyCommand } from '@aws-sdk/client-iam';
import { GetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { ec2, ssm, iam, sts } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli, type CliRun } from '../helpers/cli-io.js';
import { KNOWN_REGIONS } from '../../src/policies/known-regions.js';

const RUNS = { numRuns: 60 };

function answerEverything() {
  for (const m of [ssm, iam, ec2, sts]) m.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/u' });
  ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
  iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'no', 404));
  iam.on(GetPolicyCommand).rejects(awsError('NoSuchEntity', 'no', 404));
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      InstanceProfileName: 'P',
      Arn: 'arn:aws:iam::111122223333:instance-profile/P',
      Path: '/',
      InstanceProfileId: 'x',
      CreateDate: new Date(),
      Roles: [{ RoleName: 'R', Arn: 'a', Path: '/', RoleId: 'x', CreateDate: new Date() }],
    },
  });
  ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  ec2.on(DescribeIamInstanceProfileAssociationsCommand).resolves({});
}
beforeEach(answerEverything);

const calls = () => ssm.calls().length + iam.calls().length + ec2.calls().length + sts.calls().length;

/** Runs argv and checks the outcome: refused (exit 2, no call, the option named) or accepted. */
async function expectRefused(argv: string[], option: string) {
  answerEverything();
  const r = await cli(argv);
  expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(2);
  expect(calls()).toBe(0);
  expect(r.stderr).toContain(option);
  // Whatever the value held, it is shown escaped: no raw control character reaches the terminal.
  expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
}

/**
 * Runs argv with valid values and checks the outcome: accepted, so the run ends as the mocked AWS answers
 * lead it to (`code`), and never as a crash (exit 1, "internal error") or a refusal (exit 2).
 */
async function expectAccepted(argv: string[], code: number, setup?: () => void): Promise<CliRun> {
  answerEverything();
  setup?.();
  const r = await cli(argv);
  const context = `${argv.join(' ')}\n${r.stderr}`;
  expect(r.stderr, context).not.toMatch(/internal error/i);
  expect(r.code, context).toBe(code);
  return r;
}

const hostile = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('*', '?', '{', '"', ':', '}', '\n', '\u0000', '\u001b', ' ', '/', '\u0430', '\uff45'), maxLength: 20 }),
  fc.constantFrom(
    '',
    '*',
    'us-east-*',
    'us-east-?',
    '{"Effect":"Allow"}',
    'x'.repeat(5000),
    '\u0000',
    'us\u2010east\u20101',
    'ｕｓ-east-1',
    '../../etc/passwd',
    'a b',
    'i-*',
    'arn:aws:iam::*:policy/*',
  ),
);

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-central-1',
  'ap-southeast-7',
  'mx-central-1',
  'il-central-1',
  'ca-west-1',
  'sa-east-1',
  'af-south-1',
  'me-central-1',
];
// A well-formed code of the aws partition: a region AWS has only when the SDK's list names it.
const wellFormedRegion = fc
  .tuple(fc.constantFrom('us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx'), fc.stringMatching(/^[a-z]{3,10}$/), fc.integer({ min: 1, max: 99 }))
  .map(([p, w, n]) => `${p}-${w}-${n}`);
const validRegion = fc.oneof(fc.constantFrom(...REGIONS), fc.constantFrom(...KNOWN_REGIONS.aws!));
const unknownRegion = wellFormedRegion.filter((r) => !KNOWN_REGIONS.aws!.includes(r));
const roleChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-'.split('');
const validRoleName = fc.string({ unit: fc.constantFrom(...roleChars), minLength: 1, maxLength: 64 });
const pathChars = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== '/');
const validPath = fc.oneof(
  fc.constant('/'),
  fc
    .array(fc.string({ unit: fc.constantFrom(...pathChars), minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 5 })
    .map((segs) => `/${segs.join('/')}/`),
);
const validAccount = fc.stringMatching(/^\d{12}$/);
const validPolicyArn = fc
  .tuple(
    fc.constantFrom('aws', '111122223333'),
    fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { nil: undefined }),
    fc.string({ unit: fc.constantFrom(...roleChars), minLength: 1, maxLength: 128 }),
  )
  .map(([owner, path, name]) => `arn:aws:iam::${owner}:policy/${path ? `${path}/` : ''}${name}`);
const validBucket = fc
  .stringMatching(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/)
  .filter((b) => !/^(xn--|sthree-)/.test(b) && !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(b));
const validInstanceId = fc.oneof(fc.stringMatching(/^i-[0-9a-f]{8}$/), fc.stringMatching(/^i-[0-9a-f]{17}$/));
const tagChars = 'abcXYZ019 _.:/+-@'.split('');
const validTag = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...tagChars), minLength: 1, maxLength: 128 }),
    fc.string({ unit: fc.constantFrom(...tagChars, '='), maxLength: 256 }),
  )
  .filter(([k]) => !/^aws:/i.test(k))
  .map(([k, v]) => `${k}=${v}`);

// The AWS rules, stated independently of the code under test, to sort hostile strings.
const isRegion = (v: string) => /^(us|eu|ap|sa|ca|me|af|il|mx|cn|eusc-de|us-gov|us-iso|us-isob|us-isof|eu-isoe)-[a-z]+-\d{1,2}$/.test(v);
const isRoleName = (v: string) => /^[\w+=,.@-]{1,64}$/.test(v);
const isPath = (v: string) => v === '/' || (/^\/[\x21-\x7e]+\/$/.test(v) && v.length <= 512 && !v.includes('//'));
const isBucket = (v: string) =>
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) &&
  !v.includes('..') &&
  !/^\d+\.\d+\.\d+\.\d+$/.test(v) &&
  !/^(xn--|sthree-)/.test(v) &&
  !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(v);
const isInstanceId = (v: string) => /^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(v);

describe('valid values are accepted', () => {
  it('regions', async () => {
    await fc.assert(
      fc.asyncProperty(validRegion, async (r) => {
        const run = await expectAccepted(['dhmc', 'status', `--region=${r}`, '--json'], 0);
        expect(JSON.parse(run.stdout).regions.map((x: { region: string }) => x.region)).toEqual([r]);
      }),
      RUNS,
    );
  });
  it('well-formed regions AWS does not list, with a custom endpoint (it decides which regions it serves)', async () => {
    await fc.assert(
      fc.asyncProperty(unknownRegion, async (r) => {
        const run = await expectAccepted(['dhmc', 'status', `--region=${r}`, '--endpoint-url=http://127.0.0.1:9', '--json'], 0);
        expect(JSON.parse(run.stdout).regions.map((x: { region: string }) => x.region)).toEqual([r]);
      }),
      RUNS,
    );
  });
  it('role names, paths and policy ARNs of dhmc enable', async () => {
    await fc.assert(
      fc.asyncProperty(validRoleName, validPath, validPolicyArn, async (name, path, arn) => {
        // Every policy exists, so the plan goes through: the role created at that path, both policies attached.
        const r = await expectAccepted(
          ['dhmc', 'enable', '-r', 'us-east-1', `--role-name=${name}`, `--role-path=${path}`, `--policy-arn=${arn}`, '--dry-run', '--json'],
          0,
          () => iam.on(GetPolicyCommand).callsFake((input: { PolicyArn: string }) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v1' } })),
        );
        const changes = JSON.parse(r.stdout).changes as { operation: string; resource: string; details: Record<string, string> }[];
        expect(changes[0]).toMatchObject({ operation: 'iam:CreateRole', resource: `arn:aws:iam::111122223333:role${path}${name}` });
        expect(changes.map((c) => c.details.policyArn).filter(Boolean)).toContain(arn);
      }),
      RUNS,
    );
  });
  it('account ids, and bucket names of the S3 policy', async () => {
    await fc.assert(
      fc.asyncProperty(validAccount, async (a) => {
        const r = await expectAccepted(['admin-policy', 'generate', '-r', 'us-east-2', `--account=${a}`], 0);
        expect(JSON.parse(r.stdout).Statement[1].Resource).toEqual([`arn:aws:iam::${a}:role/service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole`]);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(validBucket, async (b) => {
        const r = await expectAccepted(['s3-policy', 'generate', `--bucket=${b}`], 0);
        expect(JSON.parse(r.stdout).Statement[0].Resource).toEqual([`arn:aws:s3:::${b}/*`]);
      }),
      RUNS,
    );
  });
  it('instance ids and tags of profile attach', async () => {
    await fc.assert(
      fc.asyncProperty(validInstanceId, validTag, async (id, tag) => {
        // EC2 finds the instance: it is planned, and the tag reaches the filter as given.
        await expectAccepted(['profile', 'attach', '-r', 'us-east-1', '--name=P', `--instance-id=${id}`, `--tag=${tag}`, '--dry-run'], 0, () =>
          ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: id, State: { Name: 'running' } }] }] }),
        );
        const eq = tag.indexOf('=');
        expect(ec2).toHaveReceivedCommandWith(DescribeInstancesCommand, {
          Filters: [
            { Name: `tag:${tag.slice(0, eq)}`, Values: [tag.slice(eq + 1)] },
            { Name: 'instance-id', Values: [id] },
          ],
        });
      }),
      RUNS,
    );
  });
});

describe('invalid and hostile values never reach AWS', () => {
  it('policy names, descriptions, profile paths, numbers and endpoint URLs', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !/^[\w+=,.@-]{1,128}$/.test(v)),
        async (v) => expectRefused(['s3-policy', 'generate', '--bucket=abc', `--create=${v}`], '--create'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !/^[\w+=,.@-]{1,128}$/.test(v)),
        async (v) => expectRefused(['profile', 'create', '-r', 'us-east-1', '--s3-bucket=abc', `--s3-policy-name=${v}`], '--s3-policy-name'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !isPath(v)),
        async (v) => expectRefused(['profile', 'create', '-r', 'us-east-1', `--path=${v}`], '--path'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => v.length > 1000 || /[^\u0009\u000a\u000d\u0020-\u007e\u00a1-\u00ff]/.test(v)),
        async (v) => expectRefused(['profile', 'create', '-r', 'us-east-1', `--description=${v}`], '--description'),
      ),
      RUNS,
    );
    const notCount = hostile.filter((v) => !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 20);
    await fc.assert(
      fc.asyncProperty(notCount, async (v) => expectRefused(['dhmc', 'status', '-r', 'us-east-1', `--max-attempts=${v}`], '--max-attempts')),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notCount, async (v) =>
        expectRefused(['profile', 'attach', '-r', 'us-east-1', '--name=P', '--tag=A=1', `--concurrency=${v}`], '--concurrency'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !/^https?:\/\/[^\s]+$/.test(v)),
        async (v) => expectRefused(['dhmc', 'status', '-r', 'us-east-1', `--endpoint-url=${v}`], '--endpoint-url'),
      ),
      RUNS,
    );
  });

  it('regions', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !isRegion(v.trim()) && v.trim() !== 'all' && !v.includes(',')),
        async (v) => expectRefused(['dhmc', 'status', `--region=${v}`], '--region'),
      ),
      RUNS,
    );
  });
  it('well-formed regions AWS does not list (without a custom endpoint)', async () => {
    await fc.assert(
      fc.asyncProperty(unknownRegion, async (r) => {
        await expectRefused(['dhmc', 'status', `--region=${r}`], `unknown region ${r} (from --region)`);
      }),
      RUNS,
    );
  });
  it('role names and paths', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !isRoleName(v)),
        async (v) => expectRefused(['dhmc', 'enable', '-r', 'us-east-1', `--role-name=${v}`], '--role-name'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !isPath(v)),
        async (v) => expectRefused(['dhmc', 'enable', '-r', 'us-east-1', `--role-path=${v}`], '--role-path'),
      ),
      RUNS,
    );
  });
  it('policy ARNs and account ids', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !/^arn:aws:iam::(aws|\d{12}):policy\//.test(v)),
        async (v) => expectRefused(['dhmc', 'enable', '-r', 'us-east-1', `--policy-arn=${v}`], '--policy-arn'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !/^\d{12}$/.test(v)),
        async (v) => expectRefused(['admin-policy', 'generate', '-r', 'us-east-1', `--account=${v}`], '--account'),
      ),
      RUNS,
    );
  });
  it('bucket names, instance ids, tags and profile names', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !v.includes(',') && !isBucket(v)),
        async (v) => expectRefused(['profile', 'create', '-r', 'us-east-1', `--s3-bucket=${v}`], '--s3-bucket'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !v.includes(',') && !isInstanceId(v.trim())),
        async (v) => expectRefused(['profile', 'attach', '-r', 'us-east-1', '--name=P', `--instance-id=${v}`], '--instance-id'),
      ),
      RUNS,
    );
    // Tags this tool writes follow IAM's creation rules (no aws: prefix)...
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !v.includes('=') || /^aws:/i.test(v) || /[\u0000-\u001f*?{}"]/.test(v)),
        async (v) => expectRefused(['profile', 'create', '-r', 'us-east-1', `--tag=${v}`], '--tag'),
      ),
      RUNS,
    );
    // ...while a tag filter accepts any key an instance can carry; only the shape and control characters are refused.
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !v.includes('=') || v.startsWith('=') || v.indexOf('=') > 128 || /[\u0000-\u001f\u007f-\u009f]/.test(v)),
        async (v) => expectRefused(['profile', 'attach', '-r', 'us-east-1', '--name=P', `--tag=${v}`], '--tag'),
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((v) => !/^[\w+=,.@-]{1,128}$/.test(v)),
        async (v) => expectRefused(['profile', 'attach', '-r', 'us-east-1', `--name=${v}`, '--tag=A=1'], '--name'),
      ),
      RUNS,
    );
  });
});
