// The y/N prompt: asked on stderr, answered on stdin, only when both are terminals.
import { createInterface } from 'node:readline/promises';
import type { InStream, OutStream } from './io.js';

export async function askYesNo(question: string, stdin: InStream, stderr: OutStream, signal: AbortSignal): Promise<boolean> {
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
