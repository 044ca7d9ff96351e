// Runs the CLI: parses argv (program.ts), builds the context a command runs in (context.ts), runs one
// command, and hands its outcome or error to print.ts. Only src/cli touches the process's streams and
// exit code.
import type { CommandDef, Outcome, RawOptions } from '../commands/types.js';
import { completionCommand, type CatalogEntry } from './completion.js';
import type { CallRecord } from '../services/aws/clients.js';
import { AbortedError, AccessDeniedError, AwsServiceError, ConfigError, ExitCode, UsageError, type SsmPermsError } from '../services/errors.js';
import { colorEnabled, createStyle, outputWidth } from '../output/style.js';
import { COMMANDS } from './commands.js';
import { createContext } from './context.js';
import type { CliIO } from './io.js';
import { buildProgram, catalogOf, parseGlobals } from './program.js';
import { handleError, printOutcome, type Printer } from './print.js';
import { loadQuery } from './query.js';
import { loadDisplayWidth } from '../output/width.js';
import { runAcrossAccounts } from './accounts.js';
import { accountsOutcome, worstExitCode } from './accounts-outcome.js';
import type { AccountRun } from './accounts.js';
import type { CommandContext } from './context.js';
import { homeRegion } from './regions.js';
import { accountArgs } from '../commands/shared/account-flags.js';
import { askedEveryRegion } from '../commands/shared/scope.js';

/** The error of a combined document some accounts could not give their part of: the worst of theirs. */
function combinedIncomplete(missing: readonly AccountRun[]): SsmPermsError {
  const which = missing.map((r) => `${r.account.id}: ${r.error?.code ?? 'NotAttempted'}${r.error ? ` (${r.error.message})` : ''}`).join('; ');
  const message = `no combined document: ${missing.length} of the accounts gave no result - ${which}`;
  const hint = missing.find((r) => r.error?.hint)?.error?.hint ?? 'Fix those accounts, or leave them out with --exclude-accounts, and run the command again.';
  const code = worstExitCode(missing.map((r) => r.exitCode));
  if (code === ExitCode.Interrupted) return new AbortedError('Interrupted', message, hint);
  if (code === ExitCode.AccessDenied) return new AccessDeniedError(missing[0]!.error?.code ?? 'AccessDenied', message, hint, null);
  if (code === ExitCode.Config) return new ConfigError(missing[0]!.error?.code ?? 'ConfigError', message, hint);
  return new AwsServiceError(missing[0]!.error?.code ?? 'AwsError', message, hint);
}

/** --accounts: the command in each selected account, as one outcome (or the command's combined one). */
async function acrossAccounts(def: CommandDef, o: RawOptions, made: CommandContext): Promise<Outcome> {
  const home = await homeRegion(made.ctx);
  const result = await runAcrossAccounts(def, o, made, home);
  const done = result.runs.filter((r) => r.outcome).map((r) => ({ account: r.account.id, outcome: r.outcome! }));
  if (def.combines?.(o) && def.combineAccounts) {
    // One document for every account (--combined) is not made of some of them: no document, the reason.
    const missing = result.runs.filter((r) => !r.outcome);
    if (missing.length > 0) throw combinedIncomplete(missing);
    return def.combineAccounts(done);
  }
  const flags = made.ctx.flags.accounts!;
  return accountsOutcome(result, (only) => accountArgs(flags, only), askedEveryRegion(made.ctx));
}

/**
 * Whether argv asks for JSON, for errors raised before commander has parsed it (an unknown option):
 * `--json`, `--output json|=json`, and the short forms `-o json`, `-ojson`, `-qo json`, `-qojson`
 * (only -q and -y take no value, so only they can stand before -o in one cluster). The last output
 * option wins, as in the parser.
 */
