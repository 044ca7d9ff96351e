// One outcome for a run across accounts: the JSON document {"accounts":[...],"summary":{...}} (design.md,
// "Output contract"), the text grouped by account, and the worst exit code of them all.
import type { Outcome } from '../commands/types.js';
import { accountsAwsText, accountsMarkdown, renderAccounts, type AccountsSummary } from '../output/accounts.js';
import { asJsonValue } from '../output/words.js';
import { ExitCode } from '../services/errors.js';
import { accountLabel, type AccountRun, type AccountsRun } from './accounts.js';
import { withAccountArgs } from '../commands/shared/account-fixes.js';

/**
 * Worst first: an interrupt, a bug, then AWS errors (an unreachable account is 4 or 5), configuration,
 * usage or consent, and a check that found problems; 4 only when every failure was a denial, as a
 * single account's run decides (failuresExitCode).
 */
const SEVERITY: readonly ExitCode[] = [
  ExitCode.Interrupted,
  ExitCode.Internal,
  ExitCode.AwsError,
  ExitCode.AccessDenied,
  ExitCode.Config,
  ExitCode.Usage,
  ExitCode.CheckFailed,
  ExitCode.Ok,
];

export function worstExitCode(codes: readonly ExitCode[]): ExitCode {
  return SEVERITY.find((c) => codes.includes(c)) ?? ExitCode.Ok;
}

/**
 * The run's exit code: the worst of the accounts', except that 2 ("nothing was changed": consent, usage)
 * is 5, a partial failure, when other accounts did their part.
 */
function runExitCode(runs: readonly AccountRun[], interrupted = false): ExitCode {
  const worst = worstExitCode([...runs.map((r) => r.exitCode), ...(interrupted ? [ExitCode.Interrupted] : [])]);
  return worst === ExitCode.Usage && runs.some(isOk) ? ExitCode.AwsError : worst;
}

/** The account ran and its command succeeded (a check that found problems is a result, not a failure). */
const isOk = (r: AccountRun) => r.status === 'done' && (r.exitCode === ExitCode.Ok || r.exitCode === ExitCode.CheckFailed);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A document without its `account` key (the entry, or the line, names the account already). */
const withoutAccount = (data: unknown): unknown => (isRecord(data) ? Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'account')) : data);

/** The account's own document, without its `account` key (the entry names the account first). */
function ownDocument(r: AccountRun): Record<string, unknown> {
  if (!r.outcome) return {};
  const data = asJsonValue(r.outcome.data);
  // A generator's document is the policy itself: it goes under `policy`, as `s3-policy generate --create` puts it.
  if (r.outcome.document || !isRecord(data)) return { policy: data };
  return withoutAccount(data) as Record<string, unknown>;
}

/**
 * A note that suggests `aws` commands: across accounts, each is for the account(s) it is said of, run
 * with that account's credentials (the aws CLI has no --accounts).
 */
function inEachAccount(note: string): string {
  return /(^|\n|: )aws [a-z]/.test(note) ? `${note}\n(Run the aws commands in each account concerned, with its credentials.)` : note;
}

/**
 * The ids asked for by name that no account holds: each account's run names those it did not find
 * (Outcome.notFound), and an id is missing when every account that answered names it. An account that
 * could not be read answers nothing, so an id is never declared missing on its behalf. Undefined when
 * the command asked for no ids.
 */
function missingEverywhere(runs: readonly AccountRun[]): string[] | undefined {
  const answers = runs.flatMap((r) => (r.outcome?.notFound ? [r.outcome.notFound] : []));
  if (answers.length === 0) return undefined;
  return answers[0]!.filter((id) => answers.every((ids) => ids.includes(id)));
}

/** The accounts' counts added up (Outcome.totals), with their line; null when the command counts nothing. */
function addedUp(runs: readonly AccountRun[]): { counts: Record<string, number>; line: string } | null {
  const parts = runs.flatMap((r) => (r.outcome?.totals ? [r.outcome.totals] : []));
  if (parts.length === 0) return null;
  const counts: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.counts)) counts[k] = (counts[k] ?? 0) + v;
  return { counts, line: `${parts[0]!.line(counts)} (${parts.length === 1 ? '1 account' : `${parts.length} accounts`} read)` };
}

