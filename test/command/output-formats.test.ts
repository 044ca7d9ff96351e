// -o/--output json|text|table and --query, across commands: the same result in the three forms,
// the query applied before any of them, and a terminal's width respected by the tables.
import { GetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, expectNoAwsCall, resetAws, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const VALUE = 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole';
const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const REGIONS = 'us-east-1,us-east-2,eu-west-1';

beforeEach(() => {
  resetAws();
  ssm.on(GetServiceSettingCommand, { SettingId: arn('us-east-1') }).resolves({
    ServiceSetting: {
      SettingValue: VALUE,
      Status: 'Customized',
      LastModifiedDate: new Date('2026-11-28T10:00:00Z'),
      LastModifiedUser: `arn:aws:iam::${ACCOUNT}:user/ops-admin`,
    },
  });
  ssm.on(GetServiceSettingCommand, { SettingId: arn('us-east-2') }).resolves({ ServiceSetting: { SettingValue: '$None', Status: 'Default' } });
  ssm
    .on(GetServiceSettingCommand, { SettingId: arn('eu-west-1') })
    .rejects(awsError('AccessDeniedException', 'User is not authorized to perform ssm:GetServiceSetting'));
});

const widest = (s: string) => Math.max(...s.split('\n').map((l) => l.length));

describe('--output', () => {
  it('text: one tab-separated line per region, no header, as the aws CLI prints a list', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS, '-o', 'text']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(ACCOUNT);
    const regions = lines.filter((l) => l.startsWith('REGIONS\t'));
    expect(regions).toHaveLength(3);
    expect(regions[0]!.split('\t')).toContain('us-east-1');
    expect(regions[0]!.split('\t')).toContain('True');
    expect(r.stdout).not.toMatch(/REGION {2}|DHMC/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('table is the default, and -o table is the same aligned table', async () => {
    const plain = await cli(['dhmc', 'status', '--region', REGIONS]);
    const table = await cli(['dhmc', 'status', '--region', REGIONS, '-o', 'table']);
    expect(table.stdout).toBe(plain.stdout);
    expect(plain.stdout.split('\n')[0]).toMatch(/^REGION +DHMC +ROLE/);
  });

  it('json and --json are the same document, --json winning over an -o given with it', async () => {
    const a = await cli(['dhmc', 'status', '--region', REGIONS, '-o', 'json']);
    const b = await cli(['dhmc', 'status', '--region', REGIONS, '--json', '-o', 'text']);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
  });

  it('a region that could not be read is in every form, and the exit code does not depend on the form', async () => {
    for (const form of ['json', 'text', 'table']) {
      const r = await cli(['dhmc', 'status', '--region', REGIONS, '-o', form]);
      expect(r.code, form).toBe(4);
      expect(r.stdout, form).toContain('AccessDeniedException');
    }
  });
});

describe('--query', () => {
  it('filters the JSON document before printing it as JSON', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS, '--query', 'regions[?enabled].region', '-o', 'json']);
    expect(JSON.parse(r.stdout)).toEqual(['us-east-1']);
  });

  it('filters before the text format: a list of values is one tab-separated line, as the aws CLI prints it', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS, '--query', 'regions[].region', '-o', 'text']);
    expect(r.stdout).toBe('us-east-1\tus-east-2\teu-west-1\n');
  });

  it('with the table form, prints what the query selected as a table of its own', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS, '--query', 'regions[].{region: region, on: enabled}']);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual(['region     on', 'us-east-1  true', 'us-east-2  false', 'eu-west-1  null']);
  });

  it('measures wide characters as a terminal shows them (two columns each), in any table', async () => {
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1', '--query', 'regions[].{n: `"名前"`, r: region}']);
    expect(r.stdout).toBe('n     r\n名前  us-east-1\n');
  });

  it('a malformed query is a usage error before any AWS call', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS, '--query', 'regions[?']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --query "regions[?"');
    expectNoAwsCall();
  });

  it('a query that fails on the result says so, keeps the worse exit code, and prints nothing on stdout', async () => {
    const r = await cli(['dhmc', 'status', '--region', 'us-east-1', '--query', 'length(`1`)']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('failed on the result');
    const worse = await cli(['dhmc', 'status', '--region', REGIONS, '--query', 'length(`1`)']);
    expect(worse.code).toBe(4);
  });
});

describe('tables on a terminal', () => {
  it('fit 80 columns: no line of dhmc status is wider, and the role is still all there', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS, '--no-color'], { tty: true, columns: 80 });
    expect(widest(r.stdout)).toBeLessThanOrEqual(80);
    expect(r.stdout.replace(/\n\s+/g, '')).toContain(VALUE);
    expect(r.stdout).toContain('eu-west-1: AccessDeniedException');
  });

  it('use the room a wide terminal gives: at 200 columns every column is shown', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS, '--no-color'], { tty: true, columns: 200 });
    expect(r.stdout.split('\n')[0]).toMatch(/^REGION +DHMC +ROLE +STATUS +LAST CHANGE$/);
    expect(widest(r.stdout)).toBeLessThanOrEqual(200);
  });

  it('are not cut when the output is a pipe or a file', async () => {
    const r = await cli(['dhmc', 'status', '--region', REGIONS]);
    expect(r.stdout.split('\n')[1]).toContain(`${VALUE}  Customized  2026-11-28T10:00:00.000Z by arn:aws:iam::${ACCOUNT}:user/ops-admin`);
  });
});

describe('--query with the table form, for the shapes the AWS CLI prints', () => {
  it('a list of lists is rows of columns without a header; null prints nothing', async () => {
    const rows = await cli(['dhmc', 'status', '--region', REGIONS, '--query', 'regions[].[region, enabled]']);
    expect(rows.stdout).toBe('us-east-1  true\nus-east-2  false\neu-west-1  null\n');
    const none = await cli(['dhmc', 'status', '--region', REGIONS, '--query', 'nosuch']);
    expect(none.stdout).toBe('');
  });
});
