// The README's "Exit codes" table, as the run's failures decide it.
import { describe, expect, it } from 'vitest';
import { failuresExitCode, mutationExitCode } from '../../../src/services/exit-codes.js';
import type { Change, MutationResult } from '../../../src/services/result.js';

const failed = (code: string | undefined): Change => ({
  region: 'us-east-1',
  action: 'attach',
  resource: 'r',
  operation: 'iam:AttachRolePolicy',
  status: 'failed',
  details: {},
  error: code === undefined ? null : { code, message: 'm', hint: null },
});

function result(changes: Change[], regions: MutationResult['regions'] = []): MutationResult {
  return { account: '111122223333', dryRun: false, changes, regions, warnings: [] };
}

describe('failuresExitCode', () => {
  it.each([
    [[], 0],
    [['AccessDenied'], 4],
    [['AccessDeniedException', 'UnauthorizedOperation'], 4],
    [['AccessDenied', 'NotAttempted'], 4],
    [['AccessDenied', 'Throttling'], 5],
    [['NoSuchEntity'], 5],
    [['NotAttempted'], 5],
    [[undefined], 5],
    [['AccessDenied', undefined], 5],
    [['Interrupted'], 130],
    [['AccessDenied', 'Interrupted'], 130],
    [['Throttling', 'Interrupted', 'NotAttempted'], 130],
  ] as [(string | undefined)[], number][])('%j -> exit %i', (codes, exit) => {
    expect(failuresExitCode(codes)).toBe(exit);
  });
});

describe('mutationExitCode', () => {
  it('is 0 with only applied or planned changes and every region ok', () => {
    expect(mutationExitCode(result([{ ...failed('AccessDenied'), status: 'applied', error: null }], [{ region: 'us-east-1', ok: true, error: null }]))).toBe(0);
  });

  it("counts failed changes' codes", () => {
    expect(mutationExitCode(result([failed('AccessDenied')]))).toBe(4);
    expect(mutationExitCode(result([failed('AccessDenied'), failed('LimitExceeded')]))).toBe(5);
  });

  it("counts failed regions' codes together with the changes'", () => {
    const denied = { region: 'eu-west-1', ok: false, error: { code: 'UnauthorizedOperation', message: 'm', hint: null } };
    expect(mutationExitCode(result([], [denied]))).toBe(4);
    expect(mutationExitCode(result([failed('Interrupted')], [denied]))).toBe(130);
    expect(mutationExitCode(result([failed('AccessDenied')], [{ ...denied, error: { code: 'RequestLimitExceeded', message: 'm', hint: null } }]))).toBe(5);
  });

  it('treats a failure without an error as an AWS error, not as success', () => {
    expect(mutationExitCode(result([failed(undefined)]))).toBe(5);
    expect(mutationExitCode(result([], [{ region: 'eu-west-1', ok: false, error: null }]))).toBe(5);
  });
});
