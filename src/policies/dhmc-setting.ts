// The DHMC service setting: its id, ARN and value format (AWS's "Default Host Management
// Configuration" guide, https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html). Pure helpers.

/** The short id. Note `default-ec2-instance-...`: a widely copied example omits `ec2-` and grants nothing. */
export const DHMC_SETTING_ID = '/ssm/managed-instance/default-ec2-instance-management-role';

export const DHMC_DEFAULT_ROLE_NAME = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
export const DHMC_DEFAULT_ROLE_PATH = '/service-role/';

/** The setting's ARN in a region; the region in the ARN must match the region the call is sent to. */
export function dhmcSettingArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:ssm:${region}:${account}:servicesetting${DHMC_SETTING_ID}`;
}

/** The setting value for a role: the path without its leading slash, then the name. */
export function dhmcSettingValue(path: string, roleName: string): string {
  return `${path.replace(/^\//, '')}${roleName}`;
}

/**
 * DHMC is on exactly when the setting names a role: off when the value is `$None` or empty. `Status`
 * is only displayed - AWS's own sample output pairs a role value with `Status: Default` (the GetServiceSetting
 * example in the Systems Manager DHMC guide), so a rule on Status would call an enabled region off and
 * then skip `disable`, or overwrite another role without consent.
 */
export function isDhmcEnabled(value: string | null | undefined): boolean {
  return !!value && value.trim() !== '' && value !== '$None';
}

/** Splits a setting value into role path and name: `service-role/X` -> { path: '/service-role/', name: 'X' }. */
export function roleFromSettingValue(value: string): { path: string; name: string } {
  const i = value.lastIndexOf('/');
  if (i < 0) return { path: '/', name: value };
  return { path: `/${value.slice(0, i + 1)}`, name: value.slice(i + 1) };
}

/**
 * Whether two setting values name the same role. IAM role names are unique regardless of case
 * (CreateRole, RoleName: "Names are not distinguished by case"), so the name is compared
 * case-insensitively; IAM documents no such rule for paths, so the path must match exactly.
 */
export function sameDhmcRole(a: string, b: string): boolean {
  const split = (v: string) => {
    const i = v.lastIndexOf('/');
    return { path: v.slice(0, i + 1), name: v.slice(i + 1) };
  };
  const x = split(a);
  const y = split(b);
  return x.path === y.path && x.name.toLowerCase() === y.name.toLowerCase();
}
