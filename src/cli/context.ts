// The context a command runs in, built once the global options are parsed: the lazy AWS client
// factory (clients are made on first use, per region), the services' environment (clock, progress,
// cancellation), region resolution and consent. Nothing here talks to AWS until a command asks.
import type { Consent, Context } from '../commands/types.js';
import { createClientFactory, type CallRecord, type ClientFactory } from '../services/aws/clients.js';
import { ConsentError } from '../services/errors.js';
import { DEFAULT_REGION_CONCURRENCY, type ServiceEnv } from '../services/env.js';
import { realClock } from '../services/retry.js';
import type { CliIO } from './io.js';
import { ProgressLine } from '../output/progress.js';
import { fitQuestion, labelled, printWarning, type Printer } from './print.js';
import type { Globals } from './program.js';
import { askYesNo } from './prompt.js';
import { resolveRegions } from './regions.js';

/** How a context for one account of a run across accounts differs from the run's own. */
export interface AccountScope {
  account: { id: string; name: string | null; roleArn: string | null };
  clients: ClientFactory;
  /** The run's signal, or one that also stops this account alone. */
  signal: AbortSignal;
  /** Consent in this account (the run asks once for every account). */
  requireConsent: (consent: Consent) => Promise<void>;
}

export interface CommandContext {
  ctx: Context;
  /** Warnings already on stderr (shown before a consent question): the outcome does not repeat them. */
  shownWarnings: ReadonlySet<string>;
  /**
   * The context of one account of a run across accounts: its clients and consent; its services' notes
   * on stderr begin with the account id, and their counters give way to the run's own.
   */
  forAccount(scope: AccountScope): Context;
}

export function createContext(io: CliIO, printer: Printer, globals: Globals, calls: CallRecord[]): CommandContext {
  const { flags } = globals;
  // Counters are for people watching a terminal: one line on stderr, rewritten in place, never in a log
  // (stderr redirected), never beside --debug's call log, and not when stdout is JSON for a program.
  const showProgress = io.stderr.isTTY === true && !flags.debug && !(flags.output === 'json' && io.stdout.isTTY !== true);
  const clock = io.clock ?? realClock;
  const progressLine = new ProgressLine(io.stderr, { now: () => clock.now(), paint: printer.errStyle.dim });
  const services: ServiceEnv = {
    clients: createClientFactory({
      profile: flags.profile,
      env: io.env,
      endpoint: globals.endpoint,
      maxAttempts: globals.maxAttempts,
      retryMode: globals.retryMode,
      connectTimeoutSeconds: globals.connectTimeoutSeconds,
      readTimeoutSeconds: globals.readTimeoutSeconds,
      signal: io.signal,
      onCall: (c) => {
        calls.push(c);
        if (flags.debug) {
          const account = c.account === undefined ? '' : ` account=${c.account}`;
          io.stderr.write(`debug: ${c.service} ${c.operation} region=${c.region}${account} ${c.ms}ms attempts=${c.attempts} ${c.error ?? 'ok'}\n`);
        }
      },
    }),
    signal: io.signal,
    clock,
    progress: (e) => {
      if (flags.quiet) return;
      if (e.kind === 'progress') {
        if (!showProgress) return;
        if (e.done) progressLine.clear();
        else progressLine.update(e.message);
        return;
      }
      // A note is a line of its own: the counter is erased first (the next update draws it again).
      progressLine.clear();
      io.stderr.write(labelled(printer, e.kind === 'waiting' ? 'waiting:' : 'note:', printer.errStyle.dim, e.message));
    },
    regionConcurrency: DEFAULT_REGION_CONCURRENCY,
    propagationTimeoutMs: globals.waitTimeoutSeconds * 1000,
  };
  const regionSources = { tokens: flags.regions, env: io.env, endpointUrl: globals.endpoint };
  const shownWarnings = new Set<string>();
  const canPrompt = !flags.noInput && io.stdin.isTTY === true && io.stderr.isTTY === true;
  /** The parts of a context that follow its services (regions are looked up with its clients). */
  const withServices = (s: ServiceEnv) => ({
    services: s,
    regions: async (options?: Parameters<Context['regions']>[0]) => (await resolveRegions(regionSources, s, { ...options }))!,
    givenRegions: (options?: Parameters<Context['givenRegions']>[0]) => resolveRegions(regionSources, s, { ...options, optional: true }),
  });
  const ctx: Context = {
    flags,
    canPrompt,
    ...withServices(services),
    confirm: async (q) => {
      if (flags.yes) return true;
      if (!canPrompt) return false;
      return (await askYesNo(fitQuestion(printer, q), io.stdin, io.stderr, io.signal)) === true;
    },
    requireConsent: async (c) => {
      for (const w of c.warnings ?? []) {
        if (shownWarnings.has(w)) continue;
        printWarning(io, printer, w);
        shownWarnings.add(w);
      }
      if (flags.yes) return;
      const answer = canPrompt ? await askYesNo(fitQuestion(printer, c.question), io.stdin, io.stderr, io.signal) : false;
      if (answer === true) return;
      if (answer === null) {
        // End of input at the question (Ctrl-D, stdin closed): nobody said yes, so nothing is done.
        throw new ConsentError(
          'NoAnswer',
          `no answer; nothing was changed (${c.refused})`,
          `Answer y to ${c.answer}, or pass ${c.flags ?? '--yes'}${c.otherwise ?? ''}.`,
        );
      }
      const how = canPrompt ? `Answer y to ${c.answer}` : `Pass ${c.flags ?? '--yes'} to ${c.answer}`;
      throw new ConsentError('ConsentRequired', `${c.refused} without consent; nothing was changed`, `${how}${c.otherwise ?? ''}.`);
    },
  };
  const forAccount = (scope: AccountScope): Context => {
    const prefix = `${scope.account.id}: `;
    const accountServices: ServiceEnv = {
      ...services,
      clients: scope.clients,
      signal: scope.signal,
      // Counters of one account would overwrite each other's: the run shows accounts done instead.
      progress: (e) => (e.kind === 'progress' ? undefined : services.progress({ ...e, message: prefix + e.message })),
    };
    return { ...ctx, ...withServices(accountServices), account: scope.account, requireConsent: scope.requireConsent };
  };
  return { ctx, shownWarnings, forAccount };
}
