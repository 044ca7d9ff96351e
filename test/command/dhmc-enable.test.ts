// dhmc enable in-process: plan, consent to replace another role, the custom-role check, and failures.
import { AttachRolePolicyCommand, CreateRoleCommand, GetPolicyCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, UpdateServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, iam, resetAws, roleAnswer, ssm } from '../helpers/aws-mocks.js';
import { awsError } from '../helpers/aws-errors.js';
import { cli } from '../helpers/cli-io.js';

const ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
const VALUE = `service-role/${ROLE}`;
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
    const other = await cli(['dhmc', 'enable', '-r', 'us-east-1', '--no-color'], { tty: true, input: 'n\n' });
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
});
