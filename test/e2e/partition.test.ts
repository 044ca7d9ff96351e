// End to end in the China partition: the built CLI against the emulator with AWS_REGION=cn-north-1.
// moto 5.2.1 keeps IAM per partition (its backends are keyed by get_partition(region)) and answers
// STS, IAM and EC2 in cn-north-1 with arn:aws-cn: ARNs; the AWS CLI cross-checks what was made.
import { describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms, type ChildRun } from '../helpers/child.js';

const REGION = 'cn-north-1';
const ACCOUNT = '123456789012';
const NAME = 'SSMInstanceProfile';
const ROLE_ARN = `arn:aws-cn:iam::${ACCOUNT}:role/${NAME}`;
const PROFILE_ARN = `arn:aws-cn:iam::${ACCOUNT}:instance-profile/${NAME}`;
const CORE = 'arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore';

const suite = emulatorSuite();
const cn = () => suite.emu.env(REGION);
const json = (s: string) => JSON.parse(s);

/** Every ARN the CLI printed names aws-cn, and it printed some. */
function onlyChina(...runs: ChildRun[]) {
  const text = runs.map((r) => r.stdout + r.stderr).join('\n');
  expect(text).not.toContain('arn:aws:');
  const seen = [...text.matchAll(/arn:([A-Za-z0-9-]*):/g)].map((m) => m[1]);
  expect(seen.length).toBeGreaterThan(0);
  expect([...new Set(seen)]).toEqual(['aws-cn']);
}

describe('cn-north-1 (aws-cn) against the emulator', () => {
  it('profile create then profile attach: the role, profile and association are in aws-cn, and nothing reached the aws partition', async () => {
    const created = await ssmPerms(['profile', 'create', '--json'], cn());
    expect(created.code, created.stderr).toBe(0);
    expect(json(created.stdout)).toMatchObject({ roleArn: ROLE_ARN, instanceProfileArn: PROFILE_ARN });

    const profile = (await aws(['iam', 'get-instance-profile', '--instance-profile-name', NAME], cn())) as {
      InstanceProfile: { Arn: string; Roles: { Arn: string; AssumeRolePolicyDocument: { Statement: { Principal: { Service: string } }[] } }[] };
    };
    expect(profile.InstanceProfile.Arn).toBe(PROFILE_ARN);
    expect(profile.InstanceProfile.Roles.map((r) => r.Arn)).toEqual([ROLE_ARN]);
    expect(profile.InstanceProfile.Roles[0]!.AssumeRolePolicyDocument.Statement[0]!.Principal.Service).toBe('ec2.amazonaws.com');
    const attached = (await aws(['iam', 'list-attached-role-policies', '--role-name', NAME], cn())) as { AttachedPolicies: { PolicyArn: string }[] };
    expect(attached.AttachedPolicies.map((p) => p.PolicyArn)).toEqual([CORE]);
    // IAM is per partition: the aws partition (reached through us-east-1) has no such profile.
    await expect(aws(['iam', 'get-instance-profile', '--instance-profile-name', NAME], suite.emu.env('us-east-1'))).rejects.toThrow(/NoSuchEntity/);

    const launched = (await aws(['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '1', '--region', REGION], cn())) as {
      Instances: { InstanceId: string }[];
    };
    const id = launched.Instances[0]!.InstanceId;
    const attach = await ssmPerms(['profile', 'attach', '--name', NAME, '--instance-id', id, '--region', REGION, '--json'], cn());
    expect(attach.code, attach.stderr).toBe(0);
    const doc = json(attach.stdout);
    expect(doc).toMatchObject({ instanceProfileArn: PROFILE_ARN, warnings: [] });
    expect(doc.changes).toEqual([
      expect.objectContaining({
        region: REGION,
        resource: `arn:aws-cn:ec2:${REGION}:${ACCOUNT}:instance/${id}`,
        operation: 'ec2:AssociateIamInstanceProfile',
        status: 'applied',
        details: { instanceProfileArn: PROFILE_ARN, previousInstanceProfileArn: null },
      }),
    ]);

    const assoc = (await aws(['ec2', 'describe-iam-instance-profile-associations', '--region', REGION], cn())) as {
      IamInstanceProfileAssociations: { InstanceId: string; IamInstanceProfile: { Arn: string } }[];
    };
    expect(assoc.IamInstanceProfileAssociations.map((a) => [a.InstanceId, a.IamInstanceProfile.Arn])).toEqual([[id, PROFILE_ARN]]);

    // doctor reads the same profile back and judges its role against the aws-cn instance ARN.
    const doctor = await ssmPerms(['doctor', '--region', REGION, '--instance-id', id, '--json'], cn());
    const checks = json(doctor.stdout).instances[0].checks as { id: string; status: string; message: string }[];
    expect(checks.find((c) => c.id === 'instance-profile')).toMatchObject({
      status: 'pass',
      message: `instance profile ${NAME}: role ${NAME} allows the agent's actions`,
    });
    onlyChina(created, attach, doctor);
  });

  it('dhmc enable: the role and its policy in aws-cn, the setting of cn-north-1 set', async () => {
    const role = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
    const r = await ssmPerms(['dhmc', 'enable', '--region', REGION, '--json'], cn());
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.changes.map((c: { operation: string; resource: string }) => [c.operation, c.resource])).toEqual([
      ['iam:CreateRole', `arn:aws-cn:iam::${ACCOUNT}:role/service-role/${role}`],
      ['iam:AttachRolePolicy', `arn:aws-cn:iam::${ACCOUNT}:role/service-role/${role}`],
      ['ssm:UpdateServiceSetting', `arn:aws-cn:ssm:${REGION}:${ACCOUNT}:servicesetting/ssm/managed-instance/default-ec2-instance-management-role`],
    ]);
    const got = (await aws(['iam', 'get-role', '--role-name', role], cn())) as { Role: { Arn: string } };
    expect(got.Role.Arn).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/service-role/${role}`);
    const attached = (await aws(['iam', 'list-attached-role-policies', '--role-name', role], cn())) as { AttachedPolicies: { PolicyArn: string }[] };
    expect(attached.AttachedPolicies.map((p) => p.PolicyArn)).toEqual(['arn:aws-cn:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy']);
    const setting = (await aws(
      ['ssm', 'get-service-setting', '--setting-id', '/ssm/managed-instance/default-ec2-instance-management-role', '--region', REGION],
      cn(),
    )) as {
      ServiceSetting: { SettingValue: string };
    };
    expect(setting.ServiceSetting.SettingValue).toBe(`service-role/${role}`);
    onlyChina(r);
  });
});
