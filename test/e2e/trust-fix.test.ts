// End to end: the trust fix `dhmc enable` and `dhmc status --check` print for a role that does not
// trust ssm.amazonaws.com, pasted into a shell as an operator would, keeps the role's EC2 trust
// (read back with `aws iam get-role`), so an instance profile's role does not lose its instances.
import { describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, run, ssmPerms } from '../helpers/child.js';

const suite = emulatorSuite();
const ROLE = 'InstanceAndDhmcRole';
const SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';
const EC2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };

type Statement = { Principal?: { Service?: string } };
async function services(): Promise<(string | undefined)[]> {
  const r = (await aws(['iam', 'get-role', '--role-name', ROLE], suite.env)) as { Role: { AssumeRolePolicyDocument: { Statement: Statement[] } } };
  return r.Role.AssumeRolePolicyDocument.Statement.map((s) => s.Principal?.Service);
}

/** The printed command, run by bash exactly as printed. */
async function paste(output: string): Promise<void> {
  const command = /aws iam update-assume-role-policy --role-name \S+ --policy-document '[^']*'/.exec(output)?.[0];
  expect(command, output).toBeDefined();
  const r = await run('bash', ['-c', command!], suite.env);
  expect(r.code, r.stderr).toBe(0);
}

async function ec2OnlyRole(): Promise<void> {
  await aws(
    ['iam', 'create-role', '--role-name', ROLE, '--assume-role-policy-document', JSON.stringify({ Version: '2012-10-17', Statement: [EC2] })],
    suite.env,
  );
}

describe('the printed trust fix keeps the EC2 trust', () => {
  it('dhmc enable: exit 6, the hint pasted, then the role trusts both services and enable succeeds', async () => {
    await ec2OnlyRole();
    const args = ['dhmc', 'enable', '--region', 'us-east-1', '--role-name', ROLE, '--no-create-role'];
    const refused = await ssmPerms(args, suite.env);
    expect(refused.code).toBe(6);
    await paste(refused.stderr);
    expect(await services()).toEqual(['ec2.amazonaws.com', 'ssm.amazonaws.com']);
    const r = await ssmPerms(args, suite.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('does not trust');
  });

  it('dhmc status --check: the dhmc-role-trust fix pasted, then the check passes', async () => {
    await ec2OnlyRole();
    await aws(['ssm', 'update-service-setting', '--setting-id', SETTING, '--setting-value', ROLE, '--region', 'us-east-1'], suite.env);
    const before = await ssmPerms(['dhmc', 'status', '--check', '--region', 'us-east-1'], suite.env);
    expect(before.code).toBe(6);
    await paste(before.stdout + before.stderr);
    expect(await services()).toEqual(['ec2.amazonaws.com', 'ssm.amazonaws.com']);
    const after = await ssmPerms(['dhmc', 'status', '--check', '--region', 'us-east-1', '--json'], suite.env);
    const checks = (JSON.parse(after.stdout) as { regions: { checks: { id: string; status: string }[] }[] }).regions[0]!.checks;
    expect(checks.find((c) => c.id === 'dhmc-role-trust')?.status).toBe('pass');
  });
});
