// dhmc enable in-process: plan, consent to replace another role, the custom-role check, and failures.
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetPolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, iam, resetAws, roleAnswer, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/${ROLE}`;
const DHMC_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy';
const arn = (r: string) => `arn:aws:ssm:${r}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const setting = (r: string, value: string, status: string) =>
  ssm.on(GetServiceSettingCommand, { SettingId: arn(r) }).resolves({ ServiceSetting: { SettingValue: value, Status: status, ARN: arn(r) } });

function defaultRoleExists() {
  iam.on(GetRoleCommand).resolves(roleAnswer(ROLE, 'ssm.amazonaws.com', '/service-role/'));
  iam
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy' }], IsTruncated: false });
}

beforeEach(resetAws);

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

  it("takes a setting naming the role in another case for the same role: rewritten to IAM's spelling without a question", async () => {
    defaultRoleExists();
    setting('us-east-1', `service-role/${ROLE.toLowerCase()}`, 'Customized');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--json'], { tty: true, input: 'n\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('[y/N]');
    expect(JSON.parse(r.stdout).changes).toEqual([
      expect.objectContaining({ status: 'applied', details: { settingValue: VALUE, previousValue: `service-role/${ROLE.toLowerCase()}` } }),
    ]);
    expect(ssm).toHaveReceivedCommandTimes(UpdateServiceSettingCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(UpdateServiceSettingCommand, { SettingValue: VALUE });
    ssm.resetHistory();
    // A name that differs by more than case is another role: consent is asked.
    setting('us-east-1', `${VALUE.toLowerCase()}-old`, 'Customized');
    const other = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--no-color'], { tty: true, input: 'n\n', stderrColumns: 400 });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`DHMC already uses another role in us-east-1 (now ${VALUE.toLowerCase()}-old). Replace it with ${VALUE}? [y/N]`);
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });

  it('refuses a --policy-arn that does not exist (exit 6) before creating the role or touching a region', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy', DefaultVersionId: 'v1' } });
    const missing = `arn:aws:iam::${ACCOUNT}:policy/Missing`;
    iam.on(GetPolicyCommand, { PolicyArn: missing }).rejects(awsError('NoSuchEntity', `Policy ${missing} does not exist or is not attachable.`, 404));
    setting('us-east-1', '$None', 'Default');
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--policy-arn', missing, '--yes']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`error: policy ${missing} does not exist; nothing was changed`);
    expect(iam).toHaveReceivedCommandWith(GetPolicyCommand, { PolicyArn: missing });
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });

  it('refuses a custom role that does not trust SSM with exit 6 and a hint', async () => {
    iam.on(GetRoleCommand).resolves(roleAnswer('Ec2Only', 'ec2.amazonaws.com'));
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
  it('--dry-run that would replace another role: the plan as text, and a note naming the regions that will need --yes (none with --yes)', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: DHMC_POLICY, DefaultVersionId: 'v1' } });
    setting('us-east-1', 'OtherRole', 'Customized');
    setting('us-east-2', 'service-role/Old', 'Customized');
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1,us-east-2', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Planned changes (dry run, nothing changed):',
        `  planned  global         create role ${ROLE_ARN} (trusts ssm.amazonaws.com)`,
        `  planned  global         attach ${DHMC_POLICY} to ${ROLE_ARN}`,
        `  planned  us-east-1      set DHMC role to ${VALUE} (was OtherRole)`,
        `  planned  us-east-2      set DHMC role to ${VALUE} (was service-role/Old)`,
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('note: replacing the role in us-east-1, us-east-2 will need --yes (or a y at the prompt)\n');
    // With --yes the replacement needs nothing more: no note.
    const yes = await cli(['dhmc', 'enable', '-r', 'us-east-1,us-east-2', '--dry-run', '--yes']);
    expect(yes.code).toBe(0);
    expect(yes.stderr).toBe('');
    // Nothing to replace: no note either.
    setting('us-east-1', '$None', 'Default');
    setting('us-east-2', '$None', 'Default');
    const off = await cli(['dhmc', 'enable', '-r', 'us-east-1,us-east-2', '--dry-run']);
    expect(off.code).toBe(0);
    expect(off.stderr).toBe('');
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
  });

  it('asks once for every region whose role it would replace, and a refusal on a terminal says to answer y or leave them out', async () => {
    defaultRoleExists();
    setting('us-east-1', 'OtherRole', 'Customized');
    setting('us-east-2', 'service-role/Old', 'Customized');
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1,us-east-2', '--no-color'], { tty: true, input: 'n\n', stderrColumns: 400 });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // On a terminal the regions counter (its second count within the redraw interval, so not drawn) is erased before the question.
    expect(r.stderr).toBe(
      '\r\u001b[2Kdhmc enable: read 1 of 2 regions\r\u001b[2K' +
        `DHMC already uses another role in us-east-1 (now OtherRole), us-east-2 (now service-role/Old). Replace it with ${VALUE}? [y/N] ` +
        `error: not replacing the DHMC role in us-east-1 (now OtherRole), us-east-2 (now service-role/Old) with ${VALUE} without consent; nothing was changed\n` +
        'hint: Answer y to replace it, or leave those regions out.\n',
    );
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });

  it('after a partial apply, prints each change and notes the wait only for the regions that changed', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: DHMC_POLICY, DefaultVersionId: 'v1' } });
    setting('us-east-1', 'OtherRole', 'Customized');
    setting('us-east-2', 'service-role/Old', 'Customized');
    setting('us-west-2', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    ssm.on(UpdateServiceSettingCommand, { SettingId: arn('us-east-2') }).rejects(awsError('TooManyUpdates', 'busy'));
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1,us-east-2,us-west-2', '--yes']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe(
      [
        'Changes:',
        `  applied  global         create role ${ROLE_ARN} (trusts ssm.amazonaws.com)`,
        `  applied  global         attach ${DHMC_POLICY} to ${ROLE_ARN}`,
        `  applied  us-east-1      set DHMC role to ${VALUE} (was OtherRole)`,
        `  FAILED   us-east-2      set DHMC role to ${VALUE} (was service-role/Old)`,
        '           TooManyUpdates: ssm:UpdateServiceSetting in us-east-2 failed: busy',
        '           hint: Another update of this setting is in progress; wait a minute and run the command again.',
        `  applied  us-west-2      turn DHMC on with role ${VALUE}`,
        '',
      ].join('\n'),
    );
    // Agent behaviour behind the notes (the role is picked up within 30 minutes; IMDSv2 and agent 3.2.582.0;
    // an instance profile takes precedence):
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html
    expect(r.stderr).toBe(
      [
        `note: Instances in us-east-1, us-west-2 can take up to 30 minutes to pick up role ${VALUE}; restarting SSM Agent (or the instance) makes it sooner.`,
        'note: An instance profile whose role allows ssm:UpdateInstanceInformation takes precedence over DHMC: remove that permission from such profiles for DHMC to apply.',
        'note: DHMC needs IMDSv2 and SSM Agent 3.2.582.0 or later on each instance.',
        'note: Next: ssm-perms dhmc status --region us-east-1,us-east-2,us-west-2',
        '',
      ].join('\n'),
    );
  });

  it('DHMC already on with its role: no changes, no note, no write', async () => {
    defaultRoleExists();
    setting('us-east-1', VALUE, 'Customized');
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No changes: everything is already as asked.\n');
    expect(r.stderr).toBe('');
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
  });

  it('--no-create-role with a role that does not exist: exit 6, nothing created or set', async () => {
    iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'not found', 404));
    setting('us-east-1', '$None', 'Default');
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--role-name', 'MyDhmcRole', '--no-create-role', '--yes']);
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(
      'error: role MyDhmcRole does not exist and --no-create-role was given\n' +
        'hint: Create it first (trusting ssm.amazonaws.com), or drop --no-create-role to let ssm-perms create it.\n',
    );
    expect(iam).not.toHaveReceivedCommand(CreateRoleCommand);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(ssm).not.toHaveReceivedCommand(UpdateServiceSettingCommand);
  });

  it("leaves a custom role's policies alone: warns that it cannot register instances instead of attaching the DHMC policy", async () => {
    iam.on(GetRoleCommand).resolves(roleAnswer('MyDhmcRole', 'ssm.amazonaws.com'));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    setting('us-east-1', '$None', 'Default');
    ssm.on(UpdateServiceSettingCommand).resolves({});
    const r = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--role-name', 'MyDhmcRole', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Changes:\n  applied  us-east-1      turn DHMC on with role MyDhmcRole\n');
    expect(r.stderr).toContain(
      `warning: us-east-1: role MyDhmcRole does not have AmazonSSMManagedEC2InstanceDefaultPolicy and its policies do not allow ssm:UpdateInstanceInformation`,
    );
    expect(r.stderr).toContain(`Attach it with --policy-arn ${DHMC_POLICY}.`);
    expect(iam).not.toHaveReceivedCommand(AttachRolePolicyCommand);
    expect(ssm).toHaveReceivedCommandWith(UpdateServiceSettingCommand, { SettingId: arn('us-east-1'), SettingValue: 'MyDhmcRole' });
  });
});
