// The CLI in-process: argv in, stdout / stderr / exit code out, AWS clients mocked.
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, ResetServiceSettingCommand, SSMClient, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { serviceTrustPolicy } from '../../src/policies/trust.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ssm = mockClient(SSMClient);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const ACCOUNT = '111122223333';
const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const setting = (r: string, value: string, status: string) =>
  ssm.on(GetServiceSettingCommand, { SettingId: arn(r) }).resolves({ ServiceSetting: { SettingValue: value, Status: status, ARN: arn(r) } });
const ESC = '\u001b[';

function defaultRoleExists() {
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: ROLE,
      Path: '/service-role/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`,
      RoleId: 'AROA',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(serviceTrustPolicy('ssm.amazonaws.com'))),
    },
  });
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy' }], IsTruncated: false });
}

function noAwsCall() {
  expect(ssm.calls()).toHaveLength(0);
  expect(iam.calls()).toHaveLength(0);
  expect(sts.calls()).toHaveLength(0);
}

beforeEach(() => {
  ssm.reset();
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/admin` });
});

describe('dhmc status', () => {
  it('--json prints exactly one JSON document with the documented keys, and nothing else on stdout', async () => {
    setting('us-east-1', '$None', 'Default');
    setting('us-east-2', VALUE, 'Customized');
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.account).toBe(ACCOUNT);
    expect(doc.regions.map((x: { enabled: boolean }) => x.enabled)).toEqual([false, true]);
    expect(Object.keys(doc.regions[1])).toEqual(
      expect.arrayContaining(['region', 'enabled', 'settingValue', 'roleName', 'status', 'lastModifiedDate', 'lastModifiedUser', 'error']),
    );
    expect(doc.regions[1].roleName).toBe(ROLE);
  });

  it('the output form is what the parser read: -ojson, -qo json, and the last of several -o', async () => {
    setting('us-east-1', '$None', 'Default');
    const isJson = (stdout: string) => {
      try {
        JSON.parse(stdout);
        return true;
      } catch {
        return false;
      }
    };
    for (const [argv, json] of [
      [['-ojson'], true],
      [['-qo', 'json'], true],
      [['--output=json'], true],
      [['-o', 'json', '-o', 'text'], false],
      [['-o', 'text', '-o', 'json'], true],
    ] as const) {
      const r = await cli(['dhmc', 'status', '--region', 'us-east-1', ...argv]);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(isJson(r.stdout), `${argv.join(' ')}: ${r.stdout}`).toBe(json);
    }
  });

  it('takes repeated --region flags and AWS_REGION when none is given', async () => {
    setting('us-east-1', '$None', 'Default');
    setting('eu-west-1', '$None', 'Default');
    const both = await cli(['dhmc', 'status', '-r', 'us-east-1', '-r', 'eu-west-1', '--json']);
    expect(JSON.parse(both.stdout).regions.map((x: { region: string }) => x.region)).toEqual(['us-east-1', 'eu-west-1']);
    const env = await cli(['dhmc', 'status', '--json'], { env: { AWS_REGION: 'eu-west-1' } });
    expect(JSON.parse(env.stdout).regions.map((x: { region: string }) => x.region)).toEqual(['eu-west-1']);
    const fallback = await cli(['dhmc', 'status', '--json'], { env: { AWS_REGION: undefined, AWS_DEFAULT_REGION: 'us-east-1' } });
    expect(JSON.parse(fallback.stdout).regions[0].region).toBe('us-east-1');
  });

  it('exits 5 when a region fails, 4 when access was denied, and still reports the others', async () => {
    setting('us-east-1', '$None', 'Default');
    ssm.on(GetServiceSettingCommand, { SettingId: arn('us-east-2') }).rejects(awsError('InternalServerError', 'boom', 500));
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--json']);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.regions[0].error).toBeNull();
    expect(doc.regions[1].error.code).toBe('InternalServerError');

    ssm
      .on(GetServiceSettingCommand, { SettingId: arn('us-east-2') })
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: ssm:GetServiceSetting'));
    expect((await cli(['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--json'])).code).toBe(4);
  });

  it('colours a terminal, and not with --no-color, NO_COLOR, TERM=dumb, a pipe or --json', async () => {
    setting('us-east-1', VALUE, 'Customized');
    const args = ['dhmc', 'status', '--region', 'us-east-1'];
    expect((await cli(args, { tty: true })).stdout).toContain(ESC);
    expect((await cli([...args, '--no-color'], { tty: true })).stdout).not.toContain(ESC);
    expect((await cli(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await cli(args, { tty: true, env: { TERM: 'dumb' } })).stdout).not.toContain(ESC);
    expect((await cli(args, { tty: false })).stdout).not.toContain(ESC);
    expect((await cli([...args, '--json'], { tty: true })).stdout).not.toContain(ESC);
    expect((await cli(args, { tty: false })).stdout).toMatch(/us-east-1\s+on\s+service-role\/AWSSystemsManagerDefaultEC2InstanceManagementRole/);
  });
});

describe('validation and configuration errors', () => {
  it('refuses an invalid region with exit 2, the value and the rule, and no AWS call', async () => {
    const r = await cli(['dhmc', 'enable', '--region', 'nowhere-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"nowhere-1"');
    expect(r.stderr).toContain('region code');
    expect(r.stdout).toBe('');
    noAwsCall();
  });

  it('refuses an invalid AWS_REGION, a bad role name, path or policy ARN with exit 2 and no AWS call', async () => {
    expect((await cli(['dhmc', 'status'], { env: { AWS_REGION: 'moon-1' } })).code).toBe(2);
    expect((await cli(['dhmc', 'enable', '-r', 'us-east-1', '--role-name', 'bad name'])).stderr).toContain('1-64 characters');
    expect((await cli(['dhmc', 'enable', '-r', 'us-east-1', '--role-path', 'service-role'])).code).toBe(2);
    expect((await cli(['dhmc', 'enable', '-r', 'us-east-1', '--policy-arn', 'CloudWatchAgentServerPolicy'])).code).toBe(2);
    expect((await cli(['dhmc', 'status', '-r', 'us-east-1,cn-north-1'])).code).toBe(2);
    expect((await cli(['dhmc', 'status', '--endpoint-url', 'ftp://x'])).code).toBe(2);
    noAwsCall();
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
    noAwsCall();
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
    noAwsCall();
  });

  it('prints errors as one JSON line on stderr with --json', async () => {
    const r = await cli(['dhmc', 'status', '--region', 'us-*', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const err = JSON.parse(r.stderr.trim());
    expect(err.error.code).toBe('InvalidRegion');
    expect(err.error.hint).toMatch(/Wildcards/);
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

describe('dhmc enable', () => {
  it('--dry-run prints the plan and sends no write', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    setting('us-east-1', '$None', 'Default');
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.changes.map((c: { status: string }) => c.status)).toEqual(['planned', 'planned', 'planned']);
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });

  it('refuses to overwrite another role without consent when not interactive: exit 2, both roles named, nothing written', async () => {
    defaultRoleExists();
    setting('us-east-1', 'OtherRole', 'Customized');
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OtherRole');
    expect(r.stderr).toContain(VALUE);
    expect(r.stderr).toContain('without consent; nothing was changed');
    expect(r.stderr).toContain('hint: Pass --yes to replace it, or leave those regions out with --region.');
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });

  it('overwrites with --yes', async () => {
    defaultRoleExists();
    setting('us-east-1', 'OtherRole', 'Customized');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--yes', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes[0]).toMatchObject({ status: 'applied', details: { previousValue: 'OtherRole', settingValue: VALUE } });
  });

  it('asks on a terminal: y overwrites, anything else refuses; --no-input never asks', async () => {
    defaultRoleExists();
    setting('us-east-1', 'OtherRole', 'Customized');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const yes = await cli(['dhmc', 'enable', '-r', 'us-east-1'], { tty: true, input: 'y\n' });
    expect(yes.stderr).toContain('[y/N]');
    expect(yes.code).toBe(0);
    expect(ssm).toHaveReceivedCommandTimes(UpdateServiceSettingCommand, 1);

    const no = await cli(['dhmc', 'enable', '-r', 'us-east-1'], { tty: true, input: '\n' });
    expect(no.code).toBe(2);
    const noInput = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--no-input'], { tty: true, input: 'y\n' });
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).not.toContain('[y/N]');
    expect(ssm).toHaveReceivedCommandTimes(UpdateServiceSettingCommand, 1);
  });

  it('refuses a custom role that does not trust SSM with exit 6 and a hint', async () => {
    iam.on(GetRoleCommand).resolves({
      Role: {
        RoleName: 'Ec2Only',
        Path: '/',
        Arn: `arn:aws:iam::${ACCOUNT}:role/Ec2Only`,
        RoleId: 'x',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(serviceTrustPolicy('ec2.amazonaws.com'))),
      },
    });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--role-name', 'Ec2Only']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('does not trust ssm.amazonaws.com');
    expect(r.stderr).toContain('hint:');
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });

  it('tells what happens next on stderr, and -q hides it', async () => {
    defaultRoleExists();
    setting('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('30 minutes');
    expect(r.stderr).toContain('ssm:UpdateInstanceInformation');
    expect(r.stderr).toContain('ssm-perms dhmc status');
    expect(r.stdout).not.toContain('30 minutes');
    setting('us-east-1', '$None', 'Default');
    expect((await cli(['dhmc', 'enable', '-r', 'us-east-1', '-q'])).stderr).toBe('');
  });

  it('exits 5 when a region fails to apply', async () => {
    defaultRoleExists();
    setting('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).rejects(awsError('TooManyUpdates', 'busy'));
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--json']);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stdout).regions[0]).toMatchObject({ ok: false, error: { code: 'TooManyUpdates' } });
  });
});

describe('dhmc disable', () => {
  it('needs consent, and resets with --yes', async () => {
    setting('us-east-1', VALUE, 'Customized');
    ssm.on(ResetServiceSettingCommand).resolves({});
    const refused = await cli(['dhmc', 'disable', '-r', 'us-east-1']);
    expect(refused.code).toBe(2);
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
    const done = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--yes', '--json']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout).changes[0]).toMatchObject({ operation: 'ssm:ResetServiceSetting', status: 'applied' });
  });

  it('leaves a region that is already off alone, without asking', async () => {
    setting('us-east-1', '$None', 'Default');
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes).toEqual([]);
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
  });
});

describe('admin-policy generate', () => {
  it('is offline with --account, and asks STS for the account otherwise', async () => {
    const offline = await cli(['admin-policy', 'generate', '--account', '444455556666', '-r', 'us-east-2']);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout).Statement[0].Resource).toContain(':444455556666:');
    expect(sts.calls()).toHaveLength(0);
    const online = await cli(['admin-policy', 'generate', '-r', 'us-east-2']);
    expect(JSON.parse(online.stdout).Statement[1].Resource).toBe(`arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`);
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('refuses a bad account id with exit 2', async () => {
    const r = await cli(['admin-policy', 'generate', '--account', '12345', '-r', 'us-east-2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('12-digit');
  });
});
