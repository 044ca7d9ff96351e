// A command run in many accounts of an organization (--accounts): the accounts are selected with
// Organizations, each is entered through the org role, and the command runs in each one unchanged,
// side by side (--account-concurrency), with its own context: its clients, its notes prefixed with the
// account id, and consent asked once for the whole run.
//
// Consent once, before anything changes anywhere: unless --yes or --dry-run settle it, the command first
// runs in every account with its writes refused (a plan: reads only, stopped at the first write or
// consent question), then asks one question that lists, per account, what would be replaced or removed,
// then runs again in the accounts that have something to change. Accounts with nothing to change keep
// their first run's result: a read-only command (doctor, dhmc status) runs once.
import type { CommandDef, Consent, Context, Outcome, RawOptions } from '../commands/types.js';
import type { AccountsFlags } from '../commands/shared/account-flags.js';
import { saidOnce } from '../output/accounts.js';
import { callerIdentity } from '../services/account.js';
import type { ClientFactory } from '../services/aws/clients.js';
import { mapLimit } from '../services/concurrency.js';
import { ConfigError, ConsentError, ExitCode, isSsmPermsError, UsageError, type ErrorInfo } from '../services/errors.js';
import { selectAccounts, type OrgAccount } from '../services/org/accounts.js';
import { enterAccount, orgRoleArn, type OrgRole } from '../services/org/enter.js';
import { partitionId } from '../policies/partition.js';
import { accountArgs } from '../commands/shared/account-flags.js';
import { retargetSuggestions, retargetText } from '../commands/shared/account-fixes.js';
import type { CommandContext } from './context.js';

/** done: ran to its end; failed: not entered, or the command failed before a result; partial: Ctrl-C came while it ran. */
export type AccountStatus = 'done' | 'partial' | 'failed' | 'not-attempted';

export interface AccountRun {
  account: OrgAccount;
  status: AccountStatus;
  /** The command's result in this account, when it produced one. */
  outcome: Outcome | null;
  /** Why the account has no result (not entered, an error, not attempted). */
  error: ErrorInfo | null;
  exitCode: ExitCode;
}

export interface AccountsRun {
  runs: AccountRun[];
  /** Selected but not ACTIVE (suspended, closing): not tried. */
  skipped: OrgAccount[];
  warnings: string[];
  /** Ctrl-C came during the run (the run exits 130, even if every account was done by then). */
  interrupted: boolean;
}

/** Raised in a planning run at the first write or consent question: the account has something to change. */
class PlanStop extends Error {
  override readonly name = 'PlanStop';
}

const READ = /^(get|list|describe)/;

/** The same clients with every write refused (before it is sent) by `onWrite`. */
function readOnly(clients: ClientFactory, onWrite: () => Error): ClientFactory {
  const guard = <T extends object>(api: T): T =>
    Object.fromEntries(
      Object.entries(api as Record<string, (input: unknown) => Promise<unknown>>).map(([method, call]) => [
        method,
        READ.test(method) ? call : () => Promise.reject(onWrite()),
      ]),
    ) as T;
  return {
    ...clients,
    ssm: async (r) => guard(await clients.ssm(r)),
    iam: async (r) => guard(await clients.iam(r)),
    ec2: async (r) => guard(await clients.ec2(r)),
    sts: async (r) => guard(await clients.sts(r)),
    organizations: async (r) => guard(await clients.organizations(r)),
  };
}

function errorInfo(e: unknown): { info: ErrorInfo; exitCode: ExitCode } {
  if (isSsmPermsError(e)) return { info: e.info, exitCode: e.exitCode };
  const message = e instanceof Error ? e.message : String(e);
  return {
    info: { code: 'InternalError', message: `internal error: ${message}`, hint: 'This is a bug in ssm-perms; please report it with the output of --debug.' },
    exitCode: ExitCode.Internal,
  };
}

// Said of read-only commands (doctor) and of commands that change things alike: a rerun reads again,
// and makes only the changes still missing.
const AGAIN = 'Run the command again: it picks up where this run stopped.';