export function jsonAskedInArgv(argv: readonly string[]): boolean {
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--json') json = true;
    else if (a === '--output' || /^-[qy]*o$/.test(a)) json = argv[i + 1] === 'json';
    else if (a.startsWith('--output=')) json = a === '--output=json';
    else {
      // A cluster of the boolean short flags (-q, -y) ending in -o with its value attached: `-qojson`.
      const short = /^-[qy]*o(.+)$/.exec(a);
      if (short) json = short[1] === 'json';
    }
  }
  return json;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(io: CliIO): Promise<number> {
  const argvJson = jsonAskedInArgv(io.argv);
  const noColorFlag = io.argv.includes('--no-color');
  const width = outputWidth(io.stdout, io.env);
  const printer: Printer = {
    json: argvJson,
    output: argvJson ? 'json' : 'table',
    style: createStyle(!argvJson && colorEnabled({ flagNoColor: noColorFlag, env: io.env, isTTY: io.stdout.isTTY === true }), width),
    // Messages on stderr wrap to its width on a terminal only (a log keeps each message on one line).
    errStyle: createStyle(
      colorEnabled({ flagNoColor: noColorFlag, env: io.env, isTTY: io.stderr.isTTY === true }),
      io.stderr.isTTY === true ? outputWidth(io.stderr, io.env) : undefined,
    ),
  };
  const calls: CallRecord[] = [];
  let debug = false;
  let exitCode: number = ExitCode.Ok;

  let catalog: CatalogEntry[] = [];
  const onRun = async (def: CommandDef, o: RawOptions) => {
    const globals = parseGlobals(o);
    // Once commander has parsed the flags, they decide the output form (`-ojson`, `-qo json`, and the
    // last of several `-o` win); the guess from argv above only serves errors raised before that.
    printer.json = globals.flags.json;
    printer.output = globals.flags.output;
    // A query is compiled now: a malformed one stops the run before any AWS call.
    if (globals.flags.query !== undefined) await loadQuery(globals.flags.query);
    printer.query = globals.flags.query;
    // Display widths (string-width) are loaded only where something is measured: messages and the
    // progress line on a terminal, and the tables; the generators' documents and JSON measure nothing.
    if (io.stderr.isTTY === true) await loadDisplayWidth();
    // Colour only in the command's own table: text and JSON are for programs.
    const colour = globals.flags.output === 'table' && colorEnabled({ flagNoColor: !globals.color, env: io.env, isTTY: io.stdout.isTTY === true });
    printer.style = createStyle(colour, width);
    debug = globals.flags.debug;
    if (globals.flags.output === 'markdown' && !def.markdown) {
      throw new UsageError('UnsupportedOutput', `${def.path.join(' ')} has no Markdown form (-o markdown is for doctor)`, 'Use -o table, text or json.');
    }
    if (globals.flags.output === 'markdown' && globals.flags.query !== undefined) {
      throw new UsageError(
        'UnsupportedOutput',
        '--query selects from the JSON result; -o markdown prints the whole report',
        'Use --query with -o json, text or table.',
      );
    }
    const made = createContext(io, printer, globals, calls);
    const { ctx, shownWarnings } = made;
    const outcome = globals.flags.accounts ? await acrossAccounts(def, o, made) : await def.run(o, ctx);
    if (printer.output === 'table' && !(outcome.document && printer.query === undefined)) await loadDisplayWidth();
    exitCode = io.signal.aborted ? ExitCode.Interrupted : outcome.exitCode;
    try {
      await printOutcome(io, printer, globals.flags, { ...outcome, warnings: outcome.warnings?.filter((w) => !shownWarnings.has(w)) });
    } catch (e) {
      // A --query that fails on this result: the error, and the worse of the two exit codes.
      exitCode = Math.max(exitCode, handleError(e, io, printer));
    }
  };

  try {
    // Every command, completion included, whose catalog is commander's view of all of them.
    const commands = [...COMMANDS, completionCommand(() => catalog)];
    const program = buildProgram(io, commands, onRun);
    catalog = catalogOf(program, commands);
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (e) {
    exitCode = handleError(e, io, printer);
  }
  if (debug && calls.length > 0) {
    const byOp = new Map<string, number>();
    for (const c of calls) byOp.set(`${c.service}:${c.operation}`, (byOp.get(`${c.service}:${c.operation}`) ?? 0) + 1);
    const list = [...byOp].map(([op, n]) => `${op} ${n}`).join(', ');
    io.stderr.write(`debug: ${calls.length} AWS call${calls.length === 1 ? '' : 's'} (${list})\n`);
  }
  return exitCode;
}
