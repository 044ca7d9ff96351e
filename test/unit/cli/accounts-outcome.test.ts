// One outcome for a run across accounts (src/cli/accounts-outcome.ts): the JSON document
// {accounts:[...], summary}, the worst exit code (130 > 1 > 5 > 4 > 3 > 2 > 6 > 0), `ok` (done, and exit
// 0 or 6: a check that found problems is a result), the text grouped by account, -o text lines that
// begin with the account id; and admin-policy generate --combined (src/commands/admin-policy/combined.ts).
import { describe, expect, it } from 'vitest';
import type { AccountRun, AccountsRun } from '../../../src/cli/accounts.js';
import { accountsOutcome, worstExitCode } from '../../../src/cli/accounts-outcome.js';
import { combinedAdminPolicy } from '../../../src/commands/admin-policy/combined.js';
import type { Outcome } from '../../../src/commands/types.js';
import { createStyle } from '../../../src/output/style.js';
import { dhmcAdminPolicy } from '../../../src/policies/dhmc-admin-policy.js';
import { ExitCode, type ErrorInfo } from '../../../src/services/errors.js';

const A = '111122223333';
const B = '444455556666';
const C = '777788889999';
const plain = createStyle(false, 200);

/** A command's own outcome, as dhmc status makes it (an `account` key, a row per region). */
const own = (account: string, exitCode: ExitCode = ExitCode.Ok, extra: Partial<Outcome> = {}): Outcome => ({
  data: { account, regions: [{ region: 'us-east-1', enabled: true }] },
  text: () => `us-east-1  on (${account})\n`,
  exitCode,
  ...extra,
});

const denied: ErrorInfo = { code: 'AccessDenied', message: 'could not enter the account', hint: 'Check the trust policy.' };

function run(id: string, status: AccountRun['status'], exitCode: ExitCode, outcome: Outcome | null, error: ErrorInfo | null = null): AccountRun {
  return { account: { id, name: id === A ? 'prod-1' : null, state: 'ACTIVE' }, status, outcome, error, exitCode };
}

const result = (runs: AccountRun[], extra: Partial<AccountsRun> = {}): AccountsRun => ({ runs, skipped: [], warnings: [], interrupted: false, ...extra });
const noArgs = () => '';

describe('worstExitCode', () => {
  it('ranks an interrupt, a bug, an AWS error, a denial, configuration, usage, a failed check, then success', () => {
    const order = [ExitCode.Interrupted, ExitCode.Internal, ExitCode.AwsError, ExitCode.AccessDenied, ExitCode.Config, ExitCode.Usage, ExitCode.CheckFailed];
    order.forEach((worst, i) => {
      // The worst code with every milder one beside it, in any order.
      const codes = [...order.slice(i + 1), ExitCode.Ok, worst].reverse();
      expect(worstExitCode(codes)).toBe(worst);
      expect(worstExitCode([...codes].reverse())).toBe(worst);
    });
    expect(worstExitCode([ExitCode.Ok, ExitCode.Ok])).toBe(ExitCode.Ok);
    expect(worstExitCode([])).toBe(ExitCode.Ok);
  });
});

