import { describe, expect, it } from 'vitest';
import { dhmcSettingArn, dhmcSettingValue, isDhmcEnabled, roleFromSettingValue, sameDhmcRole } from '../../../src/policies/dhmc-setting.js';

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

  it('decides on/off from the value alone: $None or empty is off, a role name is on', () => {
    expect(isDhmcEnabled('$None')).toBe(false);
    expect(isDhmcEnabled('')).toBe(false);
    expect(isDhmcEnabled('  ')).toBe(false);
    expect(isDhmcEnabled(undefined)).toBe(false);
    expect(isDhmcEnabled('service-role/X')).toBe(true);
    expect(isDhmcEnabled('X')).toBe(true);
  });

  it('puts region, account and partition into the ARN', () => {
    expect(dhmcSettingArn('aws-us-gov', 'us-gov-west-1', '111122223333')).toBe(
      'arn:aws-us-gov:ssm:us-gov-west-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role',
    );
  });

  // IAM role names are unique regardless of case (CreateRole, RoleName: "Names are not distinguished by case",
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html); IAM documents no such rule for paths.
  it('sameDhmcRole: the same path and a name differing only in case are the same role', () => {
    expect(
      sameDhmcRole('service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole', 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole'),
    ).toBe(true);
    expect(sameDhmcRole('service-role/MyDhmcRole', 'service-role/mydhmcrole')).toBe(true);
    expect(sameDhmcRole('MyDhmcRole', 'MYDHMCROLE')).toBe(true);
  });

  it('sameDhmcRole: another name is another role, even when the names end alike', () => {
    expect(sameDhmcRole('service-role/MyDhmcRole', 'service-role/OtherRole')).toBe(false);
    expect(sameDhmcRole('AmazonSSMRole', 'MyRole')).toBe(false);
    expect(sameDhmcRole('team/AmazonSSMRole', 'team/MyRole')).toBe(false);
  });

  it('sameDhmcRole: the path must match exactly, case included', () => {
    expect(sameDhmcRole('team1/MyDhmcRole', 'team2/MyDhmcRole')).toBe(false);
    expect(sameDhmcRole('Service-Role/MyDhmcRole', 'service-role/MyDhmcRole')).toBe(false);
    expect(sameDhmcRole('service-role/MyDhmcRole', 'MyDhmcRole')).toBe(false);
    expect(sameDhmcRole('a/b/MyDhmcRole', 'b/MyDhmcRole')).toBe(false);
  });
});
