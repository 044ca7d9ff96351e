// Runs the whole CLI in-process with captured streams and a chosen TTY state.
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run.js';
import type { CliIO, InStream } from '../../src/cli/io.js';
import { FakeClock } from './service-env.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  tty?: boolean;
  /** Lines typed at the prompt. */
  input?: string;
  /** The terminal's input itself, for a test that acts when the CLI starts reading it (a prompt). */
  stdin?: PassThrough;
  signal?: AbortSignal;
  /** The terminal's width stdout reports (with tty). */
  columns?: number;
  /** The terminal's width stderr reports (with tty), where the progress line goes. */
  stderrColumns?: number;
  /** stdout alone redirected (false) while stdin and stderr stay on the terminal (`tty`). */
  stdoutTty?: boolean;
  /** The clock the run reads (progress throttling, waits); a fresh FakeClock at 0 by default. */
  clock?: FakeClock;
}

export async function cli(argv: string[], o: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = (o.stdin ?? new PassThrough()) as PassThrough & InStream;
  stdin.isTTY = o.tty ?? false;
  if (o.input !== undefined) stdin.end(o.input);
  const io: CliIO = {
    argv,
    env: { AWS_REGION: 'us-east-1', ...o.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: o.stdoutTty ?? o.tty ?? false, columns: o.columns },
    stderr: { write: (s: string) => (stderr += s), isTTY: o.tty ?? false, columns: o.stderrColumns },
    stdin,
    signal: o.signal ?? new AbortController().signal,
    clock: o.clock ?? new FakeClock(),
  };
  const code = await runCli(io);
  return { code, stdout, stderr };
}
