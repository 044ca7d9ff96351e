// The commander program: every command and global option, with help, examples and IAM permissions,
// and the flags as the commands read them. Parsing only: running and printing are run.ts and print.ts.
import { Command, Option } from 'commander';
import type { CommandDef, GlobalFlags, RawOptions } from '../commands/types.js';
import { stringList } from '../commands/define.js';
import type { CatalogEntry } from './completion.js';
import { UsageError } from '../services/errors.js';
import { validateRegionTokens, validateWholeNumber } from '../commands/shared/validate.js';
import { GROUPS } from './commands.js';
import { DEFAULT_ACCOUNT_CONCURRENCY, DEFAULT_ORG_ROLE, DEFAULT_SESSION_NAME, parseAccountFlags } from '../commands/shared/account-flags.js';
import type { CliIO } from './io.js';
import { VERSION } from './version.js';
import { labelled } from '../output/table.js';
import { outputWidth } from '../output/style.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const collectRegions = (value: string, previous: string[] = []) => [...previous, ...value.split(',')];

const positiveInt = (name: string, max: number) => (value: string) => validateWholeNumber(value, name, 1, max);
/** --cli-connect-timeout / --cli-read-timeout: whole seconds as in the AWS CLI, 0 = no timeout; at most a day. */
const timeoutSeconds = (name: string) => (value: string) => validateWholeNumber(value, name, 0, 86_400);

/** Real command lines for the top-level help, as `gh --help` and `aws help` show them; a test parses each one. */
const TOP_LEVEL_EXAMPLES = [
  'ssm-perms doctor --region us-east-1,us-east-2',
  'ssm-perms dhmc status --region all',
  'ssm-perms dhmc enable --region us-east-1,eu-west-1 --dry-run',
  'ssm-perms dhmc enable --accounts all --region all --dry-run',
  'ssm-perms profile create --name SSMInstanceProfile',
  'ssm-perms profile attach --name SSMInstanceProfile --tag Env=prod --region us-east-1 --dry-run',
  'ssm-perms admin-policy generate --account 111122223333 --region us-east-2 > dhmc-admin.json',
  "ssm-perms dhmc status --region all --json | jq -r '.regions[] | select(.enabled == false) | .region'",
];

/** What --accounts adds to any command's permissions (the README's "Many accounts"). */
const ACROSS_ACCOUNTS =
  "with --accounts, where you run from: organizations:ListAccounts (all), organizations:ListAccountsForParent and ListOrganizationalUnitsForParent (an OU or root), sts:AssumeRole on each account's --org-role; the permissions above in each account, through that role";

/**
 * The help's own sections fitted to the terminal as the rest of the output is: each example stays a
 * command that pastes as it is (continued with "\"), each permission list wraps under itself. No width
 * (a pipe): one line each.
 */
function examplesText(examples: readonly string[], width: number | undefined): string {
  return `\nExamples:\n${examples.flatMap((e) => labelled('  $ ', e, width, true)).join('\n')}\n`;
}
const permissionsText = (permissions: readonly string[], width: number | undefined) =>
  `\nIAM permissions:\n${permissions.flatMap((p) => labelled('  ', p, width)).join('\n')}\n`;

const topLevelHelp = (width: number | undefined) =>
  `${examplesText(TOP_LEVEL_EXAMPLES, width)}\n` +
  labelled(
    '',
    'Run "ssm-perms <command> [verb] --help" for its options, examples and IAM permissions; the global options above work with every command, before or after it.',
    width,
  ).join('\n') +
  '\n';

