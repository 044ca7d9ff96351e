// A mutating command's changes on a terminal: each description wraps under itself, never past the width.
import { describe, expect, it } from 'vitest';
import { renderMutation } from '../../../src/output/changes.js';
import { createStyle } from '../../../src/output/style.js';
import type { MutationResult } from '../../../src/services/result.js';

const VALUE = 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole';
const result: MutationResult = {
  account: '111122223333',
  dryRun: false,
  changes: [
    {
      region: 'us-east-1',
      action: 'reset',
      resource: 'arn:aws:ssm:us-east-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role',
      operation: 'ssm:ResetServiceSetting',
      status: 'failed',
      details: { previousValue: VALUE },
      error: {
        code: 'AccessDeniedException',
        message: 'User: arn:aws:iam::111122223333:user/ops is not authorized to perform: ssm:ResetServiceSetting',
        hint: 'Ask for ssm:ResetServiceSetting on the setting ARN, or run with a role that has it.',
      },
    },
  ],
  regions: [{ region: 'us-east-1', ok: false, error: null }],
} as unknown as MutationResult;

describe('renderMutation', () => {
  it('at 80 columns every line fits, and the description continues under itself', () => {
    const out = renderMutation(result, createStyle(false, 80));
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(out.split('\n').slice(1, 4)).toEqual([
      '  FAILED   us-east-1      turn DHMC off (was',
      '                          service-role/',
      '                          AWSSystemsManagerDefaultEC2InstanceManagementRole)',
    ]);
    expect(out).toContain('           hint: Ask for ssm:ResetServiceSetting on the setting ARN, or run with\n                 a role that has it.');
  });

  it('with no width (a pipe), one line per change', () => {
    const out = renderMutation(result, createStyle(false));
    expect(out.split('\n')[1]).toBe(`  FAILED   us-east-1      turn DHMC off (was ${VALUE})`);
  });

  it("a hybrid role's widened trust says which regions its activations may now be in", () => {
    const widened = {
      ...result,
      changes: [
        {
          region: null,
          action: 'update',
          resource: 'arn:aws:iam::111122223333:role/SSMServiceRole',
          operation: 'iam:UpdateAssumeRolePolicy',
          status: 'applied',
          details: { addedRegions: 'eu-west-1,eu-west-2' },
          error: null,
        },
      ],
    } as unknown as MutationResult;
    expect(renderMutation(widened, createStyle(false)).split('\n')[1]).toBe(
      '  applied  global         let activations in eu-west-1, eu-west-2 use arn:aws:iam::111122223333:role/SSMServiceRole (its trust widened)',
    );
  });

  it('escapes control characters in what AWS said', () => {
    const evil = { ...result, changes: [{ ...result.changes[0]!, error: { code: 'X', message: 'a\u001b[2Jb', hint: null } }] } as MutationResult;
    expect(renderMutation(evil, createStyle(false))).toContain('X: a\\x1b[2Jb');
  });
});
