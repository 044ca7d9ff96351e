import { describe, expect, it } from 'vitest';
import { dhmcAdminPolicy } from '../../../src/policies/dhmc-admin-policy.js';
import { DHMC_DEFAULT_ROLE_NAME, DHMC_DEFAULT_ROLE_PATH } from '../../../src/policies/dhmc-setting.js';
import { fill, SEED_ADMIN_POLICY, seedAdminPolicyAsLists } from '../../fixtures/seed-vectors.js';
import type { NamedPolicy } from '../../../src/policies/iam/index.js';
import { oracleDecision } from './iam/fuzz/oracle.js';

const base = { partition: 'aws', account: '111122223333', roleName: DHMC_DEFAULT_ROLE_NAME, rolePath: DHMC_DEFAULT_ROLE_PATH };

describe('dhmcAdminPolicy', () => {
  it('equals the guide example for one region, each Resource a list of one ARN where the guide writes a string', () => {
    expect(dhmcAdminPolicy({ ...base, regions: ['us-east-2'] })).toEqual(seedAdminPolicyAsLists('us-east-2', '111122223333'));
  });

  it('prints every Resource as a list, for one region or several, with and without role setup', () => {
    for (const regions of [['us-east-2'], ['us-east-1', 'eu-west-1']]) {
      for (const withRoleSetup of [false, true]) {
        for (const s of dhmcAdminPolicy({ ...base, regions, withRoleSetup }).Statement) expect(Array.isArray(s.Resource), JSON.stringify(s)).toBe(true);
      }
    }
  });

  it('allows and refuses exactly what the guide example does (the independent IAM engine decides both)', async () => {
    const account = '111122223333';
    const ours: NamedPolicy = { name: 'ours', document: dhmcAdminPolicy({ ...base, regions: ['us-east-2'] }) };
    const guide: NamedPolicy = { name: 'guide', document: fill(SEED_ADMIN_POLICY, { 'region:': 'us-east-2:', 'account-id': account }) };
    const setting = (region: string) => `arn:aws:ssm:${region}:${account}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`;
    const role = (name: string) => `arn:aws:iam::${account}:role/service-role/${name}`;
    const requests: { action: string; resource: string; to?: string }[] = [
      ...['ssm:GetServiceSetting', 'ssm:UpdateServiceSetting', 'ssm:ResetServiceSetting'].flatMap((action) => [
        { action, resource: setting('us-east-2') },
        { action, resource: setting('us-east-1') },
      ]),
      ...['ssm.amazonaws.com', 'ec2.amazonaws.com'].flatMap((to) => [
        { action: 'iam:PassRole', resource: role(DHMC_DEFAULT_ROLE_NAME), to },
        { action: 'iam:PassRole', resource: role('OtherRole'), to },
      ]),
    ];
    const decisions = new Set<unknown>();
    for (const { action, resource, to } of requests) {
      const known: Record<string, string> = to ? { 'iam:PassedToService': to } : {};
      const request = { action, resource, known, absent: [] };
      const decide = (p: NamedPolicy) => oracleDecision({ identity: [p], boundary: null, request });
      const decision = await decide(ours);
      expect(decision, `${action} on ${resource}`).toEqual(await decide(guide));
      decisions.add(decision);
    }
    // Both outcomes occur, so agreeing is not agreeing on "everything allowed" or "nothing allowed".
    expect(decisions).toEqual(new Set(['allowed', 'not-allowed']));
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
    expect(p.Statement[0]!.Resource).toEqual([
      'arn:aws-cn:ssm:cn-north-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role',
    ]);
    expect(p.Statement[1]!.Resource).toEqual(['arn:aws-cn:iam::111122223333:role/Dhmc']);
  });

  it('with role setup, allows attaching only the DHMC policy', () => {
    const p = dhmcAdminPolicy({ ...base, regions: ['us-east-2'], withRoleSetup: true });
    const attach = p.Statement.find((s) => s.Sid === 'AttachOnlyTheDhmcPolicy')!;
    expect(attach.Action).toEqual(['iam:AttachRolePolicy']);
    expect(attach.Condition).toEqual({ ArnEquals: { 'iam:PolicyARN': ['arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy'] } });
    expect(p.Statement).toHaveLength(5);
  });

  it('with role setup, allows iam:GetPolicy on the DHMC policy of the partition only', () => {
    for (const [partition, region] of [
      ['aws', 'us-east-2'],
      ['aws-cn', 'cn-north-1'],
      ['aws-us-gov', 'us-gov-west-1'],
    ] as const) {
      const p = dhmcAdminPolicy({ ...base, partition, regions: [region], withRoleSetup: true });
      const read = p.Statement.filter((s) => ([] as string[]).concat(s.Action ?? []).includes('iam:GetPolicy'));
      expect(read).toEqual([
        {
          Sid: 'ReadTheDhmcPolicy',
          Effect: 'Allow',
          Action: ['iam:GetPolicy'],
          Resource: [`arn:${partition}:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy`],
        },
      ]);
    }
    expect(dhmcAdminPolicy({ ...base, regions: ['us-east-2'] }).Statement.some((s) => s.Sid === 'ReadTheDhmcPolicy')).toBe(false);
  });
});
