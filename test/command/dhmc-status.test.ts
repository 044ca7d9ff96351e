// dhmc status in-process: the setting per region, output forms, colours, and partial failures.
import { GetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, resetAws, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const setting = (r: string, value: string, status: string) =>
  ssm.on(GetServiceSettingCommand, { SettingId: arn(r) }).resolves({ ServiceSetting: { SettingValue: value, Status: status, ARN: arn(r) } });
const ESC = '\u001b[';

beforeEach(resetAws);

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

  it('reports a value naming the role in another case as on, with the name and path as the setting holds them', async () => {
    setting('us-east-1', VALUE.toLowerCase(), 'Customized');
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).regions[0]).toMatchObject({
      enabled: true,
      settingValue: VALUE.toLowerCase(),
      roleName: ROLE.toLowerCase(),
      rolePath: '/service-role/',
      error: null,
    });
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
  it('prints the hint of each region that failed as a warning naming the region', async () => {
    setting('us-east-1', VALUE, 'Customized');
    ssm
      .on(GetServiceSettingCommand, { SettingId: arn('us-east-2') })
      .rejects(awsError('AccessDeniedException', 'User: x is not authorized to perform: ssm:GetServiceSetting'));
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1,us-east-2']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      "warning: us-east-2: Allow ssm:GetServiceSetting for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.\n",
    );
  });
});
