// What one account of a run across accounts suggests: every ssm-perms command it names selects that
// account (or it would run in the caller's own), and a denial names the role entered there.
import { describe, expect, it } from 'vitest';
import { awsFixNote, retargetSuggestions, retargetText, withAccountArgs } from '../../../src/commands/shared/account-fixes.js';
import type { Context } from '../../../src/commands/types.js';

const ARGS = '--accounts 444455556666';
const ROLE = 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole';

describe('withAccountArgs', () => {
  it('puts the options right after the command, wherever a line names it, and leaves the rest of the line', () => {
    expect(withAccountArgs('Next: ssm-perms profile attach --name P --instance-id i-... (or --tag K=V), or choose P when launching.', ARGS)).toBe(
      `Next: ssm-perms profile attach ${ARGS} --name P --instance-id i-... (or --tag K=V), or choose P when launching.`,
    );
    expect(withAccountArgs('Create it with: ssm-perms profile create --name P', ARGS)).toBe(`Create it with: ssm-perms profile create ${ARGS} --name P`);
    expect(withAccountArgs('ssm-perms doctor --region us-east-1', ARGS)).toBe(`ssm-perms doctor ${ARGS} --region us-east-1`);
    expect(withAccountArgs('for id in i-1 i-2; do ssm-perms profile attach --instance-id "$id"; done', ARGS)).toBe(
      `for id in i-1 i-2; do ssm-perms profile attach ${ARGS} --instance-id "$id"; done`,
    );
  });

  it('leaves aws commands, prose, and a line that selects accounts already', () => {
    for (const text of ['aws ec2 create-vpc-endpoint --vpc-id v', 'ssm-perms is the tool', 'ssm-perms dhmc status --accounts 1 --region r']) {
      expect(withAccountArgs(text, ARGS)).toBe(text);
    }
  });

  it('handles each line of a multi-line fix', () => {
    expect(withAccountArgs('ssm-perms dhmc enable --region a\nssm-perms dhmc status --region a', ARGS)).toBe(
      `ssm-perms dhmc enable ${ARGS} --region a\nssm-perms dhmc status ${ARGS} --region a`,
    );
  });
});

describe('retargetText', () => {
  it("names the role entered instead of the caller's identity in a denial's hint", () => {
    const hint =
      "Allow ssm:GetServiceSetting for the identity you are using (see the README's IAM permissions for this command), or use --profile for one that has it.";
    expect(retargetText(hint, ARGS, ROLE)).toBe(
      `Allow ssm:GetServiceSetting for ${ROLE}, the role entered in this account (see the README's IAM permissions for this command).`,
    );
    // The caller's own account: its identity is the caller's.
    expect(retargetText(hint, ARGS, null)).toBe(hint);
  });
});

describe('retargetSuggestions', () => {
  it('rewrites hint, fix and alternative at any depth, in place, and nothing else', () => {
    const data = {
      message: 'ssm-perms profile create is what to run',
      changes: [{ error: { code: 'NoSuchEntity', hint: 'Create it with: ssm-perms profile create --name P' } }],
      groups: [{ fix: 'ssm-perms dhmc enable --region r', alternative: 'ssm-perms profile create --name P --region r' }],
    };
    const group = data.groups[0]!;
    retargetSuggestions(data, ARGS, null);
    expect(data.changes[0]!.error.hint).toBe(`Create it with: ssm-perms profile create ${ARGS} --name P`);
    expect(group).toBe(data.groups[0]);
    expect(group.fix).toBe(`ssm-perms dhmc enable ${ARGS} --region r`);
    expect(group.alternative).toBe(`ssm-perms profile create ${ARGS} --name P --region r`);
    expect(data.message).toBe('ssm-perms profile create is what to run');
  });
});

describe('awsFixNote', () => {
  const entered = { account: { id: '444455556666', name: null, roleArn: ROLE } } as unknown as Context;
  it('says how to run the aws fixes shown in an account entered through a role, the loop over a group included', () => {
    const loop = 'for id in i-1 i-2; do aws ec2 modify-instance-metadata-options --instance-id "$id" --http-endpoint enabled; done';
    for (const fix of ['aws ec2 create-vpc-endpoint --vpc-id v', loop]) expect(awsFixNote([{ fix }], entered)[0], fix).toContain(`role_arn = ${ROLE}`);
  });
  it("says nothing of ssm-perms fixes, prose, or in the caller's own account", () => {
    expect(awsFixNote([{ fix: 'ssm-perms dhmc enable --region r' }, { reason: 'aws ec2 is down' }], entered)).toEqual([]);
    expect(awsFixNote([{ fix: 'aws ec2 create-vpc-endpoint' }], { account: undefined } as unknown as Context)).toEqual([]);
  });
});
