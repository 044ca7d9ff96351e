import { describe, expect, it } from 'vitest';
import { dhmcSettingArn, dhmcSettingValue, isDhmcEnabled, roleFromSettingValue } from '../../../src/policies/dhmc-setting.js';

describe('DHMC setting helpers', () => {
  it('builds the setting value from path and name without the leading slash', () => {
    expect(dhmcSettingValue('/service-role/', 'AWSSystemsManagerDefaultEC2InstanceManagementRole')).toBe(
      'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole',
    );
    expect(dhmcSettingValue('/', 'ssmrole')).toBe('ssmrole');
    expect(dhmcSettingValue('/a/b/', 'R')).toBe('a/b/R');
  });

  it('splits a setting value back into path and name', () => {
    expect(roleFromSettingValue('service-role/X')).toEqual({ path: '/service-role/', name: 'X' });
    expect(roleFromSettingValue('ssmrole')).toEqual({ path: '/', name: 'ssmrole' });
    expect(roleFromSettingValue('a/b/R')).toEqual({ path: '/a/b/', name: 'R' });
  });

  it('treats Status Default, $None and an empty value as off', () => {
    expect(isDhmcEnabled('Default', 'service-role/X')).toBe(false);
    expect(isDhmcEnabled('Customized', '$None')).toBe(false);
    expect(isDhmcEnabled('Customized', '')).toBe(false);
    expect(isDhmcEnabled('Customized', 'service-role/X')).toBe(true);
    expect(isDhmcEnabled('PendingUpdate', 'X')).toBe(true);
  });

  it('puts region, account and partition into the ARN', () => {
    expect(dhmcSettingArn('aws-us-gov', 'us-gov-west-1', '111122223333')).toBe(
      'arn:aws-us-gov:ssm:us-gov-west-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role',
    );
  });
});
