// Printing a run's outcome and its errors, as the output contract says: the result on stdout, notes,
// warnings and errors on stderr (one JSON line with --json), and the exit code of each kind of error.
import { CommanderError } from 'commander';
import type { GlobalFlags, Outcome } from '../commands/types.js';
import { redactSecrets } from '../services/aws/redact.js';
import { ExitCode, isSsmPermsError, type ErrorInfo } from '../services/errors.js';
import type { Style } from '../output/style.js';
import type { CliIO } from './io.js';

export interface Printer {
  style: Style;
  errStyle: Style;
  json: boolean;
}

export function printError(io: CliIO, p: Printer, info: ErrorInfo): void {
  if (p.json) {
    io.stderr.write(JSON.stringify({ error: info }) + '\n');
    return;
  }
  io.stderr.write(`${p.errStyle.bad('error:')} ${info.message}\n`);
  if (info.hint) io.stderr.write(`${p.errStyle.dim('hint:')} ${info.hint}\n`);
}

export function printWarning(io: CliIO, p: Printer, warning: string): void {
  io.stderr.write(`${p.errStyle.warn('warning:')} ${warning}\n`);
}

export function printOutcome(io: CliIO, p: Printer, flags: GlobalFlags, outcome: Outcome): void {
  io.stdout.write(p.json ? JSON.stringify(outcome.data, null, 2) + '\n' : outcome.text(p.style));
  for (const w of outcome.warnings ?? []) printWarning(io, p, w);
  if (!flags.quiet) for (const n of outcome.notes ?? []) io.stderr.write(`${p.errStyle.dim('note:')} ${n}\n`);
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
