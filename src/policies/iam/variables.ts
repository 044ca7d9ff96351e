// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, the escapes `${*}`, `${?}`, `${$}`,
// and the `${key, 'default'}` form. They are substituted only in documents of Version 2012-10-17;
// earlier versions treat `${...}` as literal text.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//
// A template is split into literal text, wildcard characters (meaningful only where the caller matches
// with wildcards) and resolved variable text, which is always literal: a `*` inside a tag value does not
// become a wildcard. A multivalued key cannot be a variable (reference_policies_condition-single-vs-
// multi-valued-context-keys.html), and "if AWS cannot resolve a variable this might cause the entire
// statement to be invalid" (reference_policies_variables.html): such a value cannot match anything.
import type { RequestContext } from './context.js';
import { unknownOf, type Unknown } from './tri.js';

/** `any` stands for a variable that could not be resolved, when the caller asks "could this match at all?". */
export type Piece = { kind: 'text'; text: string } | { kind: 'wild'; char: '*' | '?' } | { kind: 'any' };

export type Resolved =
  | { ok: true; pieces: Piece[] }
  /** A variable names a key known to be absent (or multivalued) and has no default. */
  | { ok: false; unresolvable: string }
  | Unknown;

const VARIABLE = /\$\{([^}]*)\}/g;

/** Parses `key, 'default'` (comma and space, default in single quotes, '' for a quote). */
function parseVariable(body: string): { key: string; fallback?: string } {
  const m = /^\s*([^,]*?)\s*,\s*'((?:[^']|'')*)'\s*$/.exec(body);
  if (m) return { key: m[1] ?? '', fallback: (m[2] ?? '').replace(/''/g, "'") };
  return { key: body.trim() };
}

function pushText(pieces: Piece[], text: string): void {
  if (!text) return;
  const last = pieces[pieces.length - 1];
  if (last?.kind === 'text') last.text += text;
  else pieces.push({ kind: 'text', text });
}

function pushRaw(pieces: Piece[], raw: string): void {
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '*' || c === '?') {
      pushText(pieces, raw.slice(start, i));
      pieces.push({ kind: 'wild', char: c });
      start = i + 1;
    }
  }
  pushText(pieces, raw.slice(start));
}

/**
 * Splits `template` into pieces, substituting variables from the context when `variables` is on.
 * With `unresolvedAsWildcard`, a variable that cannot be resolved becomes a `*` wildcard instead: the
 * caller uses it to ask whether the value could match at all, whatever the variable held.
 */
export function resolveTemplate(template: string, ctx: RequestContext, variables: boolean, unresolvedAsWildcard = false): Resolved {
  const pieces: Piece[] = [];
  if (!variables) {
    pushRaw(pieces, template);
    return { ok: true, pieces };
  }
  const unknownKeys: string[] = [];
  let unresolvable: string | undefined;
  let last = 0;
  for (const m of template.matchAll(VARIABLE)) {
    pushRaw(pieces, template.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const body = m[1] ?? '';
    if (body === '*' || body === '?' || body === '$') {
      pushText(pieces, body);
      continue;
    }
    const { key, fallback } = parseVariable(body);
    const state = ctx.get(key);
    if (state.state === 'present' && !state.multi && state.values[0] !== undefined) {
      pushText(pieces, state.values[0]);
    } else if (state.state === 'unknown') {
      unknownKeys.push(key);
    } else if (fallback !== undefined) {
      pushText(pieces, fallback);
    } else if (unresolvedAsWildcard) {
      pieces.push({ kind: 'any' });
    } else {
      unresolvable ??= key;
    }
  }
  pushRaw(pieces, template.slice(last));
  if (unresolvable !== undefined) return { ok: false, unresolvable };
  if (unknownKeys.length) return unknownOf(unknownKeys);
  return { ok: true, pieces };
}

/** The resolved text with wildcards kept as plain characters. */
export function piecesText(pieces: readonly Piece[]): string {
  return pieces.map((p) => (p.kind === 'text' ? p.text : p.kind === 'wild' ? p.char : '')).join('');
}

/** The pieces with their wildcards turned into plain characters (for operators that take no wildcards). */
export function literalPieces(pieces: readonly Piece[]): Piece[] {
  return pieces.map((p) => (p.kind === 'wild' ? { kind: 'text', text: p.char } : p));
}
