// The y/N prompt: asked on stderr, answered on stdin, only when both are terminals.
import { AbortedError } from '../services/errors.js';
import type { InStream, OutStream } from './io.js';

/**
 * Only y or yes is consent (true); any other line is a refusal (false). End of input (Ctrl-D, a closed
 * pipe) is no answer (null), which the caller treats as a refusal: without this the pending question
 * would leave Node nothing to wait on and it would exit 13 ("unsettled top-level await"). Ctrl-C at the
 * prompt is an interrupt (AbortedError, exit 130), not a refusal.
 */
export async function askYesNo(question: string, stdin: InStream, stderr: OutStream, signal: AbortSignal): Promise<boolean | null> {
  // Loaded on demand: readline pulls in half of Node's stream stack, which --help does not need.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: stdin, output: stderr as NodeJS.WritableStream, terminal: false });
  const closed = new Promise<null>((resolve) => rl.once('close', () => resolve(null)));
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `, { signal }), closed]);
    if (answer === null) {
      stderr.write('\n');
      return null;
    }
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch (e) {
    if (signal.aborted) throw new AbortedError('Interrupted', 'interrupted at the prompt; nothing was changed', null, { cause: e });
    return false;
  } finally {
    rl.close();
  }
}
