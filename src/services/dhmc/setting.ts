// Reading the DHMC service setting of one region.
import { dhmcSettingArn, isDhmcEnabled, roleFromSettingValue } from '../../policies/dhmc-setting.js';
import { AbortedError, type ErrorInfo } from '../errors.js';
import type { ServiceEnv } from '../env.js';
import { translateAwsError } from '../aws/translate-error.js';

export interface DhmcRegionStatus {
  region: string;
  enabled: boolean;
  settingValue: string | null;
  roleName: string | null;
  /** The role's path as the setting names it (`/service-role/`), null when off. */
  rolePath: string | null;
  status: string | null;
  lastModifiedDate: string | null;
  lastModifiedUser: string | null;
  settingArn: string;
  error: ErrorInfo | null;
}

export interface Scope {
  partition: string;
  account: string;
}

export async function readDhmcSetting(env: ServiceEnv, scope: Scope, region: string): Promise<DhmcRegionStatus> {
  // The ARN form is region-checked by SSM, so a mixed-up client region fails loudly instead of
  // silently reading another region's setting.
  const settingArn = dhmcSettingArn(scope.partition, region, scope.account);
  const ssm = await env.clients.ssm(region);
  const out = await ssm.getServiceSetting({ SettingId: settingArn });
  const s = out.ServiceSetting ?? {};
  const enabled = isDhmcEnabled(s.SettingValue);
  const role = enabled && s.SettingValue ? roleFromSettingValue(s.SettingValue) : null;
  return {
    region,
    enabled,
    settingValue: s.SettingValue ?? null,
    roleName: role?.name ?? null,
    rolePath: role?.path ?? null,
    status: s.Status ?? null,
    lastModifiedDate: s.LastModifiedDate ? new Date(s.LastModifiedDate).toISOString() : null,
    lastModifiedUser: s.LastModifiedUser ?? null,
    settingArn: s.ARN ?? settingArn,
    error: null,
  };
}

/** Like readDhmcSetting, but a failure becomes the region's `error` instead of an exception. */
export async function readDhmcSettingOrError(env: ServiceEnv, scope: Scope, region: string): Promise<DhmcRegionStatus> {
  try {
    return await readDhmcSetting(env, scope, region);
  } catch (e) {
    const err = translateAwsError(e, { service: 'ssm', operation: 'GetServiceSetting', region });
    if (err instanceof AbortedError) throw err;
    return {
      region,
      enabled: false,
      settingValue: null,
      roleName: null,
      rolePath: null,
      status: null,
      lastModifiedDate: null,
      lastModifiedUser: null,
      settingArn: dhmcSettingArn(scope.partition, region, scope.account),
      error: err.info,
    };
  }
}
