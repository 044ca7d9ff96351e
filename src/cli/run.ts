// Parses argv, builds the context, runs one command, prints its outcome, and maps every error to
// an exit code (the README's global options, output and exit codes). The only code that knows about
// streams and exit codes.
import { Command, CommanderError, Option } from 'commander';
import type { CommandDef, Context, GlobalFlags, Outcome } from '../commands/types.js';
import { completionCommand, type CatalogEntry } from './completion.js';
import { createClientFactory, type CallRecord } from '../services/aws/clients.js';
import { redactSecrets } from '../services/aws/redact.js';
import { ConsentError, ExitCode, isSsmPermsError, UsageError, type ErrorInfo } from '../services/errors.js';
import { DEFAULT_REGION_CONCURRENCY, type ServiceEnv } from '../services/env.js';
import { realClock } from '../services/retry.js';
import { colorEnabled, createStyle, type Style } from '../output/style.js';
import { validateRegionTokens, validateWholeNumber } from '../commands/shared/validate.js';
import { COMMANDS, GROUPS } from './commands.js';
import type { CliIO } from './io.js';
import { askYesNo } from './prompt.js';
import { resolveRegions } from './regions.js';
import { VERSION } from './version.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const collectRegions = (value: string, previous: string[] = []) => [...previous, ...value.split(',')];

const positiveInt = (name: string, max: number) => (value: string) => validateWholeNumber(value, name, 1, max);
/** --cli-connect-timeout / --cli-read-timeout: whole seconds as in the AWS CLI, 0 = no timeout; at most a day. */
const timeoutSeconds = (name: string) => (value: string) => validateWholeNumber(value, name, 0, 86_400);

function buildProgram(io: CliIO, commands: readonly CommandDef[], onRun: (def: CommandDef, opts: Record<string, unknown>) => Promise<void>): Command {
  const program = new Command('ssm-perms')
    .description(
      'Configure the permissions AWS Systems Manager needs on EC2 instances: Default Host Management ' +
        'Configuration per region, the admin policy that guards it, and more.',
    )
    .version(VERSION, '-V, --version')
    .option('-r, --region <region>', 'region(s): repeatable or comma-separated; "all" = every enabled region', collectRegions)
    .option('-p, --profile <name>', 'shared-config profile (default: AWS_PROFILE)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (AWS_ENDPOINT_URL[_<SERVICE>] also work)')
    .option('--json', 'print exactly one JSON document on stdout')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']))
    .option('--dry-run', 'read the current state and print the plan; change nothing')
    .option('-y, --yes', 'confirm changes that replace or remove something')
    .option('--no-input', 'never prompt')
    .option('--no-color', 'no colour (also NO_COLOR, TERM=dumb, or output not a terminal)')
    .option('-q, --quiet', 'print less on stderr (no notes or progress)')
    .option('--debug', 'print every AWS call (service, operation, region, ms, attempts) on stderr')
    .option('--max-attempts <n>', 'attempts per AWS call, including SDK retries (default 3)', positiveInt('--max-attempts', 20))
    .addOption(new Option('--retry-mode <mode>', 'SDK retry mode').choices(['standard', 'adaptive']))
    .option('--cli-connect-timeout <seconds>', 'seconds to wait for a connection to AWS; 0 = no limit (default 60)', timeoutSeconds('--cli-connect-timeout'))
    .option(
      '--cli-read-timeout <seconds>',
      'seconds to wait for AWS to send data on an open connection; 0 = no limit (default 60)',
      timeoutSeconds('--cli-read-timeout'),
    )
    .option('--wait-timeout <seconds>', 'how long to wait for IAM to propagate a new role (default 120)', positiveInt('--wait-timeout', 3600))
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {
        /* reported by runCli in the tool's own error format */
      },
    });

  const parents = new Map<string, Command>();
  for (const def of commands) {
    const [group, leaf] = def.path as [string, string | undefined];
    let parent = program;
    if (leaf !== undefined) {
      let made = parents.get(group);
      if (!made) {
        made = program.command(group).description(GROUPS[group] ?? '');
        made.exitOverride().configureOutput(program.configureOutput());
        parents.set(group, made);
      }
      parent = made;
    }
    const cmd = parent.command(leaf ?? group).description(def.summary);
    cmd.exitOverride().configureOutput(program.configureOutput());
    for (const o of def.options) {
      if (o.kind === 'repeatable') cmd.option(o.flags, o.description, collect);
      else cmd.option(o.flags, o.description);
    }
    cmd.addHelpText(
      'after',
      `\nExamples:\n${def.examples.map((e) => `  $ ${e}`).join('\n')}\n\nIAM permissions:\n${def.permissions.map((p) => `  ${p}`).join('\n')}\n`,
    );
    if (def.positional) {
      const name = def.positional.replace(/[<>[\]]/g, '');
      cmd.argument(def.positional);
      cmd.action(async (value: string, _o: unknown, c: Command) => onRun(def, { ...c.optsWithGlobals(), [name]: value }));
    } else {
      cmd.action(async (_o: unknown, c: Command) => onRun(def, c.optsWithGlobals()));
    }
  }
  return program;
}

