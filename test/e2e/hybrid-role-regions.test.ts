// End to end: hybrid-role create asked for more regions than the role's trust names, against the
// emulator, with `aws iam get-role` reading what IAM then holds.
import { describe, expect, it } from 'vitest';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms } from '../helpers/child.js';

const ACCOUNT = '123456789012';
const suite = emulatorSuite();

type Trust = { Statement: { Condition?: { ArnEquals?: { 'aws:SourceArn'?: string | string[] } } }[] };
async function trustOf(role: string): Promise<Trust> {
  return ((await aws(['iam', 'get-role', '--role-name', role], suite.env)) as { Role: { AssumeRolePolicyDocument: Trust } }).Role.AssumeRolePolicyDocument;
}

describe('hybrid-role create over more regions', () => {
  it('widens the trust it wrote for us-east-2 to eu-west-1 too; a third run changes nothing and warns of nothing', async () => {
    const first = await ssmPerms(['hybrid-role', 'create', '--region', 'us-east-2', '--json'], suite.env);
    expect(first.code, first.stderr).toBe(0);

    const wider = await ssmPerms(['hybrid-role', 'create', '--region', 'us-east-2,eu-west-1', '--json'], suite.env);
    expect(wider.code, wider.stderr).toBe(0);
    expect(JSON.parse(wider.stdout).changes).toEqual([
      expect.objectContaining({ operation: 'iam:UpdateAssumeRolePolicy', status: 'applied', details: { addedRegions: 'eu-west-1' } }),
    ]);
    const trust = await trustOf('SSMServiceRole');
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]!.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnEquals: { 'aws:SourceArn': [`arn:aws:ssm:us-east-2:${ACCOUNT}:*`, `arn:aws:ssm:eu-west-1:${ACCOUNT}:*`] },
    });

    const again = await ssmPerms(['hybrid-role', 'create', '--region', 'eu-west-1,us-east-2'], suite.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes');
    expect(again.stderr).not.toMatch(/warning/);
  });

  it('refuses (exit 6) a role whose trust someone else wrote for us-east-2 only, naming eu-west-1; the printed fix applied with the AWS CLI makes the next run pass', async () => {
    const theirs = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Ours',
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:ssm:us-east-2:*:*' } },
        },
      ],
    };
    await aws(['iam', 'create-role', '--role-name', 'TheirHybridRole', '--assume-role-policy-document', JSON.stringify(theirs)], suite.env);
    const args = ['hybrid-role', 'create', '--role-name', 'TheirHybridRole', '--region', 'us-east-2,eu-west-1'];
    const r = await ssmPerms(args, suite.env);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('not for activations in eu-west-1');
    expect((await trustOf('TheirHybridRole')).Statement).toEqual(theirs.Statement);

    // The hint's document, sent as the AWS CLI would be sent it by the operator pasting the command.
    const document = /--policy-document '([^']*)'/.exec(r.stderr)![1]!;
    await aws(['iam', 'update-assume-role-policy', '--role-name', 'TheirHybridRole', '--policy-document', document], suite.env);
    const fixed = await trustOf('TheirHybridRole');
    expect(fixed.Statement[0]).toEqual(theirs.Statement[0]);
    expect(fixed.Statement).toHaveLength(2);
    const next = await ssmPerms(args, suite.env);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/warning/);
  });
});
