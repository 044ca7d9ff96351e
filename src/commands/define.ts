// Commands with typed input: `parse` turns commander's raw option values into one validated input
// object before anything else happens (so bad input exits 2 with no AWS call), and the lazily loaded
// `run` receives only that object - never the raw options.
import type { CommandDef, Context, Outcome, RawOptions } from './types.js';

export type { RawOptions } from './types.js';

/** A repeatable option's values (commander collects them in a list), or none. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

/** A command's help (path, summary, options, examples, permissions) with a typed parse and a lazy run. */
export interface TypedCommand<I> extends Omit<CommandDef, 'run'> {
  /** Validates and types the command's own options; throws a UsageError naming the value and the rule. */
  parse(options: RawOptions): I;
  /** Loads the implementation when the command runs, so `--help` compiles definitions only. */
  load(): Promise<{ run(input: I, ctx: Context): Promise<Outcome> }>;
}

export function defineCommand<I>(def: TypedCommand<I>): CommandDef {
  const { parse, load, ...help } = def;
  return {
    ...help,
    prepare: async (options) => {
      const input = parse(options);
      const impl = await load();
      return (ctx) => impl.run(input, ctx);
    },
    // Parse first: a usage error costs no import of the implementation and no AWS call.
    run: async (options, ctx) => {
      const input = parse(options);
      return (await load()).run(input, ctx);
    },
  };
}
