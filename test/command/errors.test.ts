// Errors that say what is wrong (issue 11, section 6), in-process with AWS mocked: a profile that does
// not exist, a region AWS does not have, a region whose setting could not be read, the IAM-only commands
// without a region, and the answers at the consent prompt.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PassThrough } from 'node:stream';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
} from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, ResetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { InStream } from '../../src/cli/io.js';
import { awsError } from '../helpers/aws-errors.js';
import { ACCOUNT, expectNoAwsCall, iam, resetAws, ssm, sts } from '../helpers/aws-mocks.js';
import { cli } from '../helpers/cli-io.js';
import { FakeClock } from '../helpers/service-env.js';

const dir = mkdtempSync(join(tmpdir(), 'ssm-perms-errors-'));
const CONFIG = join(dir, 'config');
const CREDENTIALS = join(dir, 'credentials');
writeFileSync(
  CONFIG,
  '[default]\nregion = eu-west-3\n\n[profile withregion]\nregion = ap-south-1\n\n[profile noregion]\noutput = json\n\n[profile typo]\nregion = us-east-7\n',
);
writeFileSync(CREDENTIALS, '[onlycreds]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The shared files, and no region in the environment, for this tool (io.env) and for the SDK it drives,
 * which reads process.env itself (the profile's region).
 */
const FILES = { AWS_CONFIG_FILE: CONFIG, AWS_SHARED_CREDENTIALS_FILE: CREDENTIALS };
const NO_REGION = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined };
beforeEach(() => {
  resetAws();
  for (const [k, v] of Object.entries({ ...FILES, ...NO_REGION, AWS_PROFILE: undefined })) vi.stubEnv(k, v);
});
afterEach(() => vi.unstubAllEnvs());

/** Runs the CLI with `env` over the files and no region, in io.env and in process.env alike. */
function run(argv: string[], env: Record<string, string | undefined> = {}) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  return cli(argv, { env: { ...FILES, ...NO_REGION, ...env } });
}

/** The regions the mocked clients were made for (each call's client, as the SDK resolves its region). */
async function clientRegions(mock: typeof iam | typeof sts): Promise<string[]> {
  const regions = await Promise.all(mock.calls().map((c) => (c.thisValue as { config: { region: () => Promise<string> } }).config.region()));
  return [...new Set(regions)];
}

