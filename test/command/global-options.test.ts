// What every command shares, in-process: bad input exits 2 naming the value and the rule, before any AWS
// call; partitions; errors as JSON; exit codes 2 and 3.
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, expectNoAwsCall, resetAws } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';

beforeEach(resetAws);

describe('validation and configuration errors', () => {
  it('refuses an invalid region with exit 2, the value and the rule, and no AWS call', async () => {
    const r = await cli(['dhmc', 'enable', '--region', 'nowhere-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"nowhere-1"');
    expect(r.stderr).toContain('region code');
    expect(r.stdout).toBe('');
    expectNoAwsCall();
  });

  it('refuses an invalid AWS_REGION, a bad role name, path or policy ARN with exit 2 and no AWS call', async () => {
    for (const [argv, env, message] of [
      [['dhmc', 'status'], { AWS_REGION: 'moon-1' }, '"moon-1"'],
      [['dhmc', 'enable', '-r', 'us-east-1', '--role-name', 'bad name'], {}, '1-64 characters'],
      [['dhmc', 'enable', '-r', 'us-east-1', '--role-path', 'service-role'], {}, 'invalid --role-path "service-role"'],
      [['dhmc', 'enable', '-r', 'us-east-1', '--policy-arn', 'CloudWatchAgentServerPolicy'], {}, 'invalid --policy-arn "CloudWatchAgentServerPolicy"'],
      [['dhmc', 'status', '-r', 'us-east-1,cn-north-1'], {}, 'aws and aws-cn'],
      [['dhmc', 'status', '--endpoint-url', 'ftp://x'], {}, '--endpoint-url'],
    ] as const) {
      const r = await cli([...argv], { env: { ...env } });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toContain(message);
      expect(r.stdout).toBe('');
    }
    expectNoAwsCall();
  });

  it.each([
    [['dhmc', 'status', '-r', 'us-iso-east-1']],
    [['dhmc', 'enable', '-r', 'us-isob-east-1']],
    [['dhmc', 'disable', '-r', 'eusc-de-east-1', '--yes']],
    [['dhmc', 'status', '-r', 'all'], { AWS_REGION: 'us-iso-east-1' }],
    [['admin-policy', 'generate', '-r', 'eu-isoe-west-1', '--account', ACCOUNT]],
    [['profile', 'create', '-r', 'us-iso-east-1', '--s3-vpc-endpoint']],
  ])('refuses a partition where AWS does not document DHMC or the S3 buckets: %j', async (argv, env?: Record<string, string>) => {
    const r = await cli(argv as string[], env ? { env } : {});
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('not supported in this partition');
    expectNoAwsCall();
  });

  it('one rule for --policy-arn everywhere: repeat the option; a comma never separates two ARNs', async () => {
    const pair = 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy,arn:aws:iam::aws:policy/AmazonSSMDirectoryServiceAccess';
    for (const argv of [
      ['dhmc', 'enable', '-r', 'us-east-1', '--policy-arn', pair],
      ['profile', 'create', '-r', 'us-east-1', '--policy-arn', pair],
      ['hybrid-role', 'create', '-r', 'us-east-1', '--policy-arn', pair],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('holds more than one ARN');
    }
    expectNoAwsCall();
  });

  it('prints errors as one JSON line on stderr with --json', async () => {
    const r = await cli(['dhmc', 'status', '--region', 'us-*', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const err = JSON.parse(r.stderr.trim());
    expect(err.error.code).toBe('InvalidRegion');
    expect(err.error.hint).toMatch(/Wildcards/);
  });

  it.each([
    ['--json'],
    ['-ojson'],
    ['-o', 'json'],
    ['-qo', 'json'],
    ['-qojson'],
    ['--output=json'],
    ['--output', 'json'],
    ['-o', 'text', '-o', 'json'],
    ['--json', '-pprod'],
  ])('an error commander raises before the command runs (an unknown option) is JSON with %j', async (...form) => {
    const r = await cli(['dhmc', 'status', ...form, '--bogus']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.trim()).error.message).toContain('--bogus');
  });

  it.each([[[]], [['-o', 'json', '-o', 'text']], [['-ojson', '--output=text']]])('and text with %j', async (form) => {
    const r = await cli(['dhmc', 'status', ...form, '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*--bogus/);
  });

  it('exits 2 for unknown options and a group without its command', async () => {
    expect((await cli(['dhmc', 'status', '--bogus'])).code).toBe(2);
    expect((await cli(['dhmc'])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('exits 3 when no region can be found', async () => {
    const r = await cli(['dhmc', 'status'], { env: { AWS_REGION: undefined, AWS_CONFIG_FILE: '/dev/null', AWS_PROFILE: undefined } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no region');
  });
});

describe('usage errors exit 2 and send nothing', () => {
  it.each([
    [['profile', 'attach', '--name', 'P'], 'needs --instance-id ID and/or --tag'],
    [['profile', 'attach', '--instance-id', 'i-0123456789abcdef0'], 'needs --name'],
    [['profile', 'attach', '--name', 'P', '--tag', 'NoEquals'], 'KEY=VALUE'],
    [['profile', 'create', '--tag', 'aws:x=1'], 'aws:'],
    [['profile', 'attach', '--name', 'P', '--tag', 'Env=a\u0007b'], 'control characters'],
    [['profile', 'attach', '--name', 'P', '--instance-id', 'i-12'], 'instance id'],
    [['profile', 'attach', '--name', 'P', '--tag', 'A=1', '--concurrency', '0'], '--concurrency'],
    [['profile', 'create', '--name', 'bad name'], '1-128 characters'],
    [['profile', 'create', '--s3-bucket', 'Bad_Bucket'], 'S3 bucket name'],
    [['profile', 'create', '--s3-bucket', 'ok-bucket', '--s3-policy-arn', 'arn:aws:iam::111122223333:policy/X'], 'cannot be combined'],
    [['profile', 'create', '--s3-encrypted'], 'add --s3-bucket'],
    [['profile', 'create', '--role-policy-quota', 'ten'], '--role-policy-quota'],
    [['profile', 'create', '--tag', 'A=1', '--tag', 'A=2'], 'given twice'],
    [['profile', 'update'], 'needs --role-name'],
    // The S3 policy's size is a validation too: refused before sts:GetCallerIdentity.
    [
      [
        'profile',
        'create',
        '--s3-vpc-endpoint',
        '--region',
        'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-southeast-1,ap-southeast-2,sa-east-1,ca-central-1',
      ],
      "over IAM's limit of 6144",
    ],
    [['s3-policy', 'generate'], 'needs --vpc-endpoint'],
    [['s3-policy', 'generate', '--bucket', 'xn--bucket'], 'S3 bucket name'],
    [['s3-policy', 'generate', '--bucket', '192.168.1.1'], 'S3 bucket name'],
    [['s3-policy', 'generate', '--bucket', 'a..b'], 'S3 bucket name'],
    [['s3-policy', 'generate', '--vpc-endpoint', '--region', 'us-*'], 'Wildcards'],
    [['s3-policy', 'generate', '--bucket', 'b12', '--attach-to', 'R'], 'needs --create'],
    [['hybrid-role', 'create', '--role-name', 'x'.repeat(65)], '1-64 characters'],
  ])('%j', async (argv, message) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expectNoAwsCall();
  });

  it('refuses an S3 policy over the 6,144-character limit with a hint to split it', async () => {
    const regions =
      'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-southeast-1,ap-southeast-2,sa-east-1,ca-central-1';
    const r = await cli(['s3-policy', 'generate', '--vpc-endpoint', '--region', regions]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("over IAM's limit of 6144");
    expect(r.stderr).toContain('hint: Split it');
  });
});

describe('messages on stderr fit the terminal', () => {
  it('an error and its hint wrap under themselves at the width of stderr on a terminal, and stay one line each in a log', async () => {
    const argv = ['dhmc', 'status', '--region', 'us-east-1', '--query', 'regions[?'];
    const terminal = await cli(argv, { tty: true, stderrColumns: 40 });
    expect(terminal.code).toBe(2);
    const lines = terminal.stderr.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.replace(/\u001b\[[0-9;]*m/g, '').length))).toBeLessThanOrEqual(40);
    expect(lines[0]).toMatch(/^(\u001b\[[0-9;]*m)?error:/);
    expect(lines[1]).toMatch(/^ {7}\S/);
    const log = await cli(argv);
    expect(log.stderr.trimEnd().split('\n')).toHaveLength(2);
  });
});
