// The result of a run across accounts, as text: each account's own result under a heading that names
// it, an account that has none with its error, then one line that counts them. `--output text` lines
// begin with the account id, so `grep`/`awk` can tell the accounts apart.
import type { ErrorInfo } from '../services/errors.js';
import { awsText } from './aws-text.js';
import { escapeControls } from './escape.js';
import type { Style } from './style.js';
import { fitText, hang, table, type Column, type TablePart } from './table.js';
import { plural, regionalAdvice } from './words.js';

export interface AccountSection {
  id: string;
  name: string | null;
  status: 'done' | 'partial' | 'failed' | 'not-attempted';
  /** The account's own rendering, when it has a result. */
  text: ((style: Style) => string) | null;
  /** Its table, when its result is a row per region: then one table holds every account's rows. */
  table: ((style: Style) => TablePart) | null;
  error: ErrorInfo | null;
}

export interface AccountsSummary {
  accounts: number;
  ok: number;
  failed: number;
  /** Interrupted (Ctrl-C) while it ran: some of its work may be done. */
  partial: number;
  notAttempted: number;
  skipped: { account: string; name: string | null; state: string | null }[];
  /** Ids asked for by name (doctor --instance-id) that no account read holds; absent when none was asked for. */
  notFound?: string[];
  /** What the accounts' results count, added up (doctor: its verdicts); absent for other commands. */
  totals?: Record<string, number>;
}

const heading = (a: Pick<AccountSection, 'id' | 'name'>) => `account ${a.id}${a.name ? ` (${escapeControls(a.name)})` : ''}`;

function errorLines(error: ErrorInfo, style: Style): string[] {
  const lines = [`  ${style.bad(hang(escapeControls(`${error.code}: ${error.message}`), style.width, 2))}`];
  if (error.hint) lines.push(`  hint: ${hang(escapeControls(error.hint), style.width, 8)}`);
  return lines;
}

export function summaryLine(s: AccountsSummary): string {
  const parts = [`${s.ok} ok`, `${s.failed} failed`];
  if (s.partial) parts.push(`${s.partial} partial`);
  if (s.notAttempted) parts.push(`${s.notAttempted} not attempted`);
  const skipped = s.skipped.length ? `; ${s.skipped.length} skipped (${s.skipped.map((a) => `${a.account} ${a.state ?? ''}`.trim()).join(', ')})` : '';
  return `${plural(s.accounts, 'account')}: ${parts.join(', ')}${skipped}`;
}

/** What the run's closing lines need beyond the summary document. */
export interface AccountsView {
  /** --region all was given: the advice to add it would be noise. */
  everyRegion: boolean;
  /** Accounts that gave no result (not entered, failed, not attempted): an id asked for may be in one. */
  unread: string[];
  /** The line of the totals (`in all, 1,234 instances: ...`), when the command counts something. */
  totalsLine?: string | null;
}

/** The ids asked for by name that no account read holds (doctor, profile attach --instance-id), or null. */
export function notFoundLine(s: AccountsSummary, view: AccountsView): string | null {
  if (!s.notFound?.length) return null;
  const them = s.notFound.length === 1 ? 'it' : 'them';
  const unread = view.unread.length ? `; ${view.unread.join(', ')} could not be read and may hold ${them}` : '';
  return `not found in any account read (or terminated): ${s.notFound.join(', ')}${unread}${regionalAdvice(view.everyRegion)}`;
}

/** The summary line, then the ids found nowhere (in red, wrapped on a terminal). */
function closing(s: AccountsSummary, view: AccountsView, style: Style): string[] {
  const missing = notFoundLine(s, view);
  return [
    summaryLine(s),
    ...(view.totalsLine ? [fitText(view.totalsLine, style.width, '  ')] : []),
    ...(missing ? [style.bad(fitText(escapeControls(missing), style.width, '  '))] : []),
  ];
}

export function renderAccounts(sections: readonly AccountSection[], summary: AccountsSummary, view: AccountsView, style: Style): string {
  const withResult = sections.filter((a) => a.text);
  if (withResult.length > 0 && withResult.every((a) => a.table)) return oneTable(sections, summary, view, style);
  const out: string[] = [];
  for (const b of alike(sections, (a) => (a.text ? a.text(style).replace(/\n$/, '') : null), style)) out.push(...b, '');
  out.push(...closing(summary, view, style));
  return out.join('\n') + '\n';
}

const ACCOUNT = '\u0000';

/**
 * Each account's block - its heading, then what it says (`body`, or its error) - with the accounts that
 * say the same thing in one block under one heading naming them all: thirty accounts whose role cannot
 * be assumed, or with no instance, are one block, not thirty. An error is compared with the account's
 * own id taken out; said of several, `--accounts <id>` in it names them all and any other mention of
 * the id reads <account>.
 */
function alike(sections: readonly AccountSection[], body: (a: AccountSection) => string | null, style: Style): string[][] {
  const groups = new Map<string, { members: AccountSection[]; text: string | null; error: ErrorInfo | null }>();
  for (const a of sections) {
    // Compared with the account's own id taken out: plans that differ only in the ARNs they name are alike.
    const own = body(a);
    const text = own === null ? null : withoutOwnId(own, a.id);
    const error = text === null && a.error ? withoutId(a.error, a.id) : null;
    const key = JSON.stringify([a.status, text, error, text === null && !error ? a.id : null]);
    const g = groups.get(key);
    if (g) g.members.push(a);
    else groups.set(key, { members: [a], text, error });
  }
  return [...groups.values()].map(({ members, text, error }) => {
    const first = members[0]!;
    const ids = members.map((m) => m.id);
    const title =
      members.length === 1
        ? style.bold(heading(first)) + mark(first, style)
        : style.bold(hang(`${members.length} accounts: ${namedList(members)}`, style.width, 2)) + mark(first, style);
    const lines = text !== null ? [withIdsIn(text, ids)] : error ? errorLines(withIds(error, ids), style) : [];
    return [title, ...lines];
  });
}

