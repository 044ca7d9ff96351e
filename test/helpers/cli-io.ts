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
  signal?: AbortSignal;
  /** The terminal's width stdout reports (with tty). */
  columns?: number;
}

export async function cli(argv: string[], o: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough() as PassThrough & InStream;
  stdin.isTTY = o.tty ?? false;
  if (o.input !== undefined) stdin.end(o.input);
  const io: CliIO = {
    argv,
    env: { AWS_REGION: 'us-east-1', ...o.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: o.tty ?? false, columns: o.columns },
    stderr: { write: (s: string) => (stderr += s), isTTY: o.tty ?? false },
    stdin,
    signal: o.signal ?? new AbortController().signal,
    clock: new FakeClock(),
  };
  const code = await runCli(io);
  return { code, stdout, stderr };
}
