// Printing a run's outcome and its errors, as the output contract says: the result on stdout, notes,
// warnings and errors on stderr (one JSON line with --json), and the exit code of each kind of error.
import { CommanderError } from 'commander';
import type { GlobalFlags, OutputFormat, Outcome } from '../commands/types.js';
import { awsText } from '../output/aws-text.js';
import { escapeControlsKeepLines } from '../output/escape.js';
import { fitCommand, hang } from '../output/table.js';
import { renderQueryTable } from '../output/query-table.js';
import { applyQuery } from './query.js';
import { batched, jsonPieces } from '../output/json-pieces.js';
import { redactSecrets } from '../services/aws/redact.js';
import { ExitCode, isSsmPermsError, type ErrorInfo } from '../services/errors.js';
import type { Style } from '../output/style.js';
import type { CliIO } from './io.js';

export interface Printer {
  style: Style;
  errStyle: Style;
  /** Errors as one JSON line (-o json / --json). */
  json: boolean;
  output: OutputFormat;
  query?: string;
}

/**
 * One message on stderr: its label, then the text - escaped (messages quote AWS: a role name, a tag,
 * AWS's own words, and no control character may reach the terminal) and, on a terminal, wrapped
 * under itself to stderr's width. Line breaks in the text are kept.
 */
export function labelled(p: Printer, label: string, paint: (s: string) => string, text: string): string {
  const body = escapeControlsKeepLines(text)
    .split('\n')
    .map((line, k) => (k > 0 && COMMAND.test(line) ? fitCommand(line, p.errStyle.width, '  ') : hang(line, p.errStyle.width, label.length + 1)))
    .join('\n');
  return `${paint(label)} ${body}\n`;
}

/**
 * A line of a message that is a command to paste (messages put them on a line of their own): fitted
 * as a command - line continuations, never broken inside quotes - rather than wrapped as prose.
 */
const COMMAND = /^(aws|ssm-perms) [a-z]/;

/**
 * A question for the prompt, each line wrapped at stderr's width on a terminal (`[y/N]` follows the last
 * line): a line indented by its own spaces (an account's question in a run across accounts) keeps its
 * wrapped lines two columns further in.
 */
export function fitQuestion(p: Printer, question: string): string {
  return escapeControlsKeepLines(question)
    .split('\n')
    .map((line) => {
      const lead = /^ */.exec(line)![0];
      return lead + hang(line.slice(lead.length), p.errStyle.width, lead.length ? lead.length + 2 : 0);
    })
    .join('\n');
}

export function printError(io: CliIO, p: Printer, info: ErrorInfo): void {
  if (p.json) {
    io.stderr.write(JSON.stringify({ error: info }) + '\n');
    return;
  }
  io.stderr.write(labelled(p, 'error:', p.errStyle.bad, info.message));
  if (info.hint) io.stderr.write(labelled(p, 'hint:', p.errStyle.dim, info.hint));
}

export function printWarning(io: CliIO, p: Printer, warning: string): void {
  io.stderr.write(labelled(p, 'warning:', p.errStyle.warn, warning));
}

/**
 * The result in the format asked: the JSON document (after --query), the AWS CLI's text format of
 * it, or the command's own table - or, after --query, a plain table of what the query selected.
 */
export function renderOutcome(p: Printer, outcome: Outcome): string {
  if (p.output === 'table' && p.query === undefined) return outcome.text(p.style);
  if (p.output === 'markdown' && outcome.markdown) return outcome.markdown();
  if (p.output === 'text' && p.query === undefined && outcome.awsText) return outcome.awsText();
  const data = applyQuery(outcome.data, p.query);
  if (p.output === 'json') return JSON.stringify(data ?? null, null, 2) + '\n';
  if (p.output === 'text') return awsText(data);
  return renderQueryTable(data, p.style);
}

/**
 * Writes `chunk`; when the stream says its buffer is full, resolves once it has drained - or has closed or
 * failed (a reader that stopped early: `| head -1`), so a closed pipe never leaves the run waiting.
 */
async function written(stream: CliIO['stdout'], chunk: string): Promise<void> {
  if (stream.write(chunk) !== false || !stream.once || stream.destroyed) return;
  await new Promise<void>((resolve) => {
    const events = ['drain', 'close', 'error'] as const;
    const done = () => {
      for (const e of events) stream.removeListener?.(e, done);
      resolve();
    };
    for (const e of events) stream.once!(e, done);
  });
}

export async function printOutcome(io: CliIO, p: Printer, flags: GlobalFlags, outcome: Outcome): Promise<void> {
  if (p.output === 'json') {
    // In pieces: a large document's text is never held whole (doctor over a large fleet). Writes to a pipe
    // are queued in memory by Node when the reader is slower ("writable.write() ... returns false ... wait
    // for the 'drain' event", Node's stream documentation), so each waits for the queue to drain.
    for (const chunk of batched(jsonPieces(applyQuery(outcome.data, p.query) ?? null))) await written(io.stdout, chunk);
    io.stdout.write('\n');
  } else io.stdout.write(renderOutcome(p, outcome));
  for (const w of outcome.warnings ?? []) printWarning(io, p, w);
  if (!flags.quiet) for (const n of outcome.notes ?? []) io.stderr.write(labelled(p, 'note:', p.errStyle.dim, n));
}

export function handleError(e: unknown, io: CliIO, printer: Printer): number {
  if (e instanceof CommanderError) {
    if (['commander.helpDisplayed', 'commander.version'].includes(e.code)) return ExitCode.Ok;
    // A group without its subcommand ("ssm-perms dhmc") has printed its help on stderr: a usage error.
    if (e.code === 'commander.help') return e.exitCode === ExitCode.Ok ? ExitCode.Ok : ExitCode.Usage;
    const message = e.message.replace(/^error:\s*/, '');
    printError(io, printer, { code: 'UsageError', message, hint: 'Run ssm-perms --help (or ssm-perms <command> --help) for usage.' });
    return ExitCode.Usage;
  }
  if (isSsmPermsError(e)) {
    printError(io, printer, e.info);
    return io.signal.aborted ? ExitCode.Interrupted : e.exitCode;
  }
  const err = e as Error;
  printError(io, printer, {
    code: 'InternalError',
    // An error that escaped translation may still quote a signed request: redact it as AWS messages are.
    message: `internal error: ${redactSecrets(err?.message ?? String(e))}`,
    hint: 'This is a bug in ssm-perms; please report it with the output of --debug.',
  });
  if (io.env.SSM_PERMS_STACK) io.stderr.write(`${err?.stack ?? ''}\n`);
  return ExitCode.Internal;
}