/** A text with its account's own id taken out, to compare it with another account's. */
const withoutOwnId = (text: string, id: string): string => text.split(id).join(ACCOUNT);

/** A text compared without its account's id: said of one account, the id is back; of several, <account> (no line grows). */
const withIdsIn = (text: string, ids: readonly string[]): string => text.split(ACCOUNT).join(ids.length === 1 ? ids[0]! : '<account>');

/** Up to six accounts by id and name; more, the first five ids and how many others (the JSON has each). */
function namedList(members: readonly { id: string; name: string | null }[]): string {
  if (members.length <= 6) return members.map((m) => heading(m).slice('account '.length)).join(', ');
  return `${members
    .slice(0, 5)
    .map((m) => m.id)
    .join(', ')} and ${members.length - 5} more`;
}

/**
 * `accounts: text` lines, one per distinct text once each account's own id is taken out of it (the run's
 * one consent question): thirty accounts turning DHMC off alike are one line naming them.
 */
export function saidOnce(items: readonly { account: { id: string; name: string | null }; text: string }[]): string[] {
  const groups = new Map<string, { id: string; name: string | null }[]>();
  for (const { account, text } of items) {
    const key = withoutOwnId(text, account.id);
    groups.set(key, [...(groups.get(key) ?? []), account]);
  }
  return [...groups].map(
    ([key, accounts]) =>
      `${namedList(accounts)}: ${withIdsIn(
        key,
        accounts.map((a) => a.id),
      )}`,
  );
}

const withoutId = (e: ErrorInfo, id: string): ErrorInfo => ({
  code: e.code,
  message: e.message.split(id).join(ACCOUNT),
  hint: e.hint === null ? null : e.hint.split(id).join(ACCOUNT),
});

function withIds(e: ErrorInfo, ids: readonly string[]): ErrorInfo {
  const put = (s: string) =>
    s
      .split(`--accounts ${ACCOUNT}`)
      .join(`--accounts ${ids.join(',')}`)
      .split(ACCOUNT)
      .join(ids.length === 1 ? ids[0]! : '<account>');
  return { code: e.code, message: put(e.message), hint: e.hint === null ? null : put(e.hint) };
}

const mark = (a: AccountSection, style: Style) => (a.status === 'done' ? '' : ` ${style.bad(a.status === 'not-attempted' ? 'not attempted' : a.status)}`);

/**
 * Results with a row per region, as one table with the account first (NAME is the first column to go on
 * a narrow terminal); under it, what each account has to say below its rows, then the accounts that have
 * no result, with their errors.
 */
function oneTable(sections: readonly AccountSection[], summary: AccountsSummary, view: AccountsView, style: Style): string {
  const parts = sections.map((a) => ({ a, t: a.table ? a.table(style) : null }));
  const first = parts.find((p) => p.t)!.t!;
  const named = sections.some((a) => a.name);
  // The account id is copied from the table whole (12 digits); the account's name is told from an
  // instance's Name tag by its header.
  const columns: Column[] = [{ header: 'ACCOUNT', min: 12 }, ...(named ? [{ header: 'ACCOUNT NAME', drop: 9, min: 8 }] : []), ...first.columns];
  const rows = parts.flatMap(({ a, t }) => (t ? t.rows.map((r) => [a.id, ...(named ? [a.name ?? '-'] : []), ...r]) : []));
  // No account has a row (nothing matched anywhere): no header standing over nothing.
  const out = rows.length ? [table(columns, rows, style.width).replace(/\n$/, '')] : [];
  // Each block after the first follows a blank line.
  const block = (...lines: string[]) => out.push(...(out.length ? [''] : []), ...lines);
  const saying = parts.filter(({ t }) => !t || t.after.trim() !== '');
  const after = new Map(saying.map(({ a, t }) => [a, t ? t.after.replace(/^\n+/, '').replace(/\n$/, '') : null]));
  for (const b of alike(
    saying.map(({ a }) => a),
    (a) => after.get(a) ?? null,
    style,
  ))
    block(...b);
  block(...closing(summary, view, style));
  return out.join('\n') + '\n';
}

/** `--output text`: each account's lines, each beginning with the account id and a tab. */
export function accountsAwsText(entries: readonly { id: string; data: unknown }[]): string {
  return entries
    .map(({ id, data }) =>
      awsText(data)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => `${id}\t${l}\n`)
        .join(''),
    )
    .join('');
}

/** -o markdown (doctor): each account's report under a heading of its own. */
export function accountsMarkdown(
  sections: readonly { id: string; name: string | null; markdown: string | null; error: ErrorInfo | null }[],
  summary: AccountsSummary,
  view: AccountsView,
): string {
  const missing = notFoundLine(summary, view);
  return (
    sections
      .map((a) => {
        const body = a.markdown ?? (a.error ? `**${a.error.code}**: ${a.error.message}${a.error.hint ? `\n\n${a.error.hint}` : ''}\n` : '');
        // The account's report one level down: its own top heading (##) becomes ###.
        return `## ${heading(a)}\n\n${body.replace(/^(#{1,5}) /gm, '#$1 ')}`;
      })
      .join('\n') + `\n${summaryLine(summary)}\n${view.totalsLine ? `${view.totalsLine}\n` : ''}${missing ? `${missing}\n` : ''}`
  );
}
