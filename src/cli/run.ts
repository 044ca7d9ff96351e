// Runs the CLI: parses argv (program.ts), builds the context a command runs in - the lazy client
// factory, the services' environment, consent - runs one command, and hands its outcome or error to
// print.ts. Only src/cli touches the process's streams and exit code.
import type { CommandDef, Context } from '../commands/types.js';
import { completionCommand, type CatalogEntry } from './completion.js';
import { createClientFactory, type CallRecord } from '../services/aws/clients.js';
import { ConsentError, ExitCode } from '../services/errors.js';
import { DEFAULT_REGION_CONCURRENCY, type ServiceEnv } from '../services/env.js';
import { realClock } from '../services/retry.js';
import { colorEnabled, createStyle } from '../output/style.js';
import { validateRegionTokens } from '../commands/shared/validate.js';
import { COMMANDS } from './commands.js';
import type { CliIO } from './io.js';
import { askYesNo } from './prompt.js';
import { resolveRegions } from './regions.js';
import { buildProgram, catalogOf, globalFlags, validateEndpoint } from './program.js';
import { handleError, printOutcome, printWarning, type Printer } from './print.js';

/** Runs the CLI; returns the exit code. */
export async function runCli(io: CliIO): Promise<number> {
  const argvJson = io.argv.includes('--json') || /(^|\s)(-o|--output)(\s+|=)json(\s|$)/.test(io.argv.join(' '));
  const noColorFlag = io.argv.includes('--no-color');
  const printer: Printer = {
    json: argvJson,
    style: createStyle(!argvJson && colorEnabled({ flagNoColor: noColorFlag, env: io.env, isTTY: io.stdout.isTTY === true })),
    errStyle: createStyle(colorEnabled({ flagNoColor: noColorFlag, env: io.env, isTTY: io.stderr.isTTY === true })),
  };
  const calls: CallRecord[] = [];
  let debug = false;
  let exitCode: number = ExitCode.Ok;

  let catalog: CatalogEntry[] = [];
  const onRun = async (def: CommandDef, o: Record<string, unknown>) => {
    // Once commander has parsed the flags, they decide the output form (`-ojson`, `-qo json`, and the
    // last of several `-o` win); the guess from argv above only serves errors raised before that.
    const parsedJson = o.json === true || o.output === 'json';
    printer.json = parsedJson;
    printer.style = createStyle(!parsedJson && colorEnabled({ flagNoColor: o.color === false, env: io.env, isTTY: io.stdout.isTTY === true }));
    const flags = globalFlags(o, validateRegionTokens((o.region as string[] | undefined) ?? []));
    debug = flags.debug;
    const endpoint = validateEndpoint(flags.endpointUrl);
    const services: ServiceEnv = {
      clients: createClientFactory({
        profile: flags.profile,
        endpoint,
        maxAttempts: o.maxAttempts as number | undefined,
        retryMode: o.retryMode as 'standard' | 'adaptive' | undefined,
        connectTimeoutSeconds: o.cliConnectTimeout as number | undefined,
        readTimeoutSeconds: o.cliReadTimeout as number | undefined,
        signal: io.signal,
        onCall: (c) => {
          calls.push(c);
          if (flags.debug) {
            io.stderr.write(`debug: ${c.service} ${c.operation} region=${c.region} ${c.ms}ms attempts=${c.attempts} ${c.error ?? 'ok'}\n`);
          }
        },
      }),
      signal: io.signal,
      clock: io.clock ?? realClock,
      progress: (e) => {
        if (flags.quiet) return;
        // Counters are for people watching a terminal: rewritten in place, and never in logs.
        if (e.kind === 'progress') {
          if (io.stderr.isTTY) io.stderr.write(`\r\u001b[2K${printer.errStyle.dim(e.message)}${e.done ? '\r\u001b[2K' : ''}`);
          return;
        }
        io.stderr.write(`${printer.errStyle.dim(e.kind === 'waiting' ? 'waiting:' : 'note:')} ${e.message}\n`);
      },
      regionConcurrency: DEFAULT_REGION_CONCURRENCY,
      propagationTimeoutMs: ((o.waitTimeout as number | undefined) ?? 120) * 1000,
    };
    const shownWarnings = new Set<string>();
    const canPrompt = !flags.noInput && io.stdin.isTTY === true && io.stderr.isTTY === true;
    const ctx: Context = {
      flags,
      services,
      canPrompt,
      regions: async (options) => (await resolveRegions(flags.regions, io.env, services, { ...options }))!,
      givenRegions: (options) => resolveRegions(flags.regions, io.env, services, { ...options, optional: true }),
      confirm: async (q) => {
        if (flags.yes) return true;
        if (!canPrompt) return false;
        return askYesNo(q, io.stdin, io.stderr, io.signal);
      },
      requireConsent: async (c) => {
        for (const w of c.warnings ?? []) {
          if (shownWarnings.has(w)) continue;
          printWarning(io, printer, w);
          shownWarnings.add(w);
        }
        if (await ctx.confirm(c.question)) return;
        const how = canPrompt ? `Answer y to ${c.answer}` : `Pass ${c.flags ?? '--yes'} to ${c.answer}`;
        throw new ConsentError('ConsentRequired', `${c.refused} without consent; nothing was changed`, `${how}${c.otherwise ?? ''}.`);
      },
    };
    const outcome = await def.run(o, ctx);
    printOutcome(io, printer, flags, { ...outcome, warnings: outcome.warnings?.filter((w) => !shownWarnings.has(w)) });
    exitCode = io.signal.aborted ? ExitCode.Interrupted : outcome.exitCode;
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
