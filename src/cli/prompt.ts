// The y/N prompt: asked on stderr, answered on stdin, only when both are terminals.
import type { InStream, OutStream } from './io.js';

export async function askYesNo(question: string, stdin: InStream, stderr: OutStream, signal: AbortSignal): Promise<boolean> {
  // Loaded on demand: readline pulls in half of Node's stream stack, which --help does not need.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: stdin, output: stderr as NodeJS.WritableStream, terminal: false });
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal });
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
