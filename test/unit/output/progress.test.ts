import { beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../../src/output/table.js';
import { ERASE_LINE, ProgressLine } from '../../../src/output/progress.js';
import { loadDisplayWidth } from '../../../src/output/width.js';

// string-width is loaded when a command runs; these tests measure as the CLI then does.
beforeAll(loadDisplayWidth);

/** A terminal's stderr as the progress line sees it, a clock the test moves, and the redraws it schedules. */
function terminal(columns?: number) {
  const out = { written: [] as string[], columns, write: (s: string) => out.written.push(s) };
  const clock = { t: 0 };
  const scheduled: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const later = (fn: () => void, ms: number) => {
    const job = { fn, ms, cancelled: false };
    scheduled.push(job);
    return () => {
      job.cancelled = true;
    };
  };
  const line = new ProgressLine(out, { now: () => clock.t, later });
  return { out, clock, scheduled, line };
}

describe('ProgressLine', () => {
  it('draws each message over the previous one: carriage return and erase line, no newline', () => {
    const { out, clock, line } = terminal(80);
    line.update('attached 1/3');
    clock.t = 100;
    line.update('attached 2/3');
    expect(out.written).toEqual([`${ERASE_LINE}attached 1/3`, `${ERASE_LINE}attached 2/3`]);
    expect(line.visible).toBe(true);
  });

  it('within 100 ms of a redraw, keeps only the latest message and draws it once the interval is over', () => {
    const { out, clock, scheduled, line } = terminal(80);
    line.update('attached 1/9');
    clock.t = 30;
    line.update('attached 2/9');
    clock.t = 60;
    line.update('attached 3/9');
    expect(out.written).toEqual([`${ERASE_LINE}attached 1/9`]);
    // One redraw scheduled, for the rest of the interval, whatever the number of messages.
    expect(scheduled.map((j) => j.ms)).toEqual([70]);
    clock.t = 100;
    scheduled[0]!.fn();
    expect(out.written).toEqual([`${ERASE_LINE}attached 1/9`, `${ERASE_LINE}attached 3/9`]);
    // The interval restarts from that redraw.
    clock.t = 150;
    line.update('attached 4/9');
    expect(out.written).toHaveLength(2);
    expect(scheduled[1]!.ms).toBe(50);
  });

  it('clear erases a line that is shown, cancels the redraw to come, and writes nothing when none is shown', () => {
    const { out, clock, scheduled, line } = terminal(80);
    line.clear();
    expect(out.written).toEqual([]);
    line.update('a');
    clock.t = 10;
    line.update('b');
    line.clear();
    expect(out.written).toEqual([`${ERASE_LINE}a`, ERASE_LINE]);
    expect(scheduled[0]!.cancelled).toBe(true);
    expect(line.visible).toBe(false);
    // After a clear (a note printed in between), the next message is drawn at once, within the interval.
    clock.t = 15;
    line.update('c');
    expect(out.written.at(-1)).toBe(`${ERASE_LINE}c`);
  });

  it('never reaches the last column: cut with an ellipsis to one column less than the terminal, by display width', () => {
    const { out, line } = terminal(12);
    line.update('profile attach: attached 120/407');
    expect(out.written).toEqual([`${ERASE_LINE}profile at…`]);
    const wide = terminal(10);
    // Each CJK character takes two columns.
    wide.line.update('名前名前名前名前');
    const text = wide.out.written[0]!.slice(ERASE_LINE.length);
    expect(displayWidth(text)).toBeLessThanOrEqual(9);
    expect(text.endsWith('…')).toBe(true);
  });

  it('assumes 80 columns when the terminal does not say', () => {
    const { out, line } = terminal(undefined);
    line.update('x'.repeat(200));
    expect(displayWidth(out.written[0]!.slice(ERASE_LINE.length))).toBe(79);
  });

  it('shows control characters as escapes: a message cannot move the cursor', () => {
    const { out, line } = terminal(80);
    line.update('web\u001b[2J\r\n');
    expect(out.written).toEqual([`${ERASE_LINE}web\\x1b[2J\\r\\n`]);
  });

  it('paints after cutting, so the escape codes of the colour are never cut or counted', () => {
    const out = { written: [] as string[], columns: 6, write: (s: string) => out.written.push(s) };
    const line = new ProgressLine(out, { now: () => 0, paint: (s) => `<${s}>` });
    line.update('abcdefgh');
    expect(out.written).toEqual([`${ERASE_LINE}<abcd…>`]);
  });

  it('by default schedules the redraw on a timer that does not keep the process alive', async () => {
    const out = { written: [] as string[], columns: 80, write: (s: string) => out.written.push(s) };
    let t = 0;
    const line = new ProgressLine(out, { now: () => t, intervalMs: 20 });
    line.update('1');
    t = 5;
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    line.update('2');
    // Scheduled, yet not among what keeps Node running.
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    t = 25;
    await new Promise((r) => setTimeout(r, 40));
    expect(out.written).toEqual([`${ERASE_LINE}1`, `${ERASE_LINE}2`]);
    line.clear();
  });
});
