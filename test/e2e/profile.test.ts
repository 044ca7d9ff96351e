// End to end: profile create / update / attach, s3-policy and hybrid-role against the emulator,
// cross-checked with the AWS CLI.
import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms } from '../helpers/child.js';
import { fill, SEED_S3_POLICY } from '../fixtures/seed-vectors.js';

const CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const suite = emulatorSuite();

const json = (s: string) => JSON.parse(s);
const ops = (doc: { changes: { operation: string; status: string }[] }) => doc.changes.map((c) => `${c.operation}:${c.status}`);

async function attachedPolicies(role: string): Promise<string[]> {
  const r = (await aws(['iam', 'list-attached-role-policies', '--role-name', role], suite.env)) as { AttachedPolicies: { PolicyArn: string }[] };
  return r.AttachedPolicies.map((p) => p.PolicyArn).sort();
}

async function createRole(name: string, service: string) {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  await aws(['iam', 'create-role', '--role-name', name, '--assume-role-policy-document', trust], suite.env);
}

async function runInstances(count: number, tags: Record<string, string>): Promise<string[]> {
  const spec = `ResourceType=instance,Tags=[${Object.entries(tags)
    .map(([k, v]) => `{Key=${k},Value=${v}}`)
    .join(',')}]`;
  const r = (await aws(['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', String(count), '--tag-specifications', spec], suite.env)) as {
    Instances: { InstanceId: string }[];
  };
  return r.Instances.map((i) => i.InstanceId);
}

type Assoc = { IamInstanceProfileAssociations: { InstanceId: string; IamInstanceProfile: { Arn: string }; State: string }[] };
async function associations(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = (await aws(['ec2', 'describe-iam-instance-profile-associations', ...(token ? ['--starting-token', token] : [])], suite.env)) as Assoc & {
      NextToken?: string;
    };
    for (const a of page.IamInstanceProfileAssociations) out.set(a.InstanceId, a.IamInstanceProfile.Arn.split('/').pop()!);
    token = page.NextToken;
  } while (token);
  return out;
}

