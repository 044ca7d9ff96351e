// --output json written in pieces must be, character for character, what JSON.stringify(value, null, 2)
// writes: checked against it on random documents and on the values it treats specially.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batched, jsonPieces } from '../../../src/output/json-pieces.js';

const whole = (v: unknown) => [...jsonPieces(v)].join('');

describe('jsonPieces', () => {
  it('writes what JSON.stringify(value, null, 2) writes, for any JSON document', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        expect(whole(v)).toBe(JSON.stringify(v, null, 2));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats toJSON, undefined, functions and empty containers as JSON.stringify does', () => {
    const odd = {
      when: new Date(Date.UTC(2026, 10, 28)),
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 1, new Date(0), {}, [], { deep: [{ a: [1, { b: undefined }] }] }],
      empty: {},
      none: [],
      nested: { at: { depth: { three: new Date(5) } } },
    };
    expect(whole(odd)).toBe(JSON.stringify(odd, null, 2));
    expect(whole([])).toBe('[]');
    expect(whole({})).toBe('{}');
    expect(whole('text')).toBe('"text"');
    expect(whole(null)).toBe('null');
    // What JSON.stringify cannot write at all is printed as null, as --json always did (data ?? null).
    expect(whole(undefined)).toBe('null');
  });

  it('keeps a large list in pieces: no piece holds more than one element', () => {
    const doc = { instances: Array.from({ length: 1000 }, (_, i) => ({ instanceId: `i-${i}`, checks: [{ id: 'imds', status: 'pass' }] })) };
    const pieces = [...jsonPieces(doc)];
    expect(pieces.join('')).toBe(JSON.stringify(doc, null, 2));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
  });
});

describe('batched', () => {
  it('joins pieces into writes of at least the size given (the last one excepted), losing nothing', () => {
    const pieces = Array.from({ length: 100 }, (_, i) => `${i}`.padStart(10, '.'));
    const writes = [...batched(pieces, 95)];
    expect(writes.join('')).toBe(pieces.join(''));
    expect(writes.slice(0, -1).every((w) => w.length >= 95)).toBe(true);
    expect(writes).toHaveLength(10);
  });
});