const NOT_ATTEMPTED: ErrorInfo = { code: 'NotAttempted', message: 'interrupted before this account was started', hint: AGAIN };

const PARTIAL: ErrorInfo = {
  code: 'Interrupted',
  message: 'interrupted while this account ran: some of its changes or reads were not made',
  hint: AGAIN,
};

/** Cut off in the first pass, which only reads (a command that changes things writes in a second one). */
const INTERRUPTED_PLAN: ErrorInfo = { code: 'Interrupted', message: 'interrupted while reading: nothing was changed in this account', hint: AGAIN };

/** Whether a result holds something not done because of the interrupt (a change or read not attempted or cut off). */
function leftUndone(data: unknown): boolean {
  if (!data || typeof data !== 'object') return false;
  if (Array.isArray(data)) return data.some(leftUndone);
  const o = data as Record<string, unknown>;
  if ((o.code === 'Interrupted' || o.code === 'NotAttempted') && typeof o.message === 'string') return true;
  return Object.values(o).some(leftUndone);
}

export const accountLabel = (a: OrgAccount): string => (a.name ? `${a.id} (${a.name})` : a.id);

interface PassResult {
  run: AccountRun;
  /** A planning run that reached a write or a consent question: the account must run again. */
  stopped: boolean;
  consents: Consent[];
}

type Mode = 'plan' | 'apply' | 'once';

/**
 * Runs `def` with `opts` in every selected account. `home` is the region where Organizations and STS are
 * called (and whose partition the accounts' ARNs are in).
 */
