import { GetServiceSettingCommand, ResetServiceSettingCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { ssm } from '../../helpers/aws-mocks.js';
import { dhmcStatus } from '../../../src/services/dhmc/status.js';
import { applyDhmcDisable, disablePlanResult, planDhmcDisable } from '../../../src/services/dhmc/disable.js';
import { awsError } from '../../helpers/aws-errors.js';
import { AbortedError } from '../../../src/services/errors.js';
import { testEnv } from '../../helpers/service-env.js';

const scope = { partition: 'aws', account: '111122223333' };
const arn = (r: string) => `arn:aws:ssm:${r}:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
const setting = (r: string, value: string, status: string, extra: Record<string, unknown> = {}) =>
  ssm.on(GetServiceSettingCommand, { SettingId: arn(r) }).resolves({ ServiceSetting: { SettingValue: value, Status: status, ARN: arn(r), ...extra } });

beforeEach(() => ssm.reset());

describe('dhmcStatus', () => {
  it('reports each region, reading on/off from the value alone (Status is only shown), with role name and path', async () => {
    setting('us-east-1', '$None', 'Default');
    setting('us-east-2', 'service-role/R', 'Customized', {
      LastModifiedDate: new Date('2026-01-02T03:04:05Z'),
      LastModifiedUser: 'arn:aws:iam::111122223333:user/admin',
    });
    setting('eu-west-1', 'service-role/R', 'Default');
    const out = await dhmcStatus(testEnv(), scope, ['us-east-1', 'us-east-2', 'eu-west-1']);
    expect(out.map((r) => [r.region, r.enabled, r.roleName])).toEqual([
      ['us-east-1', false, null],
      ['us-east-2', true, 'R'],
      // AWS's own sample output pairs a role value with Status Default: the value decides.
      ['eu-west-1', true, 'R'],
    ]);
    expect(out[1]).toMatchObject({
      settingValue: 'service-role/R',
      rolePath: '/service-role/',
      status: 'Customized',
      lastModifiedDate: '2026-01-02T03:04:05.000Z',
      lastModifiedUser: 'arn:aws:iam::111122223333:user/admin',
      error: null,
    });
    // Each region is asked with its own ARN, so no client can read another region's setting.
    expect(ssm).toHaveReceivedCommandWith(GetServiceSettingCommand, { SettingId: arn('eu-west-1') });
  });

  it('keeps reporting the other regions when one fails', async () => {
    setting('us-east-1', '$None', 'Default');
    ssm.on(GetServiceSettingCommand, { SettingId: arn('us-west-2') }).rejects(awsError('ServiceSettingNotFound', 'not provisioned'));
    const out = await dhmcStatus(testEnv(), scope, ['us-east-1', 'us-west-2']);
    expect(out[0]!.error).toBeNull();
    expect(out[1]!.error).toMatchObject({ code: 'ServiceSettingNotFound' });
    expect(out[1]!.error!.hint).toContain('not provisioned');
  });
});

describe('dhmc disable', () => {
  it('plans a reset only where DHMC is on, reading the settings and sending nothing else', async () => {
    setting('us-east-1', 'service-role/R', 'Customized');
    setting('us-east-2', '$None', 'Default');
    const plan = await planDhmcDisable(testEnv(), scope, ['us-east-1', 'us-east-2']);
    const r = disablePlanResult(plan);
    expect(r.changes.map((c) => [c.region, c.operation, c.status, c.details.previousValue])).toEqual([
      ['us-east-1', 'ssm:ResetServiceSetting', 'planned', 'service-role/R'],
    ]);
    expect(r.dryRun).toBe(true);
    expect(ssm.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual(['GetServiceSettingCommand', 'GetServiceSettingCommand']);
  });

  it('plans a reset where a role is set even though Status says Default', async () => {
    setting('us-east-1', 'service-role/R', 'Default');
    const r = disablePlanResult(await planDhmcDisable(testEnv(), scope, ['us-east-1']));
    expect(r.changes.map((c) => [c.region, c.operation])).toEqual([['us-east-1', 'ssm:ResetServiceSetting']]);
  });

  it('resets each planned region and reports per region', async () => {
    setting('us-east-1', 'service-role/R', 'Customized');
    setting('us-east-2', 'service-role/R', 'Customized');
    ssm.on(ResetServiceSettingCommand, { SettingId: arn('us-east-1') }).resolves({});
    ssm.on(ResetServiceSettingCommand, { SettingId: arn('us-east-2') }).rejects(awsError('InternalServerError', 'oops', 500));
    const env = testEnv();
    const r = await applyDhmcDisable(env, await planDhmcDisable(env, scope, ['us-east-1', 'us-east-2']));
    expect(r.changes.map((c) => [c.region, c.status])).toEqual([
      ['us-east-1', 'applied'],
      ['us-east-2', 'failed'],
    ]);
    expect(r.regions).toEqual([
      { region: 'us-east-1', ok: true, error: null },
      { region: 'us-east-2', ok: false, error: expect.objectContaining({ code: 'InternalServerError' }) },
    ]);
  });

  it('sends nothing once interrupted', async () => {
    setting('us-east-1', 'service-role/R', 'Customized');
    const env = testEnv();
    const plan = await planDhmcDisable(env, scope, ['us-east-1']);
    env.abort.abort();
    const r = await applyDhmcDisable(env, plan);
    expect(r.changes[0]!.error!.code).toBe('NotAttempted');
    expect(ssm).not.toHaveReceivedCommand(ResetServiceSettingCommand);
  });
});

describe('dhmc setting and disable: errors and results', () => {
  it('a setting that could not be read is off, with an error naming ssm:GetServiceSetting and the region', async () => {
    setting('us-east-1', 'service-role/R', 'Customized');
    ssm.on(GetServiceSettingCommand, { SettingId: arn('us-west-2') }).rejects(awsError('InternalServerError', 'boom', 500));
    const out = await dhmcStatus(testEnv(), scope, ['us-west-2']);
    expect(out[0]).toMatchObject({ region: 'us-west-2', enabled: false, settingValue: null, roleName: null, settingArn: arn('us-west-2') });
    expect(out[0]!.error).toMatchObject({ code: 'InternalServerError', message: 'ssm:GetServiceSetting in us-west-2 failed: boom' });
  });

  it('an interrupted read (Ctrl-C) is thrown, not reported as a region error', async () => {
    ssm.on(GetServiceSettingCommand).rejects(awsError('AbortError', 'Request aborted'));
    await expect(dhmcStatus(testEnv(), scope, ['us-east-1'])).rejects.toBeInstanceOf(AbortedError);
  });

  it('the plan reports a region whose setting could not be read as failed, and plans nothing there', async () => {
    setting('us-east-1', 'service-role/R', 'Customized');
    ssm.on(GetServiceSettingCommand, { SettingId: arn('us-east-2') }).rejects(awsError('InternalServerError', 'boom', 500));
    const r = disablePlanResult(await planDhmcDisable(testEnv(), scope, ['us-east-1', 'us-east-2']));
    expect(r.changes).toEqual([
      {
        region: 'us-east-1',
        action: 'reset',
        resource: arn('us-east-1'),
        operation: 'ssm:ResetServiceSetting',
        status: 'planned',
        details: { previousValue: 'service-role/R' },
        error: null,
      },
    ]);
    expect(r.regions).toEqual([
      { region: 'us-east-1', ok: true, error: null },
      { region: 'us-east-2', ok: false, error: expect.objectContaining({ code: 'InternalServerError' }) },
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.account).toBe('111122223333');
  });

  it('applying reports dryRun false, no warnings, and the failed reset with its operation and region', async () => {
    setting('us-east-2', 'service-role/R', 'Customized');
    ssm.on(ResetServiceSettingCommand).rejects(awsError('InternalServerError', 'oops', 500));
    const env = testEnv();
    const r = await applyDhmcDisable(env, await planDhmcDisable(env, scope, ['us-east-2']));
    expect(r.dryRun).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(r.changes[0]!.error).toMatchObject({ code: 'InternalServerError', message: 'ssm:ResetServiceSetting in us-east-2 failed: oops' });
  });

  it('an interrupted region says so', async () => {
    setting('us-east-1', 'service-role/R', 'Customized');
    const env = testEnv();
    const plan = await planDhmcDisable(env, scope, ['us-east-1']);
    env.abort.abort();
    const r = await applyDhmcDisable(env, plan);
    expect(r.changes[0]!.error).toMatchObject({ code: 'NotAttempted', message: 'interrupted before this region was changed' });
  });
});
