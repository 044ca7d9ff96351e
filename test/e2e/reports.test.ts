// Reports that never lose or misstate a change: each defect reproduced against the emulator (with the
// fault proxy where AWS must misbehave), the state afterwards confirmed with the AWS CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms, ssmPermsInterrupted, startSsmPerms } from '../helpers/child.js';

const suite = emulatorSuite();
const json = (s: string) => JSON.parse(s);
const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
let proxy: FaultProxy;
let viaProxy: Record<string, string>;

beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url);
  viaProxy = { ...suite.env, AWS_ENDPOINT_URL: proxy.url };
});
afterAll(async () => proxy?.stop());

interface Change {
  operation: string;
  status: string;
  details: Record<string, string | null>;
  error: { code: string; message: string } | null;
}

async function instances(count: number, tag: string): Promise<string[]> {
  const out = (await aws(
    [
      'ec2',
      'run-instances',
      '--image-id',
      'ami-12345678',
      '--count',
      String(count),
      '--tag-specifications',
      `ResourceType=instance,Tags=[{Key=Batch,Value=${tag}}]`,
    ],
    suite.env,
  )) as { Instances: { InstanceId: string }[] };
  return out.Instances.map((i) => i.InstanceId);
}

async function associations(ids: string[], show: 'profile' | 'state' = 'profile'): Promise<Record<string, string>> {
  const out = (await aws(['ec2', 'describe-iam-instance-profile-associations', '--filters', `Name=instance-id,Values=${ids.join(',')}`], suite.env)) as {
    IamInstanceProfileAssociations: { InstanceId: string; IamInstanceProfile: { Arn: string }; State: string }[];
  };
  return Object.fromEntries(
    out.IamInstanceProfileAssociations.map((a) => [a.InstanceId, show === 'state' ? a.State : a.IamInstanceProfile.Arn.split('/').pop()!]),
  );
}

describe('profile attach', () => {
  it('Ctrl-C while --wait polls: exit 130, every association made listed', async () => {
    const ids = await instances(3, 'wait');
    expect((await ssmPerms(['profile', 'create', '-q'], suite.env)).code).toBe(0);
    // New associations read "associating", as in EC2, until the test releases them: never here, so
    // `--wait` is still polling when Ctrl-C comes, however slow the machine.
    await suite.emu.holdAssociating('us-east-1');
    const r = await ssmPermsInterrupted(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Batch=wait', '--wait', '--json'], suite.env, (err) =>
      err.includes('waiting for'),
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).not.toContain('internal error');
    const doc = json(r.stdout);
    expect(doc.changes.map((c: Change) => c.status)).toEqual(['applied', 'applied', 'applied']);
    expect(doc.instances.map((i: { status: string; error: { code: string } | null }) => [i.status, i.error?.code])).toEqual([
      ['applied', 'Interrupted'],
      ['applied', 'Interrupted'],
      ['applied', 'Interrupted'],
    ]);
    expect(doc.summary).toMatchObject({ attached: 3, failed: 0 });
    expect(await associations(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 'SSMInstanceProfile'])));
    // Ctrl-C came while EC2 still showed them associating: the wait was real.
    expect(await associations(ids, 'state')).toEqual(Object.fromEntries(ids.map((id) => [id, 'associating'])));
  });

  it('--wait ends, exit 0, once EC2 shows every association associated', async () => {
    const ids = await instances(2, 'waitok');
    expect((await ssmPerms(['profile', 'create', '-q'], suite.env)).code).toBe(0);
    await suite.emu.holdAssociating('us-east-1');
    const cli = startSsmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Batch=waitok', '--wait', '--json'], suite.env);
    await cli.waitForStderr(/waiting for 2 association\(s\) to become associated/);
    await suite.emu.releaseAssociating('us-east-1');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).instances.map((i: { status: string; error: unknown }) => [i.status, i.error])).toEqual([
      ['applied', null],
      ['applied', null],
    ]);
    expect(await associations(ids, 'state')).toEqual(Object.fromEntries(ids.map((id) => [id, 'associated'])));
  });

  it('--replace on a stopped instance whose new association fails: each step reported, the old profile put back', async () => {
    const [id] = await instances(1, 'stopped');
    await aws(['iam', 'create-role', '--role-name', 'OldRole', '--assume-role-policy-document', EC2_TRUST], suite.env);
    await aws(['iam', 'create-instance-profile', '--instance-profile-name', 'OldProfile'], suite.env);
    await aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'OldProfile', '--role-name', 'OldRole'], suite.env);
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', id!, '--iam-instance-profile', 'Name=OldProfile'], suite.env);
    await aws(['ec2', 'stop-instances', '--instance-ids', id!], suite.env);
    expect((await ssmPerms(['profile', 'create', '--name', 'NewProfile', '-q'], suite.env)).code).toBe(0);

    proxy.setRules([{ service: 'ec2', operation: 'AssociateIamInstanceProfile', bodyIncludes: 'NewProfile', fault: 'denied' }]);
    const r = await ssmPerms(['profile', 'attach', '--name', 'NewProfile', '--instance-id', id!, '--replace', '--yes', '--json'], viaProxy);
    proxy.setRules([]);
    expect(r.code).toBe(4);
    const doc = json(r.stdout);
    expect(doc.changes.map((c: Change) => [c.operation, c.status, c.details.instanceProfileArn?.split('/').pop()])).toEqual([
      ['ec2:DisassociateIamInstanceProfile', 'applied', 'OldProfile'],
      ['ec2:AssociateIamInstanceProfile', 'failed', 'NewProfile'],
      ['ec2:AssociateIamInstanceProfile', 'applied', 'OldProfile'],
    ]);
    expect(doc.instances[0].error.message).toContain('was put back');
    expect(await associations([id!])).toEqual({ [id!]: 'OldProfile' });
  });

  it('--dry-run exits 5 when a region could not be read, as the dhmc commands do', async () => {
    await instances(1, 'dry');
    expect((await ssmPerms(['profile', 'create', '-q'], suite.env)).code).toBe(0);
    proxy.setRules([{ service: 'ec2', operation: 'DescribeInstances', region: 'us-east-2', fault: 500 }]);
    const r = await ssmPerms(
      [
        'profile',
        'attach',
        '--name',
        'SSMInstanceProfile',
        '--tag',
        'Batch=dry',
        '--region',
        'us-east-1,us-east-2',
        '--dry-run',
        '--max-attempts',
        '1',
        '--json',
      ],
      viaProxy,
    );
    proxy.setRules([]);
    expect(r.code).toBe(5);
    expect(json(r.stdout).regions).toEqual([{ region: 'us-east-1', ok: true, error: null }, expect.objectContaining({ region: 'us-east-2', ok: false })]);
  });
});

