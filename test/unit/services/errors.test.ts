// The typed error family: each class carries its own name (what --debug and a stack trace show) and
// the exit code of the README's table.
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  AccessDeniedError,
  AwsServiceError,
  ConfigError,
  ConsentError,
  isSsmPermsError,
  PreconditionError,
  UsageError,
} from '../../../src/services/errors.js';

describe('error classes', () => {
  it.each([
    ['UsageError', new UsageError('C', 'm'), 2],
    ['ConsentError', new ConsentError('C', 'm'), 2],
    ['ConfigError', new ConfigError('C', 'm'), 3],
    ['AccessDeniedError', new AccessDeniedError('C', 'm', null, 'iam:GetRole'), 4],
    ['AwsServiceError', new AwsServiceError('C', 'm'), 5],
    ['PreconditionError', new PreconditionError('C', 'm'), 6],
    ['AbortedError', new AbortedError('C', 'm'), 130],
  ] as const)('%s has its name and exit code %#', (name, e, exitCode) => {
    expect(e.name).toBe(name);
    expect(e.exitCode).toBe(exitCode);
    expect(String(e)).toBe(`${name}: m`);
    expect(isSsmPermsError(e)).toBe(true);
  });

  it('info is the code, message and hint; the hint is null unless given', () => {
    expect(new AwsServiceError('Throttling', 'slow down', 'later').info).toEqual({ code: 'Throttling', message: 'slow down', hint: 'later' });
    expect(new UsageError('BadValue', 'no').info).toEqual({ code: 'BadValue', message: 'no', hint: null });
  });

  it('keeps the cause, and an access denial keeps the action', () => {
    const cause = new Error('sdk');
    const e = new AccessDeniedError('AccessDenied', 'm', 'h', 'ec2:DescribeInstances', { cause });
    expect(e.cause).toBe(cause);
    expect(e.action).toBe('ec2:DescribeInstances');
  });

  it('isSsmPermsError is false for other errors and values', () => {
    expect(isSsmPermsError(new Error('x'))).toBe(false);
    expect(isSsmPermsError({ code: 'X', exitCode: 5 })).toBe(false);
    expect(isSsmPermsError(undefined)).toBe(false);
  });
});
