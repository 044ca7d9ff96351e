// Colour decisions, made once by the CLI: --no-color, NO_COLOR, TERM=dumb or a non-TTY stream turn it
// off (chalk 5 does not read NO_COLOR itself, so its level is set here).
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  ok: (s: string) => string;
  bad: (s: string) => string;
  warn: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
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

export function createStyle(enabled: boolean): Style {
  const c: ChalkInstance = new Chalk({ level: enabled ? 1 : 0 });
  return { ok: c.green, bad: c.red, warn: c.yellow, dim: c.dim, bold: c.bold };
}
