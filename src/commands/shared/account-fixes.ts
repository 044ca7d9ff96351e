// What a command suggests (fixes, hints, next steps), when it runs in one account of a run across
// accounts: an `ssm-perms` command must select that account, or pasted as it is it would run in the
// caller's own; a denial inside a member account concerns the role entered there, not "the identity you
// are using"; an `aws` fix needs that account's credentials, which only the operator's configuration
// can give - a note says which role to use.
import type { Context } from '../types.js';

/** `ssm-perms` and a command path: where the options that select accounts go. */
const COMMAND = /\bssm-perms (doctor|(?:dhmc|profile|admin-policy|s3-policy|hybrid-role|endpoints) [a-z]+)\b/g;

/** `text` with `args` after every `ssm-perms <command>` it suggests that does not select accounts already. */
export function withAccountArgs(text: string, args: string): string {
  return text
    .split('\n')
    .map((line) => (line.includes('--accounts') ? line : line.replace(COMMAND, (m) => `${m} ${args}`)))
    .join('\n');
}

const SUGGESTION_KEYS = new Set(['hint', 'fix', 'alternative']);

/** The AccessDenied hint of translate-error.ts, about the caller's own identity. */
const IDENTITY_HINT = /for the identity you are using( \(see the README's IAM permissions for this command\))?, or use --profile for one that has it\./;

/**
 * Rewrites, in place, every suggestion in `data` (the `hint`, `fix` and `alternative` texts, at any depth)
 * for the account it came from: `args` select that account; with `roleArn`, a denial names that role.
 * In place, because a command's text rendering reads the same objects as its JSON.
 */
export function retargetSuggestions(data: unknown, args: string, roleArn: string | null): void {
  const seen = new Set<object>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (typeof x === 'string' && SUGGESTION_KEYS.has(k)) o[k] = retargetText(x, args, roleArn);
      else walk(x);
    }
  };
  walk(data);
}

export function retargetText(text: string, args: string, roleArn: string | null): string {
  const routed = withAccountArgs(text, args);
  return roleArn
    ? routed.replace(IDENTITY_HINT, `for ${roleArn}, the role entered in this account (see the README's IAM permissions for this command).`)
    : routed;
}

/** Whether any fix of `data` is an `aws` command. */
function hasAwsFix(data: unknown, key: string | null = null): boolean {
  // An aws command at the start of a line, or inside the loop doctor runs over a group (`...; do aws ec2 ...`).
  if (typeof data === 'string') return key !== null && (key === 'fix' || key === 'alternative') && /(^|;\s*do\s+)aws [a-z]/m.test(data);
  if (Array.isArray(data)) return data.some((x) => hasAwsFix(x));
  if (data && typeof data === 'object') return Object.entries(data).some(([k, x]) => hasAwsFix(x, k));
  return false;
}

/**
 * The note that says how to run the `aws` fixes shown for an account entered through a role, or none.
 * `shown`: the part of the result whose fixes are printed (doctor's groups), so the note never speaks of
 * fixes the operator does not see.
 */
export function awsFixNote(shown: unknown, ctx: Context): string[] {
  const role = ctx.account?.roleArn;
  if (!role || !hasAwsFix(shown)) return [];
  return [
    `the aws commands among the fixes are for this account: run them with its credentials, e.g. a profile with role_arn = ${role} and a source_profile (aws configure set role_arn ${role} --profile NAME), then add --profile NAME to them`,
  ];
}
