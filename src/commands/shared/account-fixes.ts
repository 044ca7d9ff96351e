// The fixes a command suggests (doctor's, dhmc status --check's), when it runs in one account of a run
// across accounts: an `ssm-perms` fix must select that account, or pasted as it is it would run in the
// caller's own; an `aws` fix needs that account's credentials, which only the operator's configuration
// can give - a note says which role to use.
import type { Context } from '../types.js';
import { accountArgs } from './account-flags.js';

const FIX_KEYS = new Set(['fix', 'alternative']);

/** `data` with every `ssm-perms` line of its `fix` and `alternative` texts selecting this run's account. */
export function fixesForAccount<T>(data: T, ctx: Context): T {
  const account = ctx.account;
  const flags = ctx.flags.accounts;
  if (!account || !flags) return data;
  const args = accountArgs(flags, [account.id]);
  const retarget = (text: string) =>
    text
      .split('\n')
      .map((line) =>
        /^ssm-perms [a-z]/.test(line) ? `${line} ${args}` : /^for id in .*; do ssm-perms /.test(line) ? line.replace(/; done$/, ` ${args}; done`) : line,
      )
      .join('\n');
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'string') return key !== null && FIX_KEYS.has(key) ? retarget(v) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(data, null) as T;
}

/** Whether any fix of `data` is an `aws` command. */
function hasAwsFix(data: unknown, key: string | null = null): boolean {
  if (typeof data === 'string') return key !== null && FIX_KEYS.has(key) && /^aws [a-z]/m.test(data);
  if (Array.isArray(data)) return data.some((x) => hasAwsFix(x));
  if (data && typeof data === 'object') return Object.entries(data).some(([k, x]) => hasAwsFix(x, k));
  return false;
}

/** The note that says how to run the `aws` fixes of an account entered through a role, or none. */
export function awsFixNote(data: unknown, ctx: Context): string[] {
  const role = ctx.account?.roleArn;
  if (!role || !hasAwsFix(data)) return [];
  return [
    `the aws commands among the fixes are for this account: run them with its credentials, e.g. a profile with role_arn = ${role} and a source_profile (aws configure set role_arn ${role} --profile NAME), then add --profile NAME to them`,
  ];
}