describe('a profile that does not exist', () => {
  const NOT_FOUND = 'error: the config profile (nosuch) could not be found';

  it.each([
    ['dhmc status (needs a region, none given)', ['dhmc', 'status']],
    ['dhmc status --region us-east-1', ['dhmc', 'status', '--region', 'us-east-1']],
    ['profile create (IAM only)', ['profile', 'create']],
    ['s3-policy generate --create (IAM only)', ['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', 'P']],
    ['doctor', ['doctor', '--region', 'us-east-2']],
  ])('--profile nosuch, %s: exit 3, named as the AWS CLI names it, before any call', async (_what, argv) => {
    const r = await run([...argv, '--profile', 'nosuch']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(NOT_FOUND);
    expect(r.stderr).toContain('--profile');
    expect(r.stderr).not.toContain('no region given');
    expectNoAwsCall();
  });

  it('AWS_PROFILE=nosuch: the same, naming AWS_PROFILE as where the name came from', async () => {
    const r = await run(['dhmc', 'status'], { AWS_PROFILE: 'nosuch' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(NOT_FOUND);
    expect(r.stderr).toMatch(/^hint: The profile named by AWS_PROFILE is in neither AWS_CONFIG_FILE/m);
    expectNoAwsCall();
  });

  it('with --json: one error line, code ProfileNotFound', async () => {
    const r = await run(['dhmc', 'status', '--region', 'us-east-1', '--profile', 'nosuch', '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'ProfileNotFound', message: 'the config profile (nosuch) could not be found' });
  });

  it('"default" named explicitly must exist too (botocore: "even if it\'s the default profile")', async () => {
    const r = await run(['dhmc', 'status', '--region', 'us-east-1', '--profile', 'default'], { AWS_CONFIG_FILE: '/dev/null' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the config profile (default) could not be found');
  });

  it('no profile named: nothing is checked (the SDK default chain needs none)', async () => {
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
    const r = await run(['dhmc', 'status', '--region', 'us-east-1'], { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
    expect(r.code, r.stderr).toBe(0);
  });

  it.each([
    ['in the config file ([profile noregion])', 'noregion'],
    ['only in the credentials file ([onlycreds])', 'onlycreds'],
  ])('a profile %s exists: the command runs', async (_where, name) => {
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
    const r = await run(['dhmc', 'status', '--region', 'us-east-1', '--profile', name]);
    expect(r.code, r.stderr).toBe(0);
    expect(sts).toHaveReceivedCommand(GetCallerIdentityCommand);
  });

  it('says what the AWS CLI says for the same profile and files', async () => {
    const aws = await promisify(execFile)('aws', ['sts', 'get-caller-identity', '--profile', 'nosuch'], { env: { ...process.env, ...FILES } }).then(
      () => ({ stderr: '' }),
      (e: { stderr: string }) => e,
    );
    expect(aws.stderr).toContain('The config profile (nosuch) could not be found');
    const ours = await run(['dhmc', 'status', '--region', 'us-east-1', '--profile', 'nosuch']);
    expect(ours.stderr.toLowerCase()).toContain('the config profile (nosuch) could not be found');
  });
});

describe('a region AWS does not have', () => {
  it.each([
    ['--region', ['--region', 'us-east-7'], {}],
    ['AWS_REGION', [], { AWS_REGION: 'us-east-7' }],
    ['AWS_DEFAULT_REGION', [], { AWS_DEFAULT_REGION: 'us-east-7' }],
  ])('from %s: "unknown region us-east-7", exit 2, no call', async (source, args, env) => {
    const r = await run(['dhmc', 'status', ...args], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: unknown region us-east-7 (from ${source})`);
    expect(r.stderr).toContain('upgrade ssm-perms');
    expectNoAwsCall();
  });

  it("from the profile's region: the same", async () => {
    const r = await run(['dhmc', 'status'], { AWS_PROFILE: 'typo' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown region us-east-7 (from the profile's region)");
    expectNoAwsCall();
  });

  it('in a list, with --json: one error line, code UnknownRegion, nothing else', async () => {
    const r = await run(['dhmc', 'enable', '--region', 'us-east-1,eu-west-9', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const doc = JSON.parse(r.stderr);
    expect(doc.error).toMatchObject({ code: 'UnknownRegion', message: 'unknown region eu-west-9 (from --region)' });
    expect(JSON.stringify(doc)).not.toMatch(/\$response|\$metadata/);
    expectNoAwsCall();
  });

  it('an offline generator checks it too (s3-policy generate --vpc-endpoint)', async () => {
    const r = await run(['s3-policy', 'generate', '--vpc-endpoint', '--region', 'us-east-7']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown region us-east-7');
  });

  it('with --endpoint-url (or AWS_ENDPOINT_URL) the endpoint decides: the region is used as given', async () => {
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
    const flag = await run(['dhmc', 'status', '--region', 'us-east-7', '--endpoint-url', 'http://127.0.0.1:9', '--json']);
    expect(flag.code, flag.stderr).toBe(0);
    expect(JSON.parse(flag.stdout).regions[0].region).toBe('us-east-7');
    const env = await run(['dhmc', 'status', '--json'], { AWS_REGION: 'us-east-7', AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9' });
    expect(env.code, env.stderr).toBe(0);
  });
});

describe('dhmc status --json: a region that could not be read', () => {
  it('has "enabled": null and its error; a region that is off has false', async () => {
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
    ssm
      .on(GetServiceSettingCommand, { SettingId: `arn:aws:ssm:us-east-2:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role` })
      .rejects(awsError('AccessDeniedException', 'User: u is not authorized to perform: ssm:GetServiceSetting', 400));
    const r = await run(['dhmc', 'status', '--region', 'us-east-1,us-east-2', '--json']);
    expect(r.code).toBe(4);
    const regions = JSON.parse(r.stdout).regions as { region: string; enabled: boolean | null; error: unknown }[];
    expect(regions.map((x) => [x.region, x.enabled])).toEqual([
      ['us-east-1', false],
      ['us-east-2', null],
    ]);
    expect(regions[1]!.error).toMatchObject({ code: 'AccessDeniedException' });
    // The README's recipes, run with jq: "off" lists only the region known to be off.
    const jq = (filter: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('jq', ['-r', filter], (err, out) => (err ? reject(err) : resolve(out)));
        child.stdin!.end(r.stdout);
      });
    expect(await jq('.regions[] | select(.enabled == false) | .region')).toBe('us-east-1\n');
    expect(await jq('.regions[] | select(.enabled == null) | "\\(.region): \\(.error.code)"')).toBe('us-east-2: AccessDeniedException\n');
  });
});

describe('IAM-only commands without a region', () => {
  function noRoleYet() {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'no such role', 404));
    iam.on(GetPolicyCommand).rejects(awsError('NoSuchEntity', 'no such policy', 404));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iam.on(GetPolicyCommand, { PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }).resolves({ Policy: { DefaultVersionId: 'v1' } });
    iam.on(GetInstanceProfileCommand).rejects(awsError('NoSuchEntity', 'no such instance profile', 404));
    iam.on(ListInstanceProfilesForRoleCommand).resolves({ InstanceProfiles: [], IsTruncated: false });
  }

  it.each([
    ['profile create', ['profile', 'create', '--dry-run']],
    ['profile update', ['profile', 'update', '--role-name', 'R', '--dry-run']],
    ['s3-policy generate --create', ['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', 'P', '--dry-run']],
  ])("%s: IAM and STS through us-east-1, the aws partition's global region, as the AWS CLI signs IAM", async (_what, argv) => {
    noRoleYet();
    iam.on(GetRoleCommand, { RoleName: 'R' }).resolves({
      Role: {
        RoleName: 'R',
        Path: '/',
        Arn: `arn:aws:iam::${ACCOUNT}:role/R`,
        RoleId: 'AROAR',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(
          JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        ),
      },
    });
    const r = await run(argv, { AWS_CONFIG_FILE: '/dev/null' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('no region');
    expect(await clientRegions(sts)).toEqual(['us-east-1']);
    expect(await clientRegions(iam)).toEqual(['us-east-1']);
  });

  it('profile create for real: the role is created through us-east-1', async () => {
    noRoleYet();
    iam.on(CreateRoleCommand).resolves({
      Role: { RoleName: 'SSMInstanceProfile', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:role/SSMInstanceProfile`, RoleId: 'X', CreateDate: new Date() },
    });
    const r = await run(['profile', 'create', '--json'], { AWS_CONFIG_FILE: '/dev/null' });
    expect(iam).toHaveReceivedCommand(CreateRoleCommand);
    expect(await clientRegions(iam)).toEqual(['us-east-1']);
    expect(JSON.parse(r.stdout).changes.every((c: { region: string | null }) => c.region === null)).toBe(true);
  });

  it.each([
    ['AWS_REGION', { AWS_REGION: 'eu-west-1' }, 'eu-west-1'],
    ["the default profile's region", {}, 'eu-west-3'],
    ["a named profile's region", { AWS_PROFILE: 'withregion' }, 'ap-south-1'],
  ])('a region from %s is used when there is one', async (_what, env, region) => {
    noRoleYet();
    const r = await run(['profile', 'create', '--dry-run'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(await clientRegions(iam)).toEqual([region]);
  });

  it('s3-policy generate --create in aws-cn: the policy and the calls in the partition of the region given', async () => {
    noRoleYet();
    const r = await run(['s3-policy', 'generate', '--bucket', 'my-ssm-output', '--create', 'P', '--region', 'cn-north-1', '--json']);
    expect(iam).toHaveReceivedCommandWith(CreatePolicyCommand, { PolicyName: 'P' });
    expect(r.stdout).toContain('arn:aws-cn:s3:::my-ssm-output/*');
    expect(await clientRegions(iam)).toEqual(['cn-north-1']);
  });

  it.each([
    ['hybrid-role create (its trust names the regions)', ['hybrid-role', 'create'], "the role's trust names the regions"],
    ['profile create --s3-vpc-endpoint (the buckets are per region)', ['profile', 'create', '--s3-vpc-endpoint'], 'names the regions of its buckets'],
    ['admin-policy generate (the policy names the regions)', ['admin-policy', 'generate'], "the policy names each region's DHMC setting"],
    [
      's3-policy generate --vpc-endpoint (the buckets are per region)',
      ['s3-policy', 'generate', '--vpc-endpoint'],
      'names the Systems Manager buckets of each region',
    ],
  ])('%s: "no region given", exit 3, saying why, no call', async (_what, argv, why) => {
    const r = await run(argv, { AWS_CONFIG_FILE: '/dev/null' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error: no region given');
    expect(r.stderr).toContain(why);
    expectNoAwsCall();
  });
});

describe('the consent prompt', () => {
  const VALUE = 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole';
  beforeEach(() => {
    ssm.on(GetServiceSettingCommand).resolves({ ServiceSetting: { SettingValue: VALUE, Status: 'Customized' } });
    ssm.on(ResetServiceSettingCommand).resolves({});
  });

  it('end of input (Ctrl-D) is no answer: exit 2, "no answer; nothing was changed", with --json too', async () => {
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--json'], { tty: true, input: '' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))).error).toMatchObject({
      code: 'NoAnswer',
      message: 'no answer; nothing was changed (not turning DHMC off in us-east-1)',
    });
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
  });

  it('"n" is a refusal, not "no answer"', async () => {
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--no-color'], { tty: true, input: 'n\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: not turning DHMC off in us-east-1 without consent; nothing was changed');
    expect(r.stderr).not.toContain('no answer');
  });

  it('Ctrl-C at the prompt is an interrupt: exit 130, nothing reset', async () => {
    const controller = new AbortController();
    const stdin = new PassThrough() as PassThrough & InStream;
    stdin.isTTY = true;
    let stderr = '';
    const code = runCli({
      argv: ['dhmc', 'disable', '-r', 'us-east-1', '--no-color'],
      env: { AWS_REGION: 'us-east-1' },
      stdout: { write: () => true, isTTY: true },
      stderr: {
        write: (s: string) => {
          stderr += s;
          // Ctrl-C once the question is on the terminal (stdin stays open: no answer is coming).
          if (s.includes('[y/N]')) controller.abort(new Error('interrupted'));
          return true;
        },
        isTTY: true,
      },
      stdin,
      signal: controller.signal,
      clock: new FakeClock(),
    });
    expect(await code).toBe(130);
    expect(stderr).toContain('interrupted at the prompt; nothing was changed');
    expect(stderr).not.toContain('without consent');
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
  });
});
