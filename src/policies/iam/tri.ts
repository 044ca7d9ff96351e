// Three-valued logic for "does this apply?": true, false, or unknown because of some context keys
// (or a malformed policy part we refuse to guess about). Unknown carries what it depends on, so a
// report can name the keys.

export interface Unknown {
  unknown: true;
  keys: string[];
  problems: string[];
}

export type Tri = boolean | Unknown;

export function unknownOf(keys: readonly string[], problems: readonly string[] = []): Unknown {
  return { unknown: true, keys: [...new Set(keys)], problems: [...new Set(problems)] };
}

export function problem(text: string): Unknown {
  return unknownOf([], [text]);
}

export function isUnknown(t: Tri): t is Unknown {
  return typeof t === 'object';
}

function merge(parts: readonly Unknown[]): Unknown {
  return unknownOf(
    parts.flatMap((p) => p.keys),
    parts.flatMap((p) => p.problems),
  );
}

/** AND: false wins over unknown, unknown over true. */
export function all(parts: Iterable<Tri>): Tri {
  const unknowns: Unknown[] = [];
  for (const p of parts) {
    if (p === false) return false;
    if (isUnknown(p)) unknowns.push(p);
  }
  return unknowns.length ? merge(unknowns) : true;
}

/** OR: true wins over unknown, unknown over false. */
export function any(parts: Iterable<Tri>): Tri {
  const unknowns: Unknown[] = [];
  for (const p of parts) {
    if (p === true) return true;
    if (isUnknown(p)) unknowns.push(p);
  }
  return unknowns.length ? merge(unknowns) : false;
}

export function not(t: Tri): Tri {
  return isUnknown(t) ? t : !t;
}