describe('accountsOutcome', () => {
  it('gives one entry per account - the account, its name, ok, status, exit code, error, then its own document without `account` - and a summary', () => {
    const o = accountsOutcome(
      result(
        [
          run(A, 'done', ExitCode.Ok, own(A)),
          run(B, 'done', ExitCode.CheckFailed, own(B, ExitCode.CheckFailed)),
          run(C, 'failed', ExitCode.AccessDenied, null, denied),
        ],
        { skipped: [{ id: '999988887777', name: 'old', state: 'SUSPENDED' }] },
      ),
      noArgs,
    );
    expect(o.data).toEqual({
      accounts: [
        { account: A, name: 'prod-1', ok: true, status: 'done', exitCode: 0, error: null, regions: [{ region: 'us-east-1', enabled: true }] },
        { account: B, name: null, ok: true, status: 'done', exitCode: 6, error: null, regions: [{ region: 'us-east-1', enabled: true }] },
        { account: C, name: null, ok: false, status: 'failed', exitCode: 4, error: denied },
      ],
      summary: { accounts: 3, ok: 2, failed: 1, partial: 0, notAttempted: 0, skipped: [{ account: '999988887777', name: 'old', state: 'SUSPENDED' }] },
    });
    expect(Object.keys((o.data as { accounts: object[] }).accounts[0]!)).toEqual(['account', 'name', 'ok', 'status', 'exitCode', 'error', 'regions']);
    expect(o.exitCode).toBe(ExitCode.AccessDenied);
  });

  it('counts interrupted and never-started accounts apart from failures, and exits 130', () => {
    const o = accountsOutcome(
      result([
        run(A, 'done', ExitCode.Ok, own(A)),
        run(B, 'partial', ExitCode.Interrupted, own(B)),
        run(C, 'not-attempted', ExitCode.Interrupted, null, { code: 'NotAttempted', message: 'interrupted before this account was started', hint: null }),
      ]),
      noArgs,
    );
    const doc = o.data as { accounts: { ok: boolean; status: string }[]; summary: object };
    expect(doc.accounts.map((a) => `${a.status} ${a.ok}`)).toEqual(['done true', 'partial false', 'not-attempted false']);
    expect(doc.summary).toMatchObject({ accounts: 3, ok: 1, failed: 0, partial: 1, notAttempted: 1 });
    expect(o.exitCode).toBe(ExitCode.Interrupted);
    expect(o.text(plain)).toContain('3 accounts: 1 ok, 0 failed, 1 partial, 1 not attempted');
  });

  it("the entry's account is the one it ran in, not an `account` its own document names", () => {
    const o = accountsOutcome(result([run(B, 'done', ExitCode.Ok, own(C))]), noArgs);
    expect((o.data as { accounts: { account: string }[] }).accounts[0]!.account).toBe(B);
  });

  it('a generator puts its document under `policy`', () => {
    const policy = { Version: '2012-10-17', Statement: [] };
    const o = accountsOutcome(result([run(B, 'done', ExitCode.Ok, { data: policy, text: () => '', document: true, exitCode: ExitCode.Ok })]), noArgs);
    expect((o.data as { accounts: object[] }).accounts[0]).toMatchObject({ account: B, policy });
  });

  it('text: each account under a heading that names it, a failed one with its error and hint, then the count', () => {
    const o = accountsOutcome(
      result([run(A, 'done', ExitCode.Ok, own(A)), run(C, 'failed', ExitCode.AccessDenied, null, denied)], {
        skipped: [{ id: '999988887777', name: null, state: 'SUSPENDED' }],
      }),
      noArgs,
    );
    expect(o.text(plain)).toBe(
      [
        `account ${A} (prod-1)`,
        `us-east-1  on (${A})`,
        '',
        `account ${C} failed`,
        '  AccessDenied: could not enter the account',
        '  hint: Check the trust policy.',
        '',
        '2 accounts: 1 ok, 1 failed; 1 skipped (999988887777 SUSPENDED)',
        '',
      ].join('\n'),
    );
  });

  it('-o text: every line begins with the account id and a tab, an account without a result included', () => {
    const o = accountsOutcome(result([run(A, 'done', ExitCode.Ok, own(A)), run(C, 'failed', ExitCode.AccessDenied, null, denied)]), noArgs);
    const lines = o.awsText!().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.every((l) => l.startsWith(`${A}\t`) || l.startsWith(`${C}\t`))).toBe(true);
    expect(lines.filter((l) => l.startsWith(`${C}\t`)).join('\n')).toContain('AccessDenied');
    expect(lines.filter((l) => l.startsWith(`${A}\t`)).join('\n')).toContain('us-east-1');
  });

  it('prefixes warnings with their account, and says a note every account gives once', () => {
    const o = accountsOutcome(
      result(
        [
          run(A, 'done', ExitCode.Ok, own(A, ExitCode.Ok, { warnings: ['w1'], notes: ['same everywhere', 'only in A'] })),
          run(B, 'done', ExitCode.Ok, own(B, ExitCode.Ok, { notes: ['same everywhere'] })),
        ],
        { warnings: ['run-wide'] },
      ),
      noArgs,
    );
    expect(o.warnings).toEqual(['run-wide', `${A} (prod-1): w1`]);
    expect(o.notes).toEqual(['same everywhere', `${A} (prod-1): only in A`]);
  });

  it('a suggested command carries the options that select the same accounts (all of them, or those it concerns)', () => {
    const o = accountsOutcome(
      result([
        run(A, 'done', ExitCode.Ok, own(A, ExitCode.Ok, { notes: ['Next: ssm-perms dhmc status --region us-east-1', 'ssm-perms doctor'] })),
        run(B, 'done', ExitCode.Ok, own(B, ExitCode.Ok, { notes: ['Next: ssm-perms dhmc status --region us-east-1'] })),
      ]),
      (only) => `--accounts ${only ? only.join(',') : 'ou-ab12-cdefgh34'}`,
    );
    expect(o.notes).toEqual(['Next: ssm-perms dhmc status --accounts ou-ab12-cdefgh34 --region us-east-1', `${A} (prod-1): ssm-perms doctor --accounts ${A}`]);
  });
});