/** What an id found nowhere costs, as the command says it in one account (doctor 6, profile attach 5). */
const missingExitCode = (runs: readonly AccountRun[]): ExitCode =>
  runs.find((r) => r.outcome?.notFoundExitCode !== undefined)?.outcome?.notFoundExitCode ?? ExitCode.CheckFailed;

/**
 * An account's Markdown with its own notes under it: a ticket pasted from it keeps what stderr said of
 * that account (how to run its aws fixes with its credentials, above all).
 */
function withNotes(r: AccountRun): string | null {
  const md = r.outcome?.markdown?.() ?? null;
  const notes = r.outcome?.notes ?? [];
  if (md === null || notes.length === 0) return md;
  return `${md.replace(/\n*$/, '')}\n\n${notes.map((n) => `> Note: ${n.replace(/\n/g, ' ')}`).join('\n>\n')}\n`;
}

/** `nextArgs`: the options that select the same accounts, added to the commands the notes suggest. */
export function accountsOutcome(result: AccountsRun, nextArgs: (only?: readonly string[]) => string, everyRegion = false): Outcome {
  const { runs, skipped } = result;
  const summary: AccountsSummary = {
    accounts: runs.length,
    ok: runs.filter(isOk).length,
    failed: runs.filter((r) => !isOk(r) && (r.status === 'done' || r.status === 'failed')).length,
    partial: runs.filter((r) => r.status === 'partial').length,
    notAttempted: runs.filter((r) => r.status === 'not-attempted').length,
    skipped: skipped.map((a) => ({ account: a.id, name: a.name, state: a.state })),
  };
  const notFound = missingEverywhere(runs);
  if (notFound) summary.notFound = notFound;
  const totals = addedUp(runs);
  if (totals) summary.totals = totals.counts;
  const view = { everyRegion, unread: runs.filter((r) => !r.outcome).map((r) => r.account.id), totalsLine: totals?.line ?? null };
  const data = {
    accounts: runs.map((r) => ({
      account: r.account.id,
      name: r.account.name,
      ok: isOk(r),
      status: r.status,
      exitCode: r.exitCode,
      error: r.error,
      ...ownDocument(r),
    })),
    summary,
  };
  const prefixed = (list: (o: Outcome) => string[] | undefined) =>
    runs.flatMap((r) => (r.outcome ? (list(r.outcome) ?? []).map((m) => `${accountLabel(r.account)}: ${m}`) : []));
  // A note every account gives alike (a next step, a reminder) is said once.
  const notes = [...new Set(runs.flatMap((r) => r.outcome?.notes ?? []))].map((n) => {
    const from = runs.filter((r) => r.outcome?.notes?.includes(n));
    const ids = from.map((r) => r.account.id);
    const note = inEachAccount(withAccountArgs(n, from.length === runs.length ? nextArgs() : nextArgs(ids)));
    return from.length === runs.length && runs.length > 1 ? note : `${from.map((r) => accountLabel(r.account)).join(', ')}: ${note}`;
  });
  const sections = runs.map((r) => ({
    id: r.account.id,
    name: r.account.name,
    status: r.status,
    text: r.outcome ? r.outcome.text : null,
    table: r.outcome?.table ?? null,
    error: r.error,
  }));
  const markdownable = runs.every((r) => !r.outcome || r.outcome.markdown);
  return {
    data,
    text: (style) => renderAccounts(sections, summary, view, style),
    awsText: () =>
      // Each line already begins with the account id: the document's own `account` is not repeated.
      accountsAwsText(
        runs.map((r) => ({ id: r.account.id, data: r.outcome ? withoutAccount(asJsonValue(r.outcome.data)) : { error: r.error, status: r.status } })),
      ),
    ...(markdownable
      ? {
          markdown: () =>
            accountsMarkdown(
              runs.map((r) => ({ id: r.account.id, name: r.account.name, markdown: withNotes(r), error: r.error })),
              summary,
              view,
            ),
        }
      : {}),
    // An id no account holds fails the run as it fails a run in one account (the command's own code).
    exitCode: notFound?.length ? worstExitCode([runExitCode(runs, result.interrupted), missingExitCode(runs)]) : runExitCode(runs, result.interrupted),
    warnings: [...result.warnings, ...prefixed((o) => o.warnings)],
    notes,
  };
}
