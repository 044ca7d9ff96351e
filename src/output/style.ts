// Colour decisions, made once by the CLI: --no-color, NO_COLOR, TERM=dumb or a non-TTY stream turn it
// off (chalk 5 does not read NO_COLOR itself, so its level is set here).
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  ok: (s: string) => string;
  bad: (s: string) => string;
  warn: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  /** The columns a line may take (the terminal's width); undefined = no limit (a file or a pipe). */
  width?: number;
}

export interface ColorInputs {
  flagNoColor: boolean;
  env: Record<string, string | undefined>;
  isTTY: boolean;
}

export function colorEnabled(i: ColorInputs): boolean {
  if (i.flagNoColor) return false;
  if (i.env.NO_COLOR !== undefined && i.env.NO_COLOR !== '') return false;
  if (i.env.TERM === 'dumb') return false;
  return i.isTTY;
}

export function createStyle(enabled: boolean, width?: number): Style {
  const c: ChalkInstance = new Chalk({ level: enabled ? 1 : 0 });
  return { ok: c.green, bad: c.red, warn: c.yellow, dim: c.dim, bold: c.bold, width };
}

/**
 * The room a line of stdout has: the terminal's columns, or 80 on a terminal that does not say
 * (a serial console); no limit on a file or a pipe, unless COLUMNS says otherwise (as for `ls`).
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined>): number | undefined {
  const fromEnv = /^[1-9][0-9]{0,3}$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : undefined;
  if (stream.isTTY === true) return stream.columns && stream.columns > 0 ? stream.columns : (fromEnv ?? 80);
  return fromEnv;
}
