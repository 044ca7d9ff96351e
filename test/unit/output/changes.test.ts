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

describe('renderMutation: the same change to many instances', () => {
  const imds = (n: number, over: Partial<MutationResult['changes'][number]> = {}) => ({
    region: 'us-east-1',
    action: 'modify',
    resource: `arn:aws:ec2:us-east-1:111122223333:instance/i-${String(n).padStart(17, '0')}`,
    operation: 'ec2:ModifyInstanceMetadataOptions',
    status: 'planned',
    details: { httpEndpoint: 'enabled', httpTokens: 'required' },
    error: null,
    ...over,
  });
  const fleet = (changes: unknown[]) => ({ account: '111122223333', dryRun: true, changes, regions: [] }) as unknown as MutationResult;

  it('is one line naming the first five instances and how many more; each failed one keeps its line and error', () => {
    const failed = imds(900, { status: 'failed', error: { code: 'UnauthorizedOperation', message: 'denied', hint: null } });
    const failedToo = imds(902, { status: 'failed', error: { code: 'IncorrectInstanceState', message: 'terminated', hint: null } });
    const other = imds(901, { region: 'eu-west-1', resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-00000000000000901' });
    const out = renderMutation(fleet([...Array.from({ length: 300 }, (_, n) => imds(n)), failed, failedToo, other]), createStyle(false));
    const lines = out.trimEnd().split('\n');
    expect(lines).toEqual([
      'Planned changes (dry run, nothing changed):',
      '  planned  us-east-1      turn IMDS on, IMDSv2 required, on 300 instances: i-00000000000000000, i-00000000000000001, i-00000000000000002, i-00000000000000003, i-00000000000000004 and 295 more',
      '  FAILED   us-east-1      turn IMDS on, IMDSv2 required, on arn:aws:ec2:us-east-1:111122223333:instance/i-00000000000000900',
      '           UnauthorizedOperation: denied',
      '  FAILED   us-east-1      turn IMDS on, IMDSv2 required, on arn:aws:ec2:us-east-1:111122223333:instance/i-00000000000000902',
      '           IncorrectInstanceState: terminated',
      '  planned  eu-west-1      turn IMDS on, IMDSv2 required, on arn:aws:ec2:eu-west-1:111122223333:instance/i-00000000000000901',
    ]);
  });

  it('failures with the same error (not attempted, for one reason) are one line and the error said once', () => {
    const skipped = (n: number) =>
      imds(n, { status: 'failed', error: { code: 'NotAttempted', message: 'would not be attempted because X failed', hint: null } });
    const out = renderMutation(fleet([skipped(1), skipped(2), skipped(3)]), createStyle(false));
    expect(out.trimEnd().split('\n')).toEqual([
      'Planned changes (dry run, nothing changed):',
      '  FAILED   us-east-1      turn IMDS on, IMDSv2 required, on 3 instances: i-00000000000000001, i-00000000000000002, i-00000000000000003',
      '           NotAttempted: would not be attempted because X failed',
    ]);
  });

  it('two instances are named both, without "more"; one keeps its ARN', () => {
    expect(renderMutation(fleet([imds(1), imds(2)]), createStyle(false))).toContain(
      'turn IMDS on, IMDSv2 required, on 2 instances: i-00000000000000001, i-00000000000000002\n',
    );
    expect(renderMutation(fleet([imds(1)]), createStyle(false))).toContain('on arn:aws:ec2:us-east-1:111122223333:instance/i-00000000000000001\n');
  });

  it('changes that differ in what they do are not merged', () => {
    const out = renderMutation(fleet([imds(1), imds(2, { details: { httpTokens: 'required' } })]), createStyle(false));
    expect(out).toContain('turn IMDS on, IMDSv2 required, on arn:aws:ec2:us-east-1:111122223333:instance/i-00000000000000001');
    expect(out).toContain('require IMDSv2 on arn:aws:ec2:us-east-1:111122223333:instance/i-00000000000000002');
  });
});
