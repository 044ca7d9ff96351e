// The process boundary as the CLI sees it, so tests can run the whole CLI in-process with captured
// streams, a fake TTY and a fake clock.
import type { RetryClock } from '../services/retry.js';

export interface OutStream {
  /** false when the stream's buffer is full: wait for 'drain' before writing more (Node's Writable). */
  write(chunk: string): unknown;
  /** Node's Writable: 'drain' once the buffer has emptied; 'close' and 'error' when it can take no more. */
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  removeListener?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  /** Node's Writable: closed (after an EPIPE, for one). */
  destroyed?: boolean;
  isTTY?: boolean;
  /** The terminal's width, when the stream is one. */
  columns?: number;
}

export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface CliIO {
  /** Arguments after the program name. */
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  clock?: RetryClock;
}