describe('profile create', () => {
  it('creates the role (EC2 trust, AmazonSSMManagedInstanceCore) and the profile holding it; a second run changes nothing', async () => {
    const r = await ssmPerms(['profile', 'create', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(ops(json(r.stdout))).toEqual([
      'iam:CreateRole:applied',
      'iam:AttachRolePolicy:applied',
      'iam:CreateInstanceProfile:applied',
      'iam:AddRoleToInstanceProfile:applied',
    ]);
    const p = (await aws(['iam', 'get-instance-profile', '--instance-profile-name', 'SSMInstanceProfile'], suite.env)) as {
      InstanceProfile: { Roles: { RoleName: string; AssumeRolePolicyDocument: { Statement: { Principal: { Service: string } }[] } }[] };
    };
    expect(p.InstanceProfile.Roles.map((x) => x.RoleName)).toEqual(['SSMInstanceProfile']);
    expect(p.InstanceProfile.Roles[0]!.AssumeRolePolicyDocument.Statement[0]!.Principal.Service).toBe('ec2.amazonaws.com');
    expect(await attachedPolicies('SSMInstanceProfile')).toEqual([CORE]);

    const again = await ssmPerms(['profile', 'create', '--json'], suite.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('"changes": []');
  });

  it('adds the optional policies, tags and the generated S3 policy, which equals s3-policy generate', async () => {
    const args = ['--region', 'us-east-2', '--cloudwatch', '--directory-service', '--s3-bucket', 'my-ssm-output', '--s3-encrypted', '--s3-vpc-endpoint'];
    const r = await ssmPerms(['profile', 'create', '--name', 'AppServers', '--tag', 'Team=ops', ...args, '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const s3Arn = 'arn:aws:iam::123456789012:policy/AppServers-S3Policy';
    expect(await attachedPolicies('AppServers')).toEqual(
      [CORE, 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws:iam::aws:policy/AmazonSSMDirectoryServiceAccess', s3Arn].sort(),
    );
    const stored = (await aws(['iam', 'get-policy-version', '--policy-arn', s3Arn, '--version-id', 'v1'], suite.env)) as {
      PolicyVersion: { Document: unknown };
    };
    const generated = await ssmPerms(
      ['s3-policy', 'generate', '--region', 'us-east-2', '--vpc-endpoint', '--bucket', 'my-ssm-output', '--encrypted'],
      suite.env,
    );
    expect(stored.PolicyVersion.Document).toEqual(json(generated.stdout));
    const tags = (await aws(['iam', 'list-role-tags', '--role-name', 'AppServers'], suite.env)) as { Tags: { Key: string; Value: string }[] };
    expect(tags.Tags).toEqual([{ Key: 'Team', Value: 'ops' }]);
    expect(json((await ssmPerms(['profile', 'create', '--name', 'AppServers', '--tag', 'Team=ops', ...args, '--json'], suite.env)).stdout).changes).toEqual([]);
  });

  it('refuses an existing role that does not trust EC2, and a profile holding another role (exit 6)', async () => {
    await createRole('SsmOnly', 'ssm.amazonaws.com');
    const notEc2 = await ssmPerms(['profile', 'create', '--name', 'SsmOnly'], suite.env);
    expect(notEc2.code).toBe(6);
    expect(notEc2.stderr).toContain('does not trust ec2.amazonaws.com');

    await createRole('Other', 'ec2.amazonaws.com');
    await aws(['iam', 'create-instance-profile', '--instance-profile-name', 'Busy'], suite.env);
    await aws(['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'Busy', '--role-name', 'Other'], suite.env);
    const busy = await ssmPerms(['profile', 'create', '--name', 'Busy', '--role-name', 'Mine'], suite.env);
    expect(busy.code).toBe(6);
    expect(busy.stderr).toContain('already holds role Other');
    // Refused during planning: nothing was created.
    await expect(aws(['iam', 'get-role', '--role-name', 'Mine'], suite.env)).rejects.toThrow(/NoSuchEntity/);
  });

  it('--dry-run sends no write', async () => {
    const r = await ssmPerms(['profile', 'create', '--cloudwatch', '--dry-run', '--json', '--debug'], suite.env);
    expect(r.code).toBe(0);
    expect(json(r.stdout).changes.every((c: { status: string }) => c.status === 'planned')).toBe(true);
    const calls = [...r.stderr.matchAll(/^debug: \w+ (\w+) region=/gm)].map((m) => m[1]!);
    expect(calls.filter((op) => !/^(Get|List|Describe)/.test(op))).toEqual([]);
    await expect(aws(['iam', 'get-role', '--role-name', 'SSMInstanceProfile'], suite.env)).rejects.toThrow(/NoSuchEntity/);
  });
});

describe('profile update', () => {
  it('attaches the policy set to an existing role and puts it in a same-named instance profile', async () => {
    await createRole('LegacyAppRole', 'ec2.amazonaws.com');
    const r = await ssmPerms(['profile', 'update', '--role-name', 'LegacyAppRole', '--cloudwatch', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(ops(json(r.stdout))).toEqual([
      'iam:AttachRolePolicy:applied',
      'iam:AttachRolePolicy:applied',
      'iam:CreateInstanceProfile:applied',
      'iam:AddRoleToInstanceProfile:applied',
    ]);
    expect(await attachedPolicies('LegacyAppRole')).toEqual([CORE, 'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy'].sort());
    const p = (await aws(['iam', 'list-instance-profiles-for-role', '--role-name', 'LegacyAppRole'], suite.env)) as {
      InstanceProfiles: { InstanceProfileName: string }[];
    };
    expect(p.InstanceProfiles.map((x) => x.InstanceProfileName)).toEqual(['LegacyAppRole']);
    expect(json((await ssmPerms(['profile', 'update', '--role-name', 'LegacyAppRole', '--cloudwatch', '--json'], suite.env)).stdout).changes).toEqual([]);
  });

  it('warns when the role does not trust EC2, and fails with exit 6 when it does not exist', async () => {
    await createRole('OddRole', 'lambda.amazonaws.com');
    const r = await ssmPerms(['profile', 'update', '--role-name', 'OddRole'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: role OddRole does not trust ec2.amazonaws.com/);
    // A warning, not a refusal: the policy is attached (no instance profile for a role EC2 cannot assume).
    expect(await attachedPolicies('OddRole')).toEqual([CORE]);
    expect((await ssmPerms(['profile', 'update', '--role-name', 'NoSuchRole'], suite.env)).code).toBe(6);
  });
});

describe('profile attach', () => {
  beforeEach(async () => {
    expect((await ssmPerms(['profile', 'create'], suite.env)).code).toBe(0);
  });

  it('attaches by instance id', async () => {
    const [id, other] = await runInstances(2, { Env: 'test' });
    const r = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--instance-id', id!, '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).instances).toEqual([expect.objectContaining({ instanceId: id, status: 'applied', action: 'associate' })]);
    const now = await associations();
    expect(now.get(id!)).toBe('SSMInstanceProfile');
    expect(now.has(other!)).toBe(false);
  });

  it('attaches by tag to every running instance tagged Env=prod (150 of them) and no other', async () => {
    const prod = await runInstances(150, { Env: 'prod' });
    const dev = await runInstances(3, { Env: 'dev' });
    const r = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Env=prod', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.summary).toMatchObject({ attached: 150, failed: 0 });
    const now = await associations();
    expect(prod.every((id) => now.get(id) === 'SSMInstanceProfile')).toBe(true);
    expect(dev.some((id) => now.has(id))).toBe(false);
    expect(now.size).toBe(150);
    const again = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Env=prod', '--json'], suite.env);
    expect(json(again.stdout).changes).toEqual([]);
    expect(json(again.stdout).summary.unchanged).toBe(150);
  });

  it('leaves an instance with another profile alone without --replace (exit 5), attaching the others; --replace --yes swaps it, running or stopped', async () => {
    await ssmPerms(['profile', 'create', '--name', 'OtherProfile'], suite.env);
    const [running, stopped, free, gone] = await runInstances(4, { Env: 'mixed' });
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', running!, '--iam-instance-profile', 'Name=OtherProfile'], suite.env);
    await aws(['ec2', 'associate-iam-instance-profile', '--instance-id', stopped!, '--iam-instance-profile', 'Name=OtherProfile'], suite.env);
    await aws(['ec2', 'stop-instances', '--instance-ids', stopped!], suite.env);
    await aws(['ec2', 'terminate-instances', '--instance-ids', gone!], suite.env);

    const r = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Env=mixed', '--json'], suite.env);
    expect(r.code).toBe(5);
    const byId = new Map(json(r.stdout).instances.map((i: { instanceId: string }) => [i.instanceId, i]));
    expect(byId.get(running!)).toMatchObject({
      status: 'failed',
      error: { code: 'HasAnotherProfile', message: expect.stringContaining('OtherProfile; use --replace') },
    });
    expect(byId.get(stopped!)).toMatchObject({ status: 'failed' });
    expect(byId.get(free!)).toMatchObject({ status: 'applied' });
    expect(byId.get(gone!)).toMatchObject({ status: 'skipped', message: 'skipped: the instance is terminated' });
    let now = await associations();
    expect(now.get(running!)).toBe('OtherProfile');
    expect(now.get(free!)).toBe('SSMInstanceProfile');

    const refused = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Env=mixed', '--replace'], suite.env);
    expect(refused.code).toBe(2);
    expect((await associations()).get(running!)).toBe('OtherProfile');

    const swapped = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Env=mixed', '--replace', '--yes', '--json'], suite.env);
    expect(swapped.code, swapped.stderr).toBe(0);
    const changes = json(swapped.stdout).changes.map((c: { resource: string; operation: string }) => [c.resource.split('/').pop(), c.operation]);
    expect(changes).toEqual(
      expect.arrayContaining([
        [running, 'ec2:ReplaceIamInstanceProfileAssociation'],
        [stopped, 'ec2:DisassociateIamInstanceProfile'],
      ]),
    );
    now = await associations();
    expect(now.get(running!)).toBe('SSMInstanceProfile');
    expect(now.get(stopped!)).toBe('SSMInstanceProfile');
  });

  it('--dry-run sends no write', async () => {
    const ids = await runInstances(3, { Env: 'dry' });
    const r = await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--tag', 'Env=dry', '--dry-run', '--json', '--debug'], suite.env);
    expect(r.code).toBe(0);
    expect(json(r.stdout).summary.planned).toBe(3);
    const calls = [...r.stderr.matchAll(/^debug: \w+ (\w+) region=/gm)].map((m) => m[1]!);
    expect(calls.filter((op) => !/^(Get|List|Describe)/.test(op))).toEqual([]);
    const now = await associations();
    expect(ids.some((id) => now.has(id))).toBe(false);
  });

  it('refuses a profile that does not exist (exit 6) and an instance id that is malformed (exit 2)', async () => {
    const [id] = await runInstances(1, { Env: 'x' });
    expect((await ssmPerms(['profile', 'attach', '--name', 'Nope', '--instance-id', id!], suite.env)).code).toBe(6);
    expect((await ssmPerms(['profile', 'attach', '--name', 'SSMInstanceProfile', '--instance-id', 'i-xyz'], suite.env)).code).toBe(2);
  });
});

describe('s3-policy generate', () => {
  it("equals the guide example for the guide inputs (--no-patch-manager: the guide's list exactly)", async () => {
    const r = await ssmPerms(
      [
        's3-policy',
        'generate',
        '--region',
        'us-east-2',
        '--vpc-endpoint',
        '--no-patch-manager',
        '--bucket',
        'amzn-s3-demo-bucket',
        '--cross-account',
        '--encrypted',
      ],
      suite.env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(JSON.stringify(fill(SEED_S3_POLICY, { region: 'us-east-2' }), null, 2) + '\n');
    // By default Patch Manager's documented bucket of the region follows the guide's list.
    const dflt = await ssmPerms(['s3-policy', 'generate', '--region', 'us-east-2', '--vpc-endpoint'], suite.env);
    expect(json(dflt.stdout).Statement[0].Resource.at(-1)).toBe('arn:aws:s3:::aws-patch-manager-us-east-2-552881074/*');
  });

  it("follows AWS's region exceptions and refuses partitions where the buckets are not documented", async () => {
    const r = await ssmPerms(['s3-policy', 'generate', '--region', 'me-south-1,af-south-1', '--vpc-endpoint', '--macos'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const [me, af] = json(r.stdout).Statement.map((s: { Resource: string[] }) => s.Resource);
    expect(me).toEqual(
      expect.arrayContaining([
        'arn:aws:s3:::patch-baseline-snapshot-me-south-1-uduvl7q8/*',
        'arn:aws:s3:::aws-patch-manager-me-south-1-a53fc9dce/*',
        'arn:aws:s3:::aws-patchmanager-macos-me-south-1-a53fc9dce/*',
      ]),
    );
    expect(af.some((b: string) => b.includes('birdwatcher'))).toBe(false);
    for (const region of ['us-iso-east-1', 'eusc-de-east-1']) {
      const refused = await ssmPerms(['s3-policy', 'generate', '--region', region, '--vpc-endpoint'], suite.env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('not supported in this partition');
    }
  });

  it("refuses --region '*' with exit 2 and the guide's reason", async () => {
    const r = await ssmPerms(['s3-policy', 'generate', '--region', '*', '--vpc-endpoint'], suite.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Wildcards are not accepted: in a policy they could grant access to resources \(such as S3 buckets\) you do not intend/);
  });

  it('--create stores it once, replaces the document only with consent, and keeps at most five versions', async () => {
    const base = ['s3-policy', 'generate', '--create', 'SsmS3', '--json'];
    const first = await ssmPerms([...base, '--bucket', 'bucket-a'], suite.env);
    expect(first.code, first.stderr).toBe(0);
    expect(ops(json(first.stdout))).toEqual(['iam:CreatePolicy:applied']);
    expect(json((await ssmPerms([...base, '--bucket', 'bucket-a'], suite.env)).stdout).changes).toEqual([]);

    expect((await ssmPerms([...base, '--bucket', 'bucket-b'], suite.env)).code).toBe(2);
    for (const b of ['bucket-b', 'bucket-c', 'bucket-d', 'bucket-e']) {
      expect((await ssmPerms([...base, '--bucket', b, '--yes'], suite.env)).code).toBe(0);
    }
    const sixth = await ssmPerms([...base, '--bucket', 'bucket-f', '--yes', '--attach-to', 'SSMInstanceProfile'], suite.env);
    expect(sixth.code).toBe(6); // the role does not exist yet
    await ssmPerms(['profile', 'create'], suite.env);
    const done = await ssmPerms([...base, '--bucket', 'bucket-f', '--yes', '--attach-to', 'SSMInstanceProfile'], suite.env);
    expect(done.code, done.stderr).toBe(0);
    expect(ops(json(done.stdout))).toEqual(['iam:DeletePolicyVersion:applied', 'iam:CreatePolicyVersion:applied', 'iam:AttachRolePolicy:applied']);
    const versions = (await aws(['iam', 'list-policy-versions', '--policy-arn', 'arn:aws:iam::123456789012:policy/SsmS3'], suite.env)) as {
      Versions: { VersionId: string; IsDefaultVersion: boolean }[];
    };
    expect(versions.Versions).toHaveLength(5);
    expect(versions.Versions.map((v) => v.VersionId)).not.toContain('v1');
    expect(await attachedPolicies('SSMInstanceProfile')).toContain('arn:aws:iam::123456789012:policy/SsmS3');
  });
});

describe('hybrid-role create', () => {
  it('creates the service role trusting SSM for this account and region, with the core policy, and prints the next step', async () => {
    const r = await ssmPerms(['hybrid-role', 'create', '--region', 'us-east-2', '--json'], suite.env);
    expect(r.code, r.stderr).toBe(0);
    const role = (await aws(['iam', 'get-role', '--role-name', 'SSMServiceRole'], suite.env)) as {
      Role: { AssumeRolePolicyDocument: { Statement: unknown[] } };
    };
    expect(role.Role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'ssm.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnEquals: { 'aws:SourceArn': 'arn:aws:ssm:us-east-2:123456789012:*' } },
      },
    ]);
    expect(await attachedPolicies('SSMServiceRole')).toEqual([CORE]);
    expect(r.stderr).toContain('aws ssm create-activation --iam-role SSMServiceRole');
    expect(json((await ssmPerms(['hybrid-role', 'create', '--region', 'us-east-2', '--json'], suite.env)).stdout).changes).toEqual([]);
  });
});
