// The typed error family. Every failure the tool reports is one of these, so the CLI can map it to an
// exit code (the README's "Exit codes" table) and print a hint without knowing where it came from.

/** The exit codes of the CLI, one name each (the README's "Exit codes" table). */
export const ExitCode = {
  Ok: 0,
  /** An unexpected internal error: a bug. */
  Internal: 1,
  /** Usage or validation error, or consent refused: nothing was sent or changed. */
  Usage: 2,
  /** Configuration or credentials (no region, no or expired credentials). */
  Config: 3,
  AccessDenied: 4,
  /** Any other AWS error, including partial failures across regions or instances. */
  AwsError: 5,
  /** A check found problems, or an existing resource fails a precondition. */
  CheckFailed: 6,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The error codes AWS services use for "access denied" (IAM/STS query, JSON services, EC2). */
export const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
]);

export interface ErrorInfo {
  /** AWS error code (AccessDeniedException, ServiceSettingNotFound...) or one of ours (InvalidRegion...). */
  code: string;
  message: string;
  hint: string | null;
}

export abstract class SsmPermsError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly code: string;
  readonly hint: string | null;

  constructor(code: string, message: string, hint: string | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.hint = hint;
  }

  get info(): ErrorInfo {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Bad arguments or input values: nothing was sent to AWS (exit 2). */
export class UsageError extends SsmPermsError {
  override readonly name = 'UsageError';
  readonly exitCode = ExitCode.Usage;
}

/** A change that replaces or removes something was not confirmed (exit 2, nothing changed). */
export class ConsentError extends SsmPermsError {
  override readonly name = 'ConsentError';
  readonly exitCode = ExitCode.Usage;
}

/** No region, no or expired credentials, unknown profile (exit 3). */
export class ConfigError extends SsmPermsError {
  override readonly name = 'ConfigError';
  readonly exitCode = ExitCode.Config;
}

/** AWS denied an action; `action` names it when AWS said which (exit 4). */
export class AccessDeniedError extends SsmPermsError {
  override readonly name = 'AccessDeniedError';
  readonly exitCode = ExitCode.AccessDenied;
  readonly action: string | null;

  constructor(code: string, message: string, hint: string | null, action: string | null, options?: { cause?: unknown }) {
    super(code, message, hint, options);
    this.action = action;
  }
}

/** Any other AWS error, and partial failures across regions or instances (exit 5). */
export class AwsServiceError extends SsmPermsError {
  override readonly name = 'AwsServiceError';
  readonly exitCode = ExitCode.AwsError;
}

/** An existing resource fails a precondition (a role that does not trust the service...) (exit 6). */
export class PreconditionError extends SsmPermsError {
  override readonly name = 'PreconditionError';
  readonly exitCode = ExitCode.CheckFailed;
}

/** The user interrupted the run (exit 130). */
export class AbortedError extends SsmPermsError {
  override readonly name = 'AbortedError';
  readonly exitCode = ExitCode.Interrupted;
}

export function isSsmPermsError(e: unknown): e is SsmPermsError {
  return e instanceof SsmPermsError;
}
