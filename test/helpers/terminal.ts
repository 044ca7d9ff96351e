// The built CLI in a pseudo-terminal, as an operator runs it: `script` gives it a pty (stdout and
// stderr both a TTY, carried together as a terminal shows them) of a chosen width.
import { spawn } from 'node:child_process';
import { displayWidth } from '../../src/output/table.js';
import { BIN, type ChildRun } from './child.js';

const shellQuote = (args: string[]) => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

/** The CLI in a pseudo-terminal of `columns` columns; `stdout` is what the terminal received (both streams). */
export function inTerminal(args: string[], env: Record<string, string>, columns: number): Promise<ChildRun> {
  // stty sets the pty's window size, which Node reads as process.stdout/stderr.columns.
  const command = `stty cols ${columns} rows 40; exec ${shellQuote([process.execPath, BIN, ...args])}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, stdout: out, stderr: '' });
    });
  });
}

/** SGR colour codes out, so what is left is what takes columns. */
export const uncolour = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

/** The widest line a terminal shows for this output (a carriage return or an erased line starts the row over). */
export function widestRow(out: string): number {
  return Math.max(
    0,
    ...uncolour(out)
      .split('\n')
      .flatMap((row) => row.split('\u001b[2K').flatMap((part) => part.split('\r')))
      .map((segment) => displayWidth(segment)),
  );
}
