// dhmc disable in-process: consent, regions already off, dry run and failures.
import { GetServiceSettingCommand, ResetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, resetAws, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const setting = (r: string, value: string, status: string) =>
  ssm.on(GetServiceSettingCommand, { SettingId: arn(r) }).resolves({ ServiceSetting: { SettingValue: value, Status: status, ARN: arn(r) } });

beforeEach(resetAws);

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

  it('--dry-run plans the reset of each region that is on, asks nothing and resets nothing', async () => {
    setting('us-east-1', VALUE, 'Customized');
    setting('us-east-2', '$None', 'Default');
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1,us-east-2', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dryRun).toBe(true);
    expect(doc.changes).toHaveLength(1);
    expect(doc.changes[0]).toMatchObject({ operation: 'ssm:ResetServiceSetting', status: 'planned', region: 'us-east-1' });
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
    // It says the real run will ask, as dhmc enable's dry run does; not with --yes.
    expect(r.stderr).toContain('note: turning DHMC off in us-east-1 will need --yes (or a y at the prompt)');
    const yes = await cli(['dhmc', 'disable', '-r', 'us-east-1,us-east-2', '--dry-run', '--yes']);
    expect(yes.stderr).not.toContain('will need --yes');
  });

  it('asks on a terminal, and only y resets', async () => {
    setting('us-east-1', VALUE, 'Customized');
    ssm.on(ResetServiceSettingCommand).resolves({});
    const no = await cli(['dhmc', 'disable', '-r', 'us-east-1'], { tty: true, input: 'n\n' });
    expect(no.stderr).toContain('[y/N]');
    expect(no.code).toBe(2);
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
    const yes = await cli(['dhmc', 'disable', '-r', 'us-east-1'], { tty: true, input: 'y\n' });
    expect(yes.code).toBe(0);
    expect(ssm).toHaveReceivedCommandTimes(ResetServiceSettingCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(ResetServiceSettingCommand, { SettingId: arn('us-east-1') });
  });

  it('--no-input on a terminal never asks: exit 2 with the --yes hint, and nothing reset even with y typed', async () => {
    setting('us-east-1', VALUE, 'Customized');
    ssm.on(ResetServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--no-input', '--no-color'], { tty: true, input: 'y\n' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('[y/N]');
    expect(r.stderr).not.toContain('Turn DHMC off');
    expect(r.stderr).toContain('error: not turning DHMC off in us-east-1 without consent; nothing was changed');
    expect(r.stderr).toContain('hint: Pass --yes to turn it off.');
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
    // --no-input with --yes: no question, and the reset is made.
    const yes = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--no-input', '--yes'], { tty: true });
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).not.toContain('[y/N]');
    expect(ssm).toHaveReceivedCommandTimes(ResetServiceSettingCommand, 1);
  });

  it('reports a region whose reset fails (exit 5) and still resets the others', async () => {
    setting('us-east-1', VALUE, 'Customized');
    setting('us-east-2', VALUE, 'Customized');
    ssm.on(ResetServiceSettingCommand).resolves({});
    ssm.on(ResetServiceSettingCommand, { SettingId: arn('us-east-2') }).rejects(awsError('InternalServerError', 'boom', 500));
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1,us-east-2', '--yes', '--json']);
    expect(r.code).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.regions).toEqual([
      expect.objectContaining({ region: 'us-east-1', ok: true }),
      expect.objectContaining({ region: 'us-east-2', ok: false, error: expect.objectContaining({ code: 'InternalServerError' }) }),
    ]);
    expect(ssm).toHaveReceivedCommandWith(ResetServiceSettingCommand, { SettingId: arn('us-east-1') });
  });

  it('takes end of input at the prompt (Ctrl-D, a closed pipe) as a refusal: exit 2, "no answer", nothing reset', async () => {
    setting('us-east-1', VALUE, 'Customized');
    ssm.on(ResetServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--no-color'], { tty: true, input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[y/N]');
    expect(r.stderr).toContain('error: no answer; nothing was changed (not turning DHMC off in us-east-1)');
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
  });
  it('a region already off: "No changes" as text, and dryRun false in JSON (nothing was planned, nothing was done)', async () => {
    setting('us-east-1', '$None', 'Default');
    const text = await cli(['dhmc', 'disable', '-r', 'us-east-1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('No changes: everything is already as asked.\n');
    expect(text.stderr).toBe('');
    const json = await cli(['dhmc', 'disable', '-r', 'us-east-1', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: false, changes: [] });
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
  });

  it('asks once for all the regions, prints each reset, and notes what instances that relied on DHMC lose', async () => {
    setting('us-east-1', VALUE, 'Customized');
    setting('us-east-2', VALUE, 'Customized');
    ssm.on(ResetServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'disable', '-r', 'us-east-1,us-east-2', '--no-color'], { tty: true, input: 'y\n', columns: 200, stderrColumns: 200 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['Changes:', `  applied  us-east-1      turn DHMC off (was ${VALUE})`, `  applied  us-east-2      turn DHMC off (was ${VALUE})`, ''].join('\n'),
    );
    // Without DHMC (and without an instance profile) the agent has no credentials for Systems Manager:
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html
    // On a terminal the regions counter (its second count within the redraw interval, so not drawn) is
    // erased before the question, and again before the note.
    const erase = '\r\u001b[2K';
    expect(r.stderr).toBe(
      `${erase}dhmc disable: read 1 of 2 regions${erase}` +
        'Turn DHMC off in us-east-1, us-east-2? Instances managed only through it will stop being managed. [y/N] ' +
        `${erase}dhmc disable: changed 1 of 2 regions${erase}` +
        'note: Instances that relied on DHMC lose Systems Manager access as their credentials expire, unless they have an instance profile that allows Systems Manager.\n',
    );
    expect(ssm).toHaveReceivedCommandTimes(ResetServiceSettingCommand, 2);
  });
});
