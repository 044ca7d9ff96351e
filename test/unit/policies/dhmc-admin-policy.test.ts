import { describe, expect, it } from 'vitest';
import { dhmcAdminPolicy } from '../../../src/policies/dhmc-admin-policy.js';
import { DHMC_DEFAULT_ROLE_NAME, DHMC_DEFAULT_ROLE_PATH } from '../../../src/policies/dhmc-setting.js';
import { fill, SEED_ADMIN_POLICY } from '../../fixtures/seed-vectors.js';

const base = { partition: 'aws', account: '111122223333', roleName: DHMC_DEFAULT_ROLE_NAME, rolePath: DHMC_DEFAULT_ROLE_PATH };

describe('dhmcAdminPolicy', () => {
  it('equals the guide example for one region', () => {
    const expected = fill(SEED_ADMIN_POLICY, { 'region:': 'us-east-2:', 'account-id': '111122223333' });
    expect(dhmcAdminPolicy({ ...base, regions: ['us-east-2'] })).toEqual(expected);
  });

  it('names the setting with default-ec2-instance-management-role, never the archived wrong id', () => {
    const text = JSON.stringify(dhmcAdminPolicy({ ...base, regions: ['eu-west-1', 'us-west-2'] }));
    expect(text).toContain('servicesetting/ssm/managed-instance/default-ec2-instance-management-role');
    expect(text).not.toContain('managed-instance/default-instance-management-role');
  });

  it('lists one setting ARN per region', () => {
    const p = dhmcAdminPolicy({ ...base, regions: ['us-east-1', 'eu-west-1'] });
    expect(p.Statement[0]!.Resource).toEqual([
      'arn:aws:ssm:us-east-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role',
      'arn:aws:ssm:eu-west-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role',
    ]);
  });

  it('follows the partition and honours a custom role name and path', () => {
    const p = dhmcAdminPolicy({ partition: 'aws-cn', account: '111122223333', regions: ['cn-north-1'], roleName: 'Dhmc', rolePath: '/' });
    expect(p.Statement[0]!.Resource).toBe('arn:aws-cn:ssm:cn-north-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role');
    expect(p.Statement[1]!.Resource).toBe('arn:aws-cn:iam::111122223333:role/Dhmc');
  });

  it('with role setup, allows attaching only the DHMC policy', () => {
    const p = dhmcAdminPolicy({ ...base, regions: ['us-east-2'], withRoleSetup: true });
    const attach = p.Statement.find((s) => s.Sid === 'AttachOnlyTheDhmcPolicy')!;
    expect(attach.Action).toEqual(['iam:AttachRolePolicy']);
    expect(attach.Condition).toEqual({ ArnEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy'] } });
    expect(p.Statement).toHaveLength(4);
  });
});