export async function runAcrossAccounts(def: CommandDef, opts: RawOptions, cc: CommandContext, home: string): Promise<AccountsRun> {
  const { ctx } = cc;
  const flags = ctx.flags.accounts as AccountsFlags;
  const label = def.path.join(' ');
  if (!def.prepare) {
    throw new UsageError('AccountsUnsupported', `${label} does not run across accounts`, 'Run it without --accounts.');
  }
  // Options are checked once, before any call.
  const runIn = await def.prepare(opts);
  const offline = def.offline?.(opts) ?? false;
  const signal = ctx.services.signal;
  const selection = await selectAccounts(ctx.services, home, flags.selectors, flags.exclude);
  const warnings = [
    ...selection.skipped.map((a) => `${accountLabel(a)} is ${a.state}: nothing can be done in it; left out`),
    ...selection.notInOrganization.map((id) => `${id} is not an account of this organization as Organizations lists it; trying it anyway`),
    ...selection.excludedNotSelected.map(
      (id) => `--exclude-accounts ${id} is not among the accounts --accounts selects: nothing was left out for it (a typo?)`,
    ),
  ];
  if (selection.accounts.length === 0) {
    // Left empty by the exclusions: the options given select nothing (2). Empty before them: the
    // organization as the caller can list it has no active account there (3).
    if (selection.excludedActive > 0)
      throw new UsageError(
        'NoAccounts',
        '--accounts selects no ACTIVE account once --exclude-accounts is applied',
        'Leave out fewer accounts, or list the organization with: aws organizations list-accounts',
      );
    throw new ConfigError(
      'NoAccounts',
      '--accounts selects no ACTIVE account',
      'List the organization with: aws organizations list-accounts (run from the management account, or a delegated administrator for Organizations).',
    );
  }
  // The caller's own account is worked in with the caller's credentials, not through a role.
  const callerAccount = offline ? null : (await callerIdentity(ctx.services, home)).account;
  const role: OrgRole = {
    partition: partitionId(home),
    region: home,
    roleName: flags.roleName,
    rolePath: flags.rolePath,
    sessionName: flags.sessionName,
    externalId: flags.externalId,
  };
  const entered = new Map<string, Promise<ClientFactory>>();
  const enter = (id: string) => {
    let made = entered.get(id);
    if (!made) {
      made = enterAccount(ctx.services.clients, role, id, callerAccount, offline);
      entered.set(id, made);
    }
    return made;
  };

  const pass = async (accounts: readonly OrgAccount[], mode: Mode, granted: ReadonlyMap<string, Consent[]>): Promise<PassResult[]> => {
    const counts = { done: 0, failed: 0 };
    // The planning run only reads; for a read-only command it is the only run.
    const verb = mode === 'plan' ? 'read' : 'done in';
    const show = () =>
      ctx.services.progress({
        kind: 'progress',
        message: `${label}: ${verb} ${counts.done} of ${accounts.length} account${accounts.length === 1 ? '' : 's'}${counts.failed ? `, ${counts.failed} failed` : ''}`,
      });
    try {
      return await mapLimit(accounts, flags.concurrency, async (account) => {
        const result = await runOne(account, mode, granted);
        counts.done += 1;
        if (result.run.status === 'failed') counts.failed += 1;
        if (accounts.length > 1) show();
        return result;
      });
    } finally {
      ctx.services.progress({ kind: 'progress', message: '', done: true });
    }
  };

  const runOne = async (account: OrgAccount, mode: Mode, granted: ReadonlyMap<string, Consent[]>): Promise<PassResult> => {
    const consents: Consent[] = [];
    const notStarted = { account, status: 'not-attempted' as const, outcome: null, error: NOT_ATTEMPTED, exitCode: ExitCode.Interrupted };
    if (signal.aborted) return { run: notStarted, stopped: false, consents };
    let clients: ClientFactory;
    try {
      clients = await enter(account.id);
    } catch (e) {
      const { info, exitCode } = errorInfo(e);
      return { run: { account, status: signal.aborted ? 'not-attempted' : 'failed', outcome: null, error: info, exitCode }, stopped: false, consents };
    }
    // A planning run stops at its first write; its other calls in flight end, nothing more starts.
    const stop = new AbortController();
    let stopped = false;
    const planStop = () => {
      stopped = true;
      stop.abort();
      return new PlanStop('planning run: stopped before the first change');
    };
    const requireConsent = async (consent: Consent): Promise<void> => {
      if (mode === 'plan') {
        consents.push(consent);
        throw planStop();
      }
      if (mode === 'once') return ctx.requireConsent(consent);
      // The run's one question covered the consents the plan asked for; a new one means the account
      // changed since: nothing more is done in it.
      if ((granted.get(account.id) ?? []).some((c) => c.question === consent.question)) return;
      throw new ConsentError(
        'ConsentRequired',
        `${consent.refused} without consent: this account changed since the plan was shown; nothing more was changed in it`,
        'Run the command again to see the new plan.',
      );
    };
    const accountCtx: Context = cc.forAccount({
      account: { id: account.id, name: account.name, roleArn: account.id === callerAccount || offline ? null : orgRoleArn(role, account.id) },
      clients: mode === 'plan' ? readOnly(clients, planStop) : clients,
      signal: mode === 'plan' ? AbortSignal.any([signal, stop.signal]) : signal,
      requireConsent,
    });
    // What the account's result suggests (fixes, hints) selects this account, and names its role.
    const args = accountArgs(flags, [account.id]);
    const roleArn = accountCtx.account?.roleArn ?? null;
    try {
      const outcome = await runIn(accountCtx);
      if (stopped) return { run: notStarted, stopped, consents };
      retargetSuggestions(outcome.data, args, roleArn);
      if (outcome.warnings) outcome.warnings = outcome.warnings.map((w) => retargetText(w, args, roleArn));
      // Interrupted, but whole: every change made or none needed (Ctrl-C came as the account ended) - done,
      // with its own exit code, and counted ok; the run's 130 comes from `interrupted`.
      const status = signal.aborted && leftUndone(outcome.data) ? 'partial' : 'done';
      const exitCode = status === 'partial' ? ExitCode.Interrupted : outcome.exitCode;
      return { run: { account, status, outcome, error: status === 'partial' ? PARTIAL : null, exitCode }, stopped, consents };
    } catch (e) {
      if (stopped) return { run: notStarted, stopped, consents };
      const { info: raw, exitCode } = errorInfo(e);
      const info = raw.hint ? { ...raw, hint: retargetText(raw.hint, args, roleArn) } : raw;
      if (signal.aborted) {
        // Cut short. A planning run writes nothing, which its message says (for a read-only command the
        // planning run is the run: some of its reads were not made).
        return {
          run: {
            account,
            status: 'partial',
            outcome: null,
            error: mode === 'plan' ? INTERRUPTED_PLAN : { ...info, hint: PARTIAL.hint },
            exitCode: ExitCode.Interrupted,
          },
          stopped,
          consents,
        };
      }
      return { run: { account, status: 'failed', outcome: null, error: info, exitCode }, stopped, consents };
    }
  };

  const none = new Map<string, Consent[]>();
  if (ctx.flags.dryRun || ctx.flags.yes) {
    const results = await pass(selection.accounts, 'once', none);
    return { runs: results.map((r) => r.run), skipped: selection.skipped, warnings, interrupted: signal.aborted };
  }
  const planned = await pass(selection.accounts, 'plan', none);
  const again = planned.filter((p) => p.stopped);
  if (again.length === 0 || signal.aborted) {
    // Interrupted while planning: nothing was changed anywhere; the accounts that had something to do
    // are reported as not attempted.
    return { runs: planned.map((p) => p.run), skipped: selection.skipped, warnings, interrupted: signal.aborted };
  }
  const asking = again.filter((p) => p.consents.length > 0);
  if (asking.length > 0) {
    const failed = planned.filter((p) => p.run.status === 'failed').map((p) => p.run);
    await ctx.requireConsent(oneConsent(asking, again.length, failed));
  }
  const granted = new Map(asking.map((p) => [p.run.account.id, p.consents]));
  const applied = await pass(
    again.map((p) => p.run.account),
    'apply',
    granted,
  );
  const byId = new Map(applied.map((r) => [r.run.account.id, r.run]));
  return { runs: planned.map((p) => byId.get(p.run.account.id) ?? p.run), skipped: selection.skipped, warnings, interrupted: signal.aborted };
}

