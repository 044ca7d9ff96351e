// End to end: the built CLI as a child process against the emulator (moto + the SSM double) on
// 127.0.0.1, with the AWS CLI cross-checking what it did.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms, startSsmPerms } from '../helpers/child.js';
import { sdkPackagesLoaded } from '../helpers/loaded-modules.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
const TWO = 'us-east-1,us-east-2';

const suite = emulatorSuite();

type Setting = { ServiceSetting: { SettingValue: string; Status: string } };
const settingIn = async (region: string) =>
  ((await aws(['ssm', 'get-service-setting', '--setting-id', SETTING, '--region', region], suite.env)) as Setting).ServiceSetting;
const json = (s: string) => JSON.parse(s);

async function createRole(name: string, service: string, path = '/') {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  await aws(['iam', 'create-role', '--role-name', name, '--path', path, '--assume-role-policy-document', trust], suite.env);
}

describe('dhmc against the emulator', () => {
  it('status over two regions reports DHMC off in both', async () => {
    const r = await ssmPerms(['dhmc', 'status', '--region', TWO, '--json'], suite.env);
    expect(r.code).toBe(0);
    const doc = json(r.stdout);
    expect(doc.account).toBe('123456789012');
    expect(doc.regions.map((x: { enabled: boolean }) => x.enabled)).toEqual([false, false]);
    expect(doc.regions[0].settingValue).toBe('$None');
    expect(doc.regions[0].status).toBe('Default');
    // What it reports is what the emulator holds, read with the AWS CLI.
    for (const [i, region] of TWO.split(',').entries()) {
      const s = await settingIn(region);
      expect(doc.regions[i]).toMatchObject({ region, settingValue: s.SettingValue, status: s.Status });
    }
  });

  it('enable creates the role, attaches its policy and sets both regions; a second run changes nothing', async () => {
    const r = await ssmPerms(['dhmc', 'enable', '--region', TWO, '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.dryRun).toBe(false);
    expect(doc.changes.map((c: { operation: string; region: string | null; status: string }) => [c.operation, c.region, c.status])).toEqual([
      ['iam:CreateRole', null, 'applied'],
      ['iam:AttachRolePolicy', null, 'applied'],
      ['ssm:UpdateServiceSetting', 'us-east-1', 'applied'],
      ['ssm:UpdateServiceSetting', 'us-east-2', 'applied'],
    ]);

    const role = (await aws(['iam', 'get-role', '--role-name', ROLE], suite.env)) as {
      Role: { Path: string; AssumeRolePolicyDocument: { Statement: { Principal: { Service: string }; Action: string }[] } };
    };
    expect(role.Role.Path).toBe('/service-role/');
    expect(role.Role.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    const attached = (await aws(['iam', 'list-attached-role-policies', '--role-name', ROLE], suite.env)) as { AttachedPolicies: { PolicyArn: string }[] };
    expect(attached.AttachedPolicies.map((p) => p.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy']);
    for (const region of ['us-east-1', 'us-east-2']) {
      expect(await settingIn(region)).toMatchObject({ SettingValue: VALUE, Status: 'Customized' });
    }

    const again = await ssmPerms(['dhmc', 'enable', '--region', TWO, '--json'], suite.env);
    expect(again.code).toBe(0);
    expect(json(again.stdout).changes).toEqual([]);
    expect(again.stdout).toContain('"changes": []');
  });

  it('--dry-run prints the plan and sends no write', async () => {
    const r = await ssmPerms(['dhmc', 'enable', '--region', TWO, '--dry-run', '--json', '--debug'], suite.env);
    expect(r.code).toBe(0);
    expect(json(r.stdout).changes.every((c: { status: string }) => c.status === 'planned')).toBe(true);
    // --debug lists every call made: only reads.
    const ops = [...r.stderr.matchAll(/^debug: (\w+) (\w+) region=/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.filter((op) => !/:(Get|List|Describe)/.test(op))).toEqual([]);
    await expect(aws(['iam', 'get-role', '--role-name', ROLE], suite.env)).rejects.toThrow(/NoSuchEntity/);
    expect(await settingIn('us-east-1')).toMatchObject({ Status: 'Default' });
  });

  it('refuses a custom role that does not trust ssm.amazonaws.com (exit 6), changing nothing', async () => {
    await createRole('Ec2OnlyRole', 'ec2.amazonaws.com');
    const r = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--role-name', 'Ec2OnlyRole'], suite.env);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('does not trust ssm.amazonaws.com');
    // The hint's command is on a line of its own, ready to paste.
    expect(r.stderr).toMatch(/hint: Let ssm\.amazonaws\.com assume it.*\naws iam update-assume-role-policy --role-name Ec2OnlyRole /);
    expect(await settingIn('us-east-1')).toMatchObject({ Status: 'Default' });
  });

  it('uses a custom role that trusts SSM, at its own path, and warns about its missing permissions', async () => {
    await createRole('TeamDhmcRole', 'ssm.amazonaws.com', '/team/');
    const r = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--role-name', 'TeamDhmcRole', '--no-create-role'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: us-east-1: role TeamDhmcRole does not have AmazonSSMManagedEC2InstanceDefaultPolicy/);
    expect(await settingIn('us-east-1')).toMatchObject({ SettingValue: 'team/TeamDhmcRole', Status: 'Customized' });
  });

  it('--no-create-role fails with exit 6 when the role does not exist', async () => {
    const r = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--role-name', 'Missing', '--no-create-role'], suite.env);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('does not exist');
  });

  it('overwrites a setting that names another role only with --yes', async () => {
    await createRole('OtherDhmcRole', 'ssm.amazonaws.com');
    await aws(['ssm', 'update-service-setting', '--setting-id', SETTING, '--setting-value', 'OtherDhmcRole', '--region', 'us-east-2'], suite.env);

    const refused = await ssmPerms(['dhmc', 'enable', '--region', TWO], suite.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('OtherDhmcRole');
    expect(refused.stderr).toContain(VALUE);
    expect(await settingIn('us-east-2')).toMatchObject({ SettingValue: 'OtherDhmcRole' });
    expect(await settingIn('us-east-1')).toMatchObject({ Status: 'Default' });

    const done = await ssmPerms(['dhmc', 'enable', '--region', TWO, '--yes', '--json'], suite.env);
    expect(done.code, done.stderr).toBe(0);
    const update = json(done.stdout).changes.find((c: { region: string }) => c.region === 'us-east-2');
    expect(update.details).toEqual({ settingValue: VALUE, previousValue: 'OtherDhmcRole' });
    expect(await settingIn('us-east-2')).toMatchObject({ SettingValue: VALUE });
  });

  it('disable returns both regions to Status Default with --yes; without consent it changes nothing', async () => {
    expect((await ssmPerms(['dhmc', 'enable', '--region', TWO], suite.env)).code).toBe(0);
    const refused = await ssmPerms(['dhmc', 'disable', '--region', TWO], suite.env);
    expect(refused.code).toBe(2);
    expect(await settingIn('us-east-1')).toMatchObject({ Status: 'Customized' });

    const r = await ssmPerms(['dhmc', 'disable', '--region', TWO, '--yes', '--json'], suite.env);
    expect(r.code).toBe(0);
    expect(json(r.stdout).changes.map((c: { region: string; status: string }) => [c.region, c.status])).toEqual([
      ['us-east-1', 'applied'],
      ['us-east-2', 'applied'],
    ]);
    for (const region of ['us-east-1', 'us-east-2']) expect(await settingIn(region)).toMatchObject({ Status: 'Default', SettingValue: '$None' });
    const again = await ssmPerms(['dhmc', 'disable', '--region', TWO, '--json'], suite.env);
    expect(json(again.stdout).changes).toEqual([]);
  });

  it('--region all covers every enabled region of the partition and skips not-opted-in ones', async () => {
    const listed = (await aws(['ec2', 'describe-regions', '--all-regions'], suite.env)) as { Regions: { RegionName: string; OptInStatus: string }[] };
    // The emulator also lists aws-cn and aws-us-gov regions, which real AWS never does from us-east-1;
    // one set of credentials cannot reach them, so `all` stays in the partition.
    const enabled = listed.Regions.filter((r) => r.OptInStatus !== 'not-opted-in' && !/^(cn|us-gov)-/.test(r.RegionName))
      .map((r) => r.RegionName)
      .sort();
    const skipped = listed.Regions.filter((r) => r.OptInStatus === 'not-opted-in').map((r) => r.RegionName);
    expect(skipped.length).toBeGreaterThan(0);
    const r = await ssmPerms(['dhmc', 'status', '--region', 'all', '--json'], suite.env);
    // Many calls share the interrupt signal (doctor reads four things per region at once): no Node
    // warning about listeners reaches the operator.
    const fleet = await ssmPerms(['doctor', '--region', 'all', '--json'], suite.env);
    expect(fleet.stderr).not.toContain('MaxListenersExceededWarning');
    expect(r.code, r.stderr).toBe(0);
    const regions = json(r.stdout)
      .regions.map((x: { region: string }) => x.region)
      .sort();
    expect(regions).toEqual(enabled);
  });

  it('--debug prints one line per AWS call and a total, and never the credentials', async () => {
    const secretEnv = {
      ...suite.env,
      AWS_ACCESS_KEY_ID: 'AKIAE2EKEYID00000001',
      AWS_SECRET_ACCESS_KEY: 'e2eSecretValueThatMustNotLeak/0000000000',
      AWS_SESSION_TOKEN: 'e2eSessionTokenMustNotLeak',
    };
    const r = await ssmPerms(['dhmc', 'status', '--region', TWO, '--debug'], secretEnv);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^debug: ssm GetServiceSetting region=us-east-2 \d+ms attempts=1 ok$/m);
    expect(r.stderr).toMatch(/^debug: 3 AWS calls \(sts:GetCallerIdentity 1, ssm:GetServiceSetting 2\)$/m);
    for (const secret of ['AKIAE2EKEYID00000001', 'e2eSecretValueThatMustNotLeak', 'e2eSessionTokenMustNotLeak']) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('dhmc status loads the SSM and STS clients only, not IAM or EC2', async () => {
    const r = await sdkPackagesLoaded(['dhmc', 'status', '--region', 'us-east-1'], suite.env);
    expect(r.code).toBe(0);
    expect(r.packages).toContain('@aws-sdk/client-ssm');
    expect(r.packages).toContain('@aws-sdk/client-sts');
    expect(r.packages).not.toContain('@aws-sdk/client-iam');
    expect(r.packages).not.toContain('@aws-sdk/client-ec2');
  });

  it('--profile takes the region from that profile when neither --region nor AWS_REGION is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssm-perms-profile-'));
    writeFileSync(join(dir, 'config'), '[profile ops]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), '[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    // The profile's credentials, not the environment's, as with the AWS CLI.
    const rest: Record<string, string> = { ...suite.env };
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) delete rest[k];
    const r = await ssmPerms(['dhmc', 'status', '--profile', 'ops', '--json'], {
      ...rest,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });
    rmSync(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).regions.map((x: { region: string }) => x.region)).toEqual(['eu-west-1']);
  });

  it('honours the service-specific AWS_ENDPOINT_URL_SSM and AWS_ENDPOINT_URL_STS', async () => {
    const perService: Record<string, string> = { ...suite.env, AWS_ENDPOINT_URL_SSM: suite.emu.url, AWS_ENDPOINT_URL_STS: suite.emu.url };
    // The global variable points nowhere: only the per-service ones can make this work.
    perService.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    const r = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--json', '--max-attempts', '1'], perService);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).regions[0].status).toBe('Default');
  });

  it('--endpoint-url sends every call to the given endpoint', async () => {
    const noEndpoint = { ...suite.env };
    delete (noEndpoint as Record<string, string | undefined>).AWS_ENDPOINT_URL;
    const r = await ssmPerms(['dhmc', 'status', '--region', 'us-east-1', '--json', '--endpoint-url', suite.emu.url], noEndpoint);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).regions[0].status).toBe('Default');
  });
});

describe('requests never sent', () => {
  let server: Server;
  let requests = 0;
  let sink: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests += 1;
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    sink = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  it('an invalid region exits 2 with the value and the rule, and sends no request', async () => {
    const r = await ssmPerms(['dhmc', 'enable', '--region', 'nowhere-1'], { ...suite.env, AWS_ENDPOINT_URL: sink });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --region "nowhere-1"');
    expect(requests).toBe(0);
  });

  it('a wildcard region, a bad role name and a bad policy ARN send no request either', async () => {
    const sinkEnv = { ...suite.env, AWS_ENDPOINT_URL: sink };
    expect((await ssmPerms(['dhmc', 'status', '--region', '*'], sinkEnv)).code).toBe(2);
    expect((await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--role-name', 'x'.repeat(65)], sinkEnv)).code).toBe(2);
    expect((await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--policy-arn', 'arn:aws:iam::aws:role/X'], sinkEnv)).code).toBe(2);
    expect(requests).toBe(0);
  });
});

describe('interruption', () => {
  it('Ctrl-C while AWS calls are in flight stops, reports, and exits 130', async () => {
    // An endpoint that accepts requests and never answers: the CLI is mid-call when interrupted.
    // Ctrl-C is sent once the endpoint holds a request, not after a guessed delay.
    let received!: () => void;
    const inFlight = new Promise<void>((r) => (received = r));
    const hang = createServer(() => received());
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    try {
      const cli = startSsmPerms(['dhmc', 'status', '--region', TWO], { ...suite.env, AWS_ENDPOINT_URL: url });
      await Promise.race([inFlight, cli.done.then((r) => Promise.reject(new Error(`the CLI exited (${r.code}) before any request:\n${r.stderr}`)))]);
      cli.interrupt();
      const r = await cli.done;
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toContain('interrupted');
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });
});
