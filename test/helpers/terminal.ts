// The built CLI in a pseudo-terminal, as an operator runs it: `script` gives it a pty (stdout and
// stderr both a TTY, carried together as a terminal shows them) of a chosen width. What is written to
// `script`'s stdin is typed at that terminal: "\u0003" is Ctrl-C, which the pty's line discipline
// turns into SIGINT for the CLI, as a keyboard does.
import { spawn } from 'node:child_process';
import { displayWidth } from '../../src/output/table.js';
import { BIN, type ChildRun } from './child.js';

const shellQuote = (args: string[]) => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

export interface TerminalRun {
  /** Types at the terminal. */
  type(keys: string): void;
  /** What the terminal has shown so far. */
  output(): string;
  /** Resolves when `pattern` has been shown (fails after 60 s). */
  waitFor(pattern: RegExp): Promise<void>;
  done: Promise<ChildRun>;
}

/** Starts the CLI in a pseudo-terminal of `columns` columns. */
export function startInTerminal(args: string[], env: Record<string, string>, columns: number): TerminalRun {
  // stty sets the pty's window size, which Node reads as process.stdout/stderr.columns.
  const command = `stty cols ${columns} rows 40; exec ${shellQuote([process.execPath, BIN, ...args])}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, stdout: out, stderr: '' });
    });
  });
  return {
    type: (keys) => child.stdin.write(keys),
    output: () => out,
    waitFor: async (pattern) => {
      const until = Date.now() + 60_000;
      while (!pattern.test(out)) {
        if (Date.now() > until) throw new Error(`the terminal never showed ${pattern}; it shows:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    done,
  };
}

/** The CLI in a pseudo-terminal of `columns` columns; `stdout` is what the terminal received (both streams). */
export function inTerminal(args: string[], env: Record<string, string>, columns: number): Promise<ChildRun> {
  return startInTerminal(args, env, columns).done;
}

/** SGR colour codes out, so what is left is what takes columns. */
export const uncolour = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

/** What each row of the terminal ends up showing at its widest: a carriage return or an erased line starts the row over. */
export function rowWidths(out: string): number[] {
  return uncolour(out)
    .split('\n')
    .flatMap((row) => row.split('\u001b[2K').flatMap((part) => part.split('\r')))
    .map((segment) => displayWidth(segment));
}

/** The widest row a terminal shows for this output. */
export const widestRow = (out: string): number => Math.max(0, ...rowWidths(out));
