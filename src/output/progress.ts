// The progress line of long work ("profile attach: attached 120/407, 3 failed"): one line on a
// terminal's stderr, rewritten in place with a carriage return and "erase line" (CSI 2 K), so that
// the scrollback keeps nothing of it. Redraws are throttled (a fleet of 400 finishes instances
// faster than anyone reads), the line is cut to the terminal's width (a line longer than the
// terminal wraps, and a carriage return then rewrites only its last row, leaving the rest behind),
// and whoever prints anything else on the terminal clears it first.
import { escapeControls } from './escape.js';
import { cut } from './table.js';

/** The "erase in line" control (CSI 2 K, ECMA-48 8.3.41) after a carriage return: the cursor's row, emptied. */
export const ERASE_LINE = '\r\u001b[2K';

/** At most this many redraws a second: enough to see a counter move, few enough not to flicker. */
export const PROGRESS_INTERVAL_MS = 100;

/** Columns assumed when a terminal does not say how wide it is (a serial console). */
const DEFAULT_COLUMNS = 80;

export interface ProgressTarget {
  write(chunk: string): unknown;
  columns?: number;
}

export interface ProgressOptions {
  now: () => number;
  /** Paint for the line (dim on a colour terminal); applied after cutting, so widths never count escapes. */
  paint?: (s: string) => string;
  intervalMs?: number;
  /** Schedules the redraw of a throttled message; returns a cancel function. */
  later?: (fn: () => void, ms: number) => () => void;
}

const realLater = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  // A pending redraw must never keep the process alive once the work is done.
  t.unref();
  return () => clearTimeout(t);
};

export class ProgressLine {
  private shown = false;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private pending: string | null = null;
  private cancel: (() => void) | null = null;
  private readonly interval: number;
  private readonly later: NonNullable<ProgressOptions['later']>;

  constructor(
    private readonly out: ProgressTarget,
    private readonly options: ProgressOptions,
  ) {
    this.interval = options.intervalMs ?? PROGRESS_INTERVAL_MS;
    this.later = options.later ?? realLater;
  }

  /** Shows `message` now, or within the interval when the line was drawn less than an interval ago. */
  update(message: string): void {
    const wait = this.lastDraw + this.interval - this.options.now();
    if (wait <= 0) {
      this.draw(message);
      return;
    }
    // The latest message wins; one redraw is scheduled for the end of the interval, so the line
    // never stays behind the work while nothing else happens.
    this.pending = message;
    this.cancel ??= this.later(() => {
      this.cancel = null;
      if (this.pending !== null) this.draw(this.pending);
    }, wait);
  }

  /** Erases the line (when one is shown) and drops any redraw still to come; the next update draws at once. */
  clear(): void {
    this.cancel?.();
    this.cancel = null;
    this.pending = null;
    this.lastDraw = Number.NEGATIVE_INFINITY;
    if (this.shown) this.out.write(ERASE_LINE);
    this.shown = false;
  }

  /** Whether a progress line is on the terminal now. */
  get visible(): boolean {
    return this.shown;
  }

  private draw(message: string): void {
    this.pending = null;
    this.lastDraw = this.options.now();
    const columns = this.out.columns && this.out.columns > 0 ? this.out.columns : DEFAULT_COLUMNS;
    // One column short of the width: a line that fills the last column leaves the cursor in a
    // pending-wrap state on most terminals, and the next character would start a new row.
    const text = cut(escapeControls(message), Math.max(1, columns - 1));
    this.out.write(ERASE_LINE + (this.options.paint ? this.options.paint(text) : text));
    this.shown = true;
  }
}