describe('combinedAdminPolicy', () => {
  const policyOf = (account: string, regions = ['us-east-1', 'eu-west-1']): Outcome => {
    // With the role setup: one statement's Resource (the AWS managed policy) is the same in every account.
    const policy = dhmcAdminPolicy({
      partition: 'aws',
      account,
      regions,
      withRoleSetup: true,
      roleName: 'AWSSystemsManagerDefaultEC2InstanceManagementRole',
      rolePath: '/service-role/',
    });
    return { data: policy, text: () => '', document: true, exitCode: ExitCode.Ok, warnings: ['same warning'] };
  };

  it('keeps each statement once, with the Resource lists of every account, and nothing else widened', () => {
    const one = policyOf(A).data as { Statement: { Sid?: string; Action: unknown; Resource: string | string[]; Condition?: unknown }[] };
    const combined = combinedAdminPolicy([policyOf(A), policyOf(B), policyOf(A)]);
    const doc = combined.data as typeof one;
    expect(doc.Statement).toHaveLength(one.Statement.length);
    doc.Statement.forEach((s, i) => {
      const mine = one.Statement[i]!;
      expect({ ...s, Resource: undefined }).toEqual({ ...mine, Resource: undefined });
      const resources = [mine.Resource].flat();
      const expected = [...new Set([...resources, ...resources.map((r) => r.replace(A, B))])];
      expect(s.Resource).toEqual(expected);
    });
    expect(JSON.stringify(doc)).not.toContain(C);
    expect(combined.warnings).toEqual(['same warning']);
    expect(combined.document).toBe(true);
    expect(JSON.parse(combined.text(plain))).toEqual(doc);
  });

  it("warns past IAM's 6,144 characters for a managed policy", () => {
    const many = Array.from({ length: 40 }, (_, i) => policyOf(String(100000000000 + i), ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1']));
    const combined = combinedAdminPolicy(many);
    expect(combined.warnings?.at(-1)).toMatch(/^the combined policy is \d+ characters, over IAM's limit of 6144 for a managed policy/);
    expect(combinedAdminPolicy([policyOf(A)]).warnings).toEqual(['same warning']);
  });
});

describe('accountsOutcome: Ctrl-C after every account was done', () => {
  it('counts the accounts done as ok, and still exits 130', () => {
    const ok = (id: string) => run(id, 'done', ExitCode.Ok, { data: { changes: [] }, text: () => 'done\n', exitCode: ExitCode.Ok });
    const o = accountsOutcome(result([ok(A), ok(B)], { interrupted: true }), noArgs);
    expect((o.data as { summary: { ok: number; failed: number } }).summary).toMatchObject({ ok: 2, failed: 0 });
    expect(o.exitCode).toBe(ExitCode.Interrupted);
    expect(accountsOutcome(result([ok(A), ok(B)]), noArgs).exitCode).toBe(ExitCode.Ok);
  });
});
