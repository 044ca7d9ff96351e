// The contract between the CLI and each command: a definition object that carries its options, help,
// examples and the IAM permissions it needs, plus run(opts, ctx) -> Outcome. Commands never print or
// exit and never import the AWS SDK; they validate, call services, and return data.
import type { ServiceEnv } from '../services/env.js';
import type { ExitCode } from '../services/errors.js';
import type { Style } from '../output/style.js';
import type { TablePart } from '../output/table.js';
import type { AccountsFlags } from './shared/account-flags.js';

export type OutputFormat = 'json' | 'text' | 'table' | 'markdown';

export interface GlobalFlags {
  /** --region values, comma lists split; empty when not given. */
  regions: string[];
  profile: string | undefined;
  endpointUrl: string | undefined;
  /** -o json or --json. */
  json: boolean;
  /** -o/--output (json when --json); `table` when neither is given. */
  output: OutputFormat;
  /** --query: a JMESPath expression (already compiled once to check it). */
  query: string | undefined;
  dryRun: boolean;
  yes: boolean;
  noInput: boolean;
  quiet: boolean;
  debug: boolean;
  /** --accounts and its companions; null for a run in the caller's own account. */
  accounts: AccountsFlags | null;
}

export interface ResolvedRegions {
  regions: string[];
  partition: string;
  /** A region of the same partition for global services (IAM, STS): the first one asked. */
  home: string;
}

export interface RegionOptions {
  /** e.g. 'Default Host Management Configuration': refused in partitions where AWS does not document it. */
  feature?: string;
  /**
   * For commands that call only IAM and STS (global per partition): with no region anywhere, resolve to
   * no regions and the `aws` partition's global region as home, as the AWS CLI signs IAM, instead of
   * failing with "no region given".
   */
  global?: boolean;
  /** Resolve as if --region all were not given (the home region of a run across accounts). */
  ignoreAll?: boolean;
}

export interface Consent {
  /** The question at the prompt. */
  question: string;
  /** What is not done without consent, e.g. "not turning DHMC off in us-east-1". */
  refused: string;
  /** The verb phrase of the hint: "Answer y to <answer>." / "Pass --yes to <answer>." */
  answer: string;
  /** The flags that give consent when there is no prompt (default --yes). */
  flags?: string;
  /** Another way out, appended to the hint (", or leave those regions out"). */
  otherwise?: string;
  /**
   * The plan's warnings: shown before the question (what is asked may depend on them) and so still
   * seen when consent is refused; the outcome does not repeat them.
   */
  warnings?: readonly string[];
}

export interface Context {
  flags: GlobalFlags;
  services: ServiceEnv;
  /**
   * Regions from --region, AWS_REGION, AWS_DEFAULT_REGION or the profile; `all` expanded. With
   * `feature`, a region outside the partitions where AWS documents it is refused before any call.
   */
  regions(options?: RegionOptions): Promise<ResolvedRegions>;
  /** Regions from --region or the environment only (no profile lookup, so no SDK load), or null. */
  givenRegions(options?: RegionOptions): Promise<ResolvedRegions | null>;
  /** Asks a yes/no question when allowed (terminal, no --no-input); --yes answers yes. */
  confirm(question: string): Promise<boolean>;
  /**
   * Consent to replace or remove something: --yes, or a y at the prompt. Without it, throws a
   * ConsentError (exit 2) saying what was not done and how to give consent; nothing has changed yet.
   */
  requireConsent(consent: Consent): Promise<void>;
  /** Whether confirm() can ask at all, for hints that say what to pass instead. */
  canPrompt: boolean;
  /**
   * In a run across accounts (--accounts): the account this run is in, as the organization names it, and
   * the role entered there (null: the caller's own account, worked in with the caller's credentials).
   */
  account?: { id: string; name: string | null; roleArn: string | null } | undefined;
}

export interface Outcome {
  /** The JSON document printed with --json (and the source of the text rendering). */
  data: unknown;
  /** The text printed on stdout without --json. */
  text: (style: Style) => string;
  /** The text form is the document itself, no table (the policy generators): nothing to measure. */
  document?: boolean;
  /** The table of `text`, for results with a row per region: runs across accounts draw one table of all of them. */
  table?: (style: Style) => TablePart;
  /** The -o text form when it is not the AWS CLI's text of `data` (a run across accounts prefixes each line with the account). */
  awsText?: () => string;
  /** The result as Markdown (-o markdown), for the commands that offer it (CommandDef.markdown). */
  markdown?: () => string;
  exitCode: ExitCode;
  /** Warnings for stderr (shown even with --quiet). */
  warnings?: string[];
  /** Notes and next steps for stderr (hidden by --quiet). */
  notes?: string[];
  /**
   * Ids the command was asked for by name and did not find (doctor --instance-id). In a run across
   * accounts an id is missing only when no account holds it: the run, not each account, judges that.
   */
  notFound?: readonly string[];
  /** The exit code an id found nowhere gives, as in one account (default 6, a check that found problems). */
  notFoundExitCode?: ExitCode;
  /**
   * Counts that add up across accounts (doctor's verdicts), and their line: a run across accounts
   * prints the line of the sums under its summary, and puts the sums in its JSON summary as `totals`.
   */
  totals?: { counts: Record<string, number>; line: (counts: Record<string, number>) => string };
}

export type OptionKind = 'boolean' | 'string' | 'repeatable' | 'negatable';

export interface OptionDef {
  /** commander flags, e.g. '--role-name <name>' or '--no-create-role'. */
  flags: string;
  description: string;
  kind: OptionKind;
  defaultValue?: string;
}

/** commander's parsed values, as they arrive: strings, booleans and string lists, keyed by camelCase name. */
export type RawOptions = Readonly<Record<string, unknown>>;

export interface CommandDef {
  /** e.g. ['dhmc', 'enable'] */
  path: string[];
  summary: string;
  options: OptionDef[];
  examples: string[];
  /** The IAM actions the command calls (shown in its help and the README). */
  permissions: string[];
  /** Whether the command prints Markdown with -o markdown (refused before any call otherwise). */
  markdown?: boolean;
  /** A positional argument, e.g. '<shell>'; its value arrives as opts[name]. */
  positional?: string;
  run(opts: RawOptions, ctx: Context): Promise<Outcome>;
  /**
   * For runs across accounts: validates the options once (a usage error before any call) and loads the
   * implementation, giving a run per account. Commands without it refuse --accounts.
   */
  prepare?(opts: RawOptions): Promise<(ctx: Context) => Promise<Outcome>>;
  /** Whether the command, with these options, runs without AWS calls (no account need be entered). */
  offline?(opts: RawOptions): boolean;
  /** Whether, with these options, the accounts' results make one outcome (admin-policy generate --combined). */
  combines?(opts: RawOptions): boolean;
  /** That one outcome, from every account's (called only when `combines`, and every account gave one). */
  combineAccounts?(runs: readonly { account: string; outcome: Outcome }[]): Outcome;
}