/** Every command's flags, for shell completion (global options under path []). */
function catalogOf(program: Command, commands: readonly CommandDef[]): CatalogEntry[] {
  const flags = (c: Command) => c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
  const out: CatalogEntry[] = [{ path: [], flags: flags(program) }];
  for (const def of commands) {
    const names = def.path;
    let c: Command | undefined = program;
    for (const n of names) c = c?.commands.find((x) => x.name() === n);
    if (c) out.push({ path: names, flags: flags(c) });
  }
  return out;
}

function globalFlags(o: Record<string, unknown>, argvRegions: string[]): GlobalFlags {
  return {
    regions: argvRegions,
    profile: o.profile as string | undefined,
    endpointUrl: o.endpointUrl as string | undefined,
    json: o.json === true || o.output === 'json',
    dryRun: o.dryRun === true,
    yes: o.yes === true,
    noInput: o.input === false,
    quiet: o.quiet === true,
    debug: o.debug === true,
  };
}

function validateEndpoint(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new UsageError('InvalidEndpoint', `invalid --endpoint-url ${JSON.stringify(url)}: must be an http:// or https:// URL`, null);
  }
  return url;
}

interface Printer {
  style: Style;
  errStyle: Style;
  json: boolean;
}

function printError(io: CliIO, p: Printer, info: ErrorInfo): void {
  if (p.json) {
    io.stderr.write(JSON.stringify({ error: info }) + '\n');
    return;
  }
  io.stderr.write(`${p.errStyle.bad('error:')} ${info.message}\n`);
  if (info.hint) io.stderr.write(`${p.errStyle.dim('hint:')} ${info.hint}\n`);
}

function printOutcome(io: CliIO, p: Printer, flags: GlobalFlags, outcome: Outcome): void {
  io.stdout.write(p.json ? JSON.stringify(outcome.data, null, 2) + '\n' : outcome.text(p.style));
  for (const w of outcome.warnings ?? []) io.stderr.write(`${p.errStyle.warn('warning:')} ${w}\n`);
  if (!flags.quiet) for (const n of outcome.notes ?? []) io.stderr.write(`${p.errStyle.dim('note:')} ${n}\n`);
}

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
        if (await ctx.confirm(c.question)) return;
        const how = canPrompt ? `Answer y to ${c.answer}` : `Pass ${c.flags ?? '--yes'} to ${c.answer}`;
        throw new ConsentError('ConsentRequired', `${c.refused} without consent; nothing was changed`, `${how}${c.otherwise ?? ''}.`);
      },
    };
    const outcome = await def.run(o, ctx);
    printOutcome(io, printer, flags, outcome);
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

function handleError(e: unknown, io: CliIO, printer: Printer): number {
  if (e instanceof CommanderError) {
    if (['commander.helpDisplayed', 'commander.version'].includes(e.code)) return ExitCode.Ok;
    // A group without its subcommand ("ssm-perms dhmc") has printed its help on stderr: a usage error.
    if (e.code === 'commander.help') return e.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
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