export function buildProgram(io: CliIO, commands: readonly CommandDef[], onRun: (def: CommandDef, opts: RawOptions) => Promise<void>): Command {
  // Help goes to stdout: fitted to its terminal, as every other output.
  const helpWidth = () => outputWidth(io.stdout, io.env);
  const program = new Command('ssm-perms')
    .description(
      'Configure the permissions AWS Systems Manager needs on EC2 instances: Default Host Management ' +
        'Configuration per region, the admin policy that guards it, and more.',
    )
    .version(VERSION, '-V, --version')
    .option('-r, --region <region>', 'region(s): repeatable or comma-separated; "all" = every enabled region', collectRegions)
    .option('-p, --profile <name>', 'shared-config profile (default: AWS_PROFILE)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (AWS_ENDPOINT_URL[_<SERVICE>] also work)')
    .option('--json', 'print exactly one JSON document on stdout (= -o json)')
    .addOption(
      new Option(
        '-o, --output <format>',
        'table (aligned, fitted to the terminal; the default), text (tab-separated, as the AWS CLI), json, or markdown (doctor)',
      ).choices(['table', 'text', 'json', 'markdown']),
    )
    .option('--query <jmespath>', 'filter the JSON result with a JMESPath expression before printing it, as the AWS CLI does')
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
    .option(
      '--accounts <list>',
      'run in these accounts of the organization: 12-digit ids, an OU id (ou-...: it and the OUs below), the root id (r-...), or all (every ACTIVE account); repeatable or comma-separated',
      collect,
    )
    .option('--exclude-accounts <ids>', 'leave these accounts out of --accounts (repeatable or comma-separated)', collect)
    .option('--org-role <name>', `the role entered in each account (default ${DEFAULT_ORG_ROLE}; Control Tower: AWSControlTowerExecution)`)
    .option('--org-role-path <path>', "that role's IAM path (default /)")
    .option('--external-id <id>', "the external id the role's trust policy requires, if any")
    .option('--role-session-name <name>', `the session name in each account's CloudTrail (default ${DEFAULT_SESSION_NAME})`)
    .option('--account-concurrency <n>', `accounts worked on at once (default ${DEFAULT_ACCOUNT_CONCURRENCY})`)
    .showHelpAfterError(false)
    // Each command's help lists the global options under "Global Options:" (commander 14's Help
    // setting, lib/help.js visibleGlobalOptions); subcommands copy this when they are created below.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', () => topLevelHelp(helpWidth()))
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
      () => examplesText(def.examples, helpWidth()) + permissionsText([...def.permissions, ...(def.prepare ? [ACROSS_ACCOUNTS] : [])], helpWidth()),
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
export function catalogOf(program: Command, commands: readonly CommandDef[]): CatalogEntry[] {
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

/** The global options as commander parsed them (each already checked by its option's parser). */
export interface Globals {
  flags: GlobalFlags;
  /** Colour on stdout unless --no-color (NO_COLOR, TERM=dumb and pipes are decided with the stream). */
  color: boolean;
  endpoint: string | undefined;
  maxAttempts: number | undefined;
  retryMode: 'standard' | 'adaptive' | undefined;
  connectTimeoutSeconds: number | undefined;
  readTimeoutSeconds: number | undefined;
  waitTimeoutSeconds: number;
}

/** commander's values of the global options -> one typed object; the only reader of them. */
export function parseGlobals(o: RawOptions): Globals {
  const flags: GlobalFlags = {
    regions: validateRegionTokens(stringList(o.region)),
    profile: o.profile === undefined ? undefined : String(o.profile),
    endpointUrl: o.endpointUrl === undefined ? undefined : String(o.endpointUrl),
    json: o.json === true || o.output === 'json',
    // --json wins over an -o given with it, as it always meant JSON.
    output: o.json === true ? 'json' : o.output === 'json' || o.output === 'text' || o.output === 'markdown' ? o.output : 'table',
    query: typeof o.query === 'string' ? o.query : undefined,
    dryRun: o.dryRun === true,
    yes: o.yes === true,
    noInput: o.input === false,
    quiet: o.quiet === true,
    debug: o.debug === true,
    accounts: parseAccountFlags(o),
  };
  const seconds = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    flags,
    color: o.color !== false,
    endpoint: validateEndpoint(flags.endpointUrl),
    maxAttempts: seconds(o.maxAttempts),
    // Many accounts side by side meet AWS's rate limits: there the SDK's adaptive mode, which also slows
    // the client to the rate AWS allows, is the default ("Retry modes", AWS SDKs and Tools Reference Guide,
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
    retryMode: o.retryMode === 'standard' || o.retryMode === 'adaptive' ? o.retryMode : flags.accounts ? 'adaptive' : undefined,
    connectTimeoutSeconds: seconds(o.cliConnectTimeout),
    readTimeoutSeconds: seconds(o.cliReadTimeout),
    waitTimeoutSeconds: seconds(o.waitTimeout) ?? 120,
  };
}

export function validateEndpoint(url: string | undefined): string | undefined {
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