/** The run's one question: what each account would replace or remove. */
function oneConsent(asking: readonly PassResult[], changing: number, failed: readonly AccountRun[]): Consent {
  const n = asking.length;
  // The same question in several accounts (their ids aside) is asked once for all of them.
  const lines = saidOnce(asking.flatMap((p) => p.consents.map((c) => ({ account: p.run.account, text: c.question })))).map((l) => `  ${l}`);
  const flags = asking.flatMap((p) => p.consents.map((c) => c.flags)).find((f) => f !== undefined);
  // The answer covers every account with something to change, not only those that replace something.
  const scope = changing === 1 ? 'that account' : `all ${changing} accounts with changes`;
  return {
    // Each account's own question (a role replaced, DHMC turned off, doctor's fixes), under one heading.
    question: `Consent is needed in ${n === changing ? (n === 1 ? 'the account' : `the ${n} accounts`) : `${n} of the ${changing} accounts`} to change:\n${lines.join('\n')}\nGo ahead in ${scope}?`,
    refused: saidOnce(asking.flatMap((p) => p.consents.map((c) => ({ account: p.run.account, text: c.refused })))).join('; '),
    answer: `go ahead in ${scope}`,
    ...(flags === undefined ? {} : { flags }),
    otherwise: n === 1 ? ', or leave that account out with --exclude-accounts' : ', or leave those accounts out with --exclude-accounts',
    // Said before the question: what the plan warned of, and the accounts that already failed (they will
    // not change whatever the answer).
    warnings: [
      ...failed.map((r) => `${accountLabel(r.account)} failed while planning (nothing will change there): ${r.error?.code}: ${r.error?.message}`),
      ...asking.flatMap((p) => p.consents.flatMap((c) => (c.warnings ?? []).map((w) => `${p.run.account.id}: ${w}`))),
    ],
  };
}
