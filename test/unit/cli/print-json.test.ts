// -o json written in pieces to a stream that says "wait" (a pipe whose reader is slower): each piece waits
// for the stream to drain, so the document is never queued whole in memory; a stream that closes (a
// reader that stopped early, `| head -1`) ends the waiting instead of hanging the run.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { printOutcome, type Printer } from '../../../src/cli/print.js';
import type { CliIO } from '../../../src/cli/io.js';
import type { GlobalFlags, Outcome } from '../../../src/commands/types.js';
import { ExitCode } from '../../../src/services/errors.js';
import { createStyle } from '../../../src/output/style.js';

const printer: Printer = { style: createStyle(false), errStyle: createStyle(false), json: true, output: 'json' };
const flags = { quiet: false } as GlobalFlags;
const big = { instances: Array.from({ length: 3000 }, (_, i) => ({ instanceId: `i-${String(i).padStart(17, '0')}`, reason: 'x'.repeat(40) })) };
const outcome: Outcome = { data: big, text: () => '', exitCode: ExitCode.Ok };

/** A stream that is "full" after every write until 'drain' is emitted; it records the writes and the waits. */
class SlowStream extends EventEmitter {
  chunks: string[] = [];
  pending = 0;
  destroyed = false;
  maxPending = 0;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.pending += 1;
    this.maxPending = Math.max(this.maxPending, this.pending);
    // The reader catches up a moment later.
    setImmediate(() => {
      this.pending = 0;
      if (!this.destroyed) this.emit('drain');
    });
    return false;
  }
}

const io = (stdout: SlowStream): CliIO => ({ stdout, stderr: { write: () => true } }) as unknown as CliIO;

describe('printOutcome -o json', () => {
  it('waits for the stream to drain after each piece it could not take: never more than one piece queued', async () => {
    const stdout = new SlowStream();
    await printOutcome(io(stdout), printer, flags, outcome);
    expect(stdout.chunks.length).toBeGreaterThan(3);
    expect(stdout.maxPending).toBe(1);
    expect(stdout.chunks.join('')).toBe(JSON.stringify(big, null, 2) + '\n');
    expect(stdout.listenerCount('drain') + stdout.listenerCount('close') + stdout.listenerCount('error')).toBe(0);
  });

  it('stops waiting when the stream closes (a reader that stopped early), and does not wait on a closed one', async () => {
    const stdout = new SlowStream();
    stdout.write = function (chunk: string) {
      this.chunks.push(chunk);
      if (this.chunks.length === 1) setImmediate(() => ((this.destroyed = true), this.emit('close')));
      return false;
    };
    await printOutcome(io(stdout), printer, flags, outcome);
    expect(stdout.destroyed).toBe(true);
    expect(stdout.chunks.length).toBeGreaterThan(1);
  });
});
