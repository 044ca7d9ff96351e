// `--output json` of a large result (doctor over 20,000 instances: a document of 100 MB and more) in
// pieces, so the whole text never sits in memory at once next to the result it is made of: the first
// two levels (the document and its lists) are written piece by piece, and each element whole. The text is
// exactly JSON.stringify(value, null, 2)'s: the same rules for toJSON, undefined and functions.

type Jsonable = { toJSON(): unknown };
const hasToJson = (v: unknown): v is Jsonable => typeof v === 'object' && v !== null && typeof (v as Jsonable).toJSON === 'function';
/** What JSON.stringify leaves out of an object (and writes as null in a list). */
const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Depth at which elements are written whole (0 = the document, 1 = its members, 2 = their elements). */
const WHOLE_AT = 2;

export function* jsonPieces(value: unknown, depth = 0, indent = ''): Generator<string> {
  const v = hasToJson(value) ? value.toJSON() : value;
  if (depth >= WHOLE_AT || v === null || typeof v !== 'object') {
    // A value JSON.stringify cannot write (undefined at the top) is `null`, as the CLI has always printed it.
    const text = skipped(v) ? 'null' : JSON.stringify(v, null, 2);
    yield indent ? text.replace(/\n/g, `\n${indent}`) : text;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return yield '[]';
    yield '[\n';
    for (let i = 0; i < v.length; i++) {
      yield inner;
      yield* jsonPieces(skipped(v[i]) ? null : v[i], depth + 1, inner);
      yield i < v.length - 1 ? ',\n' : '\n';
    }
    return yield `${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => !skipped(hasToJson(x) ? x.toJSON() : x));
  if (entries.length === 0) return yield '{}';
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, x] = entries[i]!;
    yield `${inner}${JSON.stringify(key)}: `;
    yield* jsonPieces(x, depth + 1, inner);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** The pieces gathered into writes of about `size` characters (fewer, larger writes). */
export function* batched(pieces: Iterable<string>, size = 65_536): Generator<string> {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
