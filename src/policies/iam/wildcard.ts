// Wildcard matching for IAM strings: `*` is any run of characters, `?` any single character.
import type { Piece } from './variables.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface WildcardOptions {
  /** Regular-expression source for `*` (default: any run, including none). */
  star?: string;
  /** Regular-expression source for `?` (default: any single character). */
  question?: string;
}

/** The regular-expression source of `pieces`, anchored by the caller. */
export function piecesSource(pieces: readonly Piece[], options: WildcardOptions = {}): string {
  return pieces
    .map((p) => {
      if (p.kind === 'text') return escape(p.text);
      if (p.kind === 'any') return '[\\s\\S]*';
      return p.char === '*' ? (options.star ?? '[\\s\\S]*') : (options.question ?? '[\\s\\S]');
    })
    .join('');
}

export function piecesMatch(pieces: readonly Piece[], value: string, ignoreCase = false): boolean {
  return new RegExp(`^${piecesSource(pieces)}$`, ignoreCase ? 'i' : '').test(value);
}

const cache = new Map<string, RegExp>();
/** An IAM action pattern (`ssm:Update*`, `ssm:?etDocument`) matched case-insensitively. */
export function actionRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${escape(pattern).replace(/\\\*/g, '[\\s\\S]*').replace(/\\\?/g, '[\\s\\S]')}$`, 'i');
    if (cache.size > 5000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}