describe('policies, paths and interrupts', () => {
  it('a --policy-arn that does not exist is refused while planning (exit 6): no role is created', async () => {
    const r = await ssmPerms(['profile', 'create', '--name', 'Typo', '--policy-arn', 'arn:aws:iam::123456789012:policy/DoesNotExist', '--json'], suite.env);
    expect(r.code).toBe(6);
    expect(json(r.stderr.trim().split('\n').pop()!).error.code).toBe('PolicyNotFound');
    await expect(aws(['iam', 'get-role', '--role-name', 'Typo'], suite.env)).rejects.toThrow(/NoSuchEntity|cannot be found/);
    const dhmc = await ssmPerms(['dhmc', 'enable', '--region', 'us-east-1', '--policy-arn', 'arn:aws:iam::123456789012:policy/DoesNotExist'], suite.env);
    expect(dhmc.code).toBe(6);
    await expect(aws(['iam', 'get-role', '--role-name', 'AWSSystemsManagerDefaultEC2InstanceManagementRole'], suite.env)).rejects.toThrow();
  });

  it('profile update names the instance profile with its path; hybrid-role create names the role with its path', async () => {
    await aws(['iam', 'create-role', '--role-name', 'TeamRole', '--assume-role-policy-document', EC2_TRUST], suite.env);
    await aws(['iam', 'create-instance-profile', '--instance-profile-name', 'TeamProfile', '--path', '/team/'], suite.env);
    await aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'TeamProfile', '--role-name', 'TeamRole'], suite.env);
    const r = await ssmPerms(['profile', 'update', '--role-name', 'TeamRole', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const listed = (await aws(['iam', 'list-instance-profiles-for-role', '--role-name', 'TeamRole'], suite.env)) as { InstanceProfiles: { Arn: string }[] };
    expect(json(r.stdout).instanceProfileArn).toBe(listed.InstanceProfiles[0]!.Arn);
    expect(json(r.stdout).instanceProfileArn).toContain('/team/');

    const hybrid = await ssmPerms(['hybrid-role', 'create', '--region', 'us-east-2', '--path', '/service-role/'], suite.env);
    expect(hybrid.code, hybrid.stderr).toBe(0);
    expect(hybrid.stderr).toContain('aws ssm create-activation --iam-role service-role/SSMServiceRole ');
    const role = (await aws(['iam', 'get-role', '--role-name', 'SSMServiceRole'], suite.env)) as { Role: { Path: string } };
    expect(role.Role.Path).toBe('/service-role/');
  });

  it('doctor --instance-id with an id that does not exist lists it as notFound and exits 6', async () => {
    const r = await ssmPerms(['doctor', '--region', 'us-east-1', '--instance-id', 'i-0aaaaaaaaaaaaaaaa', '--json'], suite.env);
    expect(r.code).toBe(6);
    expect(json(r.stdout).notFound).toEqual(['i-0aaaaaaaaaaaaaaaa']);
  });

  it('validation comes before the first call: a comma-joined --policy-arn, a partition without DHMC, an S3 policy over the size limit', async () => {
    // Nothing listens on port 9: any AWS call would end in a network error (exit 5), not exit 2.
    const dead = { ...suite.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const pair = 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy,arn:aws:iam::aws:policy/AmazonSSMDirectoryServiceAccess';
    const many =
      'us-east-1,us-east-2,us-west-1,us-west-2,eu-west-1,eu-west-2,eu-west-3,eu-central-1,eu-north-1,ap-south-1,ap-northeast-1,ap-northeast-2,ap-southeast-1,ap-southeast-2,sa-east-1,ca-central-1';
    for (const [argv, says] of [
      [['dhmc', 'enable', '--region', 'us-east-1', '--policy-arn', pair], 'holds more than one ARN'],
      [['profile', 'create', '--policy-arn', pair], 'holds more than one ARN'],
      [['dhmc', 'status', '--region', 'us-iso-east-1'], 'not supported in this partition'],
      [['profile', 'create', '--s3-vpc-endpoint', '--region', many], "over IAM's limit"],
    ] as const) {
      const r = await ssmPerms([...argv], dead);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(says);
    }
  });
});
