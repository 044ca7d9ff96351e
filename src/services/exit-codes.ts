// The exit code of a run from what failed in it: the codes of its failed changes, regions or reads.
import { ACCESS_DENIED_CODES, ExitCode } from './errors.js';
import type { MutationResult } from './result.js';

/** Ok when nothing failed; Interrupted after Ctrl-C; AccessDenied when every failure was a denial; else AwsError. */
export function failuresExitCode(codes: readonly (string | undefined)[]): ExitCode {
  if (codes.length === 0) return ExitCode.Ok;
  if (codes.some((c) => c === 'Interrupted')) return ExitCode.Interrupted;
  // Changes not attempted because of an earlier failure do not count on their own.
  const real = codes.filter((c) => c !== 'NotAttempted');
  return real.length > 0 && real.every((c) => c && ACCESS_DENIED_CODES.has(c)) ? ExitCode.AccessDenied : ExitCode.AwsError;
}

/** A mutating command's exit code: from its failed changes and regions. */
export function mutationExitCode(r: MutationResult): ExitCode {
  return failuresExitCode([
    ...r.changes.filter((c) => c.status === 'failed').map((c) => c.error?.code),
    ...r.regions.filter((x) => !x.ok).map((x) => x.error?.code),
  ]);
}
